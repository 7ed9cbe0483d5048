"""What push and pull share: opening the remote, reading manifests and rows, conflict details.

Keys are `posts/<slug>`, `pages/<slug>` and `media/<path>`; the table is the first part and the
row's name (slug or path) the rest.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sitegen.errors import ContentError
from sitegen.frontmatter import dump_document, parse_document
from sitegen.markers import conflict_marker_line
from sitegen.model import SourceDocument
from sitegen.remote.store import TABLES, SupabaseStore, name_column
from sitegen.sync.files import ContentWriter, Refusal
from sitegen.sync.local import LocalDocument, WorkingCopy, save_index, scan
from sitegen.sync.mapping import content_hash
from sitegen.sync.merge import Merged, merge_documents
from sitegen.sync.plan import UNREADABLE, RemoteEntry, Step
from sitegen.sync.report import Conflict, SyncReport
from sitegen.sync.state import BaseEntry, SyncBase, base_text, load_base

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
    from sitegen.auth import open_client

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


def resolve_key(ctx: SyncContext, given: str, remote: Mapping[str, RemoteEntry]) -> str:
    """The key a user named: a key (`posts/hello`) or the file holding it
    (`content/posts/hello.md`, relative to the current folder or to the site)."""
    known = set(remote) | set(ctx.base.entries) | set(ctx.copy.hashes())
    if given in known:
        return given
    for candidate in (Path(given), ctx.site_dir / given):
        wanted = candidate.resolve()
        for key in known:
            file = local_file(ctx, key)
            if file is not None and file.resolve() == wanted:
                return key
    close = difflib.get_close_matches(given, sorted(known), n=1)
    raise ContentError(
        f"no post, page or media file has the key {given!r} here or remotely",
        file=given,
        hint=(f"did you mean `{close[0]}`? " if close else "")
        + "name a key such as `posts/<slug>` or a file under content/ (`sitegen status` lists them)",
    )


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
                entry.version, entry.updated_at, entry.author_id, entry.editable
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
    merged: Merged | None = None,
) -> Conflict:
    """Both sides of a conflicting key: local file and time, remote version, time and editor
    (and where the markers are, when a merge wrote them)."""
    local_file, local_time = local_side(ctx, step.key)
    entry = remote.get(step.key)
    line = conflict_marker_line(merged.text) if merged is not None else None
    return Conflict(
        key=step.key,
        reason=step.reason,
        local_file=local_file,
        local_time=local_time,
        local_author=ctx.email,
        remote_version=entry.version if entry else None,
        remote_time=(row or {}).get("updated_at") or (entry.updated_at if entry else None),
        remote_author=(row or {}).get("updated_by_email"),
        read_only=entry is not None and not entry.editable,
        markers=f"{local_file}:{line}" if line is not None else None,
        parts=merged.conflicts if merged is not None else (),
    )


def merged_with_base(ctx: SyncContext, key: str, remote_doc: SourceDocument) -> Merged | None:
    """The three-way merge of the local file and `remote_doc` against the text of `key` at the
    last sync; None when no base text was kept (a base from before texts were kept)."""
    was = ctx.base.entries.get(key)
    local = ctx.copy.documents.get(key)
    if was is None or local is None:
        return None
    text = base_text(ctx.site_dir, ctx.base, was.hash)
    if text is None:
        return None
    local_doc, _, _ = local.load(ctx.site_dir)
    base_doc = parse_document(
        text, source=local_doc.source, kind=remote_doc.kind, default_slug=remote_doc.slug
    )
    return merge_documents(base_doc, local_doc, remote_doc)


def write_merge(
    ctx: SyncContext,
    writer: ContentWriter,
    step: Step,
    merged: Merged,
    remote_doc: SourceDocument,
    remote_entry: BaseEntry,
    report: SyncReport,
    remote: dict[str, RemoteEntry],
    row: dict[str, Any],
) -> None:
    """Write a merge into the local file (unless it was edited meanwhile). The base then takes
    the remote version, the merge's other parent: what is left is a local change that push
    sends with the remote version, or, with markers, a file to resolve first."""
    local = ctx.copy.documents[step.key]
    path = local.file.relative_to(ctx.site_dir).as_posix()

    def written(stat: os.stat_result) -> None:
        if merged.document is not None:
            digest = content_hash(merged.document)
            ctx.copy.index.note(path, stat.st_size, stat.st_mtime_ns, step.key, digest)
        else:
            digest = UNREADABLE
            ctx.copy.index.forget(path)
            report.conflicts.append(conflict_for(ctx, step, remote, row, merged))
        ctx.copy.documents[step.key] = LocalDocument(step.key, local.file, digest)
        ctx.base.record(step.key, remote_entry, dump_document(remote_doc))
        if merged.clean:
            report.count("merge", step.key)

    def refused(reason: Refusal) -> None:
        changed = Step(step.key, "conflict", "changed locally while merging; kept")
        report.conflicts.append(conflict_for(ctx, changed, remote, row))

    expect = ctx.copy.index.scanned_state(path)
    writer.write(
        local.file,
        merged.text.encode("utf-8"),
        expect=expect,
        on_written=written,
        on_refused=refused,
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
