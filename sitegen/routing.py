"""Routes: where a document, list page or tag page lives, as a URL and an output file.

Pure functions of the document and the config. A route's `path` is site-relative with no
leading slash (`posts/hello/`); templates get `base_path + path` (`/blog/posts/hello/`).
Pretty URLs: a path ending in `/` is written to `<path>index.html`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from posixpath import normpath

from sitegen.config import SiteConfig
from sitegen.errors import ContentError, quote
from sitegen.model import Document


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
    """The route of a post or page from its permalink pattern; a section page (see
    `section_slug`) lives at its folder's URL, and `pages/index.md` is the home page."""
    pattern = config.permalinks.post if doc.kind == "post" else config.permalinks.page
    fields = {"slug": doc.slug}
    if doc.kind == "page" and (folder := section_slug(doc.slug)) is not None:
        if not folder:
            return HOME
        fields["slug"] = folder
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
    return route_of_path(pattern.format(**fields))


def tag_route(tag_slug: str, config: SiteConfig) -> Route:
    return route_of_path(config.permalinks.tag.format(slug=tag_slug))


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
