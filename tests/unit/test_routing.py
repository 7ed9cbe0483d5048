from __future__ import annotations

import datetime as dt

import pytest

from sitegen.config import parse_config
from sitegen.errors import ContentError
from sitegen.model import Document, FrontMatter
from sitegen.routing import HOME, Route, paged_route, route_for, route_of_path, tag_route


def _doc(
    kind: str = "post", slug: str = "hello", date: dt.date | None = dt.date(2024, 5, 1)
) -> Document:
    return Document(
        key=f"{kind}s/{slug}",
        kind=kind,
        slug=slug,  # type: ignore[arg-type]
        front=FrontMatter(title="T", date=date),
        source=f"content/{kind}s/{slug}.md",
    )


def test_pretty_urls_and_patterns() -> None:
    config = parse_config(
        'title="T"\n[permalinks]\npost="/{year}/{month}/{day}/{slug}/"\npage="/{slug}.html"\n', "x"
    )
    assert route_for(_doc(), config) == Route("2024/05/01/hello/", "2024/05/01/hello/index.html")
    assert route_for(_doc("page", "docs/intro"), config) == Route(
        "docs/intro.html", "docs/intro.html"
    )
    default = parse_config('title="T"\n', "x")
    assert route_for(_doc(), default) == Route("posts/hello/", "posts/hello/index.html")
    assert tag_route("python", default) == Route("tags/python/", "tags/python/index.html")


def test_datetime_uses_its_own_calendar_day() -> None:
    config = parse_config('title="T"\n[permalinks]\npost="/{year}/{day}/{slug}/"\n', "x")
    late = dt.datetime(2024, 5, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert route_for(_doc(date=late), config).path == "2024/01/hello/"


def test_date_pattern_without_a_date_names_the_file() -> None:
    config = parse_config('title="T"\n[permalinks]\npost="/{year}/{slug}/"\n', "x")
    with pytest.raises(ContentError) as info:
        route_for(_doc(date=None), config)
    assert str(info.value).startswith(
        "content/posts/hello.md:1: date: is required: the post permalink"
    )


def test_pagination_routes() -> None:
    assert paged_route(HOME, 1) is HOME
    assert paged_route(HOME, 2) == Route("page/2/", "page/2/index.html")
    assert (
        paged_route(Route("tags/x/", "tags/x/index.html"), 3).output == "tags/x/page/3/index.html"
    )


def test_unsafe_paths_are_refused() -> None:
    for bad in ("../x/", "a/../../b", "/a//b/"):
        with pytest.raises(ValueError):
            route_of_path(bad)
