"""The content model: documents and media, as plain frozen values.

No I/O and no validation here: `frontmatter.py` turns text into these values (validating them
at that boundary); the build and sync read and write them. Values are
picklable so they can cross process boundaries and live in the build cache.

The documents' classes are not slotted: a slotted dataclass pickles through a Python call per
object, one with a `__dict__` in C, and the build cache pickles thousands of them per build
(1,100 records: dump 17.6 -> 10.0 ms, load 13.3 -> 6.9 ms).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sitegen.errors import ContentError

Kind = Literal["post", "page"]

# A document date keeps whether the author wrote a day or an instant.
DateValue = dt.date | dt.datetime


def make_key(kind: Kind, slug: str) -> str:
    """A document's identity shared by routing and sync: `posts/hello-world`, `pages/about`."""
    return f"{kind}s/{slug}"


@dataclass(frozen=True)
class FrontMatter:
    """Validated front matter. `extra` keeps every field sitegen does not know, for templates.

    `slug` is what the author wrote (None when absent); the effective slug is `Document.slug`.
    `menu` is False (not in the menu), True, or an int giving the menu order.
    `url` is a URL kept as written (an old site's, `/2019/05/15/Name.html`), overriding the
    permalink pattern; `aliases` are older URLs that get redirect pages. `expiry_date` hides
    the document after it.
    """

    title: str
    slug: str | None = None
    date: DateValue | None = None
    updated: DateValue | None = None
    draft: bool = False
    tags: tuple[str, ...] = ()
    summary: str | None = None
    template: str | None = None
    cover: str | None = None
    menu: bool | int = False
    description: str | None = None
    categories: tuple[str, ...] = ()
    url: str | None = None
    aliases: tuple[str, ...] = ()
    expiry_date: DateValue | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    """A parsed page or post, as the site is assembled from it: everything but its Markdown
    body, which the build renders once and then needs no more (see SourceDocument).

    `source` (path relative to the site dir, for messages) and `body_line` (1-based line in the
    file where the body starts, to turn body line numbers into file line numbers) describe where
    the document came from; they are not part of its value, so they are left out of equality.
    """

    key: str
    kind: Kind
    slug: str
    front: FrontMatter
    source: str = field(compare=False)
    body_line: int = field(default=1, compare=False)
    notes: tuple[ContentError, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class SourceDocument(Document):
    """A document with its Markdown body: what a file or a remote row holds (parse_document
    reads one; sync writes, merges and pushes them)."""

    body: str = field(kw_only=True)

    def without_body(self) -> Document:
        """The document as the site is assembled from it (its body rendered already)."""
        return Document(
            self.key, self.kind, self.slug, self.front, self.source, self.body_line, self.notes
        )


@dataclass(frozen=True, slots=True)
class Media:
    """A media file, by its path relative to the media root (`img/cat.png`), with a checksum."""

    path: str
    sha256: str
    size: int
