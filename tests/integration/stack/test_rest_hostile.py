"""Hostile table names, column names and values cannot reach SQL as code through `/rest/v1`.

Each attempt must come back as a clean PostgREST error (or a harmless empty result) and leave
every row of the data and of a canary table in place.
"""

from __future__ import annotations

import httpx
import pytest
from postgrest import APIError

from tests.stack.rest_testing import scratch_table

ITEMS = "rest_hostile_items"
CANARY = "rest_hostile_canary"
DROP = f"x'); drop table {CANARY}; --"
DROP_IDENT = f'x"; drop table {CANARY}; --'


@pytest.fixture
def client(stack, supabase_client):
    with (
        scratch_table(stack, CANARY, "id int"),
        scratch_table(stack, ITEMS, "id int primary key, name text"),
    ):
        stack.admin_sql(f"insert into public.{CANARY} values (1)")
        stack.admin_sql(f"insert into public.{ITEMS} values (1, 'one'), (2, %s)", (DROP,))
        yield supabase_client("service")
        assert stack.admin_sql(f"select count(*) from public.{CANARY}") == [(1,)]
        assert stack.admin_sql(f"select id, name from public.{ITEMS} order by id") == [
            (1, "one"),
            (2, DROP),
        ]


@pytest.mark.parametrize(
    "value",
    [
        DROP,
        "1; delete from rest_hostile_items",
        "'||pg_sleep(5)||'",
        "\\'; --",
        "😀 مرحبا",
        "%_*",
        '"quoted"',
        "(a,b)",
        "$$; drop table x; $$",
    ],
)
def test_hostile_filter_values_are_only_values(client, value: str) -> None:
    assert client.table(ITEMS).select("id").eq("name", value).execute().data == (
        [{"id": 2}] if value == DROP else []
    )
    assert client.table(ITEMS).select("id").in_("name", [value, "one"]).execute().data == [
        {"id": 1}
    ] + ([{"id": 2}] if value == DROP else [])
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    assert client.table(ITEMS).select("id").or_(f"name.eq.{quoted}").execute().data == (
        [{"id": 2}] if value == DROP else []
    )


def test_hostile_like_pattern_matches_as_a_pattern(client) -> None:
    assert client.table(ITEMS).select("id").like("name", "x'); drop%").execute().data == [{"id": 2}]


@pytest.mark.parametrize(
    "table",
    [DROP_IDENT, f"{ITEMS}; drop table {CANARY}", "items/../x", "ünïcødé", "pg_catalog.pg_authid"],
)
def test_hostile_table_names_are_unknown_tables(client, table: str) -> None:
    with pytest.raises(APIError) as caught:
        client.table(table).select("*").execute()
    assert caught.value.code in ("PGRST205", "PGRST125")


def test_hostile_column_names_are_unknown_columns(client) -> None:
    with pytest.raises(APIError) as caught:
        client.table(ITEMS).select("id").eq(DROP_IDENT, 1).execute()
    assert caught.value.code == "42703"
    with pytest.raises(APIError) as caught:
        client.table(ITEMS).select(f'id,"{DROP_IDENT}"').execute()
    assert caught.value.code in ("42703", "PGRST100")
    with pytest.raises(APIError) as caught:
        client.table(ITEMS).select("id").order(DROP_IDENT).execute()
    assert caught.value.code in ("42703", "PGRST100")


@pytest.mark.parametrize(
    "select", [f"id::text);drop table {CANARY};--", "id::int$$", "id,name::text[]'", "id->>'x'"]
)
def test_hostile_casts_and_paths_are_parse_errors(client, select: str) -> None:
    with pytest.raises(APIError) as caught:
        client.table(ITEMS).select(select).execute()
    assert caught.value.code == "PGRST100"


def test_hostile_body_keys_and_conflict_targets(client) -> None:
    with pytest.raises(APIError) as caught:
        client.table(ITEMS).insert({"id": 3, DROP_IDENT: 1}).execute()
    assert caught.value.code == "PGRST204"
    with pytest.raises(APIError) as caught:
        client.table(ITEMS).upsert(
            {"id": 1, "name": "x"}, on_conflict=f"id); drop table {CANARY}; --"
        ).execute()
    assert caught.value.code == "PGRST100"
    with pytest.raises(APIError) as caught:
        client.table(ITEMS).update({DROP_IDENT: "x"}).eq("id", 1).execute()
    assert caught.value.code == "PGRST204"


def test_hostile_values_in_bodies_are_stored_verbatim(stack, client) -> None:
    created = client.table(ITEMS).insert({"id": 3, "name": DROP + "\\ ' \""}).execute().data
    assert created[0]["name"] == DROP + "\\ ' \""
    client.table(ITEMS).delete().eq("id", 3).execute()


def test_hostile_function_names_are_unknown_functions(client) -> None:
    with pytest.raises(APIError) as caught:
        client.rpc(DROP_IDENT, {"a": DROP}).execute()
    assert caught.value.code == "PGRST202"


def test_nul_bytes_are_refused_cleanly(stack, client) -> None:
    with pytest.raises(APIError) as caught:
        client.table(ITEMS).select("id").eq("name", "a\x00b").execute()
    assert (caught.value.code, caught.value.message) == (
        "22021",
        'invalid byte sequence for encoding "UTF8": 0x00',
    )
    response = httpx.get(
        f"{stack.url}/rest/v1/no_such%00{ITEMS}?select=id",
        headers={"apikey": stack.service_key, "Authorization": f"Bearer {stack.service_key}"},
    )
    assert (response.status_code, response.json()["code"]) == (404, "PGRST205")
