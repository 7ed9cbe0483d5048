"""Replacing a file atomically: readers (and a crash) see the old bytes or the new, never half.
And `is_settled`: when a file's stat can stand in for its bytes.

One helper for every piece of state sitegen keeps on disk (the login session, the sync base and
index) and for the files a pull writes into content/, so there is one place that gets the
temp-file-and-rename dance right.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from sitegen.errors import FileSystemError, printable_path

# The longest file or folder name sitegen makes from a slug, tag, permalink or output_dir. The
# file systems allow 255 bytes; the rest is room for what is added (`.html`, the staging folder).
MAX_NAME_BYTES = 200


def own_folder(path: Path, purpose: str) -> Path:
    """`path` as a folder of sitegen's own, made when missing. A file or a symbolic link in its
    place is an error naming it: writing through a link would touch files outside the site."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        kind = "a symbolic link" if path.is_symlink() else "a file"
        raise FileSystemError(
            f"is {kind}, but sitegen keeps {purpose} there and needs a folder of its own",
            file=printable_path(path),
            hint="move it away; sitegen makes the folder again",
        )
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_atomic(
    path: Path,
    data: bytes | Callable[[BinaryIO], object],
    *,
    mode: int = 0o666,
    durable: bool = True,
) -> None:
    """Write `data` to `path` through a temp file in the same folder, then rename it over.

    `data` is the bytes, or a function writing them to the open file: a large value (the
    build's entries) is then streamed out without ever being held as one bytes object.

    `mode` is the new file's permission bits (minus the umask): 0o666 for ordinary files the user
    owns, 0o600 for secrets. The temp file is created afresh (O_EXCL, not following symlinks), so
    a file or link planted under its name can neither widen the mode nor redirect the write.
    `durable` fsyncs the data before the rename, so after a crash the new name never points at
    empty or partial data; a caller writing many files at once passes False and makes them
    durable in one batch (see sitegen.sync.files).
    """
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)  # left over from a crash: O_EXCL below must create it afresh
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temp, flags, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                data(handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


RACY_NS = 2_000_000_000  # generous: some file systems keep mtimes to 1 or 2 seconds


def is_settled(mtime_ns: int, checked_ns: int) -> bool:
    """True when a file's stat can be trusted as a stand-in for its bytes.

    A file modified within RACY_NS before we looked at it could be modified again without its
    mtime changing (coarse timestamps), so such "racy" files are compared by content instead
    (the same rule git uses for its index). The build cache and the sync index both ask this.
    """
    return mtime_ns < checked_ns - RACY_NS
