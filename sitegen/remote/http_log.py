"""The httpx layer under the Supabase client: `-v` request logging and turning 429/5xx into retries.

`LoggedTransport` wraps the real transport and logs one line per request - method, path, status,
milliseconds - to the `sitegen.http` logger (shown with -v). Only the path and non-secret query
parameters are logged: never headers (Authorization, apikey), never bodies (they carry passwords
and tokens). `raise_transient_status` is a response hook that raises TransientResponse for 429 and
5xx so retry.py sees every sub-client's failures the same way.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

from sitegen.remote.failures import TRANSIENT_STATUSES, TransientResponse, parse_retry_after

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("sitegen.http")
SECRET_PARAMETERS = frozenset(
    {"token", "apikey", "access_token", "refresh_token", "password", "code", "key"}
)


def loggable_target(url: httpx.URL) -> str:
    """`/rest/v1/posts?select=slug` with secret query values replaced by `***`."""
    query = url.query.decode("ascii", "replace")
    if not query:
        return url.path
    pairs = [
        (k, "***" if k.lower() in SECRET_PARAMETERS else v)
        for k, v in parse_qsl(query, keep_blank_values=True)
    ]
    return url.path + "?" + urlencode(pairs, safe='*,()."')


def make_logged_transport(inner: httpx.BaseTransport) -> httpx.BaseTransport:
    """`inner` wrapped so that every request is logged (and timed) at DEBUG level."""
    import httpx

    class LoggedTransport(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            started = time.perf_counter()
            try:
                response = inner.handle_request(request)
            except httpx.HTTPError as exc:
                log.debug(
                    "%s %s failed: %s (%d ms)",
                    request.method,
                    loggable_target(request.url),
                    type(exc).__name__,
                    _ms(started),
                )
                raise
            log.debug(
                "%s %s %d (%d ms)",
                request.method,
                loggable_target(request.url),
                response.status_code,
                _ms(started),
            )
            return response

        def close(self) -> None:
            inner.close()

    return LoggedTransport()


def raise_transient_status(response: httpx.Response) -> None:
    """Response hook: 429 and 5xx become TransientResponse (with the server's message, if any)."""
    if response.status_code not in TRANSIENT_STATUSES:
        return
    response.read()
    raise TransientResponse(
        response.status_code,
        response.request.method,
        str(response.request.url),
        _server_message(response),
        parse_retry_after(response.headers.get("retry-after")),
    )


def _server_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        for name in ("message", "msg", "error_description", "error"):
            if isinstance(body.get(name), str):
                return body[name][:300]
    return ""


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
