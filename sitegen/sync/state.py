"""The sync base: what each key looked like at its last successful sync.

Stored in `.sitegen/sync/base.json`. For every key (`posts/<slug>`, `pages/<slug>`,
`media/<path>`) it records the remote version, the content hash and the author at that moment,
which is what the three-way plan compares local files and the remote manifest against.
The base belongs to one Supabase project: a base written for another URL is ignored.
It is written atomically (temp file + rename) after every confirmed step, so an interrupted
push or pull leaves a base that is true for every key it lists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import ConfigError
from sitegen.fsio import write_atomic
from sitegen.paths import STATE_DIR

BASE_FILE = Path(STATE_DIR) / "sync" / "base.json"
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

    def record(self, key: str, entry: BaseEntry) -> None:
        if self.entries.get(key) != entry:
            self.entries[key] = entry
            self.saved = False

    def forget(self, key: str) -> None:
        if self.entries.pop(key, None) is not None:
            self.saved = False


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
    """Write the base atomically (readers see the old or the new file), unless unchanged."""
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
