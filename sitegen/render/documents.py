"""Source file -> parsed Document + rendered Markdown, the per-document half of a build.

A `DocRecord` is what the build cache stores per file: it is reused while the file's bytes
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

from sitegen.config import LimitsConfig
from sitegen.errors import ContentError, ContentErrors
from sitegen.frontmatter import parse_document
from sitegen.limits import document_errors, size_error
from sitegen.markdown import MarkdownOptions, render_summary
from sitegen.markers import unresolved_markers
from sitegen.model import Document
from sitegen.shortcodes import Shortcodes, render_document
from sitegen.site import DocRender


@dataclass(frozen=True, slots=True)
class DocRecord:
    """One content file as the build knows it. `document` has an empty body (the body lives on
    in `render`); `errors` are its content errors, reported again while the file is unchanged."""

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
) -> DocRecord:
    """Read, parse and render one file; content errors are kept in the record, not raised.
    A file over `limits` is not read (too big) or not rendered."""
    started = time.perf_counter()
    checked_ns = time.time_ns()
    stat, data = _read_file(site_dir / path, limits.document_bytes if limits else None)
    times.seconds["read"] += time.perf_counter() - started
    too_big = size_error(path, stat.st_size, limits) if limits else None
    if too_big is not None:
        return DocRecord(
            path, stat.st_size, stat.st_mtime_ns, "", None, None, (too_big,), checked_ns
        )
    document, render, errors, includes = _parse_and_render(
        path, data, options, times, shortcodes, limits
    )
    return DocRecord(
        path,
        stat.st_size,
        stat.st_mtime_ns,
        hashlib.sha256(data).hexdigest(),
        document,
        render,
        errors,
        checked_ns,
        includes,
    )


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


def _parse_and_render(
    path: str,
    data: bytes,
    options: MarkdownOptions,
    times: PhaseTimes,
    shortcodes: Shortcodes | None,
    limits: LimitsConfig | None = None,
) -> tuple[
    Document | None, DocRender | None, tuple[ContentError, ...], tuple[tuple[str, str], ...]
]:
    started = time.perf_counter()
    try:
        text = data.decode("utf-8")
        document = parse_document(text, source=path)
    except UnicodeDecodeError as exc:
        return (
            None,
            None,
            (
                ContentError(
                    f"is not UTF-8 text (byte {exc.start})",
                    file=path,
                    hint="save the file as UTF-8",
                ),
            ),
            (),
        )
    except ContentErrors as exc:
        return None, None, tuple(exc.errors), ()
    except ContentError as exc:
        return None, None, (exc,), ()
    over = document_errors(path, text, document, limits) if limits else []
    if over:
        return None, None, tuple(over), ()
    markers = unresolved_markers(document.body, path, document.body_line)
    if markers is not None:  # a warning: the build goes on, `--strict` refuses
        document = dataclasses.replace(document, notes=(*document.notes, markers))
    rendered_at = time.perf_counter()
    times.seconds["parse"] += rendered_at - started
    summary = document.front.summary
    try:
        body = render_document(document.body, options, shortcodes, path, document.body_line)
    except ContentError as exc:
        return None, None, (exc,), ()
    render = DocRender(
        body=body.rendered,
        summary=render_summary(summary, options) if summary else None,
    )
    times.seconds["markdown"] += time.perf_counter() - rendered_at
    # The build needs the body only to render it: leaving it out keeps the cache and memory lean.
    return dataclasses.replace(document, body=""), render, (), body.includes
