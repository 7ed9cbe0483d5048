"""One retry policy for every request sitegen makes to Supabase.

Connection errors, timeouts, dropped connections, 5xx and 429 are retried with exponential backoff
and jitter, within a bounded number of attempts and total time; a 429's Retry-After is honoured.
A non-idempotent operation (one that must not run twice) is retried only when the failure proves the
request never reached the server (could not connect, or 429). postgrest-py's own GET retries are
turned off in client.py so this is the only policy. Clock, sleep and randomness are injectable so
the policy is tested as pure logic.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from sitegen.errors import RemoteError
from sitegen.remote.failures import Failure, as_remote_error, classify

T = TypeVar("T")
log = logging.getLogger("sitegen.remote")


@dataclass(frozen=True)
class RetryPolicy:
    """Limits: attempts in all, the first and largest pause, and the whole time budget (seconds)."""

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_total: float = 60.0

    def delay(self, attempt: int, failure: Failure, rand: float) -> float:
        """Pause before attempt `attempt + 1`: Retry-After if given, else backoff with equal jitter."""
        if failure.retry_after is not None:
            return failure.retry_after
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return ceiling / 2 + ceiling / 2 * rand


DEFAULT_POLICY = RetryPolicy()


def with_retries(
    operation: Callable[[], T],
    *,
    idempotent: bool,
    describe: str,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    rand: Callable[[], float] = random.random,
) -> T:
    """Run `operation`, retrying transient failures; `describe` names it in messages ("pull posts").

    Errors retrying cannot fix (an RLS refusal, a version conflict, bad input) are re-raised
    unchanged so callers can inspect them; a transient failure that outlasts the policy becomes a
    RemoteError saying what failed and what to do.
    """
    policy = policy or DEFAULT_POLICY  # looked up per call, so tests can shorten it
    started = clock()
    attempt = 1
    while True:
        try:
            return operation()
        except Exception as exc:
            failure = classify(exc)
            if failure is None:
                raise
            if not (idempotent or failure.not_processed):
                raise _final(
                    exc, describe, attempt, "it may have been applied, so it was not repeated"
                ) from exc
            pause = policy.delay(attempt, failure, rand())
            if attempt >= policy.max_attempts:
                raise _final(exc, describe, attempt, "") from exc
            if clock() - started + pause > policy.max_total:
                raise _final(
                    exc,
                    describe,
                    attempt,
                    f"the next try would be after {pause:.0f} s, beyond the time limit",
                ) from exc
            # A warning, not debug: without it a user waits up to a minute looking at nothing.
            log.warning(
                "%s: %s; retrying in %.1f s (attempt %d of %d)",
                describe,
                failure.summary,
                pause,
                attempt + 1,
                policy.max_attempts,
            )
            sleep(pause)
            attempt += 1


def _final(exc: Exception, describe: str, attempts: int, note: str) -> RemoteError:
    """The user-facing error for a failure that was not (or no longer) retried."""
    error = as_remote_error(exc, describe)
    tries = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
    error.message = f"{error.message} ({tries}{'; ' + note if note else ''})"
    error.args = (error.message,)
    return error


def request(
    operation: Callable[[], T],
    describe: str,
    *,
    idempotent: bool = True,
    explain: Mapping[str, tuple[str, str]] | None = None,
) -> T:
    """Run one request under the retry policy; any failure becomes a RemoteError for the user.

    `explain` maps a PostgreSQL/PostgREST error code (e.g. "42501", "23505") to the message and
    hint that the caller knows fit its request better than the generic ones.
    """
    try:
        return with_retries(operation, idempotent=idempotent, describe=describe)
    except RemoteError:
        raise
    except Exception as exc:
        code = getattr(exc, "code", None)
        if explain and isinstance(code, str) and code in explain:
            message, hint = explain[code]
            raise RemoteError(f"{describe} failed: {message}", hint=hint) from None
        raise as_remote_error(exc, describe) from None
