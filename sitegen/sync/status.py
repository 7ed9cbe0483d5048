"""`sitegen status` and `sitegen diff`: what push and pull would do, changing nothing.

Both read the manifests and only the rows of keys that changed, and never write content/ or
the base. A key changed on both sides is merged in memory to tell whether push or pull could
merge it cleanly.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sitegen.errors import ContentError, SitegenError
from sitegen.frontmatter import dump_document
from sitegen.model import SourceDocument
from sitegen.sources.local import MEDIA_PREFIX
from sitegen.sync.engine import (
    Notify,
    SyncContext,
    fetch_rows,
    local_file,
    merged_with_base,
    open_context,
    read_manifests,
    resolve_key,
    split_key,
)
from sitegen.sync.mapping import row_to_document, row_to_media
from sitegen.sync.plan import Change, RemoteEntry, changes

Merge = Literal["clean", "conflict", "same", "unmergeable"]


@dataclass(frozen=True)
class KeyStatus:
    """One changed key: each side's change; for a key changed on both sides, how it merges
    (`conflicts` names what clashes); `theirs` when the remote key is another author's."""

    change: Change
    merge: Merge | None = None
    conflicts: tuple[str, ...] = ()
    theirs: bool = False


@dataclass
class Status:
    """Every changed key, plus the local files sync cannot read (markers, invalid front matter)."""

    keys: list[KeyStatus] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    email: str | None = None


def status(site_dir: Path, *, notify: Notify = lambda message: None) -> Status:
    """What push and pull would do with each key, as the logged-in user (or anonymously)."""
    with open_context(site_dir, require_login=False, notify=notify) as ctx:
        remote = read_manifests(ctx.store)
        found = changes(ctx.copy.hashes(), remote, ctx.base.entries, viewer=ctx.store.user_id)
        both = [c.key for c in found if c.local and c.remote and c.key in remote]
        rows = fetch_rows(ctx.store, both, remote, ctx.notify)
        keys = [_key_status(ctx, change, remote, rows.get(change.key)) for change in found]
        return Status(keys, list(ctx.copy.errors), ctx.email)


def _key_status(
    ctx: SyncContext,
    change: Change,
    remote: dict[str, RemoteEntry],
    row: dict[str, Any] | None,
) -> KeyStatus:
    entry = remote.get(change.key)
    theirs = entry is not None and ctx.store.user_id is not None and not entry.editable
    if not (change.local and change.remote):
        return KeyStatus(change, theirs=theirs)
    remote_doc = _remote_document(change.key, row)
    if remote_doc is None or change.local in ("deleted", "unreadable"):
        return KeyStatus(change, "unmergeable", theirs=theirs)
    if change.local == "new" or ctx.base.entries.get(change.key) is None:
        return KeyStatus(change, "unmergeable", theirs=theirs)
    try:
        merged = merged_with_base(ctx, change.key, remote_doc)
    except SitegenError:
        merged = None
    if merged is None:
        return KeyStatus(change, "unmergeable", theirs=theirs)
    if merged.clean:
        same = merged.document == remote_doc  # the local edits are already in the remote one
        return KeyStatus(change, "same" if same else "clean", theirs=theirs)
    return KeyStatus(change, "conflict", merged.conflicts, theirs=theirs)


def _remote_document(key: str, row: dict[str, Any] | None) -> SourceDocument | None:
    table, _ = split_key(key)
    if row is None or table == "media":
        return None
    try:
        return row_to_document("post" if table == "posts" else "page", row)[0]
    except ContentError:
        return None


def diff(
    site_dir: Path, keys: tuple[str, ...] = (), *, notify: Notify = lambda message: None
) -> Iterator[str]:
    """Unified diffs, remote (`---`) against local (`+++`), of `keys` or of every changed key."""
    with open_context(site_dir, require_login=False, notify=notify) as ctx:
        remote = read_manifests(ctx.store)
        if keys:
            wanted = [resolve_key(ctx, key, remote) for key in keys]
        else:
            found = changes(ctx.copy.hashes(), remote, ctx.base.entries, viewer=ctx.store.user_id)
            wanted = [change.key for change in found]
        rows = fetch_rows(ctx.store, [k for k in wanted if k in remote], remote, ctx.notify)
        for key in wanted:
            yield from _diff_key(ctx, key, remote.get(key), rows.get(key))


def _diff_key(
    ctx: SyncContext, key: str, entry: RemoteEntry | None, row: dict[str, Any] | None
) -> Iterator[str]:
    file = local_file(ctx, key)
    name = file.relative_to(ctx.site_dir).as_posix() if file else None
    if key.startswith(MEDIA_PREFIX):
        mine = ctx.copy.media.get(split_key(key)[1])
        theirs = _remote_sha256(row)
        ours = mine.sha256 if mine else None
        if ours != theirs:
            yield f"media {key}: local {_short(ours)}, remote {_short(theirs)} (binary)\n"
        return
    local_text = file.read_text(encoding="utf-8") if file is not None else ""
    remote_doc = _remote_document(key, row)
    remote_text = dump_document(remote_doc) if remote_doc is not None else ""
    version = f" (version {entry.version})" if entry is not None and row is not None else ""
    yield from difflib.unified_diff(
        _lines(remote_text),
        _lines(local_text),
        fromfile=f"remote {key}{version}" if row is not None else "remote: none",
        tofile=f"local {name}" if name else "local: none",
    )


def _lines(text: str) -> list[str]:
    """Lines that all end in a newline, so a diff's last line never runs into the next one."""
    return [line if line.endswith("\n") else line + "\n" for line in text.splitlines(True)]


def _remote_sha256(row: dict[str, Any] | None) -> str | None:
    if row is None:
        return None
    try:
        return row_to_media(row).sha256
    except ContentError:
        return None


def _short(sha256: str | None) -> str:
    return f"sha256 {sha256[:12]}" if sha256 else "none"


def status_lines(found: Status) -> list[str]:
    """`git status`-like text: local changes, remote changes, both sides, files with errors."""
    local = [k for k in found.keys if k.change.local and not k.change.remote]
    remote = [k for k in found.keys if k.change.remote and not k.change.local]
    both = [k for k in found.keys if k.change.local and k.change.remote]
    lines = [f"Logged in as {found.email}." if found.email else "Not logged in (`sitegen login`)."]
    if local:
        lines.append("Local changes (`sitegen push` sends them):")
        lines += [_line(k.change.local, k.change.key, _local_note(k)) for k in local]
    if remote:
        lines.append("Remote changes (`sitegen pull` brings them):")
        lines += [_line(k.change.remote, k.change.key, "") for k in remote]
    if both:
        lines.append("Changed on both sides:")
        lines += [_line(_BOTH[k.merge or "unmergeable"], k.change.key, _both_note(k)) for k in both]
    if found.errors:
        lines.append("Files that are not pushed until fixed:")
        lines += [f"  {str(error).splitlines()[0]}" for error in found.errors]
    if not (found.keys or found.errors):
        lines.append("Up to date: nothing to push or pull.")
    return lines


_BOTH = {
    "clean": "merges cleanly",
    "same": "same edit",
    "conflict": "conflict",
    "unmergeable": "conflict",
}


def _line(what: str | None, key: str, note: str) -> str:
    return f"  {(what or '') + ':':<16} {key}{f'  ({note})' if note else ''}"


def _local_note(key: KeyStatus) -> str:
    if key.theirs:
        return f"another author's: not pushed; `sitegen pull --force {key.change.key}` drops it"
    if key.change.local == "deleted":
        return "`sitegen push --prune` deletes it remotely"
    return ""


def _both_note(key: KeyStatus) -> str:
    name = key.change.key
    if key.merge == "clean":
        return "`sitegen pull` or `sitegen push` merges it"
    if key.merge == "same":
        return "both sides agree; the next sync records it"
    if key.merge == "conflict":
        return f"both changed {', '.join(key.conflicts)}; `sitegen diff {name}`"
    return (
        f"local {key.change.local}, remote {key.change.remote}; `sitegen diff {name}`, "
        f"`sitegen pull --force {name}` takes theirs"
    )
