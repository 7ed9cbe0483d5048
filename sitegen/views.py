"""The read-only values templates receive (docs/templates.md is the contract).

Frozen dataclasses so templates cannot change them and so `fingerprint.py` can hash exactly what
a page was rendered from. `Summary` is a post or page in lists; `Page` adds the full content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from markupsafe import Markup

from sitegen.markdown import TocEntry
from sitegen.model import DateValue, Kind


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    url: str
    count: int
    feed_url: str | None


@dataclass(frozen=True)
class Author:
    """A person named as a post's author. With a profile (`content/authors/<slug>.md` or
    `[authors.<slug>]` in sitegen.toml) they have a page and a feed; a plain name has
    neither (`slug` is then empty and `url` None)."""

    slug: str
    name: str
    bio: str
    avatar: str | None  # URL of the avatar image
    url: str | None
    feed_url: str | None


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str


@dataclass(frozen=True)
class NavItem:
    """One entry of the navigation tree: a page, a section (a page with children, or a
    group without a page of its own: `url` None) or, from an explicit nav, an outside link."""

    title: str
    url: str | None
    children: tuple[NavItem, ...] = ()


@dataclass(frozen=True)
class Section:
    """A folder under content/pages/: its own page (`index.md`), its pages and its
    subsections, each in navigation order (`weight`, then title)."""

    title: str
    url: str | None
    path: str  # the folder under content/pages/, e.g. `guides/advanced`
    page: Summary | None
    pages: tuple[Summary, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class SiteInfo:
    title: str
    description: str
    language: str
    author: str
    base_url: str
    base_path: str
    menu: tuple[MenuItem, ...]
    feed_url: str | None
    feed_type: str  # MIME type of the site (and tag) feeds, for <link rel="alternate" type=...>
    generator: str
    nav: tuple[NavItem, ...] = ()
    blog_url: str | None = None  # the post list (the home page, or /posts/), None without posts
    data: Mapping[str, Any] = field(default_factory=dict)  # data/*.toml|yaml|json by file stem
    # Every collection, for templates that use them (see theme.uses_collections); empty else.
    sections: tuple[Section, ...] = ()
    pages: tuple[Summary, ...] = ()
    posts: tuple[Summary, ...] = ()
    authors: tuple[Author, ...] = ()  # every author with a profile, by slug
    search_url: str | None = None  # the search index's folder (root-relative); None: no search
    params: Mapping[str, Any] = field(default_factory=dict)  # [params] of sitegen.toml


@dataclass(frozen=True)
class Summary:
    """A post or page as it appears in lists, prev/next, archive and tag pages."""

    key: str
    kind: Kind
    slug: str
    title: str
    url: str
    abs_url: str
    date: DateValue | None
    updated: DateValue | None
    tags: tuple[Tag, ...]
    draft: bool
    summary: Markup
    reading_time: int
    word_count: int
    cover: str | None
    extra: Mapping[str, Any]
    authors: tuple[Author, ...]  # in the order the front matter names them
    _: KW_ONLY
    description: str | None = None
    terms: Mapping[str, tuple[Tag, ...]] = field(default_factory=dict)  # besides tags

    @property
    def categories(self) -> tuple[Tag, ...]:
        return self.terms.get("categories", ())

    @property
    def params(self) -> Mapping[str, Any]:
        """Front-matter keys sitegen does not know, as Hugo's `.Params`; a `params:` table in
        the front matter is merged in (Hugo keeps page params there too)."""
        nested = self.extra.get("params")
        if not isinstance(nested, Mapping):
            return self.extra
        return {**{k: v for k, v in self.extra.items() if k != "params"}, **nested}


@dataclass(frozen=True)
class Page(Summary):
    """A post or page on its own page: the summary fields plus the content."""

    content: Markup
    toc: tuple[TocEntry, ...]
    toc_html: Markup
    mermaid: bool = False  # the content has a diagram: the page loads the theme's Mermaid script


@dataclass(frozen=True)
class Paginator:
    items: tuple[Summary, ...]
    number: int
    total_pages: int
    total_items: int
    prev_url: str | None
    next_url: str | None
    urls: tuple[str, ...]


@dataclass(frozen=True)
class YearGroup:
    year: int
    posts: tuple[Summary, ...]
