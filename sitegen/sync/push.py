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
from sitegen.model import Media
from sitegen.remote.store import RowsRefused, VersionConflict, name_column
from sitegen.sources.local import MEDIA_PREFIX
from sitegen.sync.engine import (
    MANY_FILES,
    Notify,
    SyncContext,
    conflict_for,
    fetch_rows,
    open_context,
    read_manifests,
    split_key,
)
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
from sitegen.sync.report import SyncReport
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
    for round_number in range(1, MAX_ROUNDS + 1):
        report.conflicts, report.skipped, report.errors = [], [], list(ctx.copy.errors)
        remote = read_manifests(ctx.store)
        steps = plan_push(
            ctx.copy.hashes(), remote, ctx.base.entries, user_id=user_id, force=force, prune=prune
        )
        steps = _settle_conflicts(ctx, steps, remote, report, record=not dry_run)
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
    record: bool,
) -> list[Step]:
    """Conflicts whose remote content equals the local one are no conflicts: record them."""
    conflicted = [s for s in steps if s.action == "conflict"]
    rows = fetch_rows(ctx.store, [s.key for s in conflicted if s.key in remote], remote, ctx.notify)
    local = ctx.copy.hashes()
    for step in conflicted:
        row = rows.get(step.key)
        digest = _remote_hash(step.key, row) if row is not None else None
        if row is not None and digest is not None and digest == local.get(step.key):
            if record:
                ctx.base.record(
                    step.key,
                    BaseEntry(
                        row["version"],
                        digest,
                        row.get("author_id"),
                        is_private(row.get("draft") is True, row.get("publish_at")),
                    ),
                )
        else:
            report.conflicts.append(conflict_for(ctx, step, remote, row))
    still = {conflict.key for conflict in report.conflicts}
    return [s for s in steps if s.action != "conflict" or s.key in still]


def _remote_hash(key: str, row: Mapping[str, Any]) -> str | None:
    table, _ = split_key(key)
    try:
        if table == "media":
            return row_to_media(row).sha256
        doc, _ = row_to_document("post" if table == "posts" else "page", row)
        return content_hash(doc)
    except ContentError:
        return None


def _apply(ctx: SyncContext, steps: list[Step], report: SyncReport, *, prune: bool) -> None:
    by_action: dict[str, list[Step]] = {}
    for step in steps:
        by_action.setdefault(step.action, []).append(step)
    for step in by_action.get("skip", []):
        report.skipped.append(step)
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
    for step in steps:
        try:
            row, digest = _row_for(ctx, step)
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
            ctx.base.record(key, BaseEntry(row["version"], hashes[key], user_id, private))
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


def _row_for(ctx: SyncContext, step: Step) -> tuple[dict[str, Any], str]:
    """The full row to send for a key, with its content hash; uploads media bytes first."""
    table, name = split_key(step.key)
    if table != "media":
        doc, digest = ctx.copy.documents[step.key].load(ctx.site_dir)
        if doc.key != step.key:
            raise ContentError(
                f"now has the key {doc.key}, not {step.key}; not pushed",
                file=doc.source,
                hint="run the push again",
            )
        return document_to_row(doc), digest
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
    return media_to_row(
        Media(item.path, item.sha256, item.size), object_name, content_type
    ), item.sha256


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
