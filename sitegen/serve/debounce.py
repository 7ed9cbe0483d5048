"""Turn a burst of file events into one rebuild.

An editor save, a `git checkout` or a pull touches many files within milliseconds; rebuilding
per event would reload the browser many times. `Debouncer` is the pure timing rule (testable
with a fake clock); `ChangeQueue` is the thread-safe inbox the watcher fills and the rebuild
loop drains one batch at a time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

QUIET_SECONDS = 0.1
MAX_WAIT_SECONDS = 1.0


@dataclass
class Debouncer:
    """A batch is due once no change arrived for `quiet` seconds, or `max_wait` after its first."""

    quiet: float = QUIET_SECONDS
    max_wait: float = MAX_WAIT_SECONDS
    _first: float | None = field(default=None, init=False)
    _last: float | None = field(default=None, init=False)

    def record(self, now: float) -> None:
        """Note a change seen at `now`."""
        if self._first is None:
            self._first = now
        self._last = now

    def delay(self, now: float) -> float | None:
        """Seconds until the pending batch is due (0 = due now); None when nothing is pending."""
        if self._first is None or self._last is None:
            return None
        due = min(self._last + self.quiet, self._first + self.max_wait)
        return max(0.0, due - now)

    def reset(self) -> None:
        """Forget the pending batch (it was taken)."""
        self._first = self._last = None


class ChangeQueue:
    """Paths changed since the last batch; `next_batch` blocks until a debounced batch is due."""

    def __init__(
        self, debouncer: Debouncer | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._debouncer = debouncer or Debouncer()
        self._clock = clock
        self._paths: set[Path] = set()
        self._closed = False
        self._condition = threading.Condition()

    def add(self, paths: Iterable[Path]) -> None:
        """Record changed paths (called from watchdog's thread)."""
        with self._condition:
            self._paths.update(paths)
            self._debouncer.record(self._clock())
            self._condition.notify_all()

    def recheck(self) -> None:
        """Ask for one build although no path is known to have changed (it may be a no-op)."""
        self.add(())

    def next_batch(self) -> frozenset[Path] | None:
        """Block until a batch is due and return it; None once the queue is closed."""
        with self._condition:
            while not self._closed:
                delay = self._debouncer.delay(self._clock())
                if delay == 0.0:
                    batch = frozenset(self._paths)
                    self._paths.clear()
                    self._debouncer.reset()
                    return batch
                self._condition.wait(timeout=delay)
            return None

    def close(self) -> None:
        """Wake the waiting loop and make it stop."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()
