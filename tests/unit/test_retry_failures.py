"""How Supabase failures are explained to users, and what the -v request log may contain."""

from __future__ import annotations

import logging

import httpx
import pytest
from postgrest.exceptions import APIError
from storage3.exceptions import StorageApiError
from supabase_auth.errors import AuthApiError, AuthRetryableError, AuthWeakPasswordError

from sitegen.errors import AuthError, RemoteError
from sitegen.remote.failures import TransientResponse, as_remote_error
from sitegen.remote.http_log import loggable_target, make_logged_transport, raise_transient_status

SECRET = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig"


@pytest.mark.parametrize(
    "code, words, hint",
    [
        ("invalid_credentials", "wrong email or password", "sitegen signup"),
        ("email_not_confirmed", "not confirmed", "confirmation link"),
        ("user_already_exists", "already exists", "sitegen login"),
        ("refresh_token_not_found", "session expired", "sitegen login"),
        ("session_not_found", "session expired", "sitegen login"),
    ],
)
def test_auth_codes_become_clear_auth_errors(code, words, hint):
    error = as_remote_error(AuthApiError("server text", 400, code), "log in")
    assert isinstance(error, AuthError)
    assert error.message.startswith("log in failed: ") and words in error.message
    assert hint in (error.hint or "")


def test_weak_password_lists_every_reason():
    error = as_remote_error(
        AuthWeakPasswordError("Password is weak", 422, ["length", "pwned"]), "sign up"
    )
    assert "too short" in error.message and "leaked passwords" in error.message


def test_auth_network_failures_name_the_server():
    request = httpx.Request("POST", "https://abc.supabase.co/auth/v1/token")
    try:
        try:
            raise httpx.ConnectError("refused", request=request)
        except httpx.ConnectError as inner:
            raise AuthRetryableError("refused", 0) from inner
    except AuthRetryableError as outer:
        error = as_remote_error(outer, "log in")
    assert "cannot reach the Supabase server at https://abc.supabase.co" in error.message


@pytest.mark.parametrize(
    "code, cls, words",
    [
        ("42501", RemoteError, "permission denied"),
        ("PGRST205", RemoteError, "schema is missing"),
        ("PGRST303", AuthError, "rejected the session"),
    ],
)
def test_postgrest_errors(code, cls, words):
    error = as_remote_error(
        APIError({"code": code, "message": "m", "details": None, "hint": None}), "pull posts"
    )
    assert type(error) is cls and words in error.message


@pytest.mark.parametrize(
    "error",
    [
        APIError(
            {
                "message": "Invalid API key",
                "code": None,
                "details": None,
                "hint": "Double check your Supabase `anon` or `service_role` API key.",
            }
        ),
        AuthApiError("Invalid API key", 401, None),
    ],
)
def test_a_wrong_anon_key_names_the_setting_and_where_to_copy_it_from(error):
    explained = as_remote_error(error, "pull posts")
    assert str(explained) == (
        "SUPABASE_ANON_KEY: pull posts failed: the server does not accept this key (Invalid API key)"
        "\n  hint: copy the anon / publishable key of this project (Supabase dashboard: Project "
        "Settings -> API) into SUPABASE_ANON_KEY in .env"
    )


def test_storage_refusals_explain_the_folder_rule():
    error = as_remote_error(
        StorageApiError("new row violates row-level security policy", "Unauthorized", "403"),
        "upload media",
    )
    assert "storage refused it" in error.message and "own folder" in (error.hint or "")


def test_loggable_target_hides_secret_query_values():
    url = httpx.URL("https://x.test/storage/v1/object/sign/media/a.png?token=abc&download=1")
    assert loggable_target(url) == "/storage/v1/object/sign/media/a.png?token=***&download=1"
    assert loggable_target(httpx.URL("https://x.test/rest/v1/posts")) == "/rest/v1/posts"


def test_request_log_has_method_path_status_and_time_but_no_secrets(caplog):
    inner = httpx.MockTransport(lambda request: httpx.Response(201, json={"access_token": SECRET}))
    with (
        httpx.Client(transport=make_logged_transport(inner)) as client,
        caplog.at_level(logging.DEBUG, logger="sitegen.http"),
    ):
        client.post(
            "https://x.test/auth/v1/token?grant_type=password",
            json={"password": "hunter2-password"},
            headers={"Authorization": f"Bearer {SECRET}", "apikey": SECRET},
        )
    [record] = caplog.records
    text = record.getMessage()
    assert text.startswith("POST /auth/v1/token?grant_type=password 201 (") and text.endswith(
        " ms)"
    )
    assert SECRET not in caplog.text and "hunter2" not in caplog.text


def test_failed_requests_are_logged_too(caplog):
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with (
        httpx.Client(transport=make_logged_transport(httpx.MockTransport(refuse))) as client,
        caplog.at_level(logging.DEBUG, logger="sitegen.http"),
        pytest.raises(httpx.ConnectError),
    ):
        client.get("https://x.test/rest/v1/posts")
    assert "GET /rest/v1/posts failed: ConnectError" in caplog.text


@pytest.mark.parametrize("status, raises", [(200, False), (404, False), (429, True), (503, True)])
def test_transient_statuses_raise_for_the_retry_policy(status, raises):
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            status, headers={"Retry-After": "3"}, json={"message": "slow down"}
        )
    )
    with httpx.Client(
        transport=transport, event_hooks={"response": [raise_transient_status]}
    ) as client:
        if not raises:
            assert client.get("https://x.test/rest/v1/posts").status_code == status
            return
        with pytest.raises(TransientResponse) as caught:
            client.get("https://x.test/rest/v1/posts")
    assert (caught.value.status, caught.value.retry_after, caught.value.message) == (
        status,
        3.0,
        "slow down",
    )
