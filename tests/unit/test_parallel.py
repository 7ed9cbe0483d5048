from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterator

from sitegen.render.parallel import after_first, guided_ranges, map_ranges, worker_count


def test_forked_workers_return_results_in_order() -> None:
    data = list(range(100))
    results = list(map_ranges(lambda a, b: (os.getpid(), sum(data[a:b])), len(data), workers=2))
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


def test_meanwhile_runs_once_after_the_first_result_or_at_the_end() -> None:
    seen: list[object] = []

    def results(count: int) -> Iterator[int]:
        for n in range(count):
            seen.append(f"made {n}")
            yield n

    for value in after_first(results(2), lambda: seen.append("meanwhile")):
        seen.append(value)
    assert seen == ["made 0", "meanwhile", 0, "made 1", 1]
    seen.clear()
    assert list(after_first(results(0), lambda: seen.append("meanwhile"))) == []
    assert seen == ["meanwhile"]
