"""Writing pulled files: only inside content/, atomically, and durable before the base says so.

A large pull writes thousands of small files; creating a file costs far more than rendering it.
So files are written by a couple of background threads (file system calls release the GIL) while
the pull keeps converting rows, each renamed into place without an fsync of its own; `flush`
waits for all of them, syncs once, and only then runs the callbacks that record them in the base.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from sitegen.errors import ContentError
from sitegen.sync.state import write_atomic

WRITER_THREADS = 1  # one writer overlaps the I/O with row conversion; more did not help (measured)


class ContentWriter:
    """Writes and deletes files under `root`; use as a context manager, `flush` before recording."""

    def __init__(self, root: Path, site_dir: Path) -> None:
        self.root = root.resolve()
        self.site_dir = site_dir
        self._safe_folders: set[Path] = set()
        self._pool = ThreadPoolExecutor(WRITER_THREADS, thread_name_prefix="sitegen-write")
        self._pending: list[tuple[Future[None], Path, Callable[[], None]]] = []

    def write(self, target: Path, data: bytes, on_written: Callable[[], None]) -> None:
        """Queue `data` for `target`; `on_written` runs in `flush` once it is safely on disk."""
        self._check(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        future = self._pool.submit(write_atomic, target, data, durable=False)
        self._pending.append((future, target, on_written))

    def delete(self, target: Path) -> None:
        """Delete `target` now (it must be inside the root too)."""
        self._check(target)
        target.unlink(missing_ok=True)

    def flush(self) -> list[ContentError]:
        """Wait for every queued write, sync, run the callbacks of those that succeeded."""
        done, errors = [], []
        for future, target, on_written in self._pending:
            try:
                future.result()
                done.append(on_written)
            except OSError as exc:
                errors.append(ContentError(f"cannot write the file: {exc.strerror or exc}",
                                           file=target.relative_to(self.site_dir).as_posix()))
        self._pending = []
        if done:
            os.sync()
        for on_written in done:
            on_written()
        return errors

    def _check(self, target: Path) -> None:
        """The folder must resolve inside the root (symlinks included) before anything is made."""
        folder = target.parent
        if folder not in self._safe_folders:
            if not folder.resolve().is_relative_to(self.root):
                raise ContentError(f"{folder} leads outside {self.root}; nothing written there",
                                   hint="remove the symlink that leads out of content/")
            self._safe_folders.add(folder)

    def __enter__(self) -> ContentWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._pool.shutdown(wait=True)
