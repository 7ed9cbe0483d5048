"""Connection pools to the stack's PostgreSQL and the per-request transaction.

Every API request runs in one transaction on an `authenticator` connection that switched to the
role named by the verified JWT and published the claims, exactly as PostgREST and storage-api do,
so grants and RLS policies decide what a request may see or change (never Python code).

Rolling back on purpose: raise `Rollback` inside `transaction(...)`. It is swallowed after the
ROLLBACK, so a handler that produced an error response can discard its writes without turning
the error response into a crash:

    with db.transaction(claims, read_only=False) as conn:
        response = handler(request, conn, role)
        if response.status >= 400:
            raise Rollback
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import psycopg
from psycopg_pool import ConnectionPool

# What PostgREST sets (db-extra-search-path on Supabase is "public, extensions").
SEARCH_PATH = '"public", "extensions"'


class Rollback(Exception):
    """Raised inside `Database.transaction` to roll back quietly (see module docstring)."""


class Database:
    """Two pools: `authenticator` for request transactions, the superuser for stack internals."""

    def __init__(
        self, request_conninfo: str, admin_conninfo: str, *, min_size: int = 4, max_size: int = 16
    ) -> None:
        self._requests = ConnectionPool(
            request_conninfo,
            min_size=min_size,
            max_size=max_size,
            kwargs={"autocommit": True},
            open=True,
            name="stack-requests",
        )
        self._admin = ConnectionPool(
            admin_conninfo,
            min_size=1,
            max_size=8,
            kwargs={"autocommit": True},
            open=True,
            name="stack-admin",
        )
        self._requests.wait(timeout=30)
        self._admin.wait(timeout=30)

    @contextmanager
    def transaction(
        self,
        claims: Mapping[str, object] | None,
        *,
        read_only: bool,
        settings: Mapping[str, str] | None = None,
    ) -> Iterator[psycopg.Connection]:
        """BEGIN [READ ONLY], become the JWT role, publish the claims; commit on normal exit.

        `claims` is the verified JWT payload (None for a request without a token: role anon).
        `settings` adds more transaction-local GUCs (e.g. storage.operation). An exception rolls
        back and propagates, except `Rollback`, which only rolls back.
        """
        published = dict(claims or {})
        role = str(published.get("role") or "anon")
        published["role"] = role
        gucs: dict[str, str] = {
            "search_path": SEARCH_PATH,
            "role": role,
            "request.jwt.claims": json.dumps(published, separators=(",", ":")),
            # Legacy per-claim GUCs: Supabase's auth.uid()/auth.role() still read them first.
            "request.jwt.claim.sub": str(published.get("sub") or ""),
            "request.jwt.claim.role": role,
            "request.jwt.claim.email": str(published.get("email") or ""),
        }
        gucs.update(settings or {})
        with self._requests.connection() as conn:
            conn.execute("BEGIN READ ONLY" if read_only else "BEGIN")
            try:
                _set_local(conn, gucs)
                yield conn
            except Rollback:
                conn.execute("ROLLBACK")
                return
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def admin(self) -> Iterator[psycopg.Connection]:
        """An autocommit superuser connection for the stack's own bookkeeping (auth, buckets).

        Use `with conn.transaction():` for multi-statement atomicity. Never run user-controlled
        access decisions here: those belong in `transaction()` where RLS applies.
        """
        with self._admin.connection() as conn:
            yield conn

    def close(self) -> None:
        self._requests.close()
        self._admin.close()


def _set_local(conn: psycopg.Connection, gucs: Mapping[str, str]) -> None:
    """One round trip setting every GUC transaction-locally (`set_config(..., true)`)."""
    calls = ", ".join("set_config(%s, %s, true)" for _ in gucs)
    params: list[str] = []
    for name, value in gucs.items():
        params.extend((name, value))
    conn.execute(f"select {calls}", params)
