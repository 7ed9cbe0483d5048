"""The retry policy as pure logic: fake operations, a fake clock and sleep, fixed jitter."""

from __future__ import annotations

import httpx
import pytest

from sitegen.errors import RemoteError
from sitegen.remote.failures import TransientResponse, classify, parse_retry_after
from sitegen.remote.retry import RetryPolicy, with_retries

URL = "http://db.example.test/rest/v1/posts"


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def failing(*errors: BaseException, result: str = "done"):
    """An operation that raises `errors` one per call, then returns `result`; counts calls."""
    calls = []

    def operation() -> str:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return result

    operation.calls = calls  # type: ignore[attr-defined]
    return operation


def connect_error() -> httpx.ConnectError:
    return httpx.ConnectError("refused", request=httpx.Request("GET", URL))


def read_timeout() -> httpx.ReadTimeout:
    return httpx.ReadTimeout("slow", request=httpx.Request("POST", URL))


def status(code: int, retry_after: float | None = None) -> TransientResponse:
    return TransientResponse(code, "POST", URL, "busy", retry_after)


def run(operation, *, idempotent: bool, policy: RetryPolicy = RetryPolicy(), time: FakeTime):
    return with_retries(
        operation,
        idempotent=idempotent,
        describe="pull posts",
        policy=policy,
        sleep=time.sleep,
        clock=time.clock,
        rand=lambda: 1.0,
    )


def test_transient_failures_are_retried_until_success_with_exponential_backoff():
    time = FakeTime()
    operation = failing(connect_error(), status(503), read_timeout())
    assert run(operation, idempotent=True, time=time) == "done"
    assert len(operation.calls) == 4
    assert time.sleeps == [0.5, 1.0, 2.0]  # rand=1.0 gives the top of each jitter window


def test_jitter_keeps_each_pause_between_half_and_all_of_the_backoff():
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0)
    failure = classify(connect_error())
    assert failure is not None
    assert policy.delay(3, failure, 0.0) == 2.0
    assert policy.delay(3, failure, 1.0) == 4.0
    assert policy.delay(10, failure, 1.0) == 8.0  # capped


def test_retry_after_is_honoured_for_429():
    time = FakeTime()
    operation = failing(status(429, retry_after=7.0))
    assert run(operation, idempotent=False, time=time) == "done"
    assert time.sleeps == [7.0]


def test_gives_up_after_max_attempts_with_a_clear_message():
    time = FakeTime()
    operation = failing(*[status(503)] * 10)
    with pytest.raises(RemoteError) as caught:
        run(operation, idempotent=True, policy=RetryPolicy(max_attempts=3), time=time)
    assert len(operation.calls) == 3
    message = str(caught.value)
    assert (
        "pull posts failed" in message and "HTTP 503" in message and "after 3 attempts" in message
    )
    assert "hint:" in message


def test_total_time_is_bounded():
    time = FakeTime()
    operation = failing(*[status(429, retry_after=50.0)] * 5)
    with pytest.raises(RemoteError) as caught:
        run(operation, idempotent=True, policy=RetryPolicy(max_total=60.0), time=time)
    assert time.sleeps == [50.0]  # a second 50 s pause would pass the 60 s budget
    assert "time limit" in str(caught.value)


def test_non_idempotent_operations_are_not_repeated_when_the_request_may_have_been_applied():
    for error in (
        read_timeout(),
        status(503),
        httpx.RemoteProtocolError("dropped", request=httpx.Request("POST", URL)),
    ):
        time = FakeTime()
        operation = failing(error)
        with pytest.raises(RemoteError) as caught:
            run(operation, idempotent=False, time=time)
        assert len(operation.calls) == 1, error
        assert "not repeated" in str(caught.value)


def test_non_idempotent_operations_are_retried_when_the_server_was_never_reached():
    time = FakeTime()
    operation = failing(connect_error(), connect_error())
    assert run(operation, idempotent=False, time=time) == "done"
    assert len(operation.calls) == 3


def test_errors_retrying_cannot_fix_are_raised_unchanged_at_once():
    time = FakeTime()
    error = ValueError("version conflict")
    operation = failing(error)
    with pytest.raises(ValueError) as caught:
        run(operation, idempotent=True, time=time)
    assert caught.value is error and time.sleeps == []


def test_unreachable_server_message_names_the_url():
    time = FakeTime()
    with pytest.raises(RemoteError) as caught:
        run(failing(*[connect_error()] * 5), idempotent=True, time=time)
    assert "cannot reach the Supabase server at http://db.example.test" in str(caught.value)
    assert "SUPABASE_URL" in str(caught.value)


def test_wrapped_network_errors_are_found_through_the_cause_chain():
    try:
        try:
            raise connect_error()
        except httpx.ConnectError as inner:
            raise RuntimeError("wrapped by a client library") from inner
    except RuntimeError as outer:
        failure = classify(outer)
    assert failure is not None and failure.kind == "unreachable" and failure.not_processed


@pytest.mark.parametrize(
    "value, expected",
    [
        ("120", 120.0),
        ("0", 0.0),
        (None, None),
        ("soon", None),
        ("Sun, 22 Nov 2026 03:00:10 GMT", 10.0),
    ],
)
def test_parse_retry_after(value, expected):
    now = 1795316400.0  # 2026-11-22 03:00:00 UTC
    assert parse_retry_after(value, now=now) == expected


def test_each_retry_is_announced_as_a_warning_so_a_wait_is_never_silent(caplog):
    import logging

    time = FakeTime()
    with caplog.at_level(logging.WARNING, logger="sitegen.remote"):
        assert run(failing(connect_error()), idempotent=True, time=time) == "done"
    assert [record.levelno for record in caplog.records] == [logging.WARNING]
    message = caplog.records[0].getMessage()
    assert message.startswith("pull posts: cannot connect (ConnectError); retrying in ")
    assert message.endswith(" s (attempt 2 of 5)")
