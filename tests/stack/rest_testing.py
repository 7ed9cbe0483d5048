"""Helpers for tests that drive `/rest/v1` with the official client: clients, users, tables.

Each test module creates its own uniquely named tables (and drops them afterwards), so modules
can share one session-wide stack without seeing each other's rows.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from psycopg import sql

if TYPE_CHECKING:
    from supabase import Client

    from tests.stack.stack import Stack


def make_client(stack: Stack, key: str | None = None) -> Client:
    """A supabase-py client with no background refresh and no GET retries (fast failures)."""
    from supabase import ClientOptions, create_client

    options = ClientOptions(auto_refresh_token=False, persist_session=False,
                            postgrest_client_retry=False)
    return create_client(stack.url, key or stack.anon_key, options=options)


def signed_in_client(stack: Stack, email_prefix: str) -> tuple[Client, str]:
    """A new confirmed user (created through the admin API) signed in on a fresh client.

    Returns the client and the user's id.
    """
    email = f"{email_prefix}-{secrets.token_hex(4)}@example.test"
    password = secrets.token_urlsafe(12)
    admin = make_client(stack, stack.service_key)
    admin.auth.admin.create_user({"email": email, "password": password, "email_confirm": True})
    client = make_client(stack)
    session = client.auth.sign_in_with_password({"email": email, "password": password})
    assert session.user is not None
    return client, session.user.id


@contextmanager
def scratch_table(stack: Stack, name: str, columns_sql: str, *,
                  grant_to: str = "anon, authenticated, service_role") -> Iterator[str]:
    """`create table public.<name> (<columns_sql>)` with grants; dropped (and forgotten) after.

    `columns_sql` is trusted test text; `name` is quoted.
    """
    table = sql.Identifier("public", name)
    stack.admin_sql(sql.SQL("drop table if exists {} cascade").format(table).as_string(None))
    stack.admin_sql(sql.SQL("create table {} ({})").format(table, sql.SQL(columns_sql))
                    .as_string(None))
    stack.admin_sql(sql.SQL("grant select, insert, update, delete on {} to {}")
                    .format(table, sql.SQL(grant_to)).as_string(None))
    try:
        yield name
    finally:
        stack.admin_sql(sql.SQL("drop table if exists {} cascade").format(table).as_string(None))
