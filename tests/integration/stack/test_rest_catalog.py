"""The REST layer's catalog cache follows DDL made by tests without a restart."""

from __future__ import annotations

import pytest
from postgrest import APIError

from tests.stack import rest
from tests.stack.rest_testing import scratch_table

TABLE = "rest_catalog_items"


def test_new_tables_and_new_columns_are_seen_at_once(stack, supabase_client) -> None:
    client = supabase_client("service")
    with scratch_table(stack, TABLE, "id int primary key, a text"):
        client.table(TABLE).insert({"id": 1, "a": "x"}).execute()
    with scratch_table(stack, TABLE, "id int primary key, b text"):
        assert client.table(TABLE).insert({"id": 2, "b": "y"}).execute().data == [
            {"id": 2, "b": "y"}
        ]
        with pytest.raises(APIError) as caught:
            client.table(TABLE).insert({"id": 3, "a": "z"}).execute()
        assert caught.value.code == "PGRST204"


def test_a_dropped_table_costs_at_most_one_stale_answer(stack, supabase_client) -> None:
    client = supabase_client("service")
    with scratch_table(stack, TABLE, "id int primary key"):
        assert client.table(TABLE).select("*").execute().data == []
    with pytest.raises(APIError) as first:
        client.table(TABLE).select("*").execute()
    assert first.value.code in ("42P01", "PGRST205")
    with pytest.raises(APIError) as second:
        client.table(TABLE).select("*").execute()
    assert second.value.code == "PGRST205"


def test_reload_schema_forgets_everything(stack, supabase_client) -> None:
    client = supabase_client("service")
    with scratch_table(stack, TABLE, "id int primary key"):
        assert client.table(TABLE).select("*").execute().data == []
    rest.reload_schema()
    with pytest.raises(APIError) as caught:
        client.table(TABLE).select("*").execute()
    assert caught.value.code == "PGRST205"
