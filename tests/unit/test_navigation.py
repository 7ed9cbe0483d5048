"""Sections and navigation as pure functions: the tree, its order, an explicit nav, places."""

from __future__ import annotations

import pytest

from sitegen.config import parse_config
from sitegen.errors import ConfigError
from sitegen.navigation import NavPage, auto_nav, explicit_nav, places, sections
from sitegen.views import NavItem


def page(path: str, title: str, weight: float | None = None) -> NavPage:
    url = "/" + path.removesuffix(".md").removesuffix("index").removesuffix("_") + "/"
    url = url.replace("//", "/")
    return NavPage(path, "pages/" + path, title, url, weight)


PAGES = [
    page("index.md", "Home"),
    page("about.md", "About", 9),
    page("guides/index.md", "Guides", 1),
    page("guides/zebra.md", "Zebra"),
    page("guides/install.md", "Install", 1),
    page("guides/debugging.md", "Debugging", 2),
    page("guides/advanced/_index.md", "Advanced"),
    page("guides/advanced/deep.md", "Deep"),
    page("reference/api.md", "API"),
]


def titles(items: tuple[NavItem, ...]) -> list[object]:
    return [(i.title, titles(i.children)) if i.children else i.title for i in items]


def test_the_tree_follows_folders_weights_then_titles() -> None:
    nav = auto_nav(PAGES)
    assert titles(nav) == [
        "Home",
        ("Guides", ["Install", "Debugging", ("Advanced", ["Deep"]), "Zebra"]),
        "About",
        ("Reference", ["API"]),
    ]
    guides = nav[1]
    assert guides.url == "/guides/" and guides.children[2].url == "/guides/advanced/"
    assert nav[3].url is None  # a folder without index.md is a group without a page


def test_places_give_breadcrumbs_and_neighbours_within_the_section() -> None:
    nav = auto_nav(PAGES)
    found = places(nav)
    deep = found["/guides/advanced/deep/"]
    assert [item.title for item in deep.trail] == ["Guides", "Advanced"]
    assert (deep.prev and deep.prev.title, deep.next and deep.next.title) == ("Advanced", "Zebra")
    guides = found["/guides/"]
    assert guides.trail == () and guides.prev is None and guides.next.title == "Install"  # type: ignore[union-attr]
    about = found["/about/"]  # top-level pages read in a row, not into a section
    assert (about.prev and about.prev.title, about.next) == ("Home", None)
    assert found["/reference/api/"].prev is None


def test_explicit_nav_keeps_its_order_and_titles_and_names_a_missing_page() -> None:
    config = parse_config(
        """title = "x"
nav = [
  "index.md",
  {title = "Start here", page = "guides/install.md"},
  {title = "Guides", children = ["guides/debugging.md", "guides/gone.md"]},
  {title = "Source", url = "https://example.org/src"},
]""",
        "sitegen.toml",
    )
    by_path = {p.path: p for p in PAGES}
    nav, errors = explicit_nav(config.nav, by_path, "/")
    assert titles(nav) == ["Home", "Start here", ("Guides", ["Debugging"]), "Source"]
    assert [str(e) for e in errors] == [
        "sitegen.toml: nav: nav entry 'Guides › guides/gone.md': no page "
        "content/pages/guides/gone.md\n"
        "  hint: name a Markdown file under content/pages/, e.g. `guides/install.md`"
    ]
    assert "https://example.org/src" not in places(nav)  # an outside link is nobody's neighbour


def test_explicit_nav_entries_are_checked_in_the_config() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config('title = "x"\nnav = [{titel = "a", page = "b.md"}]', "sitegen.toml")
    assert str(info.value).startswith("sitegen.toml:2: nav.0.titel: unknown key")
    assert "did you mean `title`?" in str(info.value)


def test_sections_hold_their_pages_in_order() -> None:
    summaries = {p.path: p.title for p in PAGES}
    tree = sections(PAGES, summaries)  # type: ignore[arg-type]
    assert [(s.title, s.url, s.path) for s in tree] == [
        ("Guides", "/guides/", "guides"),
        ("Reference", None, "reference"),
    ]
    guides = tree[0]
    assert (guides.page, guides.pages) == ("Guides", ("Install", "Debugging", "Zebra"))
    assert [s.title for s in guides.sections] == ["Advanced"]
