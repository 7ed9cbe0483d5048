"""Sections and navigation: the folders under content/pages/ as a tree, and a page's place in it.

A folder is a section; its `index.md` (or Hugo's `_index.md`) is the section's page. The
navigation is that tree, ordered by `weight` (or `order`) then title, unless sitegen.toml gives
an explicit `nav` (as MkDocs has). Breadcrumbs and previous/next links are read off the tree.
All pure functions of values: site assembly calls them once per build.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sitegen.config import NavEntry
from sitegen.errors import ConfigError, ContentError, SitegenError
from sitegen.model import Document
from sitegen.paths import CONFIG_FILE
from sitegen.routing import Route
from sitegen.titles import title_from_slug
from sitegen.views import NavItem, Section, Summary

T = TypeVar("T")
INDEX_STEMS = ("index", "_index")


@dataclass(frozen=True)
class NavPage:
    """What the navigation needs of a page: its file under content/pages/ and how to show it."""

    path: str  # `guides/debugging.md`
    key: str  # the document's key
    title: str
    url: str
    weight: float | None


@dataclass(frozen=True)
class Place:
    """Where a page sits in the navigation: the sections above it (outermost first) and its
    neighbours in its top-level section's reading order."""

    trail: tuple[NavItem, ...] = ()
    prev: NavItem | None = None
    next: NavItem | None = None


@dataclass
class _Folder:
    path: str
    index: NavPage | None = None
    pages: list[NavPage] = field(default_factory=list)
    folders: dict[str, _Folder] = field(default_factory=dict)


def is_index(path: str) -> bool:
    """True for a section's own page: `index.md` or `_index.md` in any folder."""
    return posixpath.splitext(posixpath.basename(path))[0] in INDEX_STEMS


def _tree(pages: Sequence[NavPage]) -> _Folder:
    root = _Folder("")
    for page in pages:
        folder = root
        parts = page.path.split("/")[:-1]
        for depth, part in enumerate(parts, start=1):
            folder = folder.folders.setdefault(part, _Folder("/".join(parts[:depth])))
        if is_index(page.path) and folder.index is None:
            folder.index = page
        else:
            folder.pages.append(page)
    return root


def _folder_title(folder: _Folder) -> str:
    """The index page's title, else the folder name as words: `getting-started` -> `Getting started`."""
    if folder.index is not None:
        return folder.index.title
    return title_from_slug(posixpath.basename(folder.path))


def _order(weight: float | None, title: str, tiebreak: str) -> tuple[int, float, str, str]:
    """Weighted entries first by weight, then the rest; ties by title (case-blind), then path."""
    return (weight is None, weight or 0.0, title.casefold(), tiebreak)


def _children(
    folder: _Folder, page: Callable[[NavPage], T], sub: Callable[[_Folder], T]
) -> list[T]:
    """A folder's pages and subfolders, mapped by `page` and `sub`, in navigation order."""
    keyed: list[tuple[tuple[int, float, str, str], T]] = [
        (_order(p.weight, p.title, p.path), page(p)) for p in folder.pages
    ]
    keyed += [
        (_order(f.index.weight if f.index else None, _folder_title(f), f.path), sub(f))
        for f in folder.folders.values()
    ]
    return [item for _, item in sorted(keyed, key=lambda pair: pair[0])]


def auto_nav(pages: Sequence[NavPage]) -> tuple[NavItem, ...]:
    """The navigation from the folders: the home page (`index.md`) first, then the rest."""

    def leaf(page: NavPage) -> NavItem:
        return NavItem(page.title, page.url)

    def section(folder: _Folder) -> NavItem:
        url = folder.index.url if folder.index else None
        return NavItem(_folder_title(folder), url, tuple(_children(folder, leaf, section)))

    root = _tree(pages)
    home = (leaf(root.index),) if root.index is not None else ()
    return (*home, *_children(root, leaf, section))


def sections(pages: Sequence[NavPage], summaries: Mapping[str, Summary]) -> tuple[Section, ...]:
    """The section tree (the top-level folders), with `summaries` by page path."""

    def section(folder: _Folder) -> Section:
        children = _children(
            folder, lambda p: (summaries[p.path], None), lambda f: (None, section(f))
        )
        return Section(
            title=_folder_title(folder),
            url=folder.index.url if folder.index else None,
            path=folder.path,
            page=summaries[folder.index.path] if folder.index else None,
            pages=tuple(page for page, _ in children if page is not None),
            sections=tuple(sub for _, sub in children if sub is not None),
        )

    top = _children(_tree(pages), lambda p: None, section)
    return tuple(s for s in top if s is not None)


def explicit_nav(
    entries: Sequence[NavEntry],
    pages: Mapping[str, NavPage],
    base_path: str,
    unbuilt: Collection[str] = (),
) -> tuple[tuple[NavItem, ...], list[SitegenError]]:
    """The navigation sitegen.toml spells out; an entry naming no page is an error naming it.
    An entry naming a page this build leaves out (`unbuilt`: a draft, a future page) is left
    out too, its children kept."""
    errors: list[SitegenError] = []

    def item(spec: NavEntry, above: tuple[str, ...]) -> NavItem | None:
        children = tuple(
            found
            for child in spec.children
            if (found := item(child, (*above, spec.title or spec.page or ""))) is not None
        )
        if spec.url is not None:
            url = spec.url if "://" in spec.url else base_path + spec.url.lstrip("/")
            return NavItem(spec.title or spec.url, url, children)
        if spec.page is None:
            return NavItem(spec.title or "", None, children)
        path = posixpath.normpath(spec.page.lstrip("/"))
        page = pages.get(path)
        if page is None and path in unbuilt:
            return NavItem(spec.title or path, None, children) if children else None
        if page is None:
            name = " › ".join((*above, spec.title or spec.page))
            errors.append(
                ConfigError(
                    f"nav entry {name!r}: no page content/pages/{spec.page}",
                    file=CONFIG_FILE,
                    field="nav",
                    hint="name a Markdown file under content/pages/, e.g. `guides/install.md`",
                )
            )
            return None
        return NavItem(spec.title or page.title, page.url, children)

    items = tuple(found for entry in entries if (found := item(entry, ())) is not None)
    return items, errors


def left_out(nav: Sequence[NavItem], pages: Mapping[str, NavPage]) -> SitegenError | None:
    """A warning naming the pages an explicit nav does not list (as MkDocs reports them):
    only links lead to them."""
    listed = {item.url for top in nav for item, _ in _walk(top, ())}
    missing = [path for path, page in pages.items() if page.url not in listed]
    if not missing:
        return None
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    return ConfigError(
        f"{len(missing)} page{'s are' if len(missing) > 1 else ' is'} in no nav entry: {shown}",
        file=CONFIG_FILE,
        field="nav",
        hint="add them to `nav`, or make sure a page links to them",
    )


def places(nav: Sequence[NavItem]) -> dict[str, Place]:
    """Each page URL in `nav` -> its Place. Reading order is depth-first within a top-level
    section; pages at the top level read in a row. An outside link is never a neighbour."""
    found: dict[str, Place] = {}
    runs = [list(_walk(top, ())) for top in nav if top.children]
    runs.append([(top, ()) for top in nav if not top.children])
    for run in runs:
        pages = [(item, trail) for item, trail in run if _is_page(item)]
        for index, (item, trail) in enumerate(pages):
            assert item.url is not None
            found.setdefault(
                item.url,
                Place(
                    trail=trail,
                    prev=pages[index - 1][0] if index > 0 else None,
                    next=pages[index + 1][0] if index + 1 < len(pages) else None,
                ),
            )
    return found


def _walk(
    item: NavItem, trail: tuple[NavItem, ...]
) -> Iterator[tuple[NavItem, tuple[NavItem, ...]]]:
    yield item, trail
    for child in item.children:
        yield from _walk(child, (*trail, item))


def _is_page(item: NavItem) -> bool:
    return item.url is not None and "://" not in item.url


def nav_pages(
    documents: Sequence[Document],
    routes: Mapping[str, Route],
    base_path: str,
    errors: list[SitegenError],
) -> dict[str, NavPage]:
    """The pages as the navigation sees them, by file under content/pages/ (sorted); a
    `weight` (or `order`) that is not a number is an error."""
    found: dict[str, NavPage] = {}
    for doc in sorted(documents, key=lambda d: d.source):
        if doc.kind != "page":
            continue
        weight = doc.front.extra.get("weight", doc.front.extra.get("order"))
        if weight is not None and (isinstance(weight, bool) or not isinstance(weight, int | float)):
            errors.append(
                ContentError(
                    f"must be a number, not {weight!r}",
                    file=doc.source,
                    line=1,
                    field="weight" if "weight" in doc.front.extra else "order",
                    hint="use e.g. `weight: 10`: lower weights come first in the navigation",
                )
            )
            weight = None
        path = doc.source.removeprefix("content/pages/")
        if path == doc.source:  # not a local file: its slug says where it would be
            path = doc.slug + ".md"
        found[path] = NavPage(
            path, doc.key, doc.front.title, base_path + routes[doc.key].path, weight
        )
    return found
