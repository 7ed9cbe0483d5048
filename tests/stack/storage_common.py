"""What every storage route shares: the error shape, name validation, JSON of rows.

storage-api answers every non-500 error with HTTP 400 and the logical status as a *string* in the
body (`{"statusCode":"404","error":"not_found","message":"Object not found"}`); storage3 reads only
the body (supabase-wire.md §4.5).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg

from tests.stack.db import Database
from tests.stack.http import Request, Response
from tests.stack.tokens import Credentials

Row = dict[str, Any]

# storage-api's isValidBucketName (no slashes, at most 100 characters).
BUCKET_NAME = re.compile(r"^[\w!\-.*'() &$@=;:+,?]{1,100}$", re.ASCII)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class StorageError(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message

    def response(self) -> Response:
        http_status = 500 if self.status >= 500 else 400
        return Response.json(
            http_status,
            {"statusCode": str(self.status), "error": self.error, "message": self.message},
        )


def not_found() -> StorageError:
    return StorageError(404, "not_found", "Object not found")


def bucket_not_found() -> StorageError:
    return StorageError(404, "Bucket not found", "Bucket not found")


def from_database(error: psycopg.Error) -> StorageError:
    """Map what PostgreSQL said to storage-api's error (RLS denial, duplicate, …)."""
    message = error.diag.message_primary or str(error)
    if error.sqlstate == "42501":
        return StorageError(403, "Unauthorized", message)
    if error.sqlstate == "23505":
        return StorageError(409, "Duplicate", "The resource already exists")
    if error.sqlstate == "23503":
        return bucket_not_found()
    if error.sqlstate and error.sqlstate.startswith(("22", "23")):
        return StorageError(400, "InvalidRequest", message)
    return StorageError(500, "internal", message)


def require_credentials(creds: Credentials) -> Mapping[str, object] | None:
    """The verified claims (None = anon); a bad token is storage-api's 403 Unauthorized."""
    if creds.error is not None:
        message = (
            '"exp" claim timestamp check failed'
            if creds.error.expired
            else ("signature verification failed")
        )
        raise StorageError(403, "Unauthorized", message)
    return creds.claims


def json_body(request: Request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise StorageError(400, "Invalid Input", f"Body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise StorageError(400, "Invalid Input", "Body must be a JSON object")
    return body


def check_bucket_id(bucket_id: str) -> str:
    if not BUCKET_NAME.match(bucket_id) or bucket_id in (".", ".."):
        raise StorageError(400, "Invalid Input", "The bucket name contains invalid characters")
    return bucket_id


def check_key(key: str) -> str:
    """Object names: no empty/`.`/`..` segments, no control characters, no leading slash."""
    segments = key.split("/")
    if (
        not key
        or len(key) > 1024
        or CONTROL_CHARACTERS.search(key)
        or any(segment in ("", ".", "..") for segment in segments)
    ):
        raise StorageError(400, "InvalidKey", f"Invalid key: {key}")
    return key


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def bucket_json(row: Row) -> dict[str, object]:
    owner = row["owner_id"] or (str(row["owner"]) if row["owner"] else "")
    return {
        "id": row["id"],
        "name": row["name"],
        "owner": owner,
        "public": bool(row["public"]),
        "type": row["type"],
        "file_size_limit": row["file_size_limit"],
        "allowed_mime_types": row["allowed_mime_types"],
        "avif_autodetection": bool(row["avif_autodetection"]),
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
    }


def object_json(row: Row) -> dict[str, object]:
    """An object row as remove/list return it (timestamps ISO, ids as strings)."""
    return {
        key: (
            iso(value)
            if isinstance(value, datetime)
            else str(value)
            if key in ("id", "owner") and value is not None
            else value
        )
        for key, value in row.items()
        if key != "path_tokens"
    }


@contextmanager
def as_user(
    db: Database, claims: Mapping[str, object] | None, *, read_only: bool, operation: str
) -> Iterator[psycopg.Connection]:
    """A request transaction with storage-api's extra GUCs; database errors become StorageError."""
    settings = {"storage.operation": operation, "storage.allow_delete_query": "true"}
    try:
        with db.transaction(claims, read_only=read_only, settings=settings) as conn:
            yield conn
    except psycopg.Error as error:
        raise from_database(error) from error
