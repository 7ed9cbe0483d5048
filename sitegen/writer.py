"""Writing the output folder: nothing is touched until every output has been produced.

During a build, changed outputs are written to a staging folder next to the output folder
(same file system, so moving them in is a rename; a flat folder, since creating and
removing folders is slow on some disks). A first build (no output yet) stages the whole tree
and commits by renaming the staging folder itself. Only when the whole build has succeeded
does `commit` move them into place and remove stale files; on any error `abort` deletes the
staging folder and the previous output is exactly as it was. Unchanged files are never
rewritten (their mtimes stay, which keeps rsync and browsers' caches happy).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sitegen.errors import SitegenError


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    removed: tuple[str, ...]


def safe_output_path(rel: str) -> str:
    """`rel` if it is a plain relative POSIX path that stays inside the output folder."""
    path = PurePosixPath(rel)
    if not rel or path.is_absolute() or ".." in path.parts or "\\" in rel or path.as_posix() != rel:
        raise SitegenError(
            f"refusing to write outside the output folder: {rel!r}",
            hint="check slugs and [permalinks] patterns",
        )
    return rel


class OutputWriter:
    """Stages changed files, then commits them all at once (or aborts leaving no trace)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.staging = out_dir.parent / f".{out_dir.name}.sitegen-staging"
        self.fresh = False  # no previous output: stage the whole tree, commit by one rename
        self._folders: set[str] = set()  # staged folders known to exist (per process)

    def prepare(self) -> None:
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise SitegenError(
                f"the output path {self.out_dir} is a file, not a folder",
                hint="remove it or choose another output folder",
            )
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        self._folders = {""}
        self.fresh = not self.out_dir.exists() or not any(self.out_dir.iterdir())

    def offer(self, rel: str, data: bytes) -> bool:
        """Stage `data` for `rel` unless the output folder already holds exactly these bytes."""
        if self.fresh:
            folder = safe_output_path(rel).rpartition("/")[0]
            if folder not in self._folders:  # one mkdir per folder: mkdir is slow on some disks
                (self.staging / folder).mkdir(parents=True, exist_ok=True)  # mkdir first, no stat
                self._folders.add(folder)
            _write_file(os.path.join(self.staging, rel), data)
            return True
        target = self.out_dir / safe_output_path(rel)
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                return False
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            pass
        _write_file(self._staged_path(rel), data)
        return True

    def _staged_path(self, rel: str) -> Path:
        # Flat: one folder, no sub-folders to create and delete (rmdir is slow on some disks).
        return self.staging / hashlib.blake2b(rel.encode(), digest_size=16).hexdigest()

    def commit(self, staged: Iterable[str], stale: Iterable[str]) -> WriteReport:
        """Remove stale files, move staged files into place, drop the staging folder."""
        if self.fresh:
            if self.out_dir.exists():
                self.out_dir.rmdir()
            self.staging.rename(self.out_dir)
            return WriteReport(written=tuple(sorted(staged)), removed=())
        removed = sorted(stale)
        for rel in removed:
            (self.out_dir / safe_output_path(rel)).unlink(missing_ok=True)
        self._prune_empty_dirs({str(PurePosixPath(rel).parent) for rel in removed})
        written = sorted(staged)
        made: set[Path] = set()
        for rel in written:
            target = self.out_dir / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(self._staged_path(rel), target)
        shutil.rmtree(self.staging, ignore_errors=True)
        return WriteReport(written=tuple(written), removed=tuple(removed))

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def _prune_empty_dirs(self, folders: set[str]) -> None:
        for folder in sorted(folders, key=lambda f: -f.count("/")):
            path = self.out_dir / folder
            while path != self.out_dir and path.is_dir() and not any(path.iterdir()):
                path.rmdir()
                path = path.parent


def _write_file(path: str | Path, data: bytes) -> None:
    """Create or truncate `path` holding `data`: open, write, close and nothing else (Path.write_bytes
    adds an fstat, an ioctl and a seek per file through io.open, which add up over thousands)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
