"""`sitegen push`: send local changes to Supabase, never overwriting someone else's edit.

The plan is made from the working copy, fresh manifests and the base. Writes are bulk upserts
guarded by row versions in PostgreSQL; the base is updated only for batches the server
confirmed, so a push interrupted at any point can simply be run again. When the database
reports a version conflict (someone wrote meanwhile, or a retried write had in fact succeeded),
the manifests are read again and the plan redone; a key whose remote content equals the local
content is then simply recorded as in sync.
"""

from __future__ import annotations

import mimetypes
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from sitegen.errors import ContentError, RemoteError, SitegenError
from sitegen.frontmatter import dump_document
from sitegen.model import Media, SourceDocument
from sitegen.paths import CONTENT_DIR
from sitegen.remote.store import RowsRefused, VersionConflict, name_column
from sitegen.sources.local import MEDIA_PREFIX
from sitegen.sync.engine import (
    MANY_FILES,
    Notify,
    SyncContext,
    conflict_for,
    fetch_rows,
    merged_with_base,
    open_context,
    read_manifests,
    split_key,
    write_merge,
)
from sitegen.sync.files import ContentWriter
from sitegen.sync.mapping import (
    ACTIVE_SUFFIXES,
    content_hash,
    document_to_row,
    is_private,
    media_to_row,
    object_name_for,
    row_to_document,
    row_to_media,
)
from sitegen.sync.plan import RemoteEntry, Step, plan_push
from sitegen.sync.report import Conflict, SyncReport
from sitegen.sync.state import BaseEntry, save_base

MAX_ROUNDS = 3  # re-plans after version conflicts before giving up


def push(
    site_dir: Path,
    *,
    dry_run: bool = False,
    prune: bool = False,
    force: bool = False,
    notify: Notify = lambda message: None,
) -> SyncReport:
    """Push local changes; with `dry_run` only plan. Conflicts and errors are in the report."""
    started = time.perf_counter()
    with open_context(site_dir, require_login=True, notify=notify) as ctx:
        report = _push(ctx, dry_run=dry_run, prune=prune, force=force)
    report.seconds = time.perf_counter() - started
    return report


def _push(ctx: SyncContext, *, dry_run: bool, prune: bool, force: bool) -> SyncReport:
    user_id = ctx.store.user_id
    assert user_id is not None  # require_login
    report = SyncReport()
    marked: list[Conflict] = []  # files a merge left markers in: reported whatever round follows
    for round_number in range(1, MAX_ROUNDS + 1):
        report.conflicts, report.skipped, report.errors = list(marked), [], list(ctx.copy.errors)
        report.refused = []
        remote = read_manifests(ctx.store)
        steps = plan_push(
            ctx.copy.hashes(), remote, ctx.base.entries, user_id=user_id, force=force, prune=prune
        )
        steps = [step for step in steps if step.key not in {c.key for c in marked}]
        steps = _settle_conflicts(ctx, steps, remote, report, dry_run=dry_run)
        marked = [conflict for conflict in report.conflicts if conflict.markers]
        report.steps = steps
        if dry_run:
            break
        try:
            _apply(ctx, steps, report, prune=prune)
            break
        except VersionConflict as exc:
            ctx.notify(
                f"{exc.details.get('key', 'a key')} changed meanwhile; planning again "
                f"({round_number}/{MAX_ROUNDS})"
            )
            if round_number == MAX_ROUNDS:
                raise RemoteError(
                    "keys kept changing remotely while pushing",
                    hint="run `sitegen pull`, then push again",
                ) from None
        finally:
            if not dry_run:
                save_base(ctx.site_dir, ctx.base)
    return report


def _settle_conflicts(
    ctx: SyncContext,
    steps: list[Step],
    remote: dict[str, RemoteEntry],
    report: SyncReport,
    *,
    dry_run: bool,
) -> list[Step]:
    """Keys changed on both sides: equal content is recorded as in sync, documents are merged
    (a clean merge becomes an update of the remote version, one with markers a conflict), the
    rest are conflicts."""
    pending = [s for s in steps if s.action in ("conflict", "merge")]
    rows = fetch_rows(ctx.store, [s.key for s in pending if s.key in remote], remote, ctx.notify)
    local = ctx.copy.hashes()
    settled: dict[str, Step | None] = {}
    merges: dict[str, str] = {}  # key -> hash of the clean merge written for it
    with ContentWriter(ctx.site_dir / CONTENT_DIR, ctx.site_dir) as writer:
        for step in pending:
            row = rows.get(step.key)
            remote_doc, digest = _remote_content(step.key, row)
            if row is not None and digest is not None and digest == local.get(step.key):
                if not dry_run:
                    ctx.base.record(
                        step.key,
                        _entry_of(row, digest),
                        dump_document(remote_doc) if remote_doc else None,
                    )
                settled[step.key] = None
                continue
            if step.action == "merge" and row is not None and remote_doc is not None:
                try:
                    settled[step.key] = _merge(
                        ctx, writer, step, remote_doc, row, remote, report, merges, dry_run=dry_run
                    )
                except SitegenError as exc:
                    report.errors.append(exc)
                    settled[step.key] = None
                continue
            if step.action == "merge":
                step = Step(step.key, "conflict", step.reason)
            report.conflicts.append(conflict_for(ctx, step, remote, row))
            settled[step.key] = step
        report.errors.extend(writer.flush())
    for key, digest in merges.items():  # a file edited while merging was not written: not sent
        if not dry_run and ctx.copy.documents[key].hash != digest:
            settled[key] = None
    kept = (settled.get(s.key, s) for s in steps)
    return [step for step in kept if step is not None]


def _merge(
    ctx: SyncContext,
    writer: ContentWriter,
    step: Step,
    remote_doc: SourceDocument,
    row: dict[str, Any],
    remote: dict[str, RemoteEntry],
    report: SyncReport,
    merges: dict[str, str],
    *,
    dry_run: bool,
) -> Step:
    """Merge one document changed on both sides; the step that follows from the merge."""
    version = remote[step.key].version
    entry = _entry_of(row, content_hash(remote_doc))
    merged = merged_with_base(ctx, step.key, remote_doc)
    if merged is None:
        conflict = Step(step.key, "conflict", f"{step.reason}; no earlier version kept to merge")
        report.conflicts.append(conflict_for(ctx, conflict, remote, row))
        return conflict
    if merged.document is not None:
        reason = "changed on both sides; " + ("merges cleanly" if dry_run else "merged")
        merges[step.key] = content_hash(merged.document)
        if not dry_run:
            write_merge(ctx, writer, step, merged, remote_doc, entry, report, remote, row)
        return Step(step.key, "update", reason, version=version)
    if not dry_run:  # the conflict is reported once the markers are on disk
        write_merge(ctx, writer, step, merged, remote_doc, entry, report, remote, row)
        return Step(step.key, "conflict", step.reason)
    what = ", ".join(merged.conflicts)
    conflict = Step(step.key, "conflict", f"{step.reason}; the merge conflicts in {what}")
    report.conflicts.append(conflict_for(ctx, conflict, remote, row))
    return conflict


def _remote_content(
    key: str, row: Mapping[str, Any] | None
) -> tuple[SourceDocument | None, str | None]:
    """The remote document (None for media) and content hash of a row; (None, None) if invalid."""
    if row is None:
        return None, None
    table, _ = split_key(key)
    try:
        if table == "media":
            return None, row_to_media(row).sha256
        doc, _ = row_to_document("post" if table == "posts" else "page", row)
        return doc, content_hash(doc)
    except ContentError:
        return None, None


def _entry_of(row: Mapping[str, Any], digest: str) -> BaseEntry:
    """The base entry of a remote row whose content hashes to `digest`."""
    return BaseEntry(
        row["version"],
        digest,
        row.get("author_id"),
        is_private(row.get("draft") is True, row.get("publish_at")),
    )


def _apply(ctx: SyncContext, steps: list[Step], report: SyncReport, *, prune: bool) -> None:
    by_action: dict[str, list[Step]] = {}
    for step in steps:
        by_action.setdefault(step.action, []).append(step)
    report.skipped += by_action.get("skip", [])
    report.refused += by_action.get("refuse", [])
    for step in by_action.get("forget", []):
        ctx.base.forget(step.key)
    writes = by_action.get("create", []) + by_action.get("update", [])
    deletes = by_action.get("delete-remote", [])
    _write(ctx, [s for s in writes if s.key.startswith(MEDIA_PREFIX)], "media", report)
    for table in ("posts", "pages"):
        _write(ctx, [s for s in writes if s.key.startswith(table + "/")], table, report)
    for table in ("posts", "pages", "media"):
        _delete(ctx, [s for s in deletes if s.key.startswith(table + "/")], table, report)
    if prune:
        _remove_unreferenced(ctx)


def _write(ctx: SyncContext, steps: Sequence[Step], table: str, report: SyncReport) -> None:
    if table == "media" and len(steps) >= MANY_FILES:  # uploads are one request each
        ctx.notify(f"  uploading {len(steps)} media files...")
    rows: list[dict[str, Any]] = []
    hashes: dict[str, str] = {}
    texts: dict[str, str | None] = {}
    for step in steps:
        try:
            row, digest, texts[step.key] = _row_for(ctx, step)
        except SitegenError as exc:
            report.errors.append(exc)
            continue
        row["version"] = 1 if step.action == "create" else (step.version or 0) + 1
        rows.append(row)
        hashes[step.key] = digest
    if not rows:
        return
    column = name_column(table)
    user_id = ctx.store.user_id
    sent = 0

    def confirmed(batch: Sequence[Mapping[str, Any]]) -> None:
        nonlocal sent
        for row in batch:
            key = f"{table}/{row[column]}"
            private = is_private(row.get("draft") is True, row.get("publish_at"))
            entry = BaseEntry(row["version"], hashes[key], user_id, private)
            ctx.base.record(key, entry, texts[key])
            report.count("create" if row["version"] == 1 else "update", key)
        save_base(ctx.site_dir, ctx.base)
        sent += len(batch)
        if len(rows) > len(batch):  # progress only for work that takes several requests
            ctx.notify(f"  sent {sent} of {len(rows)} {table}")

    _write_isolating_refusals(ctx, table, rows, confirmed, report)


def _write_isolating_refusals(
    ctx: SyncContext,
    table: str,
    rows: list[dict[str, Any]],
    confirmed: Callable[[Sequence[Mapping[str, Any]]], None],
    report: SyncReport,
) -> None:
    """Write rows; if RLS refuses a batch, bisect to find the refused rows and push the rest.

    A refusal means the key exists but belongs to another author, who has it as a draft (or
    scheduled) so it was not in our manifest. Rare, so bisection (log n requests) is fine.
    """
    column = name_column(table)
    written: set[str] = set()

    def note(batch: Sequence[Mapping[str, Any]]) -> None:
        written.update(row[column] for row in batch)
        confirmed(batch)

    try:
        ctx.store.write(table, rows, note)
    except RowsRefused:
        remaining = [row for row in rows if row[column] not in written]
        if len(remaining) == 1:
            report.errors.append(
                RemoteError(
                    f"{table}/{remaining[0][column]}: refused by the server: your role does not "
                    "allow it (contributors cannot publish, schedule or add media), or another "
                    "author already uses this key (as a draft you cannot see); not pushed",
                    hint="keep it a draft (`draft: true`) for an editor to publish, or give it "
                    "another slug (or media path) and push again",
                )
            )
            return
        middle = len(remaining) // 2
        for half in (remaining[:middle], remaining[middle:]):
            _write_isolating_refusals(ctx, table, half, confirmed, report)


def _row_for(ctx: SyncContext, step: Step) -> tuple[dict[str, Any], str, str | None]:
    """The full row to send for a key, with its content hash and (for a document) its text,
    kept as the base of later merges; uploads media bytes first."""
    table, name = split_key(step.key)
    if table != "media":
        doc, digest, text = ctx.copy.documents[step.key].load(ctx.site_dir)
        if doc.key != step.key:
            raise ContentError(
                f"now has the key {doc.key}, not {step.key}; not pushed",
                file=doc.source,
                hint="run the push again",
            )
        return document_to_row(doc), digest, text  # the text parses to `doc`: a merge base
    item = ctx.copy.media[name]
    if PurePosixPath(item.path).suffix.lower() in ACTIVE_SUFFIXES:
        raise ContentError(
            "pages and scripts are not synced as media (others' pulls refuse them)",
            file=item.file.relative_to(ctx.site_dir).as_posix(),
            hint="put such files in static/",
        )
    user_id = ctx.store.user_id or ""
    object_name = object_name_for(user_id, Media(item.path, item.sha256, item.size))
    content_type = mimetypes.guess_type(item.path)[0] or "application/octet-stream"
    ctx.store.upload_media(object_name, item.file.read_bytes(), content_type)
    row = media_to_row(Media(item.path, item.sha256, item.size), object_name, content_type)
    return row, item.sha256, None


def _delete(ctx: SyncContext, steps: Sequence[Step], table: str, report: SyncReport) -> None:
    if not steps:
        return
    versions = {split_key(s.key)[1]: s.version or 0 for s in steps}
    deleted = ctx.store.delete(table, versions)
    # Not in the answer: changed meanwhile, or already gone (a retried delete whose first
    # answer was lost deletes nothing the second time). Only a row still there is a conflict.
    unconfirmed = [name for name in versions if name not in deleted]
    still_there = (
        {row[name_column(table)]: row for row in ctx.store.fetch(table, unconfirmed)}
        if unconfirmed
        else {}
    )
    for step in steps:
        row = still_there.get(split_key(step.key)[1])
        if row is None:
            ctx.base.forget(step.key)
            report.count("delete-remote", step.key)
        else:
            changed = Step(step.key, "conflict", "changed remotely while deleting; kept")
            report.conflicts.append(conflict_for(ctx, changed, {}, row))
    save_base(ctx.site_dir, ctx.base)


def _remove_unreferenced(ctx: SyncContext) -> None:
    """--prune: remove one's own objects that no media row references any more.

    Objects live in `<user id>/<sha256>/<name>`; only folders whose sha256 no row of one's own
    uses are listed, so a prune costs one request per orphaned folder, not per media file.
    """
    user_id = ctx.store.user_id
    referenced = {row.get("object_name") for row in ctx.store.fetch("media")}
    used = {
        name.split("/")[1]
        for name in referenced
        if isinstance(name, str) and name.startswith(f"{user_id}/")
    }
    orphans = [
        f"{user_id}/{folder}/{name}"
        for folder in ctx.store.list_folder(str(user_id))
        if folder not in used
        for name in ctx.store.list_folder(f"{user_id}/{folder}")
    ]
    ctx.store.remove_objects(orphans)
    if orphans:
        ctx.notify(f"Removed {len(orphans)} unused media objects")
