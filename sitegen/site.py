"""The one whole-site step: which documents are in, their routes, order, tags, menu and links.

`select_documents` applies the draft/future rules; `assemble` turns the selected documents and
their rendered Markdown into a `Site` of template-ready values. Both are pure. Every problem a
user can fix is collected, so a build reports all of them at once.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from hashlib import blake2b
from typing import Any

from markupsafe import Markup

from sitegen import __version__, navigation
from sitegen.authors import People, Profile, author_route, people
from sitegen.config import SiteConfig
from sitegen.errors import BuildFailed, ContentError, SitegenError
from sitegen.links import PAGES_DIR as PAGES_DIR  # where plan.py copies files beside pages
from sitegen.links import LinkTable
from sitegen.markdown import LinkRef, Rendered, TocEntry, reading_time, resolve_links, toc_html
from sitegen.markdown_warnings import merge_unknown_languages, rendering_warnings
from sitegen.model import DateValue, Document, Media
from sitegen.redirects import REDIRECTS_FILE, Redirect, alias_routes
from sitegen.routing import (
    ARCHIVE,
    BLOG,
    FEED_FILE,
    HOME,
    NOT_FOUND,
    TAGS_INDEX,
    Route,
    route_for,
    tag_route,
    taxonomy_route,
)
from sitegen.search.index import INDEX_DIR
from sitegen.slugs import term_slug
from sitegen.taxonomies import (
    Taxonomy,
    collect_terms,
    posts_by_term,
    sorted_terms,
    term_feed_path,
    terms_of,
)
from sitegen.titles import without_title_heading
from sitegen.views import MenuItem, NavItem, Page, Section, SiteInfo, Summary, Tag

FEED_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}


@dataclass(frozen=True, slots=True)
class PageBody:
    """What a document's page shows of its rendering besides the summary: the body's HTML
    (with link placeholders) and its table of contents."""

    html: str
    toc: tuple[TocEntry, ...]
    toc_html: str
    mermaid: bool = False  # the page has a diagram for Mermaid to draw


@dataclass(frozen=True)
class DocRender:
    """What a document's entry is made of, of its Markdown renderings: the summary as list
    pages show it (the front matter's `summary`, else the body's), the body's internal links,
    ids and words, and the warnings the rendering gave. The page body (`PageBody`), ten times
    the size, is kept apart: a build reads it only for the outputs that show the page."""

    summary_html: str  # with link placeholders
    links: tuple[LinkRef, ...]
    ids: tuple[str, ...]
    word_count: int
    warnings: tuple[SitegenError, ...]
    terms: str = ""  # for the search index (see markdown.terms)


def split_rendering(
    doc: Document, body: Rendered, summary: Rendered | None
) -> tuple[DocRender, PageBody]:
    """A document's renderings (its body, its front matter's summary) as what its entry is
    made of and what its page shows."""
    render = DocRender(
        summary_html=summary.html if summary is not None else body.summary_html,
        links=body.links,
        ids=body.ids,
        word_count=body.word_count,
        warnings=tuple(rendering_warnings(doc, body)),
        terms=body.terms,
    )
    return render, PageBody(body.html, body.toc, toc_html(body.toc), body.mermaid)


@dataclass(frozen=True, eq=False)
class PageRef:
    """A document's page before it is made: all that plans and fingerprints need of it. The
    page itself (`make_page`) needs the rendered body, which a build reads only for the outputs
    it renders: holding every body would be most of a build's memory, and reading them all
    most of an edit build's time."""

    key: str  # the document's
    digest: bytes  # names the page's content (see `make_entry`)
    summary: Summary
    seen: tuple[tuple[str, str | None], ...]  # the link answers its body is resolved with


@dataclass(frozen=True)
class Entry:
    """A selected document with its route, its template and the two views templates get."""

    doc: Document
    route: Route
    template: str
    page: PageRef
    summary: Summary
    digests: tuple[bytes, bytes]  # of the page and the summary (see `make_entry`)


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    info: SiteInfo
    posts: tuple[Entry, ...]  # newest first
    pages: tuple[Entry, ...]  # by key
    tags: tuple[Tag, ...]  # by name
    tag_posts: Mapping[str, tuple[Summary, ...]]  # tag slug -> posts, newest first
    media: tuple[Media, ...]
    warnings: tuple[SitegenError, ...]
    assets: tuple[Media, ...] = ()  # files beside pages (not Markdown), by path under pages/
    sections: tuple[Section, ...] = ()  # the folders under content/pages/
    taxonomies: tuple[Taxonomy, ...] = ()  # those besides tags, as named in [taxonomies]
    redirects: tuple[Redirect, ...] = ()  # from aliases

    def url(self, path: str) -> str:
        """Root-relative URL under base_path for a site-relative path."""
        return self.info.base_path + path.lstrip("/")

    def abs_url(self, path_or_url: str) -> str:
        """Absolute URL: root-relative URLs get the scheme and host of base_url."""
        if "://" in path_or_url:
            return path_or_url
        if path_or_url.startswith(self.info.base_path):
            path_or_url = path_or_url[len(self.info.base_path) :]
        return self.info.base_url + path_or_url.lstrip("/")


def as_instant(value: DateValue) -> dt.datetime:
    """A comparable instant: a plain date counts as midnight UTC."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def select_documents(
    documents: Sequence[Document], *, drafts: bool, future: bool, now: dt.datetime
) -> tuple[list[Document], dt.datetime | None]:
    """The documents to build, and the earliest date at which the selection changes: a
    left-out future post is due, or a selected post expires."""
    selected: list[Document] = []
    dues: list[dt.datetime] = []
    for doc in documents:
        if doc.front.draft and not drafts:
            continue
        expiry = doc.front.expiry_date
        if expiry is not None and as_instant(expiry) <= now:
            continue
        date = doc.front.date
        if date is not None and not future and as_instant(date) > now:
            dues.append(as_instant(date))
            continue
        if expiry is not None:
            dues.append(as_instant(expiry))
        selected.append(doc)
    return selected, min(dues, default=None)


@dataclass(frozen=True)
class Made:
    """What `make_entry` made of one document, and everything it was made from besides the
    outline's site info: a later build reuses it while all of these are the same."""

    version: str  # names the document's bytes and the Markdown options it was rendered with
    route: Route
    terms: Mapping[str, tuple[Tag, ...]]  # taxonomy -> the document's terms
    seen: tuple[tuple[str, str | None], ...]  # (link target, answer) in the order asked
    summary: Summary
    digests: tuple[bytes, bytes]
    warnings: tuple[SitegenError, ...]
    ids: tuple[str, ...] = ()  # the page's ids, for #fragment links to it


@dataclass(frozen=True)
class Outline:
    """The site before its entries: routes, navigation, site info, terms, authors, redirects
    and the link table. Made from the documents' front matter and their pages' ids only."""

    config: SiteConfig
    info: SiteInfo
    info_digest: bytes
    routes: Mapping[str, Route]
    taxonomies: Mapping[str, Mapping[str, Tag]]  # taxonomy -> term slug -> term
    links: LinkTable
    cast: People
    redirects: tuple[Redirect, ...]
    nav_pages: Mapping[str, navigation.NavPage]
    media: tuple[Media, ...]
    assets: tuple[Media, ...]
    warnings: tuple[SitegenError, ...]  # about the site as a whole (authors, navigation)

    def terms(self, doc: Document) -> dict[str, tuple[Tag, ...]]:
        """The document's terms, by taxonomy."""
        return {
            name: tuple(terms[term_slug(t)] for t in _terms_of(doc, name))
            for name, terms in self.taxonomies.items()
        }


def assemble(
    config: SiteConfig,
    documents: Sequence[Document],
    rendered: Mapping[str, DocRender],
    media: Sequence[Media],
    *,
    strict: bool,
    profiles: Mapping[str, Profile] | None = None,
    static: Iterable[str] = (),
    data: Mapping[str, Any] | None = None,
    assets: Sequence[Media] = (),
    unbuilt_pages: Collection[str] = (),
) -> Site:
    """The Site of these documents and their renderings: `outline_site`, then `make_entry` per
    document, then `finish_site`. Raises BuildFailed with every error (broken links too when
    strict). The build runs the same three steps, reusing unchanged entries in between
    (render.reuse). See `outline_site` for the other arguments."""
    ids = {doc.key: rendered[doc.key].ids for doc in documents}
    outline = outline_site(
        config,
        documents,
        ids,
        media,
        profiles=profiles,
        static=static,
        data=data,
        assets=assets,
        unbuilt_pages=unbuilt_pages,
    )
    made = {
        doc.key: make_entry(outline, doc, rendered[doc.key], _rendering_version(rendered[doc.key]))
        for doc in documents
    }
    return finish_site(outline, documents, made, strict=strict)


def outline_site(
    config: SiteConfig,
    documents: Sequence[Document],
    ids: Mapping[str, Sequence[str]],
    media: Sequence[Media],
    *,
    profiles: Mapping[str, Profile] | None = None,
    static: Iterable[str] = (),
    data: Mapping[str, Any] | None = None,
    assets: Sequence[Media] = (),
    unbuilt_pages: Collection[str] = (),
) -> Outline:
    """The outline of the site; raises BuildFailed with every error in it. `ids`: each
    document's page ids, for #fragment links. `static`: the names of the static files
    (`style.css`), which links may point to as `/static/style.css`. `data`: the site's data
    files (`site.data`); `assets`: files beside pages, copied as they are (MkDocs users keep
    images next to their pages); `unbuilt_pages`: pages (by path under content/pages/) this
    build leaves out, which an explicit nav may name. `profiles`: the author profiles
    (sitegen.authors.read_profiles)."""
    errors: list[SitegenError] = []
    routes = _routes(config, documents, errors)
    if errors:
        raise BuildFailed(errors)
    nav_pages = navigation.nav_pages(documents, routes, config.base_path, errors)
    nav, nav_errors = (
        navigation.explicit_nav(config.nav, nav_pages, config.base_path, unbuilt_pages)
        if config.nav
        else (navigation.auto_nav(list(nav_pages.values())), [])
    )
    errors += nav_errors
    if errors:
        raise BuildFailed(errors)
    cast = people(profiles or {}, config, {m.path for m in media})
    info = _site_info(config, documents, routes, cast, nav, data or {})
    posts = [d for d in documents if d.kind == "post"]
    taxonomies = {name: collect_terms(config, info, posts, name) for name in config.term_patterns}
    redirects = alias_routes(documents, routes, info.base_path)
    links = LinkTable(
        info.base_path,
        documents,
        routes,
        media,
        ids,
        _made_paths(config, info, taxonomies, redirects, static, cast),
        assets,
    )
    warnings: list[SitegenError] = list(cast.warnings)
    if config.nav and (omitted := navigation.left_out(nav, nav_pages)) is not None:
        warnings.append(omitted)
    return Outline(
        config=config,
        info=info,
        info_digest=blake2b(repr(info).encode(), digest_size=16).digest(),
        routes=routes,
        taxonomies=taxonomies,
        links=links,
        cast=cast,
        redirects=redirects,
        nav_pages=nav_pages,
        media=tuple(sorted(media, key=lambda m: m.path)),
        assets=tuple(sorted(assets, key=lambda m: m.path)),
        warnings=tuple(warnings),
    )


def finish_site(
    outline: Outline, documents: Sequence[Document], made: Mapping[str, Made], *, strict: bool
) -> Site:
    """The Site from its outline and every document's entry; raises BuildFailed with the
    warnings when strict."""
    warnings: list[SitegenError] = list(outline.warnings)
    entries: list[Entry] = []
    for doc in documents:
        known = made[doc.key]
        page = PageRef(doc.key, known.digests[0], known.summary, known.seen)
        entries.append(Entry(doc, known.route, _template(doc), page, known.summary, known.digests))
        warnings += known.warnings
        warnings += doc.notes
        if doc.kind == "post" and doc.front.date is None:
            warnings.append(_undated(doc))
    warnings = merge_unknown_languages(warnings)
    if strict and warnings:
        raise BuildFailed(warnings)
    posts = sorted((e for e in entries if e.doc.kind == "post"), key=_newest_first)
    pages = sorted((e for e in entries if e.doc.kind == "page"), key=lambda e: e.doc.key)
    summaries = [entry.summary for entry in posts]
    by_key = {entry.doc.key: entry.summary for entry in entries}
    by_path = {path: by_key[page.key] for path, page in outline.nav_pages.items()}
    others = {name: terms for name, terms in outline.taxonomies.items() if name != "tags"}
    return Site(
        config=outline.config,
        info=outline.info,
        posts=tuple(posts),
        pages=tuple(pages),
        tags=sorted_terms(outline.taxonomies["tags"].values()),
        tag_posts=posts_by_term(summaries, "tags"),
        media=outline.media,
        warnings=tuple(warnings),
        assets=outline.assets,
        sections=navigation.sections(list(outline.nav_pages.values()), by_path),
        taxonomies=tuple(
            Taxonomy(name, sorted_terms(terms.values()), posts_by_term(summaries, name))
            for name, terms in others.items()
        ),
        redirects=outline.redirects,
    )


def _terms_of(doc: Document, taxonomy: str) -> tuple[str, ...]:
    """Posts have terms; pages have none."""
    return terms_of(doc, taxonomy) if doc.kind == "post" else ()


def _undated(doc: Document) -> ContentError:
    return ContentError(
        "the post has no date, so it is listed after every dated post and left out of the "
        "archive and the feeds",
        file=doc.source,
        line=1,
        field="date",
        hint="add `date: 2024-05-01` to the front matter, or start the file name with the date "
        "(`2024-05-01-my-post.md`)",
    )


def make_page(ref: PageRef, body: PageBody) -> Page:
    """The page `ref` stands for, from its document's page body: its summary plus the body,
    whose links resolve as they did when the entry was made (`ref.seen`)."""
    return Page(
        **vars(ref.summary),
        content=_content(without_title_heading(body.html, ref.summary.title), ref.seen),
        toc=body.toc,
        toc_html=Markup(body.toc_html),
        mermaid=body.mermaid,
    )


def _content(html: str, seen: Sequence[tuple[str, str | None]]) -> Markup:
    """The body's HTML with its link placeholders resolved: every target in it is one of
    body.links, which the entry looked up (and recorded in `seen`) already."""
    return Markup(resolve_links(html, dict(seen).get))


def _newest_first(entry: Entry) -> tuple[int, float, str]:
    date = entry.doc.front.date
    # Undated posts go last; ties are broken by key so the order never depends on file order.
    return (
        (1, 0.0, entry.doc.key)
        if date is None
        else (0, -as_instant(date).timestamp(), entry.doc.key)
    )


def _routes(
    config: SiteConfig, documents: Sequence[Document], errors: list[SitegenError]
) -> dict[str, Route]:
    routes: dict[str, Route] = {}
    owners: dict[str, Document] = {}
    for doc in sorted(documents, key=lambda d: d.source):
        try:
            route = route_for(doc, config)
        except ContentError as exc:
            errors.append(exc)
            continue
        for claim in (f"key {doc.key}", f"URL /{route.path}"):
            other = owners.get(claim)
            if other is not None:
                errors.append(
                    ContentError(
                        f"{claim} is also used by {other.source}",
                        file=doc.source,
                        line=1,
                        field="slug",
                        hint="give one of the two files another slug (`slug: ...`)",
                    )
                )
                break
            owners[claim] = doc
        else:
            routes[doc.key] = route
    return routes


def _site_info(
    config: SiteConfig,
    documents: Sequence[Document],
    routes: Mapping[str, Route],
    cast: People,
    nav: tuple[NavItem, ...],
    data: Mapping[str, Any],
) -> SiteInfo:
    base_path = config.base_path
    has_posts = any(d.kind == "post" for d in documents)
    home_is_page = any(routes[d.key] == HOME for d in documents if d.kind == "page")
    in_menu = [d for d in documents if d.kind == "page" and d.front.menu is not False]
    in_menu.sort(key=lambda d: (d.front.menu is True, int(d.front.menu), d.front.title, d.key))
    return SiteInfo(
        title=config.title,
        description=config.description,
        language=config.language,
        author=config.author,
        base_url=config.base_url,
        base_path=base_path,
        menu=tuple(
            MenuItem(title=d.front.title, url=base_path + routes[d.key].path) for d in in_menu
        ),
        feed_url=config.base_url + FEED_FILE if config.feeds.enabled and has_posts else None,
        feed_type=FEED_TYPES[config.feeds.format],
        generator=f"sitegen {__version__}",
        authors=tuple(cast.by_slug.values()),
        nav=nav,
        blog_url=(base_path + (BLOG if home_is_page else HOME).path) if has_posts else None,
        data=data,
        params=config.params,
        search_url=base_path + INDEX_DIR if config.search.enabled else None,
    )


def make_entry(outline: Outline, doc: Document, rendered: DocRender, version: str) -> Made:
    """The entry of `doc`: its summary, the link answers its page needs, its warnings.

    A pure function of the outline's site info, the document and its rendering (`version`
    names both), its route, its terms and the answers the link table gave to the lookups made
    here (`seen`); so those give the digests of its views without pickling them."""
    warnings: list[SitegenError] = []
    seen: list[tuple[str, str | None]] = []
    info, route, terms = outline.info, outline.routes[doc.key], outline.terms(doc)
    resolve = outline.links.resolver(doc, warnings, seen)
    for ref in rendered.links:
        resolve(ref.target, ref.line, ref.kind)
    warnings += rendered.warnings
    cover = doc.front.cover
    if cover is not None and "://" not in cover:
        cover = resolve(cover, None, "image") or cover
    authors, problems = outline.cast.named_by(doc)
    warnings += problems
    summary = Summary(
        key=doc.key,
        kind=doc.kind,
        slug=doc.slug,
        title=doc.front.title,
        url=info.base_path + route.path,
        abs_url=info.base_url + route.path,
        date=doc.front.date,
        updated=doc.front.updated,
        tags=terms["tags"],
        draft=doc.front.draft,
        summary=Markup(
            resolve_links(rendered.summary_html, outline.links.summary_resolver(doc, seen))
        ),
        reading_time=reading_time(rendered.word_count),
        word_count=rendered.word_count,
        cover=cover,
        extra=doc.front.extra,
        authors=authors,
        description=doc.front.description,
        terms={name: found for name, found in terms.items() if name != "tags"},
    )
    # vars(): every field, at C speed (a dataclass's own repr is slow)
    made_of = (
        outline.info_digest
        + version.encode()
        + repr(
            (
                doc.source,
                vars(route),
                [(n, [vars(t) for t in ts]) for n, ts in terms.items()],
                seen,
            )
        ).encode()
    )
    return Made(
        version=version,
        route=route,
        terms=terms,
        seen=tuple(seen),
        summary=summary,
        digests=(_digest(b"Page", made_of), _digest(b"Summary", made_of)),
        warnings=tuple(warnings),
        ids=rendered.ids,
    )


def _rendering_version(rendered: DocRender) -> str:
    """A name for a rendering made without a build's cache key (see `assemble`)."""
    return blake2b(pickle.dumps(rendered, protocol=5), digest_size=16).hexdigest()


def _template(doc: Document) -> str:
    return doc.front.template or f"{doc.kind}.html"


def _digest(kind: bytes, made_of: bytes) -> bytes:
    return blake2b(kind + b"\0" + made_of, digest_size=16).digest()


def _made_paths(
    config: SiteConfig,
    info: SiteInfo,
    taxonomies: Mapping[str, Mapping[str, Tag]],
    redirects: Sequence[Redirect],
    static: Iterable[str],
    cast: People,
) -> set[str]:
    """Site paths of what sitegen writes besides documents and media: links may name them
    (term pages and feeds of every taxonomy, author pages, and old URLs that redirect, too).
    The post lists (`info.blog_url`), archive, tags index and feed exist only with posts."""
    paths = {HOME.path, NOT_FOUND.path, "robots.txt"}
    if info.blog_url is not None:
        paths |= {info.blog_url.removeprefix(info.base_path), ARCHIVE.path, TAGS_INDEX.path}
    authors = [author_route(slug).path for slug in cast.by_slug]
    paths |= {*authors, *(path + FEED_FILE for path in authors if config.feeds.enabled)}
    paths |= {"static/" + name for name in static}
    paths |= {redirect.route.path for redirect in redirects}
    for name, terms in taxonomies.items():
        if name != "tags":
            paths.add(taxonomy_route(name, config).path)
        paths |= {tag_route(slug, config, name).path for slug in terms}
        if info.feed_url is not None and config.feeds.per_tag:
            paths |= {term_feed_path(tag_route(slug, config, name)) for slug in terms}
    if info.feed_url is not None:
        paths.add(FEED_FILE)
    if config.sitemap.enabled:
        paths.add("sitemap.xml")
    if config.redirects.netlify:
        paths.add(REDIRECTS_FILE)
    return paths
