from __future__ import annotations

import itertools
import os
import threading

import pytest

from sitegen.render.parallel import Deferred, guided_ranges, run_ranges, worker_count


def test_forked_workers_return_results_in_order() -> None:
    data = list(range(100))
    results = list(
        run_ranges(lambda a, b: (os.getpid(), sum(data[a:b])), len(data), jobs=2, threshold=1)
    )
    assert sum(total for _, _, (_, total) in results) == sum(data)
    assert [start for start, _, _ in results] == sorted(start for start, _, _ in results)
    assert {pid for _, _, (pid, _) in results} != {os.getpid()}  # really in other processes


def test_small_work_and_threaded_processes_stay_in_process() -> None:
    assert worker_count(None, 10, threshold=64) == 1
    assert worker_count(3, 10, threshold=64) == 3
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert worker_count(None, 10_000, threshold=64) == 1
    finally:
        stop.set()
        thread.join()


def test_guided_ranges_cover_the_work_and_shrink_to_the_smallest() -> None:
    ranges = guided_ranges(1100, workers=2, smallest=16)
    assert ranges[0] == (0, 275) and ranges[-1][1] == 1100
    assert all(stop == start for (_, stop), (start, _) in itertools.pairwise(ranges))
    sizes = [stop - start for start, stop in ranges]
    assert sizes == sorted(sizes, reverse=True) and min(sizes[:-1]) == 16
    assert guided_ranges(5, workers=2, smallest=16) == [(0, 5)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_while_waiting_runs_here_while_the_workers_work_and_not_without_workers(jobs: int) -> None:
    """With workers it runs before the first result is taken, in the builder; in process there
    is no idle time to fill, and deferred calls wait until their values are needed."""
    seen: list[object] = []
    results = run_ranges(
        lambda a, b: (os.getpid(), b - a),
        40,
        jobs=jobs,
        threshold=1,
        while_waiting=(lambda: seen.append(("waiting", os.getpid())),),
    )
    for _, _, (pid, count) in results:
        seen.append(count)
        assert (pid == os.getpid()) == (jobs == 1)
    waited = [("waiting", os.getpid())] if jobs == 2 else []
    assert seen[: len(waited)] == waited and sum(seen[len(waited) :]) == 40  # type: ignore[arg-type]


def test_a_deferred_call_runs_once_when_run_or_first_needed() -> None:
    calls: list[int] = []
    deferred = Deferred(lambda n: calls.append(n) or n * 2, 21)
    assert not deferred.done
    deferred.run()
    assert deferred.done
    deferred.run()
    assert deferred.value() == 42 and calls == [21]
    assert Deferred(lambda: "made when needed").value() == "made when needed"
