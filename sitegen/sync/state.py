"""The sync base: what each key looked like at its last successful sync.

Stored in `.sitegen/sync/base.json`. For every key (`posts/<slug>`, `pages/<slug>`,
`media/<path>`) it records the remote version, the content hash and the author at that moment,
which is what the three-way plan compares local files and the remote manifest against.
The base belongs to one Supabase project: a base written for another URL is ignored.

A document's text at that moment is kept beside it, in `.sitegen/sync/texts.sqlite` (by content
hash, so equal versions share a row): the common ancestor a three-way merge needs when both
sides changed. SQLite because thousands of texts (a first pull) are one transaction there,
where one file each took seconds. The texts are committed before the base that names them.
It is written atomically (temp file + rename) after every confirmed step, so an interrupted
push or pull leaves a base that is true for every key it lists.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import ConfigError
from sitegen.fsio import write_atomic
from sitegen.paths import STATE_DIR

BASE_FILE = Path(STATE_DIR) / "sync" / "base.json"
TEXTS_FILE = Path(STATE_DIR) / "sync" / "texts.sqlite"
_FORMAT = 1


@dataclass(frozen=True)
class BaseEntry:
    """One key at its last sync: remote version, content hash, owner, and whether only its
    author could see it then (a draft or a post scheduled for later)."""

    version: int
    hash: str
    author_id: str | None = None
    private: bool = False


@dataclass
class SyncBase:
    """All keys at their last sync, for one remote (`remote_url`)."""

    remote_url: str
    entries: dict[str, BaseEntry]
    saved: bool = field(default=False, compare=False)  # the file holds exactly this state
    # content hash -> document text, recorded since the last save (written by save_base)
    texts: dict[str, str] = field(default_factory=dict, compare=False)
    dropped: bool = field(default=False, compare=False)  # a text may no longer be needed

    def record(self, key: str, entry: BaseEntry, text: str | None = None) -> None:
        """Note `key` as in sync at `entry`; `text` is the document's text (None for media)."""
        if text is not None:
            self.texts[entry.hash] = text
        old = self.entries.get(key)
        if old != entry:
            self.entries[key] = entry
            self.saved = False
            self.dropped = self.dropped or (old is not None and old.hash != entry.hash)

    def forget(self, key: str) -> None:
        if self.entries.pop(key, None) is not None:
            self.saved = False
            self.dropped = True


def load_base(site_dir: Path, remote_url: str) -> SyncBase:
    """The stored base for `remote_url`, or an empty one (first sync, or another project)."""
    path = site_dir / BASE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SyncBase(remote_url, {})
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"the sync state is unreadable: {exc}",
            file=str(path),
            hint="delete the file; the next pull treats every key as new",
        ) from None
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise ConfigError(
            "the sync state has an unknown format",
            file=str(path),
            hint="delete the file; the next pull treats every key as new",
        )
    if data.get("remote_url") != remote_url:
        return SyncBase(remote_url, {})
    try:
        entries = {key: BaseEntry(**value) for key, value in data["entries"].items()}
    except (TypeError, KeyError, AttributeError) as exc:
        raise ConfigError(
            f"the sync state is damaged: {exc}",
            file=str(path),
            hint="delete the file; the next pull treats every key as new",
        ) from None
    return SyncBase(remote_url, entries, saved=True)


def save_base(site_dir: Path, base: SyncBase) -> None:
    """Write the base atomically (readers see the old or the new file), unless unchanged;
    the texts it names first, so the base never names a text that was not written."""
    _save_texts(site_dir, base)
    if base.saved:
        return
    path = site_dir / BASE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "format": _FORMAT,
        "remote_url": base.remote_url,
        "entries": {
            key: {
                "version": entry.version,
                "hash": entry.hash,
                "author_id": entry.author_id,
                "private": entry.private,
            }
            for key, entry in sorted(base.entries.items())
        },
    }
    write_atomic(path, json.dumps(data, indent=1).encode("utf-8"))
    base.saved = True
    _remove_unused_texts(site_dir, base)


def base_text(site_dir: Path, base: SyncBase, digest: str) -> str | None:
    """The document text recorded for content hash `digest`, or None when none was kept."""
    if digest in base.texts:
        return base.texts[digest]
    path = site_dir / TEXTS_FILE
    if not path.is_file():
        return None
    try:
        with closing(sqlite3.connect(path)) as db:
            found = db.execute("select text from texts where hash = ?", (digest,)).fetchone()
    except sqlite3.Error:
        return None
    return found[0] if found else None


def _save_texts(site_dir: Path, base: SyncBase) -> None:
    used = {entry.hash for entry in base.entries.values()}
    pending = [(digest, text) for digest, text in base.texts.items() if digest in used]
    base.texts.clear()
    if pending:
        with _texts_db(site_dir) as db:
            db.executemany("insert or ignore into texts (hash, text) values (?, ?)", pending)


def _remove_unused_texts(site_dir: Path, base: SyncBase) -> None:
    """Texts no key's entry names any more (an older version, a deleted key) are dropped."""
    if not base.dropped or not (site_dir / TEXTS_FILE).is_file():
        return
    base.dropped = False
    with _texts_db(site_dir) as db:
        db.execute("create temp table used (hash text primary key)")
        db.executemany(
            "insert or ignore into used values (?)", [(e.hash,) for e in base.entries.values()]
        )
        db.execute("delete from texts where hash not in (select hash from used)")


@contextmanager
def _texts_db(site_dir: Path) -> Iterator[sqlite3.Connection]:
    """The texts store, in one transaction: committed on success, rolled back on error."""
    path = site_dir / TEXTS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with closing(sqlite3.connect(path)) as db:
            db.execute(
                "create table if not exists texts (hash text primary key, text text not null)"
            )
            with db:
                yield db
    except sqlite3.Error as exc:
        raise ConfigError(
            f"the sync texts are unreadable: {exc}",
            file=str(path),
            hint="delete the file; keys changed on both sides are then reported, not merged",
        ) from None
