"""`/storage/v1/bucket…`: bucket CRUD, run as the JWT role so policies on storage.buckets decide."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping

from psycopg.rows import dict_row

from tests.stack.db import Database
from tests.stack.http import Request, Response
from tests.stack.storage_common import (
    StorageError,
    as_user,
    bucket_json,
    bucket_not_found,
    check_bucket_id,
    json_body,
)
from tests.stack.storage_files import ObjectFiles

SIZE = re.compile(r"^\s*(\d+)\s*(B|KB|MB|GB)?\s*$", re.IGNORECASE)
UNITS = {None: 1, "B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
Claims = Mapping[str, object] | None


class BucketRoutes:
    def __init__(self, db: Database, files: ObjectFiles) -> None:
        self.db, self.files = db, files

    def list(self, claims: Claims) -> Response:
        with as_user(self.db, claims, read_only=True, operation="storage.bucket.list") as conn:
            rows = (
                conn.cursor(row_factory=dict_row)
                .execute("select * from storage.buckets order by name")
                .fetchall()
            )
        return Response.json(200, [bucket_json(row) for row in rows])

    def get(self, claims: Claims, bucket_id: str) -> Response:
        with as_user(self.db, claims, read_only=True, operation="storage.bucket.get") as conn:
            row = (
                conn.cursor(row_factory=dict_row)
                .execute("select * from storage.buckets where id = %s", (bucket_id,))
                .fetchone()
            )
        if row is None:
            raise bucket_not_found()
        return Response.json(200, bucket_json(row))

    def create(self, claims: Claims, request: Request) -> Response:
        body = json_body(request)
        bucket_id = check_bucket_id(str(body.get("id") or body.get("name") or ""))
        name = check_bucket_id(str(body.get("name") or bucket_id))
        owner = _uuid_or_none((claims or {}).get("sub"))
        with as_user(self.db, claims, read_only=False, operation="storage.bucket.create") as conn:
            conn.execute(
                """insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit,
                       allowed_mime_types, type) values (%s, %s, %s, %s, %s, %s, %s, %s)""",
                (
                    bucket_id,
                    name,
                    owner,
                    owner,
                    bool(body.get("public")),
                    _size(body.get("file_size_limit")),
                    _mime_types(body.get("allowed_mime_types")),
                    str(body.get("type") or "STANDARD"),
                ),
            )
        return Response.json(200, {"name": bucket_id})

    def update(self, claims: Claims, bucket_id: str, request: Request) -> Response:
        """Only the options present in the body change (storage-api's updateBucket)."""
        body = json_body(request)
        changes: dict[str, object] = {}
        if "public" in body:
            changes["public"] = bool(body["public"])
        if "file_size_limit" in body:
            changes["file_size_limit"] = _size(body["file_size_limit"])
        if "allowed_mime_types" in body:
            changes["allowed_mime_types"] = _mime_types(body["allowed_mime_types"])
        assignments = "".join(f"{column} = %s, " for column in changes)
        with as_user(self.db, claims, read_only=False, operation="storage.bucket.update") as conn:
            updated = conn.execute(
                f"update storage.buckets set {assignments}updated_at = now() where id = %s",
                (*changes.values(), bucket_id),
            ).rowcount
        if not updated:
            raise bucket_not_found()
        return Response.json(200, {"message": "Successfully updated"})

    def empty(self, claims: Claims, bucket_id: str) -> Response:
        with as_user(self.db, claims, read_only=False, operation="storage.bucket.empty") as conn:
            if (
                conn.execute("select 1 from storage.buckets where id = %s", (bucket_id,)).fetchone()
                is None
            ):
                raise bucket_not_found()
            versions = conn.execute(
                "delete from storage.objects where bucket_id = %s returning version", (bucket_id,)
            ).fetchall()
        for (version,) in versions:
            self.files.discard(version)
        return Response.json(200, {"message": "Successfully emptied"})

    def delete(self, claims: Claims, bucket_id: str) -> Response:
        with as_user(self.db, claims, read_only=False, operation="storage.bucket.delete") as conn:
            if conn.execute(
                "select 1 from storage.objects where bucket_id = %s limit 1", (bucket_id,)
            ).fetchone():
                raise StorageError(
                    409, "Bucket not empty", "The bucket you tried to delete is not empty"
                )
            deleted = conn.execute(
                "delete from storage.buckets where id = %s", (bucket_id,)
            ).rowcount
        if not deleted:
            raise bucket_not_found()
        return Response.json(200, {"message": "Successfully deleted"})


def _size(value: object) -> int | None:
    """`file_size_limit` as bytes: an int, or a string like "5MB"."""
    if value in (None, "", 0):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = SIZE.match(str(value))
    if not match:
        raise StorageError(400, "Invalid Input", f"Invalid file_size_limit: {value}")
    return int(match.group(1)) * UNITS[match.group(2).upper() if match.group(2) else None]


def _mime_types(value: object) -> list[str] | None:
    if value in (None, []):
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise StorageError(400, "Invalid Input", "allowed_mime_types must be a list of strings")
    return value


def _uuid_or_none(value: object) -> str | None:
    try:
        return str(uuid.UUID(str(value))) if value else None
    except ValueError:
        return None
