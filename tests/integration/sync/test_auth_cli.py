"""sitegen signup / login / logout / whoami against the stack's Auth, through the CLI."""

from __future__ import annotations

import os
import stat
import time

import pytest

from sitegen.session import load_session, session_path
from tests.integration.sync.sync_helpers import PASSWORD, make_site, unique_email


def test_signup_logs_in_and_stores_a_private_session(site, cli):
    email = unique_email("new")
    result = cli(site, "signup", "--email", email, "--password-stdin", stdin=PASSWORD + "\n")
    assert result.code == 0, result.err
    assert f"logged in as {email}" in result.out
    path = session_path(site)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert PASSWORD not in path.read_text()
    session = load_session(site)
    assert session is not None and session.email == email


def test_signup_with_an_existing_email_says_so(site, cli, make_user):
    email = unique_email("dup")
    make_user(email)
    result = cli(site, "signup", "--email", email, "--password-stdin", stdin=PASSWORD + "\n")
    assert result.code == 1
    assert "an account with this email already exists" in result.err
    assert "sitegen login" in result.err
    assert not session_path(site).exists()


def test_signup_with_a_weak_password_lists_the_reasons(site, cli):
    result = cli(site, "signup", "--email", unique_email("weak"), "--password-stdin", stdin="abc\n")
    assert result.code == 1
    assert "the password is too weak: it is too short" in result.err
    assert "at least 6 characters" in result.err  # the server's own wording is kept in the hint
    assert not session_path(site).exists()


def test_signup_without_autoconfirm_asks_to_confirm_the_email(site, cli, stack, monkeypatch):
    monkeypatch.setattr(stack.auth_settings, "autoconfirm", False)
    email = unique_email("unconfirmed")
    result = cli(site, "signup", "--email", email, "--password-stdin", stdin=PASSWORD + "\n")
    assert result.code == 0, result.err
    assert "Open the confirmation link" in result.out
    assert not session_path(site).exists()


def test_login_and_whoami(site, cli, stack, make_user):
    email = unique_email("who")
    user_id = make_user(email, PASSWORD).id
    result = cli(site, "login", "--email", email, "--password-stdin", stdin=PASSWORD + "\n")
    assert result.code == 0, result.err
    assert f"Logged in as {email}" in result.out
    result = cli(site, "whoami")
    assert result.code == 0, result.err
    assert f"email:    {email}" in result.out
    assert f"user id:  {user_id}" in result.out
    assert f"project:  {stack.url}" in result.out
    assert "role:     author" in result.out
    assert "valid until" in result.out
    session = load_session(site)
    assert session is not None
    for secret in (session.access_token, session.refresh_token, PASSWORD):
        assert secret not in result.out + result.err


def test_wrong_password(site, cli, make_user):
    email = unique_email("wrong")
    make_user(email, PASSWORD)
    result = cli(site, "login", "--email", email, "--password-stdin", stdin="not-the-password\n")
    assert result.code == 1
    assert "wrong email or password" in result.err
    assert "not-the-password" not in result.err + result.out
    assert not session_path(site).exists()


def test_unconfirmed_email(site, cli, make_user):
    email = unique_email("pending")
    make_user(email, PASSWORD, confirmed=False)
    result = cli(site, "login", "--email", email, "--password-stdin", stdin=PASSWORD + "\n")
    assert result.code == 1
    assert "not confirmed" in result.err
    assert "confirmation link" in result.err


def test_whoami_when_not_logged_in(site, cli):
    result = cli(site, "whoami")
    assert result.code == 1
    assert "not logged in" in result.err
    assert "sitegen login" in result.err


def test_logout_revokes_the_session_on_the_server(author_a, cli, stack):
    old = load_session(author_a.site)
    assert old is not None
    result = cli(author_a.site, "logout")
    assert result.code == 0, result.err
    assert "Logged out." in result.out and "warning" not in result.err
    assert not session_path(author_a.site).exists()

    from supabase import ClientOptions, create_client

    client = create_client(
        stack.url, stack.anon_key, ClientOptions(auto_refresh_token=False, persist_session=False)
    )
    with pytest.raises(Exception) as caught:
        client.auth.refresh_session(old.refresh_token)
    assert getattr(caught.value, "code", None) in {"session_not_found", "refresh_token_not_found"}
    assert cli(author_a.site, "whoami").code == 1


def test_logout_offline_forgets_the_session_with_a_warning(
    tmp_path, cli, quick_retries, unused_url, stack
):
    from sitegen.remote.client import StoredSession
    from sitegen.session import save_session

    site = make_site(tmp_path / "offline", stack, url=unused_url)
    save_session(
        site,
        StoredSession(
            url=unused_url,
            user_id="u",
            email="a@example.org",
            expires_at=int(time.time()) + 3600,
            access_token="a",
            refresh_token="r",
        ),
    )
    result = cli(site, "logout")
    assert result.code == 0
    assert (
        f"warning: log out failed: cannot reach the Supabase server at {unused_url}" in result.err
    )
    assert "stays valid on the server" in result.err
    assert not session_path(site).exists()


def test_unreachable_server_names_the_url(tmp_path, cli, quick_retries, unused_url, stack, caplog):
    site = make_site(tmp_path / "offline", stack, url=unused_url)
    result = cli(
        site, "login", "--email", "x@example.org", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert result.code == 1
    assert f"cannot reach the Supabase server at {unused_url}" in result.err
    assert "SUPABASE_URL" in result.err
    retries = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(retries) == 4 and all(  # announced at the default verbosity: not a silent wait
        r.startswith("log in: cannot connect (ConnectError); retrying in ") for r in retries
    )


def test_an_expired_access_token_is_refreshed_automatically(author_a, cli, stack, monkeypatch):
    from sitegen.auth import login, open_client

    monkeypatch.setattr(stack.auth_settings, "jwt_expiry", 2)
    before = login(author_a.site, author_a.email, author_a.password)
    time.sleep(2.5)  # the access token is now really expired
    assert before.expires_at < time.time()
    result = cli(author_a.site, "whoami")
    assert result.code == 0, result.err
    after = load_session(author_a.site)
    assert after is not None
    assert after.refresh_token != before.refresh_token and after.access_token != before.access_token
    assert stat.S_IMODE(os.stat(session_path(author_a.site)).st_mode) == 0o600
    # REST requests use the refreshed token: the author sees their own draft
    stack.admin_sql(
        "insert into public.posts (slug, title, draft, author_id) values (%s, 'D', true, %s)",
        (f"refresh-{author_a.user_id[:8]}", author_a.user_id),
    )
    time.sleep(2.5)
    with open_client(author_a.site, require_login=True) as client:
        rows = (
            client.supabase.table("posts")
            .select("slug")
            .eq("author_id", author_a.user_id)
            .execute()
        )
    assert [row["slug"] for row in rows.data] == [f"refresh-{author_a.user_id[:8]}"]


def test_a_revoked_session_says_session_expired(author_a, cli, stack):
    import dataclasses

    from supabase import ClientOptions, create_client

    from sitegen.session import save_session

    session = load_session(author_a.site)
    client = create_client(
        stack.url, stack.anon_key, ClientOptions(auto_refresh_token=False, persist_session=False)
    )
    client.auth.admin.sign_out(session.access_token, "global")  # e.g. logged out elsewhere
    # The access token's hour is up (set, not slept: no race with a loaded machine), so sitegen
    # must refresh, and the revoked refresh token is refused.
    save_session(author_a.site, dataclasses.replace(session, expires_at=int(time.time()) - 10))
    result = cli(author_a.site, "whoami")
    assert result.code == 1
    assert "session expired" in result.err and "sitegen login" in result.err


def test_password_stdin_requires_email(site, cli):
    result = cli(site, "login", "--password-stdin", stdin=PASSWORD + "\n")
    assert result.code == 2
    assert "--password-stdin needs --email" in result.err


@pytest.mark.filterwarnings("ignore::getpass.GetPassWarning")  # no terminal under pytest
def test_interactive_login_prompts_for_email_and_a_hidden_password(site, cli, make_user):
    email = unique_email("prompt")
    make_user(email, PASSWORD)
    result = cli(site, "login", stdin=f"{email}\n{PASSWORD}\n")
    assert result.code == 0, result.err
    assert "Email:" in result.out and "Password:" in result.out + result.err
    assert PASSWORD not in result.out + result.err  # hidden input is not echoed
    assert load_session(site).email == email


def test_a_login_for_another_project_is_ignored_with_a_warning_saying_what_to_do(
    author_a, cli, stack, caplog
):
    env = author_a.site / ".env"
    env.write_text(env.read_text().replace(stack.url, stack.url + "/"))  # same project: still used
    assert cli(author_a.site, "whoami").code == 0
    env.write_text(
        env.read_text().replace(stack.url + "/", stack.url.replace("127.0.0.1", "localhost"))
    )
    result = cli(author_a.site, "push")
    assert result.code == 1 and "not logged in" in result.err
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        f"warning: the stored login is for {stack.url}, but SUPABASE_URL is "
        f"{stack.url.replace('127.0.0.1', 'localhost')}; ignoring it (run `sitegen login` to log in there)"
    ]
