from __future__ import annotations

import os
import threading

from sitegen.render.parallel import map_ranges, worker_count


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
