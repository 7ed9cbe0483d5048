"""Fault injection: status, drop and delay, by method and path, for N requests or until cleared."""

from __future__ import annotations

import time

import httpx
import pytest
from storage3.exceptions import StorageApiError
from supabase_auth.errors import AuthRetryableError

from tests.stack.faults import Fault

BUCKET = "stack-faults"


@pytest.fixture
def stack_with_bucket(stack, clean_db):
    stack.admin_sql(
        "insert into storage.buckets (id, name, public) values (%s, %s, true) "
        "on conflict (id) do nothing",
        (BUCKET, BUCKET),
    )
    yield stack
    stack.faults.clear()


def _settings(stack) -> httpx.Response:
    return httpx.get(f"{stack.url}/auth/v1/settings", headers={"apikey": stack.anon_key})


def test_status_fault_hits_the_next_n_matching_requests(stack_with_bucket):
    stack = stack_with_bucket
    stack.faults.inject("status", r"^/auth/v1/settings$", status=503, retry_after=7, times=2)
    first, second, third = _settings(stack), _settings(stack), _settings(stack)
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.headers["Retry-After"] == "7"
    assert stack.faults.active() == []


def test_status_fault_surfaces_as_the_clients_retryable_error(stack_with_bucket, supabase_client):
    stack = stack_with_bucket
    stack.faults.inject("status", r"^/auth/v1/token", status=503)
    with pytest.raises(AuthRetryableError):
        supabase_client().auth.sign_in_with_password(
            {"email": "x@example.com", "password": "whatever1"}
        )


def test_method_filter_and_persistent_faults(stack_with_bucket, supabase_client):
    stack = stack_with_bucket
    files = supabase_client("service").storage.from_(BUCKET)
    files.upload("kept.txt", b"kept")
    stack.faults.add(
        Fault(
            "status", path=rf"^/storage/v1/object/{BUCKET}/", method="POST", status=500, times=None
        )
    )
    for _ in range(3):
        with pytest.raises(StorageApiError):
            files.upload("new.txt", b"x")
    assert files.download("kept.txt") == b"kept"  # GET does not match the POST-only fault
    stack.faults.clear()
    files.upload("new.txt", b"x")
    assert files.download("new.txt") == b"x"


def test_drop_closes_the_connection_and_nothing_is_stored(stack_with_bucket, supabase_client):
    stack = stack_with_bucket
    files = supabase_client("service").storage.from_(BUCKET)
    stack.faults.inject("drop", rf"^/storage/v1/object/{BUCKET}/dropped\.txt$")
    with pytest.raises(httpx.RemoteProtocolError):
        files.upload("dropped.txt", b"lost")
    assert files.exists("dropped.txt") is False


def test_delay_then_normal_handling(stack_with_bucket):
    stack = stack_with_bucket
    stack.faults.inject("delay", r"^/auth/v1/settings$", seconds=0.4)
    began = time.perf_counter()
    response = _settings(stack)
    assert response.status_code == 200
    assert time.perf_counter() - began >= 0.4


def test_postgrest_reads_are_retried_through_a_503(stack_with_bucket, supabase_client):
    """supabase-py retries GET on 503 (after 1 s); the fault is consumed and the read succeeds."""
    stack = stack_with_bucket
    stack.admin_sql(
        "create table public.stack_fault_probe (id int); "
        "insert into public.stack_fault_probe values (1); "
        "grant select on public.stack_fault_probe to anon"
    )
    try:
        fault = stack.faults.inject("status", r"^/rest/v1/", method="GET", status=503)
        result = supabase_client().table("stack_fault_probe").select("id").execute()
        assert result.data == [{"id": 1}]
        assert fault.hits == 1 and stack.faults.active() == []
    finally:
        stack.admin_sql("drop table public.stack_fault_probe")


def test_http_control_endpoint_needs_the_service_key(stack_with_bucket):
    stack = stack_with_bucket
    endpoint = f"{stack.url}/_stack/faults"
    fault = {"action": "status", "path": "^/auth/v1/settings$", "status": 502, "times": 1}
    refused = httpx.post(endpoint, json=fault, headers={"apikey": stack.anon_key})
    assert refused.status_code == 401
    service = {"apikey": stack.service_key}
    assert httpx.post(endpoint, json=fault, headers=service).status_code == 201
    assert httpx.get(endpoint, headers=service).json()[0]["status"] == 502
    assert _settings(stack).status_code == 502
    httpx.post(endpoint, json={**fault, "times": None}, headers=service)
    assert httpx.delete(endpoint, headers=service).status_code == 204
    assert _settings(stack).status_code == 200
    bad = httpx.post(endpoint, json={"action": "explode"}, headers=service)
    assert bad.status_code == 400
