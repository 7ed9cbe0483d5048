"""Writing the output folder: nothing is touched until every output has been produced.

During a build, changed outputs are written to a staging folder next to the output folder
(same file system, so moving them in is a rename; a flat folder, since creating and
removing folders is slow on some disks). A first build (no output yet) stages the whole tree
and commits by renaming the staging folder itself. Only when the whole build has succeeded
does `commit` move them into place and remove stale files; on any error `abort` deletes the
staging folder and the previous output is exactly as it was. Unchanged files are never
rewritten (their mtimes stay, which keeps rsync and browsers' caches happy).

sitegen deletes and overwrites only files it wrote itself: the output folder keeps a manifest
(`.sitegen-manifest`, a dot file, so never an output) listing them. A folder holding other
files is refused unless the user takes it over (`sitegen build --clean`). A commit first checks
that every file can be put in place (a stale file or symbolic link standing where a folder is
needed is removed just before, never anything else), and removes the other stale files last.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sitegen.errors import SitegenError, quote
from sitegen.fsio import write_atomic

MANIFEST = ".sitegen-manifest"  # in the output folder: the files sitegen wrote there


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    removed: tuple[str, ...]


def safe_output_path(rel: str) -> str:
    """`rel` if it is a plain relative POSIX path that stays inside the output folder."""
    path = PurePosixPath(rel)
    if not rel or path.is_absolute() or ".." in path.parts or "\\" in rel or path.as_posix() != rel:
        raise SitegenError(
            f"refusing to write outside the output folder: {quote(rel)}",
            hint="check slugs and [permalinks] patterns",
        )
    return rel


class OutputWriter:
    """Stages changed files, then commits them all at once (or aborts leaving no trace).

    `take_over`: files in the output folder that sitegen did not write may be overwritten or
    removed (`--clean`); otherwise `prepare` refuses such a folder.
    """

    def __init__(self, out_dir: Path, *, take_over: bool = False) -> None:
        self.out_dir = out_dir
        self.staging = out_dir.parent / f".{out_dir.name}.sitegen-staging"
        self.take_over = take_over
        self.fresh = False  # no previous output: stage the whole tree, commit by one rename
        self._existing: set[str] = set()
        self._owned: set[str] = set()  # as the manifest says
        self._folders: set[str] = set()  # staged folders known to exist (per process)

    def prepare(self, existing: Iterable[str] = (), known: Iterable[str] = ()) -> None:
        """Check the output folder and make the staging folder; `existing` are the files now in
        the output folder (as `scan_tree` lists them), `known` those the build state says an
        earlier build wrote there (a folder from before manifests). Raises before changing
        anything."""
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise SitegenError(
                f"the output path {self.out_dir} is a file, not a folder",
                hint="remove it or choose another output folder",
            )
        self._existing = set(existing)
        self._owned = read_manifest(self.out_dir)
        foreign = sorted(self._existing - self._owned - set(known))
        if foreign and not self.take_over:
            shown = ", ".join(quote(name) for name in foreign[:3])
            more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
            raise SitegenError(
                f"the output folder {self.out_dir} holds {len(foreign)} file"
                f"{'s' if len(foreign) != 1 else ''} sitegen did not write ({shown}{more}); "
                "nothing was changed",
                field="output_dir",
                hint="choose a new or empty output folder, or run `sitegen build --clean` to take "
                "this one over (files in it that the site does not produce are then deleted)",
            )
        if self.staging.is_symlink() or (self.staging.exists() and not self.staging.is_dir()):
            kind = "a symbolic link" if self.staging.is_symlink() else "a file"
            raise SitegenError(
                f"{self.staging} is in the way: sitegen stages the output there, but it is {kind}",
                hint="move it away (sitegen never removes what it did not make)",
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
            info = target.lstat()  # a link is never taken for the file: it is replaced
            if (
                rel in self._existing  # not reached through a link to a folder
                and stat.S_ISREG(info.st_mode)
                and info.st_size == len(data)
                and target.read_bytes() == data
            ):
                return False
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            pass
        _write_file(self._staged_path(rel), data)
        return True

    def _staged_path(self, rel: str) -> Path:
        # Flat: one folder, no sub-folders to create and delete (rmdir is slow on some disks).
        return self.staging / hashlib.blake2b(rel.encode(), digest_size=16).hexdigest()

    def commit(self, staged: Iterable[str], stale: Iterable[str]) -> WriteReport:
        """Move staged files into place, then remove stale files and drop the staging folder."""
        written = sorted(staged)
        if self.fresh:
            write_manifest(self.staging, written)
            if self.out_dir.exists():
                self.out_dir.rmdir()
            self.staging.rename(self.out_dir)
            return WriteReport(written=tuple(written), removed=())
        removed = sorted(stale)
        in_the_way = self._in_the_way(written, set(removed))
        final = (self._existing - set(removed)) | set(written)
        if not final | self._existing <= self._owned:  # first, so a crash leaves a superset
            write_manifest(self.out_dir, sorted(final | self._existing | self._owned))
        self._remove(in_the_way)
        made: set[Path] = set()
        for rel in written:
            target = self.out_dir / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            os.replace(self._staged_path(rel), target)
        self._remove(sorted(set(removed) - set(in_the_way)))
        if final != self._owned:  # an edit build that adds and removes nothing writes none
            write_manifest(self.out_dir, sorted(final))
        shutil.rmtree(self.staging, ignore_errors=True)
        return WriteReport(written=tuple(written), removed=tuple(removed))

    def _in_the_way(self, written: Sequence[str], stale: set[str]) -> list[str]:
        """The stale files to remove before `written` can be moved in: a file or symbolic link
        where a folder goes, or the files in a folder where a file goes. Raises, having changed
        nothing, when anything else is in the way."""
        found: set[str] = set()
        for rel in written:
            parts = rel.split("/")
            for depth in range(1, len(parts)):
                prefix = "/".join(parts[:depth])
                path = self.out_dir / prefix
                if path.is_symlink() or (path.exists() and not path.is_dir()):
                    if prefix not in stale:
                        raise _blocked(rel, prefix)
                    found.add(prefix)
            target = self.out_dir / rel
            if target.is_dir() and not target.is_symlink():
                inside = {f"{rel}/{name}" for name in _files_below(target)}
                if not inside <= stale:
                    raise _blocked(rel, rel)
                found |= inside
        return sorted(found)

    def _remove(self, paths: Iterable[str]) -> None:
        """Remove files (or links, never what they point to), then the folders left empty."""
        folders = set()
        for rel in paths:
            (self.out_dir / safe_output_path(rel)).unlink(missing_ok=True)
            folders.add(str(PurePosixPath(rel).parent))
        for folder in sorted(folders, key=lambda f: -f.count("/")):
            path = self.out_dir / folder
            while path != self.out_dir and path.is_dir() and not any(path.iterdir()):
                path.rmdir()
                path = path.parent

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _files_below(folder: Path) -> list[str]:
    """Every file and symbolic link below `folder` (dot files too), relative to it."""
    found = []
    for root, folders, files in os.walk(folder):
        base = os.path.relpath(root, folder)
        names = [*files, *(f for f in folders if os.path.islink(os.path.join(root, f)))]
        found += [name if base == "." else f"{base}/{name}" for name in names]
    return found


def _blocked(rel: str, blocker: str) -> SitegenError:
    return SitegenError(
        f"cannot write {quote(rel)}: {quote(blocker)} is in the way in the output folder and the "
        "site does not produce it; nothing was changed",
        field="output_dir",
        hint="move it out of the output folder, or run `sitegen build --clean`",
    )


def read_manifest(out_dir: Path) -> set[str]:
    """The files sitegen wrote into `out_dir` (none when it has no readable manifest)."""
    try:
        fd = os.open(out_dir / MANIFEST, os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return set()
    with os.fdopen(fd, "rb") as handle:
        try:
            data = json.loads(handle.read())
        except ValueError:
            return set()
    files = data.get("files") if isinstance(data, dict) else None
    return {name for name in files if isinstance(name, str)} if isinstance(files, list) else set()


def write_manifest(folder: Path, files: Sequence[str]) -> None:
    """Record `files` as sitegen's in `folder` (replacing the manifest atomically)."""
    text = json.dumps({"sitegen": 1, "files": list(files)}, indent=0)
    write_atomic(folder / MANIFEST, text.encode(), durable=False)


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
