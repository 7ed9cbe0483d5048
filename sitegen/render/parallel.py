"""The build's one executor: a range-based task on both cores with forked workers, when the
work is large enough to pay for them (`run_ranges`).

The task is a closure over the build's in-memory state; workers are forked after it is set,
so they inherit that state and only the (start, stop) ranges and results cross processes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

R = TypeVar("R")

_task: Callable[[int, int], object] | None = None


def _run(start: int, stop: int) -> object:
    assert _task is not None
    return _task(start, stop)


def run_ranges(
    task: Callable[[int, int], R],
    total: int,
    *,
    jobs: int | None,
    threshold: int,
    while_waiting: Sequence[Callable[[], object]] = (),
) -> Iterator[tuple[int, int, R]]:
    """Yield (start, stop, task(start, stop)) over [0, total) in order, on `jobs` processes
    (None: decide by `total` against `threshold`, see worker_count). `while_waiting` are run
    in this process once the workers have started, where it would otherwise only wait for
    them (in process there is no such time: they are not run). Ranges shrink as the work runs
    out (guided scheduling, see guided_ranges), so the workers finish close together."""
    global _task
    workers = worker_count(jobs, total, threshold)
    if workers <= 1:
        step = max(1, -(-total // 8))  # a few slices so progress can be reported
        for start in range(0, total, step):
            stop = min(total, start + step)
            yield start, stop, task(start, stop)
        return
    # Imported here: ~25 ms that a build rendering in its own process (an edit) never needs.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _task = task
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [
                (start, stop, pool.submit(_run, start, stop))
                for start, stop in guided_ranges(total, workers, smallest=16)
            ]
            for call in while_waiting:  # the workers were forked by the first submit
                call()
            for start, stop, future in futures:
                yield start, stop, future.result()  # type: ignore[misc]
    finally:
        _task = None


def worker_count(requested: int | None, work: int, threshold: int) -> int:
    """Processes to use: `requested`, or automatically 1 (in process) unless the work is large
    enough to pay for forking. Automatic mode does not fork a process that runs other threads
    (the dev server): a forked child could inherit a lock held by one of them."""
    cores = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )
    if requested is not None:
        return max(1, min(requested, cores * 4))
    if work < threshold or threading.active_count() > 1:
        return 1
    import multiprocessing

    return min(cores, 2) if "fork" in multiprocessing.get_all_start_methods() else 1


def guided_ranges(total: int, workers: int, smallest: int) -> list[tuple[int, int]]:
    """Consecutive ranges over [0, total): each a 1/(2 * workers) share of what is left, and
    at least `smallest` long."""
    ranges, start = [], 0
    while start < total:
        stop = min(total, start + max(smallest, (total - start) // (2 * workers)))
        ranges.append((start, stop))
        start = stop
    return ranges


class Deferred(Generic[R]):
    """A call made once: in this process's idle time while the workers work (`run`, given as
    a `while_waiting`), or when its value is first needed, whichever comes first (`done`
    tells which has happened)."""

    def __init__(self, function: Callable[..., R], *args: object) -> None:
        self._call: Callable[[], R] | None = lambda: function(*args)
        self._value: R | None = None

    @property
    def done(self) -> bool:
        return self._call is None

    def run(self) -> None:
        if self._call is not None:
            self._value, self._call = self._call(), None

    def value(self) -> R:
        self.run()
        return self._value  # type: ignore[return-value]
