"""Source file -> parsed Document + rendered Markdown, the per-document stage of a build.

`process_file` gives a `DocRecord` (the document and what its entry needs of its rendering)
and the `PageBody` (what its page shows). The build cache keeps both while the file's bytes
(and the Markdown options) are the same, so a fresh process neither re-parses nor re-renders.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sitegen.config import LimitsConfig
from sitegen.errors import ContentError, ContentErrors
from sitegen.frontmatter import parse_document
from sitegen.limits import document_errors, size_error
from sitegen.markdown import MarkdownOptions, render_summary
from sitegen.markers import unresolved_markers
from sitegen.model import Document
from sitegen.shortcodes import Shortcodes, render_document
from sitegen.site import DocRender, PageBody, split_rendering


@dataclass(frozen=True)
class DocRecord:
    """One content file as the build knows it: its stat and bytes' sha256, the document and
    what its entry needs of its rendering (None, with `errors`, when it cannot be read, parsed
    or rendered). `errors` are reported again while the file is unchanged."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    document: Document | None
    render: DocRender | None
    errors: tuple[ContentError, ...] = ()
    checked_ns: int = 0  # when the file was read (see cache.is_settled)
    includes: tuple[tuple[str, str], ...] = ()  # (path, sha256) of files its shortcodes included


@dataclass
class PhaseTimes:
    """Seconds spent per phase, summed over files (and over processes when parallel)."""

    seconds: dict[str, float] = field(
        default_factory=lambda: {"read": 0.0, "parse": 0.0, "markdown": 0.0}
    )

    def add(self, other: Mapping[str, float]) -> None:
        for name, value in other.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + value

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.add({name: time.perf_counter() - began})


def process_file(
    site_dir: Path,
    path: str,
    options: MarkdownOptions,
    times: PhaseTimes,
    shortcodes: Shortcodes | None = None,
    limits: LimitsConfig | None = None,
) -> tuple[DocRecord, PageBody | None]:
    """Read, parse and render one file: its record and its page body (None on errors).
    Content errors are kept in the record, not raised. A file over `limits` is not read (too
    big) or not rendered."""
    started = time.perf_counter()
    checked_ns = time.time_ns()
    stat, data = _read_file(site_dir / path, limits.document_bytes if limits else None)
    times.seconds["read"] += time.perf_counter() - started
    too_big = size_error(path, stat.st_size, limits) if limits else None
    if too_big is not None:
        record = DocRecord(
            path, stat.st_size, stat.st_mtime_ns, "", None, None, (too_big,), checked_ns
        )
        return record, None
    made = _parse_and_render(path, data, options, times, shortcodes, limits)
    record = DocRecord(
        path,
        stat.st_size,
        stat.st_mtime_ns,
        hashlib.sha256(data).hexdigest(),
        made.document,
        made.render,
        made.errors,
        checked_ns,
        made.includes,
    )
    return record, made.body


def _read_file(path: Path, max_bytes: int | None = None) -> tuple[os.stat_result, bytes]:
    """The file's stat and bytes through one descriptor: both describe the same file even if it
    is replaced meanwhile, in five system calls where stat() plus read_bytes() take eight.
    A file over `max_bytes` is not read (its bytes are empty)."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        stat = os.fstat(fd)
        if max_bytes is not None and stat.st_size > max_bytes:
            return stat, b""
        chunks: list[bytes] = []
        while chunk := os.read(fd, stat.st_size + 1 if not chunks else 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return stat, b"".join(chunks)


class _Made(NamedTuple):
    document: Document | None = None
    render: DocRender | None = None
    body: PageBody | None = None
    errors: tuple[ContentError, ...] = ()
    includes: tuple[tuple[str, str], ...] = ()  # (path, sha256) of the files shortcodes included


def _parse_and_render(
    path: str,
    data: bytes,
    options: MarkdownOptions,
    times: PhaseTimes,
    shortcodes: Shortcodes | None,
    limits: LimitsConfig | None = None,
) -> _Made:
    started = time.perf_counter()
    try:
        text = data.decode("utf-8")
        document = parse_document(text, source=path)
    except UnicodeDecodeError as exc:
        error = ContentError(
            f"is not UTF-8 text (byte {exc.start})", file=path, hint="save the file as UTF-8"
        )
        return _Made(errors=(error,))
    except ContentErrors as exc:
        return _Made(errors=tuple(exc.errors))
    except ContentError as exc:
        return _Made(errors=(exc,))
    over = document_errors(path, text, document, limits) if limits else []
    if over:
        return _Made(errors=tuple(over))
    markers = unresolved_markers(document.body, path, document.body_line)
    if markers is not None:  # a warning: the build goes on, `--strict` refuses
        document = dataclasses.replace(document, notes=(*document.notes, markers))
    rendered_at = time.perf_counter()
    times.seconds["parse"] += rendered_at - started
    summary = document.front.summary
    try:
        body = render_document(document.body, options, shortcodes, path, document.body_line)
    except ContentError as exc:
        return _Made(errors=(exc,))
    render, page_body = split_rendering(
        document, body.rendered, render_summary(summary, options) if summary else None
    )
    times.seconds["markdown"] += time.perf_counter() - rendered_at
    return _Made(document.without_body(), render, page_body, (), body.includes)
