"""The gateway: header handling, the API-key rule (supabase-wire.md §1.7), JWT refusal on /rest."""

from __future__ import annotations

import http.client
import json
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import jwt
import pytest


def _raw(stack, method: str, path: str, headers: list[tuple[str, str]]):
    """http.client lets a test send repeated and oddly-cased header names verbatim."""
    address = urlsplit(stack.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.putrequest(method, path)
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("name", ["apikey", "apiKey", "APIKEY", "ApiKey"])
def test_apikey_header_name_is_case_insensitive(stack, name):
    status, _headers, body = _raw(stack, "GET", "/storage/v1/bucket", [(name, stack.service_key)])
    assert status == 200, body
    assert isinstance(json.loads(body), list)


def test_duplicate_client_info_headers_are_tolerated(stack):
    status, _headers, _body = _raw(
        stack,
        "GET",
        "/auth/v1/settings",
        [
            ("apikey", stack.anon_key),
            ("X-Client-Info", "supabase-py/postgrest-py v2.34.1"),
            ("x-client-info", "supabase-py/2.34.1"),
        ],
    )
    assert status == 200


def test_missing_and_unknown_api_keys_are_401(stack):
    missing = httpx.get(f"{stack.url}/storage/v1/bucket")
    assert missing.status_code == 401
    assert missing.json()["message"] == "No API key found in request"
    unknown = httpx.get(f"{stack.url}/storage/v1/bucket", headers={"apikey": "made-up"})
    assert unknown.status_code == 401 and unknown.json()["message"] == "Invalid API key"


def test_a_user_token_is_not_an_api_key(stack, supabase_client, make_user):
    token = supabase_client(user=make_user()).auth.get_session().access_token
    response = httpx.get(f"{stack.url}/auth/v1/user", headers={"apikey": token})
    assert response.status_code == 401


def test_opaque_keys_map_to_anon_and_service_role(stack, supabase_client, make_user):
    """`Bearer sb_…` is swapped for the role JWT the key stands for (the Kong rule)."""
    user = make_user()
    publishable = supabase_client("publishable")
    publishable.auth.sign_in_with_password({"email": user.email, "password": user.password})
    assert publishable.auth.get_user().user.id == user.id
    secret = supabase_client("secret")
    assert any(listed.id == user.id for listed in secret.auth.admin.list_users(per_page=1000))
    with pytest.raises(Exception) as caught:
        supabase_client("publishable").auth.admin.list_users()
    assert getattr(caught.value, "code", None) == "not_admin"


def test_unknown_route_is_404(stack):
    response = httpx.get(f"{stack.url}/functions/v1/hello", headers={"apikey": stack.anon_key})
    assert response.status_code == 404


def test_forged_and_expired_tokens_are_refused_on_rest(stack, make_user):
    user = make_user()
    claims = {"sub": user.id, "role": "authenticated", "aud": "authenticated"}
    expired = stack.mint_token({**claims, "exp": int(time.time()) - 10})
    forged = stack.mint_token({**claims, "exp": int(time.time()) + 600})[:-4] + "AAAA"
    cases = [
        (expired, "PGRST303", "JWT expired"),
        (forged, "PGRST301", None),
        ("not-a-jwt", "PGRST301", "Expected 3 parts in JWT; got 1"),
    ]
    for token, code, message in cases:
        response = httpx.get(
            f"{stack.url}/rest/v1/anything",
            headers={"apikey": stack.anon_key, "Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 401
        assert response.json()["code"] == code
        if message:
            assert response.json()["message"] == message
        assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')


def test_keep_alive_and_concurrent_requests(stack):
    with httpx.Client(base_url=stack.url, headers={"apikey": stack.anon_key}) as client:
        statuses = [client.get("/auth/v1/health").status_code for _ in range(20)]
    assert statuses == [200] * 20

    def fetch(_index: int) -> int:
        return httpx.get(
            f"{stack.url}/storage/v1/bucket", headers={"apikey": stack.service_key}
        ).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert list(pool.map(fetch, range(48))) == [200] * 48


def test_unsigned_alg_none_token_is_refused(stack, make_user):
    user = make_user()
    unsigned = jwt.encode(
        {"sub": user.id, "role": "service_role", "exp": int(time.time()) + 600},
        None,
        algorithm="none",
    )
    response = httpx.get(
        f"{stack.url}/rest/v1/anything",
        headers={"apikey": stack.anon_key, "Authorization": f"Bearer {unsigned}"},
    )
    assert response.status_code == 401 and response.json()["code"] == "PGRST301"
    storage = httpx.get(
        f"{stack.url}/storage/v1/bucket",
        headers={"apikey": stack.anon_key, "Authorization": f"Bearer {unsigned}"},
    )
    assert storage.json()["statusCode"] == "403"


def test_chunked_request_bodies_are_read(stack, clean_db):
    stack.admin_sql(
        "insert into storage.buckets (id, name) values ('chunked', 'chunked') "
        "on conflict do nothing"
    )
    headers = {"apikey": stack.service_key, "Content-Type": "application/octet-stream"}
    upload = httpx.post(
        f"{stack.url}/storage/v1/object/chunked/raw.bin",
        content=iter([b"abc", b"defg"]),
        headers=headers,
    )
    assert upload.request.headers["Transfer-Encoding"] == "chunked"
    assert upload.status_code == 200, upload.text
    download = httpx.get(f"{stack.url}/storage/v1/object/chunked/raw.bin", headers=headers)
    assert download.content == b"abcdefg"
    head = httpx.head(f"{stack.url}/storage/v1/object/chunked/raw.bin", headers=headers)
    assert head.status_code == 200 and head.headers["content-length"] == "7"
    assert head.content == b""


def test_rest_requests_publish_method_path_and_headers(stack):
    stack.admin_sql(
        "create or replace function public.stack_request_probe() returns json language sql "
        "stable as $$ select json_build_object('method', current_setting('request.method'), "
        "'path', current_setting('request.path'), 'probe', "
        "current_setting('request.headers')::json ->> 'x-probe') $$; "
        "grant execute on function public.stack_request_probe() to anon"
    )
    try:
        response = httpx.post(
            f"{stack.url}/rest/v1/rpc/stack_request_probe",
            json={},
            headers={"apikey": stack.anon_key, "X-Probe": "yes"},
        )
        assert response.status_code == 200, response.text
        assert response.json() == {
            "method": "POST",
            "path": "/rpc/stack_request_probe",
            "probe": "yes",
        }
    finally:
        stack.admin_sql("drop function public.stack_request_probe()")
