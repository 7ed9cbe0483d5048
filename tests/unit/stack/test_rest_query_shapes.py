"""Pure pieces of the REST answer: ranges, status mapping, and the SQL text the builder emits."""

from __future__ import annotations

import pytest

from tests.stack.rest import content_range, range_status
from tests.stack.rest_catalog import Column, Table
from tests.stack.rest_errors import pg_status
from tests.stack.rest_query import Accept, QueryError, parse_query
from tests.stack.rest_sql import Returning, build_insert, build_read

TABLE = Table(
    schema="public",
    name='we"ird',
    is_table=True,
    columns=(Column("id", None, False), Column("title", "'draft'::text", False)),
    primary_key=("id",),
)


@pytest.mark.parametrize(
    ("lower", "rows", "total", "status", "header"),
    [
        (0, 10, None, 200, "0-9/*"),
        (0, 0, None, 200, "*/*"),
        (0, 10, 10, 200, "0-9/10"),
        (0, 10, 42, 206, "0-9/42"),
        (40, 2, 42, 206, "40-41/42"),
        (0, 0, 0, 200, "*/0"),
        (42, 0, 42, 206, "*/42"),
        (43, 0, 42, 416, "*/42"),
    ],
)
def test_range_status_and_content_range(
    lower: int, rows: int, total: int | None, status: int, header: str
) -> None:
    upper = lower + rows - 1
    assert range_status(lower, upper, total) == status
    assert content_range(lower, upper, total) == header


@pytest.mark.parametrize(
    ("sqlstate", "authenticated", "status"),
    [
        ("23505", True, 409),
        ("23503", True, 409),
        ("23502", True, 400),
        ("23514", True, 400),
        ("22P02", True, 400),
        ("22007", True, 400),
        ("22008", True, 400),
        ("42703", True, 400),
        ("42501", False, 401),
        ("42501", True, 403),
        ("42P01", True, 404),
        ("42883", True, 404),
        ("25006", True, 405),
        ("P0001", True, 400),
        ("PT418", True, 418),
        ("57014", True, 500),
        ("08006", True, 503),
        ("XX000", True, 500),
    ],
)
def test_postgres_errors_map_to_postgrest_statuses(
    sqlstate: str, authenticated: bool, status: int
) -> None:
    assert pg_status(sqlstate, "some message", authenticated) == status


def test_read_sql_quotes_identifiers_and_binds_values() -> None:
    hostile = "1'); drop table posts; --"
    query = parse_query(
        [("select", 'id,"x\\")"'), ('"a\\"b"', "eq." + hostile), ("order", "id.desc")]
    )
    statement = build_read(
        TABLE, query.select, query.conditions, query.order, 10, 0, count=True, accept=Accept()
    )
    text = statement.query.as_string(None)
    assert '"public"."we""ird"."x"")"' in text
    assert '"public"."we""ird"."a""b" = %(p0)s' in text
    assert hostile not in text
    assert hostile in statement.params.values()


def test_insert_sql_uses_catalog_defaults_only_under_missing_default() -> None:
    returning = Returning(None, Accept())
    plain = build_insert(
        TABLE,
        '{"id":1}',
        ("id", "title"),
        returning,
        resolution=None,
        conflict_columns=("id",),
        apply_defaults=False,
    )
    with_defaults = build_insert(
        TABLE,
        '{"id":1}',
        ("id", "title"),
        returning,
        resolution=None,
        conflict_columns=("id",),
        apply_defaults=True,
    )
    assert "'draft'::text" not in plain.query.as_string(None)
    assert "'draft'::text" in with_defaults.query.as_string(None)


def test_upsert_sql_sets_only_the_given_columns() -> None:
    statement = build_insert(
        TABLE,
        "[]",
        ("id",),
        Returning(None, Accept()),
        resolution="merge-duplicates",
        conflict_columns=("id",),
        apply_defaults=False,
    )
    text = statement.query.as_string(None)
    assert 'ON CONFLICT ("id") DO UPDATE SET "id" = EXCLUDED."id" RETURNING' in text
    assert '"title" = EXCLUDED' not in text


def test_nul_bytes_in_values_are_refused_like_postgres_does() -> None:
    query = parse_query([("id", "eq.a\x00b")])
    with pytest.raises(QueryError) as caught:
        build_read(TABLE, query.select, query.conditions, (), None, 0, count=False, accept=Accept())
    assert (caught.value.status, caught.value.code) == (400, "22021")
