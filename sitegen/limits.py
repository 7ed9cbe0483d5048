"""Per-document limits (`[limits]` in sitegen.toml): bounded work and output for any input.

A site's output grows with the square of one post's tag count (each tag page lists the post
with all its tags: 3,000 tags made 752 MB), and a huge file or thousands of headings cost time
for nothing a reader wants. The defaults are far above what real documents use; a document
over a limit is an error naming the file, the line and the value.
"""

from __future__ import annotations

import re

from sitegen.config import LimitsConfig
from sitegen.errors import ContentError
from sitegen.model import SourceDocument

_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_TAGS_KEY = re.compile(r"(?m)^tags\s*:")


def size_error(path: str, size: int, limits: LimitsConfig) -> ContentError | None:
    """The error for a file too large to read, before it is read."""
    if size <= limits.document_bytes:
        return None
    return ContentError(
        f"the file has {size:,} bytes, more than the limit of {limits.document_bytes:,}",
        file=path,
        hint="split it, or raise `document_bytes` under [limits] in sitegen.toml",
    )


def document_errors(
    path: str, text: str, document: SourceDocument, limits: LimitsConfig
) -> list[ContentError]:
    """What in a parsed document (from the file `text`) is over the limits."""
    errors = []
    tags = len(document.front.tags)
    if tags > limits.tags_per_document:
        found = _TAGS_KEY.search(text)
        errors.append(
            ContentError(
                f"has {tags:,} tags, more than the limit of {limits.tags_per_document:,}",
                file=path,
                line=text.count("\n", 0, found.start()) + 1 if found else 1,
                field="tags",
                hint="keep the tags that matter, or raise `tags_per_document` under [limits]",
            )
        )
    over = _nth_heading_line(document.body, limits.headings_per_document + 1)
    if over is not None:
        errors.append(
            ContentError(
                f"has more than {limits.headings_per_document:,} headings",
                file=path,
                line=document.body_line + over - 1,
                hint="split the document, or raise `headings_per_document` under [limits]",
            )
        )
    return errors


def _nth_heading_line(body: str, n: int) -> int | None:
    """The 1-based line of the `n`th `#` heading of `body` (fenced code left out), if any."""
    count = 0
    fence = ""
    for number, line in enumerate(body.splitlines(), start=1):
        if opened := _FENCE.match(line):
            marker = opened.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
            continue
        if not fence and _HEADING.match(line):
            count += 1
            if count == n:
                return number
    return None
