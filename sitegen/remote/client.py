"""`connect`: a supabase-py client for a project, logged in with the session it is handed (or anonymous).

The caller (`auth.open_client`) reads the stored login and saves a refreshed one: this module
never touches the session file.

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
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitegen.errors import AuthError
from sitegen.remote.failures import as_remote_error
from sitegen.remote.http_log import make_logged_transport, raise_transient_status
from sitegen.remote.retry import with_retries
from sitegen.remote.settings import RemoteSettings

if TYPE_CHECKING:
    import httpx
    from supabase import Client

log = logging.getLogger("sitegen.remote")
REFRESH_MARGIN = 60  # seconds: refresh a token that expires this soon, before using it
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


@dataclass(frozen=True)
class StoredSession:
    """One logged-in session. Tokens are kept out of repr so they never end up in logs."""

    url: str
    user_id: str
    email: str
    expires_at: int
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)

    def needs_refresh(self, now: float | None = None) -> bool:
        """True when the access token has expired or expires within REFRESH_MARGIN seconds."""
        return self.expires_at - REFRESH_MARGIN <= (time.time() if now is None else now)


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


def connect(
    settings: RemoteSettings,
    session: StoredSession | None,
    *,
    transport: httpx.BaseTransport | None = None,
) -> RemoteClient:
    """A client for `settings`' project using `session` (None: anonymous). A session that expires
    soon is refreshed first; the client's `session` is then the new one, which the caller must
    save at once (refresh tokens rotate). `transport` replaces the network (tests inject faults).
    """
    http = make_http_client(transport)
    try:
        if session is not None and session.needs_refresh():
            session = refresh_session(settings, http, session)
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
    settings: RemoteSettings, http: httpx.Client, session: StoredSession
) -> StoredSession:
    """Swap the refresh token for a new session (refresh tokens rotate: the caller saves it)."""
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
    log.debug("refreshed the login session (expires at %d)", fresh.expires_at)
    return fresh
