"""Taxonomies: tags, categories and any front-matter field named in `[taxonomies]`.

Each taxonomy groups posts by term; every term has a page (paginated, like tags) and, with
per-tag feeds on, a feed. Pure functions of the documents and the config.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sitegen.config import SiteConfig
from sitegen.model import Document
from sitegen.routing import FEED_FILE, Route, tag_route
from sitegen.slugs import term_slug
from sitegen.views import SiteInfo, Summary, Tag


@dataclass(frozen=True)
class Taxonomy:
    """A taxonomy other than tags (`categories`): its terms by name, and posts per term slug."""

    name: str
    terms: tuple[Tag, ...]
    posts: Mapping[str, tuple[Summary, ...]]  # term slug -> posts, newest first


def terms_of(doc: Document, taxonomy: str) -> tuple[str, ...]:
    """The terms `doc` lists under `taxonomy`: its tags, categories or an extra field
    (a list, or a space-separated string as Jekyll reads it)."""
    known = {"tags": doc.front.tags, "categories": doc.front.categories}
    if taxonomy in known:
        return known[taxonomy]
    value: Any = doc.front.extra.get(taxonomy)
    items = value.split() if isinstance(value, str) else value if isinstance(value, list) else []
    names = (str(item).strip() for item in items if isinstance(item, (str, int)))
    return tuple(dict.fromkeys(name for name in names if term_slug(name)))


def collect_terms(
    config: SiteConfig, info: SiteInfo, posts: Sequence[Document], taxonomy: str
) -> dict[str, Tag]:
    """Terms by slug; spellings that share a slug (`Web`, `web`) are one term, named by the
    first in order."""
    names: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for doc in posts:
        for name in terms_of(doc, taxonomy):
            slug = term_slug(name)
            names[slug].add(name)
            counts[slug] += 1
    terms = {}
    for slug, spellings in names.items():
        route = tag_route(slug, config, taxonomy)
        feed_url = None
        if config.feeds.enabled and config.feeds.per_tag:
            feed_url = info.base_url + term_feed_path(route)
        terms[slug] = Tag(
            name=min(spellings),
            slug=slug,
            url=info.base_path + route.path,
            count=counts[slug],
            feed_url=feed_url,
        )
    return terms


def sorted_terms(terms: Iterable[Tag]) -> tuple[Tag, ...]:
    return tuple(sorted(terms, key=lambda t: (t.name.lower(), t.slug)))


def posts_by_term(posts: Iterable[Summary], taxonomy: str) -> dict[str, tuple[Summary, ...]]:
    """Term slug -> the posts (in the order given) that list it under `taxonomy`."""
    grouped: dict[str, list[Summary]] = defaultdict(list)
    for post in posts:
        for term in post.tags if taxonomy == "tags" else post.terms.get(taxonomy, ()):
            grouped[term.slug].append(post)
    return {slug: tuple(items) for slug, items in grouped.items()}


def term_feed_path(route: Route) -> str:
    """`tags/python/` -> `tags/python/feed.xml`."""
    if route.path.endswith("/"):
        return route.path + FEED_FILE
    return route.path.removesuffix(".html") + ".xml"
