"""`sitegen pull`: bring remote changes into content/, never overwriting local edits.

Manifests first (one request per table); rows only for keys whose version moved; media bytes
only when the checksum changed. Remote rows are validated before anything touches the disk, and
every file is written atomically and only inside content/ (files.py). The base is saved even
when a pull stops early, for every file already written, so a re-run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sitegen.errors import ContentError, SitegenError
from sitegen.frontmatter import dump_document
from sitegen.model import Kind
from sitegen.paths import CONTENT_DIR
from sitegen.sources.local import MEDIA_PREFIX, MEDIA_ROOT
from sitegen.sync.authors import pull_authors
from sitegen.sync.engine import (
    MANY_FILES,
    Notify,
    SyncContext,
    conflict_for,
    fetch_rows,
    local_file,
    merged_with_base,
    open_context,
    read_manifests,
    resolve_key,
    split_key,
    write_merge,
)
from sitegen.sync.files import ABSENT, ContentWriter, FileChanged, Refusal
from sitegen.sync.mapping import content_hash, media_target, row_to_document, row_to_media
from sitegen.sync.plan import RemoteEntry, Step, plan_pull
from sitegen.sync.report import SyncReport
from sitegen.sync.state import BaseEntry, save_base


def pull(
    site_dir: Path,
    *,
    force: bool = False,
    keys: Sequence[str] = (),
    notify: Notify = lambda message: None,
) -> SyncReport:
    """Pull remote changes into `site_dir/content` (only `keys`, keys or file paths, when
    given); conflicts and rejected rows are reported. Both-sided changes are merged."""
    started = time.perf_counter()
    with open_context(site_dir, require_login=False, notify=notify) as ctx:
        report = _pull(ctx, force, keys)
    report.seconds = time.perf_counter() - started
    return report


def _pull(ctx: SyncContext, force: bool, keys: Sequence[str]) -> SyncReport:
    remote = read_manifests(ctx.store)
    viewer = ctx.store.user_id
    only = [resolve_key(ctx, key, remote) for key in keys] if keys else None
    _note_now_public(ctx, remote, viewer)
    steps = plan_pull(
        ctx.copy.hashes(), remote, ctx.base.entries, viewer=viewer, force=force, only=only
    )
    report = SyncReport(steps=steps)
    rows = fetch_rows(
        ctx.store,
        [s.key for s in steps if s.key in remote and s.action in ("pull", "merge", "conflict")],
        remote,
        ctx.notify,
    )
    downloads = sum(1 for s in steps if s.key.startswith(MEDIA_PREFIX) and s.key in rows)
    if downloads >= MANY_FILES:  # one request each: say so, or a long pull looks stuck
        ctx.notify(f"  downloading up to {downloads} media files...")
    with ContentWriter(ctx.site_dir / CONTENT_DIR, ctx.site_dir) as writer:
        try:
            for step in steps:
                try:
                    _apply(ctx, writer, step, remote, rows.get(step.key), report)
                except SitegenError as exc:
                    report.errors.append(exc)
                except ValueError as exc:  # an unsafe media path that slipped past the checks
                    report.errors.append(ContentError(str(exc), file=f"remote {step.key}"))
        finally:  # whatever was written is recorded, so an interrupted pull resumes cleanly
            report.errors.extend(writer.flush())
            save_base(ctx.site_dir, ctx.base)
    report.errors.extend(pull_authors(ctx.site_dir, ctx.store, ctx.notify))
    if not remote:
        report.notes.append(_empty_note(ctx))
    return report


def _note_now_public(ctx: SyncContext, remote: dict[str, RemoteEntry], viewer: str | None) -> None:
    """A private (draft/scheduled) key that someone else can now read has become public."""
    for key, entry in remote.items():
        was = ctx.base.entries.get(key)
        if (
            was is not None
            and was.private
            and was.author_id != viewer
            and was.version == entry.version
        ):
            ctx.base.record(key, replace(was, private=False))


def _apply(
    ctx: SyncContext,
    writer: ContentWriter,
    step: Step,
    remote: dict[str, RemoteEntry],
    row: dict[str, Any] | None,
    report: SyncReport,
) -> None:
    table, _name = split_key(step.key)
    if step.action == "forget":
        ctx.base.forget(step.key)
    elif step.action == "skip":
        report.skipped.append(step)
    elif step.action == "delete-local":
        _delete_local(ctx, writer, step, report)
    elif row is None:  # pull/conflict of a key that vanished since the manifest: next pull sees it
        if step.action in ("conflict", "merge"):
            report.conflicts.append(conflict_for(ctx, step, remote, None))
    elif table == "media":
        _pull_media(ctx, writer, step, remote, row, report)
    else:
        _pull_document(
            ctx, writer, step, "post" if table == "posts" else "page", remote, row, report
        )


def _pull_document(
    ctx: SyncContext,
    writer: ContentWriter,
    step: Step,
    kind: Kind,
    remote: dict[str, RemoteEntry],
    row: dict[str, Any],
    report: SyncReport,
) -> None:
    doc, checked = row_to_document(kind, row)
    digest = content_hash(doc)
    local = ctx.copy.documents.get(step.key)
    entry = BaseEntry(checked.version, digest, checked.author_id, checked.private)
    if local is not None and local.hash == digest:  # same content on both sides: just agree
        ctx.base.record(step.key, entry, dump_document(doc))
        return
    if step.action == "merge":
        merged = merged_with_base(ctx, step.key, doc)
        if merged is not None:
            write_merge(ctx, writer, step, merged, doc, entry, report, remote, row)
            return
        step = Step(step.key, "conflict", f"{step.reason}; no earlier version kept to merge")
    if step.action == "conflict":
        report.conflicts.append(conflict_for(ctx, step, remote, row))
        return
    text = dump_document(doc)
    target = (
        local.file
        if local is not None
        else ctx.site_dir / CONTENT_DIR / f"{kind}s" / f"{doc.slug}.md"
    )
    _queue_write(
        ctx,
        writer,
        report,
        step,
        target,
        text.encode("utf-8"),
        entry,
        replaces=local is not None,
        text=text,
        remote=remote,
        row=row,
    )


def _pull_media(
    ctx: SyncContext,
    writer: ContentWriter,
    step: Step,
    remote: dict[str, RemoteEntry],
    row: dict[str, Any],
    report: SyncReport,
) -> None:
    checked = row_to_media(row)
    local = ctx.copy.media.get(checked.path)
    entry = BaseEntry(checked.version, checked.sha256, checked.author_id)
    if local is not None and local.sha256 == checked.sha256:
        ctx.base.record(step.key, entry)
        return
    if step.action == "conflict":
        report.conflicts.append(conflict_for(ctx, step, remote, row))
        return
    target = media_target(ctx.site_dir / MEDIA_ROOT, checked.path)
    data = ctx.store.download_media(checked.object_name)
    if hashlib.sha256(data).hexdigest() != checked.sha256 or len(data) != checked.size:
        raise ContentError(
            "downloaded bytes do not match the row's sha256/size; not written",
            file=f"remote {step.key}",
            field="sha256",
            hint="the author should push the file again",
        )
    _queue_write(
        ctx,
        writer,
        report,
        step,
        target,
        data,
        entry,
        replaces=local is not None,
        remote=remote,
        row=row,
    )


def _queue_write(
    ctx: SyncContext,
    writer: ContentWriter,
    report: SyncReport,
    step: Step,
    target: Path,
    data: bytes,
    entry: BaseEntry,
    *,
    replaces: bool,
    remote: dict[str, RemoteEntry],
    row: dict[str, Any],
    text: str | None = None,
) -> None:
    """Write a pulled file; record it once on disk, unless the file was not what we scanned.
    `text` is a document's text, kept as the base of later merges."""
    path = _relative(ctx, target)

    def written(stat: os.stat_result) -> None:
        ctx.copy.index.note(path, stat.st_size, stat.st_mtime_ns, step.key, entry.hash)
        ctx.base.record(step.key, entry, text)
        report.count("pull", step.key)

    def refused(reason: Refusal) -> None:
        _report_refusal(ctx, report, step, path, reason, remote, row)

    expect = ctx.copy.index.scanned_state(path) if replaces else ABSENT
    writer.write(target, data, expect=expect, on_written=written, on_refused=refused)


def _delete_local(ctx: SyncContext, writer: ContentWriter, step: Step, report: SyncReport) -> None:
    file = local_file(ctx, step.key)
    if file is not None:
        path = _relative(ctx, file)
        try:
            writer.delete(file, expect=ctx.copy.index.scanned_state(path))
        except FileChanged as exc:
            _report_refusal(ctx, report, step, path, exc, {}, None)
            return
        ctx.copy.index.forget(path)
    ctx.base.forget(step.key)
    report.count("delete-local", step.key)


def _report_refusal(
    ctx: SyncContext,
    report: SyncReport,
    step: Step,
    path: str,
    reason: Refusal,
    remote: dict[str, RemoteEntry],
    row: dict[str, Any] | None,
) -> None:
    """A file edited while the pull ran is a conflict; a file holding another key an error."""
    if isinstance(reason, FileChanged):
        changed = Step(step.key, "conflict", "changed locally while pulling; kept")
        report.conflicts.append(conflict_for(ctx, changed, remote, row))
    else:
        report.errors.append(
            ContentError(
                f"this file holds another key, so {step.key} cannot be pulled into it",
                file=path,
                hint="rename one of the two (give it another slug)",
            )
        )


def _relative(ctx: SyncContext, file: Path) -> str:
    return file.relative_to(ctx.site_dir).as_posix()


def _empty_note(ctx: SyncContext) -> str:
    if ctx.email is None:
        return (
            "No rows came back. You are not logged in, so only published content is "
            "visible (row-level security); `sitegen login` to also get your drafts."
        )
    return (
        f"No rows came back for {ctx.email}: the project holds no content yet, or its "
        "row-level security policies hide every row (`sitegen doctor` checks them)."
    )
