"""The JSON GoTrue answers with: users, identities, sessions, access-token claims, errors.

Shapes follow GoTrue's models (docs: supabase-wire.md §2.3–2.5); the client's pydantic models
reject a missing required field or a Postgres-style `+00` timestamp, so every timestamp goes
through `iso()`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tests.stack.http import Response
from tests.stack.tokens import mint

API_VERSION = "2024-01-01"
Row = dict[str, Any]


@dataclass
class AuthSettings:
    """GoTrue knobs tests may flip at run time (mutate the stack's instance)."""

    autoconfirm: bool = True
    jwt_expiry: int = 3600
    refresh_token_reuse_interval: float = 10.0
    minimum_password_length: int = 6


class AuthError(Exception):
    """An error GoTrue would answer with; rendered by `error_response`."""

    def __init__(self, status: int, code: str, message: str, **extra: object) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def error_response(error: AuthError, api_version: str | None) -> Response:
    """The 2024-01-01 body when the client asked for it, GoTrue's legacy body otherwise."""
    if api_version:
        body: dict[str, object] = {"code": error.code, "message": error.message, **error.extra}
    else:
        body = {"code": error.status, "error_code": error.code, "msg": error.message, **error.extra}
    return Response.json(
        error.status,
        body,
        [("X-Supabase-Api-Version", API_VERSION), ("x-sb-error-code", error.code)],
    )


def identity_json(row: Row) -> dict[str, object]:
    data = row["identity_data"] or {}
    return _without_nulls(
        {
            "identity_id": str(row["id"]),
            "id": row["provider_id"],
            "user_id": str(row["user_id"]),
            "identity_data": data,
            "provider": row["provider"],
            "last_sign_in_at": iso(row["last_sign_in_at"]),
            "created_at": iso(row["created_at"]),
            "updated_at": iso(row["updated_at"]),
            "email": row["email"],
        }
    )


def user_json(row: Row, identities: list[Row]) -> dict[str, object]:
    return {
        **_without_nulls(
            {
                "id": str(row["id"]),
                "aud": row["aud"] or "",
                "role": row["role"] or "",
                "email": row["email"] or "",
                "email_confirmed_at": iso(row["email_confirmed_at"]),
                "phone": row["phone"] or "",
                "confirmed_at": iso(row["confirmed_at"]),
                "confirmation_sent_at": iso(row["confirmation_sent_at"]),
                "last_sign_in_at": iso(row["last_sign_in_at"]),
                "banned_until": iso(row["banned_until"]),
            }
        ),
        "app_metadata": row["raw_app_meta_data"] or {},
        "user_metadata": row["raw_user_meta_data"] or {},
        "identities": [identity_json(identity) for identity in identities],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "is_anonymous": bool(row["is_anonymous"]),
    }


def access_token(
    secret: str,
    issuer: str,
    user: Row,
    session_id: str,
    expiry: int,
) -> tuple[str, int]:
    """GoTrue's access token (HS256) and its `exp`."""
    issued = int(time.time())
    expires = issued + expiry
    claims = {
        "iss": issuer,
        "sub": str(user["id"]),
        "aud": user["aud"] or "authenticated",
        "exp": expires,
        "iat": issued,
        "email": user["email"] or "",
        "phone": user["phone"] or "",
        "app_metadata": user["raw_app_meta_data"] or {},
        "user_metadata": user["raw_user_meta_data"] or {},
        "role": user["role"] or "authenticated",
        "aal": "aal1",
        "amr": [{"method": "password", "timestamp": issued}],
        "session_id": session_id,
        "is_anonymous": bool(user["is_anonymous"]),
    }
    return mint(secret, claims), expires


def session_json(
    token: str, expires_at: int, expiry: int, refresh_token: str, user: dict[str, object]
) -> dict[str, object]:
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": expiry,
        "expires_at": expires_at,
        "refresh_token": refresh_token,
        "user": user,
        "weak_password": None,
    }


def _without_nulls(fields: dict[str, object]) -> dict[str, object]:
    """GoTrue omits optional timestamps that are null (Go `omitempty`)."""
    return {key: value for key, value in fields.items() if value is not None}
