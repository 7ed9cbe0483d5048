"""Sign up, log in, log out and "who am I" against Supabase Auth, for one site folder.

The session lives in `.sitegen/session.json` (session.py). `open_client` is the one way the rest
of sitegen reaches Supabase: it reads the stored login, hands its token to `remote.client.connect`
and saves the session again when connect refreshed it. Every auth failure becomes an AuthError/RemoteError with a message naming the problem
(wrong password, unconfirmed email, existing account, weak password, expired session, unreachable
server) and a hint; passwords and tokens are never printed or logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sitegen.errors import AuthError, RemoteError
from sitegen.remote.client import (
    RemoteClient,
    StoredSession,
    connect,
    make_http_client,
    make_supabase,
    stored_session,
)
from sitegen.remote.failures import as_remote_error, classify
from sitegen.remote.members import my_role
from sitegen.remote.retry import with_retries
from sitegen.remote.settings import load_remote_settings
from sitegen.session import delete_session, load_session, save_session

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")
log = logging.getLogger("sitegen.remote")


@dataclass(frozen=True)
class SignupResult:
    """`session` is None when the project requires email confirmation before the first login."""

    email: str
    session: StoredSession | None


@dataclass(frozen=True)
class LogoutResult:
    """`warning` says why a live session could not be revoked on the server (e.g. offline)."""

    had_session: bool
    revoked: bool
    warning: str | None = None


@dataclass(frozen=True)
class Identity:
    """Who is logged in; `role` is their role on the site (None: not a member)."""

    email: str
    user_id: str
    url: str
    expires_at: int
    role: str | None


def open_client(
    site_dir: Path,
    *,
    require_login: bool,
    anonymous: bool = False,
    transport: httpx.BaseTransport | None = None,
) -> RemoteClient:
    """A client for `site_dir`'s project, with the stored session applied (refreshed if it expires soon).

    `require_login=True` raises AuthError("not logged in") when there is no usable session;
    otherwise such a client is anonymous. `anonymous=True` ignores the stored session: the client
    sees what a visitor sees (doctor's anonymous probes). `transport` replaces the network (tests
    inject faults).
    """
    settings = load_remote_settings(site_dir)
    session = None if anonymous else load_session(site_dir)
    if session is not None and session.url != settings.url:
        log.warning(
            "warning: the stored login is for %s, but SUPABASE_URL is %s; ignoring it "
            "(run `sitegen login` to log in there)",
            session.url,
            settings.url,
        )
        session = None
    if session is None and require_login:
        raise AuthError("not logged in", hint="run `sitegen login` (or `sitegen signup` first)")
    client = connect(settings, session, transport=transport)
    if client.session is not session and client.session is not None:
        try:
            save_session(site_dir, client.session)  # refresh tokens rotate: keep the new one now
        except BaseException:
            client.close()
            raise
    return client


def signup(site_dir: Path, email: str, password: str) -> SignupResult:
    """Create an account; logs in at once when the project does not require email confirmation."""
    settings = load_remote_settings(site_dir)
    with make_http_client() as http:
        supabase = make_supabase(settings, http, None)
        response = _auth_call(
            lambda: supabase.auth.sign_up({"email": email, "password": password}),
            idempotent=False,
            describe="sign up",
        )
    if response.session is None:
        return SignupResult(email=email, session=None)
    session = stored_session(settings, response.session)
    save_session(site_dir, session)
    return SignupResult(email=email, session=session)


def login(site_dir: Path, email: str, password: str) -> StoredSession:
    """Log in with email and password and store the session (mode 0600)."""
    settings = load_remote_settings(site_dir)
    with make_http_client() as http:
        supabase = make_supabase(settings, http, None)
        response = _auth_call(
            lambda: supabase.auth.sign_in_with_password({"email": email, "password": password}),
            idempotent=True,
            describe="log in",
        )
    if response.session is None:
        raise AuthError("log in failed: the server returned no session", hint="try again")
    session = stored_session(settings, response.session)
    save_session(site_dir, session)
    return session


def logout(site_dir: Path, *, everywhere: bool = False) -> LogoutResult:
    """Revoke the session on the server (all of the user's sessions with `everywhere`), then forget it.

    The local file is deleted even when the server cannot be reached; `warning` then says so.
    """
    if load_session(site_dir) is None:
        return LogoutResult(had_session=False, revoked=False)
    revoked, warning = False, None
    try:
        with open_client(site_dir, require_login=True) as client:
            assert client.session is not None
            token = client.session.access_token
            _auth_call(
                lambda: client.supabase.auth.admin.sign_out(
                    token, "global" if everywhere else "local"
                ),
                idempotent=True,
                describe="log out",
            )
        revoked = True
    except AuthError:
        pass  # already expired or revoked on the server: nothing is left to revoke
    except RemoteError as exc:
        warning = (
            f"{exc.message}; the session was forgotten on this computer but stays valid "
            "on the server until it expires"
        )
    delete_session(site_dir)
    return LogoutResult(had_session=True, revoked=revoked, warning=warning)


def whoami(site_dir: Path) -> Identity:
    """Who the stored session belongs to, checked with the server (refreshing the session if
    needed), and their role on the site."""
    with open_client(site_dir, require_login=True) as client:
        assert client.session is not None
        token = client.session.access_token
        response = _auth_call(
            lambda: client.supabase.auth.get_user(token),
            idempotent=True,
            describe="check the login",
        )
        session = client.session
        role = my_role(client)
    user = response.user if response else None
    if user is None:
        raise AuthError("not logged in", hint="run `sitegen login`")
    return Identity(
        email=user.email or session.email,
        user_id=str(user.id),
        url=session.url,
        expires_at=session.expires_at,
        role=role,
    )


def _auth_call(call: Callable[[], T], *, idempotent: bool, describe: str) -> T:
    """Run an auth request under the retry policy; any failure becomes AuthError/RemoteError."""
    try:
        return with_retries(call, idempotent=idempotent, describe=describe)
    except RemoteError:
        raise
    except Exception as exc:
        if classify(exc) is None and type(exc).__module__.split(".")[0] != "supabase_auth":
            raise
        raise as_remote_error(exc, describe) from None
