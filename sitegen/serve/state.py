"""What the preview shows right now, shared by the rebuild loop, the pull loop and the server.

Two things: the current problems by source (a failing build, a failing pull), which the server
overlays on every page; and whether a build is running, so the server holds requests until the
build has finished writing and never serves a half-written site.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sitegen.serve.overlay import Problem

IDLE_POLL_SECONDS = 0.01
MAX_HOLD_SECONDS = 30.0


class PreviewState:
    """Thread-safe: written by the loops, read by request handlers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._problems: dict[str, tuple[Problem, ...]] = {}
        self._idle = threading.Event()
        self._idle.set()

    def set_problems(self, source: str, problems: tuple[Problem, ...]) -> bool:
        """Replace the problems of one source ("build", "pull"); True when that changed them."""
        with self._lock:
            before = self._problems.get(source, ())
            if problems:
                self._problems[source] = problems
            else:
                self._problems.pop(source, None)
            return before != problems

    def problems(self) -> tuple[Problem, ...]:
        """Every current problem, build first."""
        with self._lock:
            return tuple(p for source in sorted(self._problems) for p in self._problems[source])

    @contextmanager
    def building(self) -> Iterator[None]:
        """Mark the output folder as being rewritten for the duration of the block."""
        self._idle.clear()
        try:
            yield
        finally:
            self._idle.set()

    async def wait_until_idle(self) -> None:
        """Wait (without blocking the event loop) until no build is writing; gives up after 30 s."""
        waited = 0.0
        while not self._idle.is_set() and waited < MAX_HOLD_SECONDS:
            await asyncio.sleep(IDLE_POLL_SECONDS)
            waited += IDLE_POLL_SECONDS
