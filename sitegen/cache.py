"""The persistent build cache under `.sitegen/` (git-ignored machine state).

Two parts:
- `DocStore` (`.sitegen/build-docs.sqlite`): one row per content file with its parsed front matter
  and rendered Markdown, reused while the file's bytes and the Markdown options are the same.
  Shared by every build of the site, whatever the output folder or options.
- `BuildState` (`.sitegen/build-<options>.pickle`): what one kind of build (output folder,
  base_url, drafts, future) produced last time: the stats of every input file, each output's
  fingerprint and stat. It makes a no-op rebuild a matter of stat calls, and lets a changed
  build skip every output whose fingerprint and file are unchanged.
- The entries (`.sitegen/build-<options>.entries.pickle`): the documents and assembled entries
  of that build without their rendered bodies, so the next one reads only what changed from
  the DocStore.

This module imports nothing heavy: the no-op path of `sitegen build` runs on it alone.
Losing the cache is always safe; it is only ever a shortcut to the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import pickle
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sitegen.errors import SitegenError
from sitegen.fsio import is_settled, own_folder, write_atomic
from sitegen.paths import state_dir

_FORMAT = 12  # bump when the layout of cached values changes
_CHUNK = 1000  # table items per pickle in the entries file (see save_entries)
# The libraries whose code shapes the output's bytes, by distribution name; every cache is keyed
# by their versions (see output_versions). A library added to the output path is added here.
OUTPUT_LIBRARIES: tuple[str, ...] = (
    "Pygments",
    "markdown-it-py",
    "mdit-py-plugins",
    "markdown-it-pyrs",  # parses plain CommonMark for the fast path (markdown/fast.py)
    "Jinja2",
    "MarkupSafe",
    "PyYAML",
    "nh3",  # sanitizes raw HTML in Markdown
    "latex2mathml",  # turns $math$ into MathML
)


@dataclass
class BuildState:
    """The record of the last successful build with given options."""

    version: str
    out_dir: str
    input_dirs: tuple[str, ...]  # folders (relative to the site, or absolute) scanned for inputs
    inputs: dict[str, tuple[int, int]]  # path -> (size, mtime_ns) of every input file
    outputs: dict[str, tuple[str, int, int]]  # output path -> (fingerprint, size, mtime_ns)
    file_hashes: dict[str, tuple[int, int, str]] = field(
        default_factory=dict
    )  # path -> size, mtime, sha
    next_due: dt.datetime | None = None  # when a left-out future post becomes due
    scanned_ns: int = 0  # wall-clock time of the input scan (see is_settled)
    # sha256 of the inputs too fresh at that scan to be trusted by stat, as the build read them;
    # None when one of them was not a document (then the next build cannot be a quick no-op).
    racy: dict[str, str] | None = None
    documents: int = 0
    warnings: tuple[SitegenError, ...] = ()


@functools.cache
def output_versions() -> str:
    """The versions of Python, sitegen and OUTPUT_LIBRARIES as one string, part of every cache key:
    after an upgrade or a downgrade of any of them nothing the old code made is reused (Pygments
    2.21 escapes quotes in code unlike 2.19; a newer Jinja may compile templates differently).
    Read once per process: the code a process runs does not change under it."""
    from sitegen import __version__

    found = installed_versions(OUTPUT_LIBRARIES)
    python = "Python {}.{}.{}".format(*sys.version_info[:3])
    libraries = (f"{name} {found[name]}" for name in OUTPUT_LIBRARIES)
    return "; ".join((python, f"sitegen {__version__}", *libraries))


def installed_versions(names: Iterable[str]) -> dict[str, str]:
    """name -> the version `importlib.metadata.version` gives ("unknown" when none), read from
    the names of the `.dist-info` folders on sys.path, first entry first as importlib does.

    Why: importing importlib.metadata costs ~40 ms and asking it ~5 ms, a sixth of a no-op
    build, which otherwise imports nothing heavy; a folder listing per path entry costs
    ~1 ms. A name met as an `.egg-info`, or not met before a zip on the path, is asked of
    importlib.metadata as before."""
    wanted = {_normalised(name): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        if not wanted:
            break
        try:
            listing = os.listdir(entry or ".")
        except NotADirectoryError:  # a zip: importlib looks inside, so it answers the rest
            break
        except OSError:
            continue
        for item in listing:
            stem, _, suffix = item.rpartition(".")
            if suffix not in ("dist-info", "egg-info"):
                continue
            dist, _, version = stem.partition("-")  # `{name}-{version}`, `-` in name escaped
            name = wanted.pop(_normalised(dist), None)
            if name is not None:
                found[name] = version if suffix == "dist-info" and version else ""
    found.update((name, "") for name in wanted.values())
    return {name: version or _metadata_version(name) for name, version in found.items()}


def _normalised(name: str) -> str:
    """A distribution name as PEP 503 compares them: `Jinja2`, `jinja2` and `JINJA_2` alike."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _metadata_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:  # importable without metadata (e.g. vendored)
        return "unknown"


def options_key(values: Mapping[str, Any]) -> str:
    """A short stable name for a combination of build options."""
    text = repr(sorted(values.items()))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def state_path(site_dir: Path, key: str) -> Path:
    return state_dir(site_dir) / f"build-{key}.pickle"


@contextmanager
def build_lock(site_dir: Path) -> Iterator[None]:
    """Serialise the builds of a site: a second `sitegen build` (or a build of `sitegen serve`)
    waits for the first instead of both writing the same files and cache."""
    import fcntl

    folder = own_folder(state_dir(site_dir), "its cache and state")
    _ignore_in_git(folder)
    with (folder / "build.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_state(site_dir: Path, key: str) -> BuildState | None:
    """The stored state, or None when absent, unreadable or from another cache format."""
    state = load_value(state_path(site_dir, key))
    return state if isinstance(state, BuildState) else None


def save_state(site_dir: Path, key: str, state: BuildState) -> None:
    save_value(state_path(site_dir, key), state)


def load_value(path: Path) -> Any:
    """The value `save_value` stored at `path`, or None when it is absent, unreadable, from
    another cache format or made by code that is gone."""
    return _load_pickled(path, pickle.load)


def save_value(path: Path, value: object) -> None:
    _save_pickled(path, functools.partial(pickle.dump, value, protocol=pickle.HIGHEST_PROTOCOL))


def entries_path(site_dir: Path, key: str) -> Path:
    return state_dir(site_dir) / f"build-{key}.entries.pickle"


def load_entries(site_dir: Path, key: str) -> tuple[Any, list[dict[str, Any]]] | None:
    """(header, tables) as `save_entries` stored them for builds with options `key`, or None."""

    def read(handle: BinaryIO) -> tuple[Any, list[dict[str, Any]]]:
        header, count = pickle.load(handle)
        tables = []
        for _ in range(count):
            table: dict[str, Any] = {}
            while chunk := pickle.load(handle):  # a pickle per chunk, each with a memo of its own
                table.update(chunk)
            tables.append(table)
        return header, tables

    return _load_pickled(entries_path(site_dir, key), read)


def save_entries(
    site_dir: Path, key: str, header: Any, tables: Sequence[Mapping[str, Any]]
) -> None:
    """Store the assembled entries of a build (see render.pipeline): apart from the state, so
    that the no-op path does not load them. The tables' items go a chunk per pickle: a single
    pickle of them all would hold a memo of every object it wrote until the end (~20 MB at
    16000 posts, the peak of a cold build)."""

    def write(handle: BinaryIO) -> None:
        dump = functools.partial(pickle.dump, file=handle, protocol=pickle.HIGHEST_PROTOCOL)
        dump((header, len(tables)))
        for table in tables:
            items = list(table.items())
            for start in range(0, len(items), _CHUNK):
                dump(items[start : start + _CHUNK])
            dump([])  # the end of the table

    _save_pickled(entries_path(site_dir, key), write)


class FileHasher:
    """sha256 of files, reusing the previous build's hashes for files whose stat is unchanged."""

    def __init__(self, known: Mapping[str, tuple[int, int, str]], checked_ns: int) -> None:
        self._known = known
        self._checked_ns = checked_ns
        self.hashes: dict[str, tuple[int, int, str]] = {}  # what the next build can reuse

    def sha256(self, path: Path, key: str, stat: tuple[int, int]) -> str:
        entry = self._known.get(key)
        if entry is not None and entry[:2] == stat and is_settled(stat[1], self._checked_ns):
            sha = entry[2]
        else:
            with path.open("rb") as handle:
                sha = hashlib.file_digest(handle, "sha256").hexdigest()
        self.hashes[key] = (*stat, sha)
        return sha


class DocStore:
    """Parsed and rendered documents by path, valid for one Markdown options key.

    A row holds the document's record with an outline of its rendering (see DocRender) and,
    apart, its body (HTML and toc): the build keeps records in memory, bodies only here."""

    def __init__(self, site_dir: Path, options_key: str) -> None:
        folder = state_dir(site_dir)
        folder.mkdir(parents=True, exist_ok=True)
        _ignore_in_git(folder)
        self._db = sqlite3.connect(folder / "build-docs.sqlite", timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        # A cache need not survive a power cut (a lost row is rendered again); in WAL mode this
        # still never corrupts the file, and saves a sync per transaction.
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Pages read from a memory map, not by a system call each: a body spans several pages
        # and a build reads one per page it makes (15,000 pread calls at 1,100 posts).
        self._db.execute("PRAGMA mmap_size=1073741824")
        if self._db.execute("PRAGMA user_version").fetchone()[0] != _FORMAT:  # another layout
            with self._db:
                self._db.execute("DROP TABLE IF EXISTS docs")
                self._db.execute("DROP TABLE IF EXISTS code")
                self._db.execute(f"PRAGMA user_version = {_FORMAT}")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS docs (path TEXT PRIMARY KEY, options TEXT, sha256 TEXT,"
            " record BLOB, body BLOB)"
        )
        # Each document's highlighted code blocks (see markdown.highlight.highlights_reused).
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS code (path TEXT PRIMARY KEY, options TEXT, highlights BLOB)"
        )
        self._key = f"{_FORMAT}:{options_key}"

    def load(self) -> dict[str, Any]:
        """path -> DocRecord for every row made with the current options."""
        rows = self._db.execute("SELECT path, record FROM docs WHERE options = ?", (self._key,))
        records = {}
        for path, blob in rows:
            try:
                records[path] = pickle.loads(blob)
            except Exception:
                continue
        return records

    def get(self, path: str) -> Any:
        """The DocRecord of `path` made with the current options, or None."""
        row = self._db.execute(
            "SELECT record FROM docs WHERE path = ? AND options = ?", (path, self._key)
        ).fetchone()
        try:
            return None if row is None else pickle.loads(row[0])
        except Exception:
            return None

    def body(self, path: str, sha256: str) -> bytes | None:
        """The stored body of `path` as rendered from the bytes `sha256` names, or None."""
        row = self._db.execute(
            "SELECT body FROM docs WHERE path = ? AND options = ? AND sha256 = ?",
            (path, self._key, sha256),
        ).fetchone()
        return None if row is None else row[0]

    def update(
        self, changed: Iterable[tuple[str, str, bytes, bytes | None]], removed: Iterable[str]
    ) -> None:
        """Store changed records as (path, sha256, pickled DocRecord, body) and forget
        removed paths, in one transaction. A body of None keeps the row's: the record's
        bytes are unchanged."""
        with self._db:  # one transaction: committed, or rolled back on error
            self._db.executemany(
                "INSERT INTO docs (path, options, sha256, record, body) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (path) DO UPDATE SET options = excluded.options, sha256 = excluded.sha256,"
                " record = excluded.record, body = coalesce(excluded.body, docs.body)",
                [(path, self._key, sha, blob, body) for path, sha, blob, body in changed],
            )
            gone = [(p,) for p in removed]
            self._db.executemany("DELETE FROM docs WHERE path = ?", gone)
            self._db.executemany("DELETE FROM code WHERE path = ?", gone)

    def highlights(self, path: str) -> dict[tuple[str, str], str]:
        """(language, code) -> HTML of the code blocks `path` had when last rendered with the
        current options (so with the same Pygments), or {}."""
        row = self._db.execute(
            "SELECT highlights FROM code WHERE path = ? AND options = ?", (path, self._key)
        ).fetchone()
        try:
            found = {} if row is None else pickle.loads(row[0])
        except Exception:
            return {}
        return found if isinstance(found, dict) else {}

    def keep_highlights(self, made: Iterable[tuple[str, Mapping[tuple[str, str], str]]]) -> None:
        """Store each (path, its code blocks' highlights), replacing what the path had."""
        with self._db:
            self._db.executemany(
                "INSERT INTO code (path, options, highlights) VALUES (?, ?, ?) ON CONFLICT (path)"
                " DO UPDATE SET options = excluded.options, highlights = excluded.highlights",
                [(path, self._key, pickle.dumps(dict(code), protocol=5)) for path, code in made],
            )

    def close(self) -> None:
        self._db.close()


def _ignore_in_git(folder: Path) -> None:
    """The cache is machine state: make sure git never picks it up, even without a .gitignore."""
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("*\n", encoding="utf-8")


def _load_pickled(path: Path, read: Callable[[BinaryIO], Any]) -> Any:
    """What `read` makes of a file `_save_pickled` wrote, or None when it is absent,
    unreadable or from another cache format.

    Any failure just means "no cache": the build then does the work again.
    """
    try:
        with path.open("rb") as handle:
            return read(handle) if pickle.load(handle) == _FORMAT else None
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        ValueError,
        TypeError,
        AttributeError,
        ImportError,
    ):
        return None


def _save_pickled(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """A file of the cache format's tag, then what `write` writes; not fsynced: a lost cache
    is rebuilt. Streamed: never one bytes object of it all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _ignore_in_git(path.parent)

    def dump(handle: BinaryIO) -> None:
        pickle.dump(_FORMAT, handle)
        write(handle)

    write_atomic(path, dump, durable=False)
