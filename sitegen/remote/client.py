"""`open_client`: a supabase-py client for this site, logged in as the stored session (or anonymous).

Why it is built by hand rather than with `create_client`:
- one shared httpx client (ClientOptions(httpx_client=...)) gives every sub-client the same
  timeouts, the -v request log and the 429/5xx hook (http_log.py);
- postgrest-py's own GET retries are off, so retry.py is the only retry policy;
- `auto_refresh_token=False, persist_session=False`: supabase-py would otherwise start a refresh
  Timer thread per sign-in; a CLI refreshes once, up front, and saves the rotated session itself;
- the access token is passed as the `Authorization` header, so using a stored session costs no
  extra request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.errors import AuthError
from sitegen.remote.failures import as_remote_error
from sitegen.remote.http_log import make_logged_transport, raise_transient_status
from sitegen.remote.retry import with_retries
from sitegen.remote.settings import RemoteSettings, load_remote_settings
from sitegen.session import StoredSession, load_session, save_session

if TYPE_CHECKING:
    import httpx
    from supabase import Client

log = logging.getLogger("sitegen.remote")
CONNECT_TIMEOUT = 10.0
REQUEST_TIMEOUT = 60.0
_EXPIRED_CODES = frozenset(
    {
        "refresh_token_not_found",
        "refresh_token_already_used",
        "session_not_found",
        "session_expired",
        "bad_jwt",
        "user_not_found",
    }
)


@dataclass
class RemoteClient:
    """A ready supabase client; `user_id`/`email`/`session` are None when anonymous. Close it after use."""

    supabase: Client
    settings: RemoteSettings
    session: StoredSession | None
    http: httpx.Client = field(repr=False)

    @property
    def url(self) -> str:
        return self.settings.url

    @property
    def user_id(self) -> str | None:
        return self.session.user_id if self.session else None

    @property
    def email(self) -> str | None:
        return self.session.email if self.session else None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> RemoteClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


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
    http = make_http_client(transport)
    try:
        if session is not None and session.needs_refresh():
            session = refresh_session(site_dir, settings, http, session)
        supabase = make_supabase(settings, http, session.access_token if session else None)
    except BaseException:
        http.close()
        raise
    return RemoteClient(supabase=supabase, settings=settings, session=session, http=http)


def make_http_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The one httpx client all sub-clients share: timeouts, -v logging, 429/5xx -> retryable."""
    import httpx

    return httpx.Client(
        transport=make_logged_transport(transport or httpx.HTTPTransport()),
        timeout=httpx.Timeout(REQUEST_TIMEOUT, connect=CONNECT_TIMEOUT),
        follow_redirects=True,
        event_hooks={"response": [raise_transient_status]},
    )


def make_supabase(settings: RemoteSettings, http: httpx.Client, access_token: str | None) -> Client:
    """A supabase client on `http`; requests carry `access_token` when given, else the anon key."""
    from supabase import Client, ClientOptions
    from supabase.lib.client_options import DEFAULT_HEADERS

    headers = dict(DEFAULT_HEADERS)
    if access_token:
        headers["Authorization"] = f"Bearer {access_token}"
    options = ClientOptions(
        headers=headers,
        auto_refresh_token=False,
        persist_session=False,
        postgrest_client_retry=False,
        httpx_client=http,
    )
    return Client(settings.url, settings.anon_key, options)


def stored_session(settings: RemoteSettings, session: Any) -> StoredSession:
    """A supabase_auth Session as the StoredSession written to `.sitegen/session.json`."""
    return StoredSession(
        url=settings.url,
        user_id=str(session.user.id),
        email=session.user.email or "",
        expires_at=int(session.expires_at),
        access_token=session.access_token,
        refresh_token=session.refresh_token,
    )


def refresh_session(
    site_dir: Path, settings: RemoteSettings, http: httpx.Client, session: StoredSession
) -> StoredSession:
    """Swap the refresh token for a new session and save it (refresh tokens rotate: save at once)."""
    supabase = make_supabase(settings, http, None)
    try:
        response = with_retries(
            lambda: supabase.auth.refresh_session(session.refresh_token),
            idempotent=False,
            describe="refresh the login session",
        )
    except Exception as exc:
        if getattr(exc, "code", None) in _EXPIRED_CODES:
            raise AuthError("session expired", hint="run `sitegen login`") from None
        raise as_remote_error(exc, "refresh the login session") from None
    if response.session is None:
        raise AuthError("session expired", hint="run `sitegen login`")
    fresh = stored_session(settings, response.session)
    save_session(site_dir, fresh)
    log.debug("refreshed the login session (expires at %d)", fresh.expires_at)
    return fresh
