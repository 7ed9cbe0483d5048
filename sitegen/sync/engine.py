"""What push and pull share: opening the remote, reading manifests and rows, conflict details.

Keys are `posts/<slug>`, `pages/<slug>` and `media/<path>`; the table is the first part and the
row's name (slug or path) the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sitegen.remote.store import TABLES, SupabaseStore, name_column
from sitegen.sync.local import WorkingCopy, save_index, scan
from sitegen.sync.plan import RemoteEntry, Step
from sitegen.sync.report import Conflict
from sitegen.sync.state import SyncBase, load_base

Notify = Callable[[str], None]
FETCH_ALL_RATIO = 0.3  # fetching this share of a table or more: page through it all instead
MANY_FILES = 10  # media transfers are one request each: from this many on, say they are coming


@dataclass
class SyncContext:
    """One sync run: the site, the remote store, the base and the working copy."""

    site_dir: Path
    store: SupabaseStore
    base: SyncBase
    copy: WorkingCopy
    email: str | None
    notify: Notify


@contextmanager
def open_context(site_dir: Path, *, require_login: bool, notify: Notify) -> Iterator[SyncContext]:
    """Connect (with the stored session), load the base and scan content/; close when done."""
    from sitegen.remote.client import open_client

    with open_client(site_dir, require_login=require_login) as client:
        ctx = SyncContext(
            site_dir=site_dir,
            store=SupabaseStore(client),
            base=load_base(site_dir, client.url),
            copy=scan(site_dir),
            email=client.email,
            notify=notify,
        )
        try:
            yield ctx
        finally:
            save_index(site_dir, ctx.copy.index)


def split_key(key: str) -> tuple[str, str]:
    """`posts/a/b` -> (`posts`, `a/b`)."""
    table, name = key.split("/", 1)
    return table, name


def read_manifests(store: SupabaseStore) -> dict[str, RemoteEntry]:
    """One request per table: every key the caller may read now, with version and owner."""
    remote: dict[str, RemoteEntry] = {}
    for table in TABLES:
        for entry in store.manifest(table):
            remote[f"{table}/{entry.name}"] = RemoteEntry(
                entry.version, entry.updated_at, entry.author_id
            )
    return remote


def fetch_rows(
    store: SupabaseStore,
    keys: Iterable[str],
    remote: dict[str, RemoteEntry],
    notify: Notify,
) -> dict[str, dict[str, Any]]:
    """Full rows for `keys`, keyed by key: by name for a few, by pages for many."""
    wanted: dict[str, set[str]] = {}
    for key in keys:
        table, name = split_key(key)
        wanted.setdefault(table, set()).add(name)
    rows: dict[str, dict[str, Any]] = {}
    for table, names in sorted(wanted.items()):
        in_table = sum(1 for key in remote if key.startswith(table + "/"))
        many = len(names) >= FETCH_ALL_RATIO * in_table and len(names) > 100
        if many:
            notify(f"  fetching {len(names)} {table}...")
        column = name_column(table)
        for row in store.fetch(table, None if many else names):
            found = row.get(column)
            if isinstance(found, str) and found in names:
                rows[f"{table}/{found}"] = row
    return rows


def conflict_for(
    ctx: SyncContext,
    step: Step,
    remote: dict[str, RemoteEntry],
    row: dict[str, Any] | None,
) -> Conflict:
    """Both sides of a conflicting key: local file and time, remote version, time and editor."""
    local_file, local_time = local_side(ctx, step.key)
    entry = remote.get(step.key)
    return Conflict(
        key=step.key,
        reason=step.reason,
        local_file=local_file,
        local_time=local_time,
        local_author=ctx.email,
        remote_version=entry.version if entry else None,
        remote_time=(row or {}).get("updated_at") or (entry.updated_at if entry else None),
        remote_author=(row or {}).get("updated_by_email"),
        read_only=entry is not None and entry.author_id not in (None, ctx.store.user_id),
    )


def local_file(ctx: SyncContext, key: str) -> Path | None:
    """The file in content/ that holds `key`, if the working copy has one."""
    table, name = split_key(key)
    if table == "media":
        item = ctx.copy.media.get(name)
        return item.file if item else None
    document = ctx.copy.documents.get(key)
    return document.file if document else None


def local_side(ctx: SyncContext, key: str) -> tuple[str | None, str | None]:
    """The local file of `key` (relative to the site) and its modification time, if any."""
    file = local_file(ctx, key)
    if file is None:
        return None, None
    moment = datetime.fromtimestamp(file.stat().st_mtime, tz=UTC)
    return file.relative_to(ctx.site_dir).as_posix(), moment.isoformat(timespec="seconds")
