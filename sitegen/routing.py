"""Routes: where a document, list page or tag page lives, as a URL and an output file.

Pure functions of the document and the config. A route's `path` is site-relative with no
leading slash (`posts/hello/`); templates get `base_path + path` (`/blog/posts/hello/`).
Pretty URLs: a path ending in `/` is written to `<path>index.html`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from posixpath import normpath, splitext

from sitegen.config import SiteConfig
from sitegen.errors import ContentError, quote
from sitegen.frontmatter import name_date
from sitegen.model import Document

FEED_FILE = "feed.xml"
_RAW_TITLE = re.compile(r"^[A-Za-z0-9._~-]+$")


@dataclass(frozen=True)
class Route:
    """`path`: site-relative URL path (`posts/hello/`, `` for the home page); `output`: file."""

    path: str
    output: str


def route_of_path(path: str) -> Route:
    """The route for a site-relative URL path; the output file never leaves the output folder."""
    path = path.lstrip("/")
    output = path + "index.html" if path == "" or path.endswith("/") else path
    if normpath(output) != output or output.startswith(("../", "/")):
        raise ValueError(f"unsafe output path {quote(output)}")
    return Route(path=path, output=output)


def section_slug(slug: str) -> str | None:
    """The folder a section page stands for: `docs/index` (`docs/index.md`, or Hugo's
    `docs/_index.md`) -> `docs`, `index` -> `` (the home page); None for any other page."""
    if slug == "index":
        return ""
    return slug.removesuffix("/index") if slug.endswith("/index") else None


def route_for(doc: Document, config: SiteConfig) -> Route:
    """The route of a post or page: its `url` as written, else from its permalink pattern; a
    section page (see `section_slug`) lives at its folder's URL, and `pages/index.md` is the
    home page."""
    if doc.front.url is not None:
        return url_route(doc.front.url)
    pattern = config.permalinks.post if doc.kind == "post" else config.permalinks.page
    fields = {"slug": doc.slug, "title": _raw_title(doc) if "{title}" in pattern else ""}
    if doc.kind == "page" and (folder := section_slug(doc.slug)) is not None:
        if not folder:
            return HOME
        fields["slug"] = fields["title"] = folder
    if doc.kind == "post" and "{categories}" in pattern:
        fields["categories"] = "/".join(_path_part(c) for c in doc.front.categories)
    if doc.kind == "post" and any(f"{{{name}}}" in pattern for name in ("year", "month", "day")):
        date = doc.front.date
        if date is None:
            raise ContentError(
                f"is required: the post permalink {pattern!r} uses the date",
                file=doc.source,
                line=1,
                field="date",
                hint="add `date: 2024-05-01` to the front matter, or change [permalinks] post",
            )
        day = date.date() if isinstance(date, dt.datetime) else date
        fields.update(year=f"{day.year:04d}", month=f"{day.month:02d}", day=f"{day.day:02d}")
    path = pattern.format(**fields)
    return route_of_path(re.sub("/{2,}", "/", path) if "//" in path else path)


def url_route(url: str) -> Route:
    """The route of a URL kept as written: `/a/b.html` is that file, `/a/b/` and `/a/b` are
    `a/b/index.html` (a static server answers `/a/b` from it)."""
    path = url.lstrip("/")
    if path and not path.endswith("/") and not splitext(path)[1]:
        path += "/"
    return route_of_path(path)


def _path_part(category: str) -> str:
    """A category in a URL as Jekyll writes it: lower-cased, other characters than letters,
    digits, `_`, `.`, `~` and `-` made hyphens (`zh_CN` -> `zh_cn`, `Big News` -> `big-news`)."""
    return re.sub(r"[^\w.~-]+", "-", category.lower()).strip("-")


def _raw_title(doc: Document) -> str:
    """Jekyll's `:title`: the slug the author wrote, else the file name as written minus its
    date (`2019-05-15-Rust-1.35.md` -> `Rust-1.35`); its slug's last part when not URL-safe."""
    if doc.front.slug is not None:
        return doc.front.slug
    name = name_date(PurePosixPath(doc.source).stem)[1]
    return name if _RAW_TITLE.match(name) else doc.slug.rsplit("/", 1)[-1]


def tag_route(tag_slug: str, config: SiteConfig, taxonomy: str = "tags") -> Route:
    """The first page of a term of a taxonomy (`tags` unless named)."""
    return route_of_path(config.term_patterns[taxonomy].format(slug=tag_slug))


def taxonomy_route(taxonomy: str, config: SiteConfig) -> Route:
    """The index of a taxonomy's terms: the term pattern cut before `{slug}` (`/tags/`)."""
    return route_of_path(config.term_patterns[taxonomy].split("{slug}")[0])


def paged_route(first: Route, number: int) -> Route:
    """Page `number` of a paginated list whose first page is `first` (`/`, `/tags/x/`)."""
    if number == 1:
        return first
    base = first.path if first.path.endswith("/") or first.path == "" else first.path + "/"
    return route_of_path(f"{base}page/{number}/")


HOME = Route(path="", output="index.html")
BLOG = Route(path="posts/", output="posts/index.html")  # the post list when a page is the home
TAGS_INDEX = Route(path="tags/", output="tags/index.html")
ARCHIVE = Route(path="archive/", output="archive/index.html")
NOT_FOUND = Route(path="404.html", output="404.html")
