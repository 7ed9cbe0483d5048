"""/auth/v1 conformance, driven by the official supabase-py client (supabase-wire.md §2, §6)."""

from __future__ import annotations

import time
import uuid

import httpx
import jwt
import pytest
from supabase_auth.errors import AuthApiError, AuthWeakPasswordError


def _email() -> str:
    return f"auth-{uuid.uuid4().hex[:10]}@example.com"


def test_signup_returns_a_session_with_gotrue_claims(stack, supabase_client):
    client = supabase_client()
    email = _email()
    response = client.auth.sign_up(
        {"email": email, "password": "pw123456", "options": {"data": {"name": "A"}}}
    )
    assert response.session is not None and response.user is not None
    assert response.user.email == email
    assert response.user.user_metadata["name"] == "A"
    assert response.user.identities[0].provider == "email"
    claims = jwt.decode(
        response.session.access_token,
        stack.jwt_secret,
        algorithms=["HS256"],
        options={"verify_aud": False},
    )
    assert claims["sub"] == response.user.id
    assert claims["role"] == "authenticated" and claims["aud"] == "authenticated"
    assert claims["email"] == email
    assert claims["exp"] - claims["iat"] == 3600 == response.session.expires_in
    stored = stack.admin_sql(
        "select id::text from auth.sessions where user_id = %s", (response.user.id,)
    )
    assert stored == [(claims["session_id"],)]


def test_password_is_stored_as_bcrypt(stack, make_user):
    user = make_user()
    (hashed,) = stack.admin_sql(
        "select encrypted_password from auth.users where id = %s", (user.id,)
    )[0]
    assert hashed.startswith("$2") and user.password not in hashed
    # pgcrypto verifies it too, so SQL written against Supabase's hashes works here.
    assert stack.admin_sql(
        "select extensions.crypt(%s, %s) = %s", (user.password, hashed, hashed)
    ) == [(True,)]


def test_duplicate_signup_is_user_already_exists(supabase_client, make_user):
    user = make_user()
    with pytest.raises(AuthApiError) as caught:
        supabase_client().auth.sign_up({"email": user.email, "password": "another-pass"})
    assert caught.value.code == "user_already_exists"
    assert caught.value.status == 422


def test_weak_password_lists_reasons(supabase_client):
    with pytest.raises(AuthWeakPasswordError) as caught:
        supabase_client().auth.sign_up({"email": _email(), "password": "123"})
    assert caught.value.code == "weak_password"
    assert caught.value.reasons == ["length"]


def test_invalid_email_is_validation_failed(supabase_client):
    with pytest.raises(AuthApiError) as caught:
        supabase_client().auth.sign_up({"email": "not-an-email", "password": "pw123456"})
    assert caught.value.code == "validation_failed" and caught.value.status == 400


def test_wrong_password_and_unknown_email_are_invalid_credentials(supabase_client, make_user):
    user = make_user()
    for email, password in ((user.email, "wrong-password"), (_email(), "whatever1")):
        with pytest.raises(AuthApiError) as caught:
            supabase_client().auth.sign_in_with_password({"email": email, "password": password})
        assert caught.value.code == "invalid_credentials"
        assert caught.value.status == 400


def test_unconfirmed_user_cannot_sign_in(supabase_client, make_user):
    user = make_user(confirmed=False)
    with pytest.raises(AuthApiError) as caught:
        supabase_client().auth.sign_in_with_password(
            {"email": user.email, "password": user.password}
        )
    assert caught.value.code == "email_not_confirmed"


def test_signup_without_autoconfirm_returns_a_bare_user(stack, supabase_client):
    with stack.auth_configured(autoconfirm=False):
        response = supabase_client().auth.sign_up({"email": _email(), "password": "pw123456"})
    assert response.session is None
    assert response.user is not None and response.user.email_confirmed_at is None


def test_refresh_rotates_and_detects_reuse(stack, supabase_client, make_user):
    client = supabase_client(user=make_user())
    first = client.auth.get_session()
    with stack.auth_configured(refresh_token_reuse_interval=0):
        second = client.auth.refresh_session().session
        assert second.refresh_token != first.refresh_token
        assert second.user.id == first.user.id
        with pytest.raises(AuthApiError) as caught:
            client.auth.refresh_session(first.refresh_token)
        assert caught.value.code == "refresh_token_already_used"
        # Reuse revokes the whole family: the newest token is dead too.
        with pytest.raises(AuthApiError) as caught:
            client.auth.refresh_session(second.refresh_token)
        assert caught.value.code == "refresh_token_already_used"


def test_reuse_within_the_interval_returns_the_current_token(stack, supabase_client, make_user):
    client = supabase_client(user=make_user())
    first = client.auth.get_session()
    second = client.auth.refresh_session().session
    again = client.auth.refresh_session(first.refresh_token).session
    assert again.refresh_token == second.refresh_token


def test_unknown_refresh_token(supabase_client):
    with pytest.raises(AuthApiError) as caught:
        supabase_client().auth.refresh_session("no-such-token")
    assert caught.value.code == "refresh_token_not_found"


def test_get_and_update_user(supabase_client, make_user):
    user = make_user()
    client = supabase_client(user=user)
    assert client.auth.get_user().user.email == user.email
    updated = client.auth.update_user({"data": {"display_name": "Ada"}}).user
    assert updated.user_metadata["display_name"] == "Ada"
    client.auth.update_user({"password": "a-new-password"})
    fresh = supabase_client()
    fresh.auth.sign_in_with_password({"email": user.email, "password": "a-new-password"})
    assert fresh.auth.get_user().user.user_metadata["display_name"] == "Ada"


def test_same_password_is_refused(supabase_client, make_user):
    user = make_user()
    client = supabase_client(user=user)
    with pytest.raises(AuthApiError) as caught:
        client.auth.update_user({"password": user.password})
    assert caught.value.code == "same_password"


def test_logout_revokes_refresh_and_session(stack, supabase_client, make_user):
    user = make_user()
    client = supabase_client(user=user)
    session = client.auth.get_session()
    client.auth.sign_out()
    assert stack.admin_sql("select count(*) from auth.sessions where user_id = %s", (user.id,)) == [
        (0,)
    ]
    other = supabase_client()
    with pytest.raises(AuthApiError) as caught:
        other.auth.refresh_session(session.refresh_token)
    assert caught.value.code == "refresh_token_not_found"
    with pytest.raises(AuthApiError) as caught:
        other.auth.get_user(session.access_token)
    assert caught.value.code == "session_not_found" and caught.value.status == 403


def test_logout_scope_local_keeps_other_sessions(stack, supabase_client, make_user):
    user = make_user()
    laptop, phone = supabase_client(user=user), supabase_client(user=user)
    laptop.auth.sign_out({"scope": "local"})
    assert stack.admin_sql("select count(*) from auth.sessions where user_id = %s", (user.id,)) == [
        (1,)
    ]
    assert phone.auth.get_user().user.id == user.id


def test_expired_token_is_refused(stack, supabase_client, make_user):
    user = make_user()
    client = supabase_client()
    with stack.auth_configured(jwt_expiry=1):
        session = client.auth.sign_in_with_password(
            {"email": user.email, "password": user.password}
        ).session
    token = session.access_token
    assert session.expires_in == 1
    time.sleep(2.1)
    with pytest.raises(AuthApiError) as caught:
        client.auth.get_user(token)
    assert caught.value.code == "bad_jwt" and caught.value.status == 403
    assert "expired" in caught.value.message


def test_forged_token_is_refused(stack, supabase_client, make_user):
    user = make_user()
    forged = jwt.encode(
        {
            "sub": user.id,
            "role": "authenticated",
            "aud": "authenticated",
            "exp": int(time.time()) + 600,
        },
        "not-the-stack-secret-but-long-enough-for-hs256",
        algorithm="HS256",
    )
    with pytest.raises(AuthApiError) as caught:
        supabase_client().auth.get_user(forged)
    assert caught.value.code == "bad_jwt"


def test_admin_create_list_get_delete(supabase_client):
    admin = supabase_client("service").auth.admin
    email = _email()
    created = admin.create_user(
        {
            "email": email,
            "password": "pw123456",
            "email_confirm": True,
            "user_metadata": {"name": "B"},
            "app_metadata": {"plan": "x"},
        }
    )
    user = created.user
    assert user.email_confirmed_at is not None
    assert user.app_metadata["plan"] == "x" and user.app_metadata["provider"] == "email"
    assert any(listed.id == user.id for listed in admin.list_users(per_page=1000))
    assert admin.get_user_by_id(user.id).user.email == email
    with pytest.raises(AuthApiError) as caught:
        admin.create_user({"email": email, "password": "pw123456"})
    assert caught.value.code == "email_exists"
    admin.delete_user(user.id)
    with pytest.raises(AuthApiError) as caught:
        admin.get_user_by_id(user.id)
    assert caught.value.code == "user_not_found" and caught.value.status == 404


def test_admin_routes_need_the_service_role(supabase_client, make_user):
    for client in (supabase_client(), supabase_client(user=make_user())):
        with pytest.raises(AuthApiError) as caught:
            client.auth.admin.create_user({"email": _email(), "password": "pw123456"})
        assert caught.value.code == "not_admin" and caught.value.status == 403


def test_errors_echo_the_api_version_and_error_code_header(stack):
    response = httpx.post(
        f"{stack.url}/auth/v1/token?grant_type=password",
        headers={"apikey": stack.anon_key, "X-Supabase-Api-Version": "2024-01-01"},
        json={"email": _email(), "password": "nope-nope"},
    )
    assert response.status_code == 400
    assert response.headers["X-Supabase-Api-Version"] == "2024-01-01"
    assert response.headers["x-sb-error-code"] == "invalid_credentials"
    assert response.json() == {
        "code": "invalid_credentials",
        "message": "Invalid login credentials",
    }


def test_session_timestamps_are_iso_with_z(supabase_client, make_user):
    client = supabase_client(user=make_user())
    raw = client.auth.get_session().user
    assert raw.created_at.utcoffset().total_seconds() == 0
    response = httpx.get(
        f"{client.auth_url}/user",
        headers={
            "apikey": client.supabase_key,
            "Authorization": f"Bearer {client.auth.get_session().access_token}",
        },
    )
    assert response.json()["created_at"].endswith("Z")


def test_admin_update_confirms_and_bans(supabase_client, make_user):
    user = make_user(confirmed=False)
    admin = supabase_client("service").auth.admin
    confirmed = admin.update_user_by_id(
        user.id, {"email_confirm": True, "user_metadata": {"team": "docs"}}
    ).user
    assert confirmed.email_confirmed_at is not None
    assert confirmed.user_metadata["team"] == "docs"
    credentials = {"email": user.email, "password": user.password}
    assert supabase_client().auth.sign_in_with_password(credentials).session is not None
    admin.update_user_by_id(user.id, {"ban_duration": "24h"})
    with pytest.raises(AuthApiError) as caught:
        supabase_client().auth.sign_in_with_password(credentials)
    assert caught.value.code == "user_banned"
