"""Hostile object and bucket names: refused or stored literally, never a path outside the stack.

Raw HTTP (http.client) is used because the official client refuses `..` itself and httpx
normalises dot segments; a hostile caller does neither.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest

BUCKET = "stack-security"


@pytest.fixture
def service(stack, clean_db):
    stack.admin_sql(
        "insert into storage.buckets (id, name, public) values (%s, %s, true) "
        "on conflict (id) do nothing",
        (BUCKET, BUCKET),
    )
    return stack


def _raw(stack, method: str, path: str, body: bytes = b"", content_type: str = "text/plain"):
    address = urlsplit(stack.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request(
            method,
            path,
            body=body,
            headers={
                "apikey": stack.service_key,
                "Authorization": f"Bearer {stack.service_key}",
                "Content-Type": content_type,
            },
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _all_files(stack) -> set[str]:
    return {str(p) for p in stack.root.rglob("*") if p.is_file() and "pgdata" not in p.parts}


@pytest.mark.parametrize(
    "key",
    [
        "..%2F..%2Foutside.txt",
        "a/../../outside.txt",
        "a/%2E%2E/%2E%2E/outside.txt",
        "./here.txt",
        "a//b.txt",
        "bad%00name.txt",
        "line%0Abreak.txt",
    ],
)
def test_hostile_object_names_are_refused(service, key):
    before = _all_files(service)
    status, body = _raw(service, "POST", f"/storage/v1/object/{BUCKET}/{key}", b"evil")
    assert status == 400
    assert json.loads(body)["error"] == "InvalidKey"
    assert _all_files(service) == before
    assert service.admin_sql("select count(*) from storage.objects") == [(0,)]


@pytest.mark.parametrize(
    "path",
    [
        "/storage/v1/object/%2E%2E%2F%2E%2E/etc/passwd",
        "/storage/v1/object/public/%2E%2E/%2E%2E/etc/passwd",
        "/storage/v1/object/..%2F..%2Fetc/passwd",
        "/storage/v1/bucket/a%2Fb",
    ],
)
def test_hostile_bucket_names_are_refused(service, path):
    status, body = _raw(service, "GET", path)
    assert status == 400
    assert json.loads(body)["statusCode"] in ("400", "404")
    assert b"root:" not in body


def test_sql_looking_names_are_stored_literally(service, supabase_client):
    files = supabase_client("service").storage.from_(BUCKET)
    name = "x'; drop table storage.objects; --.txt"
    files.upload(name, b"literal")
    assert files.download(name) == b"literal"
    assert service.admin_sql(
        "select name from storage.objects where bucket_id = %s", (BUCKET,)
    ) == [(name,)]


def test_bytes_live_under_uuid_names_only(service, supabase_client):
    files = supabase_client("service").storage.from_(BUCKET)
    files.upload("deep/er/name with spaces.txt", b"x")
    stored = [p for p in (service.root / "objects").rglob("*") if p.is_file()]
    assert len(stored) == 1
    assert stored[0].parent.name == "versions" and len(stored[0].name) == 36
