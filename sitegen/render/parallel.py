"""Run a range-based task on both cores with forked workers, when the work is large enough.

The task is a closure over the build's in-memory state; workers are forked after it is set,
so they inherit that state and only the (start, stop) ranges and results cross processes.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

R = TypeVar("R")

_task: Callable[[int, int], object] | None = None


def _run(start: int, stop: int) -> object:
    assert _task is not None
    return _task(start, stop)


def worker_count(requested: int | None, work: int, threshold: int) -> int:
    """Processes to use: `requested`, or automatically 1 (in process) unless the work is large
    enough to pay for forking. Automatic mode does not fork a process that runs other threads
    (the dev server): a forked child could inherit a lock held by one of them."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if requested is not None:
        return max(1, min(requested, cores * 4))
    if work < threshold or threading.active_count() > 1:
        return 1
    return min(cores, 2) if "fork" in multiprocessing.get_all_start_methods() else 1


def map_ranges(task: Callable[[int, int], R], total: int, workers: int, chunks_per_worker: int = 4
               ) -> Iterator[tuple[int, int, R]]:
    """Yield (start, stop, task(start, stop)) over [0, total) in order, using `workers` processes."""
    global _task
    if total == 0:
        return
    if workers <= 1:
        step = max(1, -(-total // 8))  # a few slices so progress can be reported
        for start in range(0, total, step):
            stop = min(total, start + step)
            yield start, stop, task(start, stop)
        return
    step = max(1, -(-total // (workers * chunks_per_worker)))
    _task = task
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [(s, min(total, s + step), pool.submit(_run, s, min(total, s + step)))
                       for s in range(0, total, step)]
            for start, stop, future in futures:
                yield start, stop, future.result()  # type: ignore[misc]
    finally:
        _task = None
