"""Writing pulled files: only inside content/, atomically, and durable before the base says so.

A large pull writes thousands of small files; creating a file costs more than rendering it. So
files are written by a background thread (file system calls release the GIL) while the pull
keeps converting rows, each renamed into place without an fsync of its own; `flush` waits for
all of them, makes them durable in one batch (`make_durable`), and only then runs the callbacks
that record them in the base.

Right before replacing a file the writer checks it is still the file that was scanned (same size
and mtime), or that no file is there yet for a new key: an edit made while the pull ran, or a
file holding another key, is never overwritten.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from sitegen.errors import ContentError
from sitegen.fsio import write_atomic

WRITER_THREADS = 1  # one writer overlaps the I/O with row conversion; more did not help (measured)
FSYNC_EACH_MAX = 64  # up to this many files: fsync each (+ folders); more: one syncfs (measured)
ABSENT = "absent"  # `expect` for a new file: nothing may be there yet
Expect = tuple[int, int] | str | None  # (size, mtime_ns) as scanned, ABSENT, or no check


class FileChanged(Exception):
    """The file is no longer the one that was scanned: someone edited it meanwhile."""


class FileOccupied(Exception):
    """A new file's place is taken by another file (one holding another key)."""


Refusal = FileChanged | FileOccupied


class ContentWriter:
    """Writes and deletes files under `root`; use as a context manager, `flush` before recording."""

    def __init__(self, root: Path, site_dir: Path) -> None:
        self.root = root.resolve()
        self.site_dir = site_dir
        self._safe_folders: set[Path] = set()
        self._deleted_from: set[Path] = set()  # folders whose unlinks must become durable too
        self._pool = ThreadPoolExecutor(WRITER_THREADS, thread_name_prefix="sitegen-write")
        self._pending: list[
            tuple[
                Future[os.stat_result],
                Path,
                Callable[[os.stat_result], None],
                Callable[[Refusal], None],
            ]
        ] = []

    def write(
        self,
        target: Path,
        data: bytes,
        *,
        expect: Expect,
        on_written: Callable[[os.stat_result], None],
        on_refused: Callable[[Refusal], None],
    ) -> None:
        """Queue `data` for `target`; in `flush`, `on_written(stat)` runs once it is safely on
        disk, or `on_refused` if the file was not what `expect` says."""
        self._prepare(target)
        future = self._pool.submit(_write_checked, target, data, expect)
        self._pending.append((future, target, on_written, on_refused))

    def delete(self, target: Path, *, expect: Expect) -> None:
        """Delete `target` now if it is still as scanned; raises FileChanged otherwise."""
        self._check_inside(target)
        _check_expected(target, expect)
        target.unlink(missing_ok=True)
        self._deleted_from.add(target.parent)

    def flush(self) -> list[ContentError]:
        """Wait for every queued write, make them durable, then run the callbacks; returns write
        failures. The base records a file only after this, so a crash never leaves a base that
        claims a file whose bytes were still in memory."""
        done, refused, errors = [], [], []
        for future, target, on_written, on_refused in self._pending:
            try:
                done.append((target, on_written, future.result()))
            except (FileChanged, FileOccupied) as exc:
                refused.append((on_refused, exc))
            except OSError as exc:
                errors.append(
                    ContentError(
                        f"cannot write the file: {exc.strerror or exc}",
                        file=target.relative_to(self.site_dir).as_posix(),
                    )
                )
        written = [target for target, _, _ in done]
        self._pending = []
        if written or self._deleted_from:
            make_durable(written, self._deleted_from, self.root)
            self._deleted_from = set()
        for _, on_written, stat in done:
            on_written(stat)
        for on_refused, refusal in refused:
            on_refused(refusal)
        return errors

    def _prepare(self, target: Path) -> None:
        """Check the folder once, then create it (mkdir costs a lot when done per file)."""
        folder = target.parent
        if folder not in self._safe_folders:
            self._check_inside(target)
            folder.mkdir(parents=True, exist_ok=True)
            self._safe_folders.add(folder)

    def _check_inside(self, target: Path) -> None:
        """The folder must resolve inside the root (symlinks included) before anything is made."""
        if not target.parent.resolve().is_relative_to(self.root):
            raise ContentError(
                f"{target.parent} leads outside {self.root}; nothing written there",
                hint="remove the symlink that leads out of content/",
            )

    def __enter__(self) -> ContentWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._pool.shutdown(wait=True)


def make_durable(files: Collection[Path], deleted_from: Collection[Path], root: Path) -> None:
    """Get renamed-into-place `files` (and unlinks in `deleted_from`) onto the disk.

    Few files: fdatasync each and fsync each folder once (a pull of a few edits then waits for
    nothing but its own files). Many files: one syncfs() of the file system holding `root`.
    Measured on ext4, 5000 small renamed files: fdatasync each + folder 1.1-2.3 s, syncfs and
    os.sync() 40-60 ms each, so per-file syncing would eat a third of the initial-pull budget.
    syncfs is bounded to that one file system, unlike os.sync(), which also waits for every other
    disk's pending writes (a slow USB or network drive, or another program's big copy, would
    stall the pull). os.sync() is the fallback where syncfs does not exist (not Linux).
    """
    if len(files) <= FSYNC_EACH_MAX:
        for file in files:
            _fsync_path(file, data_only=True)
        for folder in {file.parent for file in files} | set(deleted_from):
            _fsync_path(folder, data_only=False)
    elif not _syncfs(root):
        os.sync()


def _fsync_path(path: Path, *, data_only: bool) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        (os.fdatasync if data_only and hasattr(os, "fdatasync") else os.fsync)(descriptor)
    finally:
        os.close(descriptor)


def _syncfs(path: Path) -> bool:
    """syncfs(2) on the file system holding `path`; False where the call does not exist."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        return False
    descriptor = os.open(path, os.O_RDONLY)
    try:
        if syncfs(descriptor) != 0:
            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error), str(path))
    finally:
        os.close(descriptor)
    return True


def _write_checked(target: Path, data: bytes, expect: Expect) -> os.stat_result:
    _check_expected(target, expect)
    write_atomic(target, data, durable=False)
    return target.stat()


def _check_expected(target: Path, expect: Expect) -> None:
    if expect is None:
        return
    if expect == ABSENT:
        if os.path.lexists(target):
            raise FileOccupied(target)
        return
    try:
        stat = target.stat()
    except FileNotFoundError:
        raise FileChanged(target) from None
    if (stat.st_size, stat.st_mtime_ns) != expect:
        raise FileChanged(target)
