"""`/storage/v1`: routes storage-api's URL space to the bucket and object handlers."""

from __future__ import annotations

from tests.stack.db import Database
from tests.stack.http import Request, Response
from tests.stack.storage_buckets import BucketRoutes
from tests.stack.storage_common import StorageError, check_bucket_id, require_credentials
from tests.stack.storage_files import ObjectFiles
from tests.stack.storage_objects import ObjectRoutes
from tests.stack.tokens import Credentials

# Second path segment after /object that names an access mode rather than a bucket.
ACCESS_MODES = ("public", "authenticated", "sign", "info", "list")


class StorageService:
    def __init__(self, db: Database, jwt_secret: str, files: ObjectFiles) -> None:
        self.buckets = BucketRoutes(db, files)
        self.objects = ObjectRoutes(db, files, jwt_secret)

    def handle(self, request: Request, creds: Credentials) -> Response:
        try:
            return self._route(request, creds)
        except StorageError as error:
            return error.response()

    def _route(self, request: Request, creds: Credentials) -> Response:
        parts = request.path.strip("/").split("/", 1)
        area, rest = parts[0], (parts[1] if len(parts) > 1 else "")
        method = request.method
        if area == "object" and method in ("GET", "HEAD"):
            mode, _, tail = rest.partition("/")
            if mode == "public":
                return self.objects.download_public(request, *_bucket_and_key(tail))
            if mode == "sign":
                return self.objects.download_signed(request, *_bucket_and_key(tail))
        claims = require_credentials(creds)
        if area == "bucket":
            return self._bucket(request, claims, rest)
        if area == "object":
            return self._object(request, claims, rest)
        raise StorageError(404, "not_found", f"Route {method}:{request.path} not found")

    def _bucket(self, request: Request, claims, rest: str) -> Response:
        method = request.method
        bucket_id, _, action = rest.partition("/")
        if not bucket_id:
            if method == "GET":
                return self.buckets.list(claims)
            if method == "POST":
                return self.buckets.create(claims, request)
        elif not action:
            check_bucket_id(bucket_id)
            if method == "GET":
                return self.buckets.get(claims, bucket_id)
            if method == "PUT":
                return self.buckets.update(claims, bucket_id, request)
            if method == "DELETE":
                return self.buckets.delete(claims, bucket_id)
        elif action == "empty" and method == "POST":
            return self.buckets.empty(claims, check_bucket_id(bucket_id))
        raise StorageError(404, "not_found", f"Route {method}:/bucket/{rest} not found")

    def _object(self, request: Request, claims, rest: str) -> Response:
        method = request.method
        mode, _, tail = rest.partition("/")
        if method == "POST" and mode == "move" and not tail:
            return self.objects.move(claims, request)
        if method == "POST" and mode == "copy" and not tail:
            return self.objects.copy(claims, request)
        if mode == "list" and method == "POST":
            return self.objects.list(claims, request, check_bucket_id(tail.strip("/")))
        if mode == "info":
            tail = tail.removeprefix("authenticated/").removeprefix("public/")
            return self.objects.info(claims, *_bucket_and_key(tail))
        if mode == "sign" and method == "POST":
            bucket_id, _, key = tail.partition("/")
            return self.objects.sign(claims, request, check_bucket_id(bucket_id), key or None)
        if mode == "authenticated" and method in ("GET", "HEAD"):
            return self.objects.download(claims, request, *_bucket_and_key(tail))
        if mode in ACCESS_MODES:
            raise StorageError(404, "not_found", f"Route {method}:/object/{rest} not found")
        bucket_id, _, key = rest.partition("/")
        check_bucket_id(bucket_id)
        if not key and method == "DELETE":
            return self.objects.remove(claims, request, bucket_id)
        if method in ("GET", "HEAD"):
            return self.objects.download(claims, request, *_bucket_and_key(rest))
        if method == "POST":
            upsert = (request.headers.get("x-upsert") or "").lower() == "true"
            return self.objects.upload(claims, request, *_bucket_and_key(rest), upsert=upsert)
        if method == "PUT":
            return self.objects.upload(claims, request, *_bucket_and_key(rest), upsert=True)
        raise StorageError(404, "not_found", f"Route {method}:/object/{rest} not found")


def _bucket_and_key(path: str) -> tuple[str, str]:
    bucket_id, _, key = path.partition("/")
    return check_bucket_id(bucket_id), key
