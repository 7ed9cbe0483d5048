"""The debounce rule (fake clock) and the queue the watcher fills and the rebuild loop drains."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from sitegen.serve.debounce import ChangeQueue, Debouncer


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_nothing_pending_means_no_delay() -> None:
    assert Debouncer().delay(5.0) is None


def test_batch_is_due_after_the_quiet_period() -> None:
    debouncer = Debouncer(quiet=0.1, max_wait=1.0)
    debouncer.record(10.0)
    assert debouncer.delay(10.0) == pytest.approx(0.1)
    assert debouncer.delay(10.05) == pytest.approx(0.05)
    assert debouncer.delay(10.11) == 0.0


def test_each_change_restarts_the_quiet_period() -> None:
    debouncer = Debouncer(quiet=0.1, max_wait=1.0)
    debouncer.record(0.0)
    debouncer.record(0.08)
    assert debouncer.delay(0.1) == pytest.approx(0.08)  # due at 0.18, not 0.1


def test_max_wait_caps_an_endless_burst() -> None:
    debouncer = Debouncer(quiet=0.2, max_wait=1.0)
    for tick in range(0, 20):
        debouncer.record(tick * 0.05)  # a change every 50 ms, the last at 0.95
    assert debouncer.delay(0.90) == pytest.approx(0.1)  # due at 1.0, not at 0.95 + 0.2
    assert debouncer.delay(1.01) == 0.0


def test_reset_forgets_the_batch() -> None:
    debouncer = Debouncer()
    debouncer.record(1.0)
    debouncer.reset()
    assert debouncer.delay(2.0) is None


def test_queue_merges_a_burst_into_one_batch() -> None:
    clock = FakeClock()
    queue = ChangeQueue(Debouncer(quiet=0.1, max_wait=1.0), clock=clock)
    queue.add([Path("a.md"), Path("b.md")])
    clock.now = 0.05
    queue.add([Path("b.md"), Path("c.md")])
    clock.now = 0.2
    assert queue.next_batch() == {Path("a.md"), Path("b.md"), Path("c.md")}
    queue.add([Path("d.md")])
    clock.now = 0.5
    assert queue.next_batch() == {Path("d.md")}


def test_close_wakes_a_waiting_loop() -> None:
    queue = ChangeQueue()
    results: list[object] = []
    waiter = threading.Thread(target=lambda: results.append(queue.next_batch()))
    waiter.start()
    queue.close()
    waiter.join(5)
    assert not waiter.is_alive()
    assert results == [None]


def test_a_waiting_loop_gets_the_batch_after_the_quiet_period() -> None:
    queue = ChangeQueue(Debouncer(quiet=0.01, max_wait=0.1))
    results: list[object] = []
    waiter = threading.Thread(target=lambda: results.append(queue.next_batch()))
    waiter.start()
    queue.add([Path("x.md")])
    waiter.join(5)
    assert results == [frozenset({Path("x.md")})]


def test_recheck_asks_for_a_build_without_paths() -> None:
    clock = FakeClock()
    queue = ChangeQueue(Debouncer(quiet=0.1, max_wait=1.0), clock=clock)
    queue.recheck()
    clock.now = 0.2
    assert queue.next_batch() == frozenset()
