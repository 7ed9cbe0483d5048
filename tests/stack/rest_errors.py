"""PostgREST's error bodies and the SQLSTATE -> HTTP status table (`Error.hs: mapSQLtoHTTP`).

supabase-py turns a non-2xx answer into `APIError(code, message, details, hint)`, so the body
shape and status must match PostgREST's for the client to raise what it raises on Supabase.
"""

from __future__ import annotations

import json

import psycopg

from tests.stack.http import Response

# Exact SQLSTATEs first, then two-character classes, as PostgREST orders its cases.
_EXACT_STATUS = {
    "23503": 409,
    "23505": 409,
    "25006": 405,
    "53400": 500,
    "57P01": 503,
    "P0001": 400,
    "42883": 404,
    "42P01": 404,
    "42P17": 500,
}
_CLASS_STATUS = {
    "08": 503,
    "09": 500,
    "0L": 403,
    "0P": 403,
    "25": 500,
    "28": 403,
    "2D": 500,
    "38": 500,
    "39": 500,
    "3B": 500,
    "40": 500,
    "53": 503,
    "54": 500,
    "55": 500,
    "57": 500,
    "58": 500,
    "F0": 500,
    "HV": 500,
    "P0": 500,
    "XX": 500,
}


def pg_status(sqlstate: str, message: str, authenticated: bool) -> int:
    """The HTTP status PostgREST answers for a PostgreSQL error."""
    if sqlstate == "42501":
        return 403 if authenticated else 401
    if sqlstate == "21000":
        return 400 if message.endswith("requires a WHERE clause") else 500
    if sqlstate == "22023":
        return 401 if message.startswith("role") and message.endswith("does not exist") else 400
    if sqlstate.startswith("PT") and sqlstate[2:].isdigit():
        return int(sqlstate[2:])
    if sqlstate in _EXACT_STATUS:
        return _EXACT_STATUS[sqlstate]
    return _CLASS_STATUS.get(sqlstate[:2], 400)


def error_response(
    status: int,
    code: str,
    message: str,
    details: str | None = None,
    hint: str | None = None,
    headers: list[tuple[str, str]] | None = None,
) -> Response:
    """`{"code","details","hint","message"}` with `Proxy-Status` as PostgREST v13 sends it."""
    body = {"code": code, "details": details, "hint": hint, "message": message}
    all_headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Proxy-Status", f"PostgREST; error={code}"),
    ]
    if status == 401:
        all_headers.append(("WWW-Authenticate", "Bearer"))
    all_headers.extend(headers or [])
    return Response(
        status, all_headers, json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    )


def pg_error_response(error: psycopg.Error, *, authenticated: bool) -> Response:
    """A database error as PostgREST forwards it; a lost connection as its PGRST001."""
    if error.sqlstate is None:
        return error_response(
            503, "PGRST001", "Database client error. Retrying the connection.", str(error)
        )
    diag = error.diag
    message = diag.message_primary or str(error)
    return error_response(
        pg_status(error.sqlstate, message, authenticated),
        error.sqlstate,
        message,
        diag.message_detail,
        diag.message_hint,
    )
