"""What went wrong talking to Supabase, in one place: classify exceptions, explain them to users.

The client libraries fail in different ways (see docs supabase-wire.md §5): postgrest and storage3
let raw httpx exceptions through, supabase_auth wraps them in AuthRetryableError, and each has its
own error class for HTTP errors. 429 and 5xx responses are turned into `TransientResponse` by a
response hook (client.py) so that one retry policy (retry.py) sees every sub-client alike.

    classify(exc)          -> Failure | None   transient? was the request certainly not processed?
    as_remote_error(exc)   -> RemoteError/AuthError with a message and a hint for the user
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from sitegen.errors import AuthError, RemoteError

TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 530})
LOGIN_HINT = "run `sitegen login`"
OWN_ROWS_HINT = (
    "Row Level Security only lets authors change their own rows; check you are "
    "logged in as the right user (`sitegen whoami`)"
)
KEY_HINT = (
    "copy the anon / publishable key of this project (Supabase dashboard: Project "
    "Settings -> API) into SUPABASE_ANON_KEY in .env"
)
SCHEMA_HINT = (
    "apply the SQL files in sql/ to your project (see sql/README.md), then run `sitegen doctor`"
)


class TransientResponse(Exception):
    """The server answered 429 or 5xx: worth retrying (raised by a response hook, never by users)."""

    def __init__(
        self, status: int, method: str, url: str, message: str, retry_after: float | None
    ) -> None:
        super().__init__(f"HTTP {status} from {method} {urlsplit(url).path}")
        self.status = status
        self.method = method
        self.url = url
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class Failure:
    """A transient failure: `not_processed` means repeating even a non-idempotent request is safe."""

    kind: Literal["unreachable", "timeout", "dropped", "status"]
    not_processed: bool
    summary: str
    url: str | None = None
    retry_after: float | None = None
    status: int | None = None
    message: str = ""


def classify(exc: BaseException) -> Failure | None:
    """The transient failure behind `exc` (following `__cause__`), or None if retrying cannot help."""
    import httpx

    for error in _chain(exc):
        if isinstance(error, TransientResponse):
            return Failure(
                "status",
                error.status == 429,
                str(error),
                error.url,
                error.retry_after,
                error.status,
                error.message,
            )
        if isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
            return Failure(
                "unreachable", True, f"cannot connect ({type(error).__name__})", _request_url(error)
            )
        if isinstance(error, httpx.TimeoutException):
            return Failure(
                "timeout", False, f"no answer in time ({type(error).__name__})", _request_url(error)
            )
        if isinstance(error, (httpx.NetworkError, httpx.RemoteProtocolError)):
            return Failure(
                "dropped",
                False,
                f"connection dropped ({type(error).__name__})",
                _request_url(error),
            )
    return None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def as_remote_error(exc: BaseException, describe: str) -> RemoteError:
    """A user-facing RemoteError (AuthError for session problems) explaining `exc`."""
    if isinstance(exc, RemoteError):
        return exc
    failure = classify(exc)
    if failure is not None:
        return _transient_error(failure, describe)
    for error in _chain(exc):
        module = type(error).__module__.split(".")[0]
        if module == "supabase_auth":
            return auth_error(error, describe)
        if module == "postgrest":
            return _postgrest_error(error, describe)
        if module == "storage3":
            return _storage_error(error, describe)
    return RemoteError(f"{describe} failed: {type(exc).__name__}: {exc}")


def _transient_error(failure: Failure, describe: str) -> RemoteError:
    where = _origin(failure.url)
    if failure.kind == "unreachable":
        return RemoteError(
            f"{describe} failed: cannot reach the Supabase server at {where}",
            hint="check SUPABASE_URL in .env and your network connection "
            "(a paused Supabase project also refuses connections)",
        )
    if failure.kind == "timeout":
        return RemoteError(
            f"{describe} failed: {where} did not answer in time",
            hint="try again; if it keeps happening, check the project's status page",
        )
    if failure.kind == "dropped":
        return RemoteError(
            f"{describe} failed: the connection to {where} was dropped",
            hint="try again; sitegen is safe to re-run",
        )
    detail = f": {failure.message}" if failure.message else ""
    hint = (
        "the server is rate-limiting requests; wait a minute and try again"
        if failure.status == 429
        else "the server had a problem; try again in a moment"
    )
    return RemoteError(
        f"{describe} failed: {where} answered HTTP {failure.status}{detail}", hint=hint
    )


# Auth error codes (GoTrue) -> message and hint. Codes: supabase_auth/errors.py and wire doc §2.
_AUTH_CODES: dict[str, tuple[str, str]] = {
    "invalid_credentials": (
        "wrong email or password",
        "check both; no account yet? run `sitegen signup`",
    ),
    "email_not_confirmed": (
        "this email address is not confirmed yet",
        "open the confirmation link in the email Supabase sent you, then run `sitegen login` again",
    ),
    "user_already_exists": ("an account with this email already exists", LOGIN_HINT),
    "email_exists": ("an account with this email already exists", LOGIN_HINT),
    "signup_disabled": (
        "sign-ups are disabled for this Supabase project",
        "ask the project owner to invite you, or enable email sign-ups",
    ),
    "email_address_invalid": ("the email address is not valid", "check it for typos"),
    "validation_failed": ("the server rejected the request", "check the email address"),
    "user_banned": ("this account is banned", "ask the project owner"),
    "over_request_rate_limit": ("too many requests", "wait a minute and try again"),
    "over_email_send_rate_limit": ("too many emails were sent", "wait a while and try again"),
    "refresh_token_not_found": ("session expired", LOGIN_HINT),
    "refresh_token_already_used": ("session expired", LOGIN_HINT),
    "session_not_found": ("session expired or was logged out", LOGIN_HINT),
    "session_expired": ("session expired", LOGIN_HINT),
    "bad_jwt": ("session expired or is invalid", LOGIN_HINT),
    "no_authorization": ("not logged in", LOGIN_HINT),
    "user_not_found": ("the account no longer exists", "run `sitegen signup` or `sitegen login`"),
}
_WEAK_REASONS = {
    "length": "it is too short",
    "characters": "it needs more kinds of characters (lower case, upper case, digits, symbols)",
    "pwned": "it appears in a list of leaked passwords",
}


def auth_error(error: BaseException, describe: str) -> AuthError:
    """Explain a supabase_auth exception (AuthApiError and friends)."""
    code = getattr(error, "code", None)
    message = getattr(error, "message", None) or str(error)
    reasons = getattr(error, "reasons", None)
    if code == "weak_password" or reasons:
        listed = "; ".join(_WEAK_REASONS.get(r, r) for r in reasons or []) or message
        return AuthError(
            f"{describe} failed: the password is too weak: {listed}",
            hint=f"choose a longer, less common password (server: {message})",
        )
    if _is_key_refusal(message):
        return _key_error(describe, message)
    if isinstance(code, str) and code in _AUTH_CODES:
        text, hint = _AUTH_CODES[code]
        return AuthError(f"{describe} failed: {text}", hint=hint)
    status = getattr(error, "status", None)
    suffix = f" (HTTP {status}, {code})" if code else (f" (HTTP {status})" if status else "")
    return AuthError(f"{describe} failed: {message}{suffix}")


def _postgrest_error(error: Any, describe: str) -> RemoteError:
    code = str(getattr(error, "code", "") or "")
    message = str(getattr(error, "message", "") or error)
    if code in ("PGRST301", "PGRST302", "PGRST303"):
        return AuthError(
            f"{describe} failed: the server rejected the session ({message})", hint=LOGIN_HINT
        )
    if code == "42501":
        return RemoteError(f"{describe} failed: permission denied ({message})", hint=OWN_ROWS_HINT)
    if not code and _is_key_refusal(message):
        return _key_error(describe, message)
    if code in ("PGRST205", "PGRST202", "42P01", "42883"):
        return RemoteError(
            f"{describe} failed: the database schema is missing ({message})", hint=SCHEMA_HINT
        )
    hint = getattr(error, "hint", None)
    return RemoteError(
        f"{describe} failed: {message}" + (f" ({code})" if code else ""),
        hint=str(hint) if hint else None,
    )


def _is_key_refusal(message: str) -> bool:
    """The API gateway's 401 for a wrong or malformed anon key ("Invalid API key")."""
    return "invalid api key" in message.lower()


def _key_error(describe: str, message: str) -> AuthError:
    return AuthError(
        f"{describe} failed: the server does not accept this key ({message})",
        field="SUPABASE_ANON_KEY",
        hint=KEY_HINT,
    )


def _storage_error(error: Any, describe: str) -> RemoteError:
    status = str(getattr(error, "status", "") or "")
    message = str(getattr(error, "message", "") or error)
    if status in ("401", "403"):
        return RemoteError(
            f"{describe} failed: storage refused it ({message})",
            hint="authors can only write under their own folder in the media "
            "bucket; check you are logged in (`sitegen whoami`)",
        )
    if status == "404" and "bucket" in message.lower():
        return RemoteError(f"{describe} failed: {message}", hint=SCHEMA_HINT)
    return RemoteError(f"{describe} failed: {message}" + (f" (status {status})" if status else ""))


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _request_url(error: Any) -> str | None:
    try:
        return str(error.request.url)
    except RuntimeError:  # httpx raises when the exception has no request attached
        return None


def _origin(url: str | None) -> str:
    if not url:
        return "the server"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
