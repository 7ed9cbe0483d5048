"""SQL on the GoTrue tables (auth.users, identities, sessions, refresh_tokens).

Runs on the stack's superuser connection, as GoTrue runs as supabase_auth_admin: these rows are
platform state, not data a request role may touch directly.
"""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import bcrypt
import psycopg
from psycopg.rows import dict_row

Row = dict[str, Any]

# GoTrue uses Go's bcrypt.DefaultCost (10) and the $2a$ prefix, which pgcrypto's crypt() also
# understands ($2b$ it does not), so hashes made here and in SQL seeds are interchangeable.
BCRYPT_COST = 10
BCRYPT_PREFIX = b"2a"


def now() -> datetime:
    return datetime.now(UTC)


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(BCRYPT_COST, BCRYPT_PREFIX)).decode()


def password_matches(password: str, encrypted: str | None) -> bool:
    if not encrypted:
        return False
    try:
        return bcrypt.checkpw(password.encode(), encrypted.encode())
    except ValueError:
        return False


def _one(conn: psycopg.Connection, query: str, params: tuple = ()) -> Row | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query, params)
        return cur.fetchone()


def _all(conn: psycopg.Connection, query: str, params: tuple = ()) -> list[Row]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query, params)
        return cur.fetchall()


# -- users ----------------------------------------------------------------------------------


def user_by_email(conn: psycopg.Connection, email: str) -> Row | None:
    return _one(conn, "select * from auth.users where email = %s and not is_sso_user", (email,))


def user_by_id(conn: psycopg.Connection, user_id: str) -> Row | None:
    return _one(conn, "select * from auth.users where id = %s", (user_id,))


def identities_of(conn: psycopg.Connection, user_id: str) -> list[Row]:
    return _all(
        conn, "select * from auth.identities where user_id = %s order by created_at", (user_id,)
    )


def create_user(
    conn: psycopg.Connection,
    *,
    email: str,
    encrypted_password: str,
    confirmed: bool,
    user_metadata: dict,
    app_metadata: dict,
    role: str = "authenticated",
    user_id: str | None = None,
    banned_until: datetime | None = None,
) -> Row:
    """Insert the user and its email identity, as GoTrue's signup and admin create do.

    `encrypted_password` is a bcrypt hash ("" for none): callers hash before taking a
    connection, so slow hashing never holds a pooled connection.
    """
    new_id = user_id or str(uuid.uuid4())
    at = now()
    identity_data = {
        "email": email,
        "email_verified": confirmed,
        "phone_verified": False,
        "sub": new_id,
    }
    meta = {**identity_data, **user_metadata}
    app = {"provider": "email", "providers": ["email"], **app_metadata}
    with conn.transaction():
        row = _one(
            conn,
            """insert into auth.users (instance_id, id, aud, role, email, encrypted_password,
                   email_confirmed_at, confirmation_sent_at, raw_app_meta_data, raw_user_meta_data,
                   is_super_admin, created_at, updated_at, banned_until)
               values ('00000000-0000-0000-0000-000000000000', %s, 'authenticated', %s, %s, %s,
                   %s, %s, %s, %s, false, %s, %s, %s)
               returning *""",
            (
                new_id,
                role,
                email,
                encrypted_password,
                at if confirmed else None,
                None if confirmed else at,
                json.dumps(app),
                json.dumps(meta),
                at,
                at,
                banned_until,
            ),
        )
        conn.execute(
            """insert into auth.identities (provider_id, user_id, identity_data, provider,
                   created_at, updated_at)
               values (%s, %s, %s, 'email', %s, %s)""",
            (new_id, new_id, json.dumps(identity_data), at, at),
        )
    assert row is not None
    return row


def update_user(conn: psycopg.Connection, user_id: str, changes: dict[str, Any]) -> Row | None:
    """Set the given auth.users columns (names come from this package, never from requests)."""
    changes = {**changes, "updated_at": now()}
    assignments = ", ".join(f"{column} = %s" for column in changes)
    values = [json.dumps(v) if isinstance(v, dict) else v for v in changes.values()]
    row = _one(
        conn, f"update auth.users set {assignments} where id = %s returning *", (*values, user_id)
    )
    if row is not None and "email" in changes:
        conn.execute(
            """update auth.identities
               set identity_data = identity_data || jsonb_build_object('email', %s::text),
                   updated_at = now()
               where user_id = %s and provider = 'email'""",
            (changes["email"], user_id),
        )
    return row


def list_users(conn: psycopg.Connection, page: int, per_page: int) -> tuple[list[Row], int]:
    rows = _all(
        conn,
        "select * from auth.users order by created_at, id limit %s offset %s",
        (per_page, (page - 1) * per_page),
    )
    total = _one(conn, "select count(*) as n from auth.users")
    return rows, int(total["n"]) if total else 0


def delete_user(conn: psycopg.Connection, user_id: str) -> bool:
    return conn.execute("delete from auth.users where id = %s", (user_id,)).rowcount > 0


def record_sign_in(conn: psycopg.Connection, user_id: str) -> Row | None:
    at = now()
    conn.execute(
        "update auth.identities set last_sign_in_at = %s where user_id = %s", (at, user_id)
    )
    return _one(
        conn, "update auth.users set last_sign_in_at = %s where id = %s returning *", (at, user_id)
    )


# -- sessions and refresh tokens ------------------------------------------------------------


def new_refresh_token() -> str:
    return secrets.token_urlsafe(24)


def create_session(conn: psycopg.Connection, user_id: str) -> tuple[str, str]:
    """A new session with its first refresh token: (session_id, refresh_token)."""
    session_id = str(uuid.uuid4())
    token = new_refresh_token()
    at = now()
    with conn.transaction():
        conn.execute(
            "insert into auth.sessions (id, user_id, created_at, updated_at) values (%s,%s,%s,%s)",
            (session_id, user_id, at, at),
        )
        _insert_refresh_token(conn, user_id, session_id, token, parent=None)
    return session_id, token


def _insert_refresh_token(
    conn: psycopg.Connection, user_id: str, session_id: str, token: str, parent: str | None
) -> None:
    at = now()
    conn.execute(
        """insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at,
               updated_at, parent, session_id)
           values ('00000000-0000-0000-0000-000000000000', %s, %s, false, %s, %s, %s, %s)""",
        (token, user_id, at, at, parent, session_id),
    )


def lock_refresh_token(conn: psycopg.Connection, token: str) -> Row | None:
    """The token row, locked for the rest of the transaction (concurrent refreshes serialise)."""
    return _one(conn, "select * from auth.refresh_tokens where token = %s for update", (token,))


def active_child(conn: psycopg.Connection, token: str) -> Row | None:
    return _one(
        conn,
        "select * from auth.refresh_tokens where parent = %s and not revoked "
        "order by id desc limit 1",
        (token,),
    )


def rotate(conn: psycopg.Connection, row: Row) -> str:
    """Revoke `row` and issue its child; returns the new token."""
    token = new_refresh_token()
    conn.execute(
        "update auth.refresh_tokens set revoked = true, updated_at = now() where id = %s",
        (row["id"],),
    )
    _insert_refresh_token(conn, row["user_id"], str(row["session_id"]), token, parent=row["token"])
    conn.execute(
        "update auth.sessions set refreshed_at = now() at time zone 'utc', "
        "updated_at = now() where id = %s",
        (row["session_id"],),
    )
    return token


def revoke_family(conn: psycopg.Connection, session_id: str) -> None:
    """Reuse detected: every token of the session becomes unusable."""
    conn.execute(
        "update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = %s",
        (session_id,),
    )


def session_exists(conn: psycopg.Connection, session_id: str) -> bool:
    return _one(conn, "select 1 as ok from auth.sessions where id = %s", (session_id,)) is not None


def delete_sessions(
    conn: psycopg.Connection, user_id: str, *, only: str | None = None, keep: str | None = None
) -> None:
    """Logout: all sessions of the user, only one (`only`), or all but one (`keep`)."""
    if only is not None:
        conn.execute("delete from auth.sessions where user_id = %s and id = %s", (user_id, only))
    elif keep is not None:
        conn.execute("delete from auth.sessions where user_id = %s and id <> %s", (user_id, keep))
    else:
        conn.execute("delete from auth.sessions where user_id = %s", (user_id,))


def within(moment: datetime, seconds: float) -> bool:
    """True when `moment` is less than `seconds` ago."""
    return now() - moment < timedelta(seconds=seconds)
