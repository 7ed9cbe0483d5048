"""Every output of a site as a job: a template page, an XML/text file, or a file copy.

Planning is cheap and pure; producing a job's bytes is the expensive part, done only for jobs
whose fingerprint changed (see build.py). Jobs are plain values so a forked worker can produce
any of them by index. Pages are `PageRef`s here: `built()` makes them for rendering.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen import navigation
from sitegen.authors import author_route
from sitegen.errors import BuildFailed, ContentError, SitegenError
from sitegen.feeds import feed_xml, robots_txt, sitemap_xml
from sitegen.redirects import REDIRECTS_FILE, redirect_page, redirects_file
from sitegen.routing import (
    ARCHIVE,
    FEED_FILE,
    HOME,
    NOT_FOUND,
    TAGS_INDEX,
    Route,
    paged_route,
    route_of_path,
    tag_route,
    taxonomy_route,
)
from sitegen.site import PAGES_DIR, PageBody, PageRef, Site, make_page
from sitegen.sources.local import MEDIA_PREFIX, MEDIA_ROOT
from sitegen.taxonomies import term_feed_path
from sitegen.views import Author, Paginator, Summary, Tag, YearGroup

NOWHERE = navigation.Place()  # a page the navigation does not list


@dataclass(frozen=True)
class TemplateJob:
    output: str
    template: str
    context: Mapping[str, Any]
    source: str  # what the page is for, in error messages


@dataclass(frozen=True)
class TextJob:
    """A file sitegen writes itself: `make(*args)` returns its text."""

    output: str
    make: Callable[..., str]
    args: tuple[Any, ...]
    source: str


@dataclass(frozen=True)
class CopyJob:
    output: str
    path: Path
    sha256: str
    source: str


Job = TemplateJob | TextJob | CopyJob


def plan_site(
    site: Site,
    static: Mapping[str, tuple[Path, str]],
    media_dir: Path,
    *,
    collections: bool = False,
) -> list[Job]:
    """All jobs of the site. `static`: static path -> (file, sha256). Duplicate outputs are errors.
    `collections`: templates get every collection (`site.posts`, `site.pages`, `site.sections`),
    so every page depends on every document (see theme.uses_collections)."""
    if collections:
        site = dataclasses.replace(
            site,
            info=dataclasses.replace(
                site.info,
                sections=site.sections,
                pages=tuple(e.summary for e in site.pages),
                posts=tuple(e.summary for e in site.posts),
            ),
        )
    jobs: list[Job] = [*_document_jobs(site), *_list_jobs(site), *_xml_jobs(site)]
    jobs += [*_taxonomy_jobs(site), *_redirect_jobs(site)]
    jobs += [
        CopyJob(f"static/{name}", path, sha, f"static/{name}")
        for name, (path, sha) in static.items()
    ]
    jobs += [
        CopyJob(MEDIA_PREFIX + m.path, media_dir / m.path, m.sha256, f"{MEDIA_ROOT}/{m.path}")
        for m in site.media
    ]
    pages_dir = media_dir.parent / PAGES_DIR
    jobs += [
        CopyJob(a.path, pages_dir / a.path, a.sha256, f"content/pages/{a.path}")
        for a in site.assets
    ]
    _check_unique(jobs)
    return jobs


def _context(site: Site, route: Route, **values: Any) -> dict[str, Any]:
    return {"site": site.info, "current_url": site.url(route.path), **values}


def _document_jobs(site: Site) -> list[Job]:
    jobs: list[Job] = []
    posts = site.posts
    for index, entry in enumerate(posts):
        older = posts[index + 1].summary if index + 1 < len(posts) else None
        newer = posts[index - 1].summary if index > 0 else None
        context = _context(site, entry.route, page=entry.page, prev=older, next=newer)
        jobs.append(TemplateJob(entry.route.output, entry.template, context, entry.doc.source))
    places = navigation.places(site.info.nav)
    for entry in site.pages:
        place = places.get(site.url(entry.route.path), NOWHERE)
        context = _context(
            site,
            entry.route,
            page=entry.page,
            breadcrumbs=place.trail,
            prev=place.prev,
            next=place.next,
        )
        jobs.append(TemplateJob(entry.route.output, entry.template, context, entry.doc.source))
    return jobs


def _list_jobs(site: Site) -> list[Job]:
    """The post lists (home, tags, archive) and the 404 page. With no posts there are no lists,
    except a home page when no page is the home page."""
    summaries = tuple(entry.summary for entry in site.posts)
    jobs: list[Job] = [
        TemplateJob(NOT_FOUND.output, "404.html", _context(site, NOT_FOUND), "the 404 page")
    ]
    blog_url = site.info.blog_url
    if blog_url is None:
        if not any(entry.route == HOME for entry in site.pages):
            jobs += _paginated(site, "index.html", HOME, (), "the home page", {})
        return jobs
    first = route_of_path(blog_url.removeprefix(site.info.base_path))
    jobs += _paginated(site, "index.html", first, summaries, "the post list", {})
    jobs.append(
        TemplateJob(
            TAGS_INDEX.output,
            "tags.html",
            _context(site, TAGS_INDEX, tags=site.tags),
            "the tags index",
        )
    )
    for tag in site.tags:
        first = tag_route(tag.slug, site.config)
        jobs += _paginated(
            site, "tag.html", first, site.tag_posts[tag.slug], f"tag {tag.name!r}", {"tag": tag}
        )
    for author, posts in _author_posts(site):
        first = author_route(author.slug)
        source = f"author {author.slug!r}"
        jobs += _paginated(site, "author.html", first, posts, source, {"author": author})
    jobs.append(
        TemplateJob(
            ARCHIVE.output,
            "archive.html",
            _context(site, ARCHIVE, years=_years(summaries)),
            "the archive",
        )
    )
    return jobs


def _paginated(
    site: Site,
    template: str,
    first: Route,
    items: Sequence[Summary],
    source: str,
    extra: Mapping[str, Any],
) -> list[Job]:
    size = site.config.posts_per_page
    total_pages = max(1, -(-len(items) // size))
    routes = [paged_route(first, n) for n in range(1, total_pages + 1)]
    urls = tuple(site.url(r.path) for r in routes)
    jobs: list[Job] = []
    for number, route in enumerate(routes, start=1):
        paginator = Paginator(
            items=tuple(items[(number - 1) * size : number * size]),
            number=number,
            total_pages=total_pages,
            total_items=len(items),
            prev_url=urls[number - 2] if number > 1 else None,
            next_url=urls[number] if number < total_pages else None,
            urls=urls,
        )
        context = _context(site, route, paginator=paginator, **extra)
        jobs.append(TemplateJob(route.output, template, context, f"{source}, page {number}"))
    return jobs


def _years(posts: Sequence[Summary]) -> tuple[YearGroup, ...]:
    """Dated posts grouped by year, newest first (undated posts have no place in an archive)."""
    by_year: dict[int, list[Summary]] = defaultdict(list)
    for post in posts:
        if post.date is not None:
            by_year[post.date.year].append(post)
    return tuple(YearGroup(year=y, posts=tuple(by_year[y])) for y in sorted(by_year, reverse=True))


def _xml_jobs(site: Site) -> list[Job]:
    config, info = site.config, site.info
    jobs: list[Job] = []
    if info.feed_url is not None:
        dated = (entry.page for entry in site.posts if entry.doc.front.date is not None)
        pages = tuple(dated)[: config.feeds.limit]  # an undated post has no place in a feed
        args = (
            info,
            info.title,
            info.base_url,
            info.base_url + FEED_FILE,
            pages,
            config.feeds.format,
        )
        jobs.append(TextJob(FEED_FILE, feed_xml, args, "the site feed"))
        if config.feeds.per_tag:
            jobs += _tag_feeds(site)
        jobs += _author_feeds(site)
    sitemap_url = None
    if config.sitemap.enabled:
        sitemap_url = info.base_url + "sitemap.xml"
        lists = [site.abs_url(path) for path in _list_paths(site)]  # the post list first
        urls = [
            *((url, None) for url in lists[:1]),
            *(
                (e.summary.abs_url, e.summary.updated or e.summary.date)
                for e in (*site.posts, *site.pages)
            ),
            *((url, None) for url in lists[1:]),
        ]
        for taxonomy in site.taxonomies:
            routes = (tag_route(t.slug, config, taxonomy.name) for t in taxonomy.terms)
            urls += [(site.abs_url(route.path), None) for route in routes]
        urls += [(site.abs_url(author_route(a.slug).path), None) for a in site.info.authors]
        jobs.append(TextJob("sitemap.xml", sitemap_xml, (tuple(urls),), "the sitemap"))
    jobs.append(TextJob("robots.txt", robots_txt, (sitemap_url,), "robots.txt"))
    return jobs


def _list_paths(site: Site) -> list[str]:
    """Site paths of the list pages: the post list, the tags index, the archive, each tag;
    or only the home page (a site without posts and without a page at the home)."""
    info = site.info
    if info.blog_url is None:
        return [] if any(e.route == HOME for e in site.pages) else [HOME.path]
    tags = [tag_route(t.slug, site.config).path for t in site.tags]
    return [info.blog_url.removeprefix(info.base_path), TAGS_INDEX.path, ARCHIVE.path, *tags]


def _tag_feeds(site: Site) -> list[Job]:
    pages_by_key = {entry.doc.key: entry.page for entry in site.posts}
    return [
        _term_feed(
            site,
            pages_by_key,
            tag,
            tag_route(tag.slug, site.config),
            site.tag_posts[tag.slug],
            f"tag {tag.name!r}",
        )
        for tag in site.tags
    ]


def _term_feed(
    site: Site,
    pages_by_key: Mapping[str, Any],
    term: Tag,
    first: Route,
    posts: Sequence[Summary],
    source: str,
) -> TextJob:
    """The feed of a tag or other term, next to its first page: its newest dated posts."""
    info = site.info
    feed_path = route_of_path(term_feed_path(first)).output
    dated = tuple(pages_by_key[s.key] for s in posts if s.date is not None)
    args = (
        info,
        f"{info.title}: {term.name}",
        site.abs_url(first.path),
        info.base_url + feed_path,
        dated[: site.config.feeds.limit],
        site.config.feeds.format,
    )
    return TextJob(feed_path, feed_xml, args, f"the feed of {source}")


def _author_posts(site: Site) -> list[tuple[Author, tuple[Summary, ...]]]:
    """Every author with a profile, with their posts (newest first)."""
    return [
        (author, tuple(e.summary for e in site.posts if author in e.summary.authors))
        for author in site.info.authors
    ]


def _author_feeds(site: Site) -> list[Job]:
    config, info = site.config, site.info
    pages_by_key = {entry.doc.key: entry.page for entry in site.posts}
    jobs: list[Job] = []
    for author, posts in _author_posts(site):
        route = author_route(author.slug)
        feed_path = route.path + FEED_FILE
        args = (
            info,
            f"{info.title}: {author.name}",
            site.abs_url(route.path),
            info.base_url + feed_path,
            tuple(pages_by_key[s.key] for s in posts[: config.feeds.limit]),
            config.feeds.format,
        )
        jobs.append(TextJob(feed_path, feed_xml, args, f"the feed of author {author.slug!r}"))
    return jobs


def built(value: Any, bodies: Mapping[str, PageBody]) -> Any:
    """`value` (a context value or a job argument) with any PageRef in it replaced by its page,
    made from its document's page body (`bodies`: by document key)."""
    if isinstance(value, PageRef):
        return make_page(value, bodies[value.key])
    if type(value) is tuple and any(isinstance(item, PageRef) for item in value):
        return tuple(built(item, bodies) for item in value)
    return value


def _check_unique(jobs: Sequence[Job]) -> None:
    first: dict[str, Job] = {}
    errors: list[SitegenError] = []
    for job in jobs:
        other = first.setdefault(job.output, job)
        if other is not job:
            errors.append(
                ContentError(
                    f"{job.source} and {other.source} both want to write {job.output}",
                    file=job.source
                    if job.source.startswith("content/")
                    else other.source
                    if other.source.startswith("content/")
                    else None,
                    hint="give the page another slug, or change a [permalinks] pattern",
                )
            )
    for job in jobs:  # a file where another output needs a folder: `feed.xml/x/index.html`
        parts = job.output.split("/")
        for depth in range(1, len(parts)):
            outer = first.get("/".join(parts[:depth]))
            if outer is not None:
                errors.append(
                    ContentError(
                        f"{job.source} wants to write {job.output}, inside the file "
                        f"{outer.output} of {outer.source}",
                        file=next(
                            (s for s in (job.source, outer.source) if s.startswith("content/")),
                            None,
                        ),
                        hint="change the [permalinks] pattern or the slug so that no URL runs "
                        "through another page's file",
                    )
                )
                break
    if errors:
        raise BuildFailed(errors)


def _taxonomy_jobs(site: Site) -> list[Job]:
    """Pages and feeds of the taxonomies besides tags, made with the tag templates: `tags.html`
    for the index, `tag.html` per term; both also get `taxonomy` (its name)."""
    config = site.config
    pages_by_key = {entry.doc.key: entry.page for entry in site.posts}
    jobs: list[Job] = []
    for taxonomy in site.taxonomies:
        name = taxonomy.name
        index = taxonomy_route(name, config)
        context = _context(site, index, tags=taxonomy.terms, taxonomy=name)
        jobs.append(TemplateJob(index.output, "tags.html", context, f"the {name} index"))
        for term in taxonomy.terms:
            first = tag_route(term.slug, config, name)
            extra = {"tag": term, "taxonomy": name, "taxonomy_url": site.url(index.path)}
            source = f"{name} {term.name!r}"
            jobs += _paginated(site, "tag.html", first, taxonomy.posts[term.slug], source, extra)
            if config.feeds.enabled and config.feeds.per_tag:
                posts = taxonomy.posts[term.slug]
                jobs.append(_term_feed(site, pages_by_key, term, first, posts, source))
    return jobs


def _redirect_jobs(site: Site) -> list[Job]:
    """A page at every alias; with `[redirects] netlify`, the `_redirects` file too."""
    info = site.info
    jobs: list[Job] = [
        TextJob(
            r.route.output,
            redirect_page,
            (r.target, site.abs_url(r.target), info.language),
            r.source,
        )
        for r in site.redirects
    ]
    if site.config.redirects.netlify:
        args = (site.redirects, info.base_path)
        jobs.append(TextJob(REDIRECTS_FILE, redirects_file, args, "the _redirects file"))
    return jobs
