"""A helper for tests that drive `/rest/v1`: a uniquely named scratch table per test module.

Modules share one session-wide stack, so each creates (and drops) its own tables instead of
touching the product tables from sql/; the catalog cache picks new tables up immediately.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from psycopg import sql

if TYPE_CHECKING:
    from tests.stack.stack import Stack


@contextmanager
def scratch_table(
    stack: Stack,
    name: str,
    columns_sql: str,
    *,
    grant_to: str = "anon, authenticated, service_role",
) -> Iterator[str]:
    """`create table public.<name> (<columns_sql>)` with grants; dropped afterwards.

    `columns_sql` and `grant_to` are trusted test text; `name` is quoted.
    """
    table = sql.Identifier("public", name)
    drop = sql.SQL("drop table if exists {} cascade").format(table).as_string(None)
    stack.admin_sql(drop)
    stack.admin_sql(
        sql.SQL("create table {} ({})").format(table, sql.SQL(columns_sql)).as_string(None)
    )
    stack.admin_sql(
        sql.SQL("grant select, insert, update, delete on {} to {}")
        .format(table, sql.SQL(grant_to))
        .as_string(None)
    )
    try:
        yield name
    finally:
        stack.admin_sql(drop)
