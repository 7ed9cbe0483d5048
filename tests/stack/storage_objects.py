"""`/storage/v1/object…`: upload, download, info, list, remove, sign, move, copy.

Every permission question is a statement on storage.objects run as the JWT role (storage-api's
model, supabase-wire.md §4.6); only public/signed reads and bucket limits use the superuser.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote

import psycopg
from psycopg.rows import dict_row

from tests.stack.db import Database
from tests.stack.http import Request, Response
from tests.stack.multipart import MultipartError, boundary_of, parse_form
from tests.stack.storage_common import (
    StorageError,
    as_user,
    bucket_not_found,
    check_key,
    iso,
    json_body,
    not_found,
    object_json,
)
from tests.stack.storage_files import ObjectFiles
from tests.stack.tokens import TokenError, mint, verify

Claims = Mapping[str, object] | None
LIST_COLUMNS = ("name", "updated_at", "created_at", "last_accessed_at")


class ObjectRoutes:
    def __init__(self, db: Database, files: ObjectFiles, jwt_secret: str) -> None:
        self.db, self.files, self.secret = db, files, jwt_secret

    # -- writes ------------------------------------------------------------------------------

    def upload(
        self, claims: Claims, request: Request, bucket_id: str, key: str, *, upsert: bool
    ) -> Response:
        check_key(key)
        data, mimetype, cache_control, user_metadata = _upload_payload(request)
        self._check_bucket_limits(bucket_id, len(data), mimetype)
        version = self.files.new_version()
        metadata = _metadata(data, mimetype, cache_control)
        owner = _sub(claims)
        statement = """
            with previous as (select version from storage.objects
                              where bucket_id = %(bucket)s and name = %(name)s)
            insert into storage.objects (bucket_id, name, owner, owner_id, metadata,
                                         user_metadata, version)
            values (%(bucket)s, %(name)s, %(owner)s::uuid, %(owner)s::text, %(metadata)s,
                    %(user_metadata)s,
                    %(version)s)
            {conflict}
            returning id, (select version from previous) as previous_version"""
        conflict = (
            (
                "on conflict (bucket_id, name) do update set owner = excluded.owner, "
                "owner_id = excluded.owner_id, metadata = excluded.metadata, "
                "user_metadata = excluded.user_metadata, version = excluded.version, "
                "last_accessed_at = now()"
            )
            if upsert
            else ""
        )
        params = {
            "bucket": bucket_id,
            "name": key,
            "owner": owner,
            "metadata": json.dumps(metadata),
            "user_metadata": json.dumps(user_metadata) if user_metadata is not None else None,
            "version": version,
        }
        self.files.stage(version, data)
        try:
            with as_user(
                self.db, claims, read_only=False, operation="storage.object.upload"
            ) as conn:
                object_id, previous = conn.execute(
                    statement.format(conflict=conflict), params
                ).fetchone()
                self.files.promote(version)
        except BaseException:
            self.files.discard(version)
            raise
        if previous and previous != version:
            self.files.discard(previous)
        return Response.json(200, {"Id": str(object_id), "Key": f"{bucket_id}/{key}"})

    def remove(self, claims: Claims, request: Request, bucket_id: str) -> Response:
        prefixes = json_body(request).get("prefixes")
        if not isinstance(prefixes, list) or not all(isinstance(p, str) for p in prefixes):
            raise StorageError(400, "Invalid Input", "prefixes must be a list of strings")
        if len(prefixes) > 1000:
            raise StorageError(400, "Invalid Input", "at most 1000 prefixes per request")
        with as_user(self.db, claims, read_only=False, operation="storage.object.delete") as conn:
            rows = (
                conn.cursor(row_factory=dict_row)
                .execute(
                    "delete from storage.objects where bucket_id = %s and name = any(%s) returning *",
                    (bucket_id, prefixes),
                )
                .fetchall()
            )
        for row in rows:
            self.files.discard(row["version"])
        return Response.json(200, [object_json(row) for row in rows])

    def move(self, claims: Claims, request: Request) -> Response:
        body = json_body(request)
        bucket_id = str(body.get("bucketId") or "")
        source = check_key(str(body.get("sourceKey") or ""))
        destination = check_key(str(body.get("destinationKey") or ""))
        target_bucket = str(body.get("destinationBucket") or bucket_id)
        with as_user(self.db, claims, read_only=False, operation="storage.object.move") as conn:
            row = conn.execute(
                """update storage.objects set bucket_id = %s, name = %s,
                       last_accessed_at = now() where bucket_id = %s and name = %s returning id""",
                (target_bucket, destination, bucket_id, source),
            ).fetchone()
            if row is None:
                raise not_found()
        return Response.json(
            200,
            {
                "message": "Successfully moved",
                "Id": str(row[0]),
                "Key": f"{target_bucket}/{destination}",
            },
        )

    def copy(self, claims: Claims, request: Request) -> Response:
        body = json_body(request)
        bucket_id = str(body.get("bucketId") or "")
        source = check_key(str(body.get("sourceKey") or ""))
        destination = check_key(str(body.get("destinationKey") or ""))
        target_bucket = str(body.get("destinationBucket") or bucket_id)
        version = self.files.new_version()
        staged = False
        try:
            with as_user(self.db, claims, read_only=False, operation="storage.object.copy") as conn:
                found = conn.execute(
                    "select version, metadata, user_metadata from storage.objects "
                    "where bucket_id = %s and name = %s",
                    (bucket_id, source),
                ).fetchone()
                if found is None:
                    raise not_found()
                self.files.stage_copy(found[0], version)
                staged = True
                (object_id,) = conn.execute(
                    """insert into storage.objects (bucket_id, name, owner, owner_id, metadata,
                           user_metadata, version) values (%s, %s, %s, %s, %s, %s, %s)
                       returning id""",
                    (
                        target_bucket,
                        destination,
                        _sub(claims),
                        _sub(claims),
                        json.dumps(found[1]),
                        json.dumps(found[2]) if found[2] else None,
                        version,
                    ),
                ).fetchone()
                self.files.promote(version)
        except BaseException:
            if staged:
                self.files.discard(version)
            raise
        return Response.json(200, {"Id": str(object_id), "Key": f"{target_bucket}/{destination}"})

    # -- reads -------------------------------------------------------------------------------

    def download(self, claims: Claims, request: Request, bucket_id: str, key: str) -> Response:
        with as_user(self.db, claims, read_only=True, operation="storage.object.get") as conn:
            row = _find(conn, bucket_id, key)
        return self._bytes(row, request)

    def download_public(self, request: Request, bucket_id: str, key: str) -> Response:
        """No auth and no RLS, but only from a public bucket."""
        with self.db.admin() as conn:
            public = conn.execute(
                "select public from storage.buckets where id = %s", (bucket_id,)
            ).fetchone()
            if not public or not public[0]:
                raise bucket_not_found()
            row = _find(conn, bucket_id, key)
        return self._bytes(row, request)

    def download_signed(self, request: Request, bucket_id: str, key: str) -> Response:
        token = request.query_value("token") or ""
        try:
            claims = verify(self.secret, token)
        except TokenError as error:
            raise StorageError(
                400, "InvalidJWT", "jwt expired" if error.expired else "invalid signature"
            ) from error
        if claims.get("url") != f"{bucket_id}/{key}":
            raise StorageError(400, "InvalidSignature", "The url do not match the signature")
        with self.db.admin() as conn:
            row = _find(conn, bucket_id, key)
        return self._bytes(row, request)

    def info(self, claims: Claims, bucket_id: str, key: str) -> Response:
        with as_user(self.db, claims, read_only=True, operation="storage.object.info") as conn:
            row = _find(conn, bucket_id, key)
        metadata = row["metadata"] or {}
        return Response.json(
            200,
            {
                "id": str(row["id"]),
                "name": row["name"],
                "version": row["version"],
                "bucket_id": row["bucket_id"],
                "size": metadata.get("size"),
                "content_type": metadata.get("mimetype"),
                "cache_control": metadata.get("cacheControl"),
                "etag": metadata.get("eTag"),
                "metadata": row["user_metadata"],
                "last_modified": iso(row["updated_at"]),
                "created_at": iso(row["created_at"]),
            },
        )

    def list(self, claims: Claims, request: Request, bucket_id: str) -> Response:
        body = json_body(request)
        prefix = str(body.get("prefix") or "")
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        search = str(body.get("search") or "").lower()
        limit = _int(body.get("limit"), 100)
        offset = _int(body.get("offset"), 0)
        sort = body.get("sortBy") if isinstance(body.get("sortBy"), dict) else {}
        column = sort.get("column") if sort.get("column") in LIST_COLUMNS else "name"
        descending = str(sort.get("order") or "asc").lower() == "desc"
        pattern = _like_prefix(prefix)
        with as_user(self.db, claims, read_only=True, operation="storage.object.list") as conn:
            rows = (
                conn.cursor(row_factory=dict_row)
                .execute(
                    """select name, id, updated_at, created_at, last_accessed_at, metadata
                   from storage.objects where bucket_id = %s and name like %s""",
                    (bucket_id, pattern),
                )
                .fetchall()
            )
        entries = _children(rows, prefix, search)
        present = [e for e in entries if e[column] is not None]
        present.sort(key=lambda e: e[column], reverse=descending)
        absent = [e for e in entries if e[column] is None]
        ordered = absent + present if descending else present + absent
        return Response.json(200, [_entry_json(e) for e in ordered[offset : offset + limit]])

    def sign(self, claims: Claims, request: Request, bucket_id: str, key: str | None) -> Response:
        body = json_body(request)
        expires_in = _int(body.get("expiresIn"), 0)
        if expires_in <= 0:
            raise StorageError(400, "Invalid Input", "expiresIn must be a positive number")
        paths = [key] if key is not None else body.get("paths")
        if not isinstance(paths, list):
            raise StorageError(400, "Invalid Input", "paths must be a list of strings")
        with as_user(self.db, claims, read_only=True, operation="storage.object.sign") as conn:
            visible = {
                name
                for (name,) in conn.execute(
                    "select name from storage.objects where bucket_id = %s and name = any(%s)",
                    (bucket_id, [str(p) for p in paths]),
                ).fetchall()
            }
        if key is not None:
            if key not in visible:
                raise not_found()
            return Response.json(200, {"signedURL": self._signed_url(bucket_id, key, expires_in)})
        return Response.json(
            200,
            [
                {
                    "error": None,
                    "path": path,
                    "signedURL": self._signed_url(bucket_id, path, expires_in),
                }
                if path in visible
                else {
                    "error": "Either the object does not exist or you do not have access to it",
                    "path": path,
                    "signedURL": None,
                }
                for path in map(str, paths)
            ],
        )

    # -- helpers -----------------------------------------------------------------------------

    def _signed_url(self, bucket_id: str, key: str, expires_in: int) -> str:
        issued = int(time.time())
        token = mint(
            self.secret, {"url": f"{bucket_id}/{key}", "iat": issued, "exp": issued + expires_in}
        )
        return f"/object/sign/{quote(bucket_id)}/{quote(key)}?token={token}"

    def _check_bucket_limits(self, bucket_id: str, size: int, mimetype: str) -> None:
        with self.db.admin() as conn:
            bucket = conn.execute(
                "select file_size_limit, allowed_mime_types from storage.buckets where id = %s",
                (bucket_id,),
            ).fetchone()
        if bucket is None:
            raise bucket_not_found()
        limit, allowed = bucket
        if limit is not None and size > limit:
            raise StorageError(
                413, "Payload too large", "The object exceeded the maximum allowed size"
            )
        if allowed and not _mime_allowed(mimetype, allowed):
            raise StorageError(415, "invalid_mime_type", f"mime type {mimetype} is not supported")

    def _bytes(self, row: dict, request: Request) -> Response:
        data = self.files.read(row["version"])
        if data is None:
            raise not_found()
        metadata = row["metadata"] or {}
        headers = [
            ("Content-Type", metadata.get("mimetype") or "application/octet-stream"),
            ("Cache-Control", metadata.get("cacheControl") or "no-cache"),
            ("ETag", metadata.get("eTag") or ""),
            ("Last-Modified", _http_date(row["updated_at"])),
        ]
        download = request.query_value("download")
        if download is not None:
            filename = download or row["name"].rsplit("/", 1)[-1]
            headers.append(
                ("Content-Disposition", f"attachment; filename*=UTF-8''{quote(filename)}")
            )
        return Response(200, headers, data)


def _find(conn: psycopg.Connection, bucket_id: str, key: str) -> dict:
    row = (
        conn.cursor(row_factory=dict_row)
        .execute(
            "select * from storage.objects where bucket_id = %s and name = %s", (bucket_id, key)
        )
        .fetchone()
    )
    if row is None:
        raise not_found()
    return row


def _upload_payload(request: Request) -> tuple[bytes, str, str, dict | None]:
    """(bytes, mimetype, cache-control, user metadata) from a multipart or raw upload."""
    content_type = request.headers.get("Content-Type") or ""
    boundary = boundary_of(content_type)
    if boundary is None:
        cache = request.headers.get("Cache-Control") or "no-cache"
        return request.body, content_type or "application/octet-stream", cache, None
    try:
        form = parse_form(request.body, boundary)
    except MultipartError as exc:
        raise StorageError(400, "Invalid Input", f"Malformed multipart body: {exc}") from exc
    if form.file is None:
        raise StorageError(400, "Invalid Input", "No file part in the multipart body")
    mimetype = form.fields.get("contentType") or form.file.content_type or "text/plain"
    cache = form.fields.get("cacheControl")
    cache_control = f"max-age={cache}" if cache and cache.isdigit() else (cache or "no-cache")
    user_metadata = None
    if "metadata" in form.fields:
        try:
            user_metadata = json.loads(form.fields["metadata"])
        except ValueError as exc:
            raise StorageError(400, "Invalid Input", "metadata must be JSON") from exc
    return form.file.data, mimetype, cache_control, user_metadata


def _metadata(data: bytes, mimetype: str, cache_control: str) -> dict[str, object]:
    """The system metadata storage-api's backend writes (eTag is the quoted MD5)."""
    return {
        "eTag": f'"{hashlib.md5(data).hexdigest()}"',
        "size": len(data),
        "mimetype": mimetype,
        "cacheControl": cache_control,
        "lastModified": iso(datetime.now(UTC)),
        "contentLength": len(data),
        "httpStatusCode": 200,
    }


def _children(rows: list[dict], prefix: str, search: str) -> list[dict]:
    """Direct children of `prefix`: files as rows, sub-folders as entries with null fields."""
    entries: dict[str, dict] = {}
    for row in rows:
        relative = row["name"][len(prefix) :]
        head, slash, _rest = relative.partition("/")
        if not head or not head.lower().startswith(search):
            continue
        if slash:
            entries.setdefault(
                head,
                {
                    "name": head,
                    "id": None,
                    "updated_at": None,
                    "created_at": None,
                    "last_accessed_at": None,
                    "metadata": None,
                },
            )
        else:
            entries[head] = {**row, "name": head}
    return list(entries.values())


def _entry_json(entry: dict) -> dict[str, object]:
    return {
        "name": entry["name"],
        "id": str(entry["id"]) if entry["id"] else None,
        "updated_at": iso(entry["updated_at"]),
        "created_at": iso(entry["created_at"]),
        "last_accessed_at": iso(entry["last_accessed_at"]),
        "metadata": entry["metadata"],
    }


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _mime_allowed(mimetype: str, allowed: list[str]) -> bool:
    base = mimetype.split(";")[0].strip().lower()
    for pattern in allowed:
        pattern = pattern.lower()
        if pattern == base or (pattern.endswith("/*") and base.startswith(pattern[:-1])):
            return True
    return False


def _sub(claims: Claims) -> str | None:
    sub = (claims or {}).get("sub")
    return str(sub) if sub else None


def _int(value: object, default: int) -> int:
    try:
        return int(value) if value is not None else default  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _http_date(moment: datetime | None) -> str:
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
