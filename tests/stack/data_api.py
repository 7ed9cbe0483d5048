"""The Data API: `/rest/v1` runs `tests.stack.rest.handle` inside a per-request transaction.

PostgREST's own pre-query steps live here: JWT errors (401 PGRST301/PGRST303 with
WWW-Authenticate), READ ONLY for GET/HEAD, role and claims, rollback of any error response.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import psycopg

from tests.stack import rest
from tests.stack.db import Database, Rollback
from tests.stack.http import Request, Response
from tests.stack.tokens import Credentials


class RestService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def handle(self, request: Request, creds: Credentials) -> Response:
        if creds.error is not None:
            return _jwt_error(creds.error.message, expired=creds.error.expired)
        read_only = request.method in ("GET", "HEAD")
        try:
            with self.db.transaction(
                creds.claims, read_only=read_only, settings=_request_settings(request)
            ) as conn:
                response = rest.handle(request, conn, creds.role)
                if response.status >= 400:
                    raise Rollback
        except psycopg.Error as error:  # role switch failed, or COMMIT failed
            diag = error.diag
            return Response.json(
                400 if error.sqlstate == "22023" else 500,
                {
                    "code": error.sqlstate,
                    "details": diag.message_detail,
                    "hint": diag.message_hint,
                    "message": diag.message_primary or str(error),
                },
            )
        return response


def _request_settings(request: Request) -> dict[str, str]:
    """The request GUCs PostgREST publishes (policies may read `request.headers`)."""
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        headers.setdefault(name.lower(), value)
    # The raw (percent-encoded) path, as PostgREST publishes it; a decoded NUL could not be stored.
    raw_path = quote(request.path, safe="/:@!$&'()*+,;=-._~")
    return {
        "request.method": request.method,
        "request.path": raw_path,
        "request.headers": json.dumps(headers),
        "request.cookies": "{}",
    }


def reload_schema() -> None:
    """Forget the REST handler's cached catalog (PostgREST's `NOTIFY pgrst, 'reload schema'`)."""
    rest.reload_schema()


def _jwt_error(message: str, *, expired: bool) -> Response:
    code = "PGRST303" if expired else "PGRST301"
    return Response.json(
        401,
        {"code": code, "details": None, "hint": None, "message": message},
        [
            ("WWW-Authenticate", f'Bearer error="invalid_token", error_description="{message}"'),
            ("Proxy-Status", f"PostgREST; error={code}"),
        ],
    )
