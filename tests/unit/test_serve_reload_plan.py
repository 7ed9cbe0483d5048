"""One signal set per completed build: nothing, a CSS swap, or one full reload."""

from __future__ import annotations

from pathlib import Path

from sitegen.serve.reload_plan import FULL_RELOAD, ReloadSignal, plan_reload

SITE = Path("/site")


def test_content_change_reloads_once_however_many_outputs_changed() -> None:
    outputs = [f"posts/p{i}/index.html" for i in range(10)] + ["index.html", "static/style.css"]
    signals = plan_reload(
        {SITE / "content/posts/a.md", SITE / "content/posts/b.md"}, outputs, False
    )
    assert signals == (FULL_RELOAD,)


def test_nothing_written_means_no_reload() -> None:
    assert plan_reload({SITE / "content/posts/a.md"}, (), False) == ()


def test_changed_problems_reload_even_when_nothing_was_written() -> None:
    assert plan_reload({SITE / "content/posts/a.md"}, (), True) == (FULL_RELOAD,)


def test_static_stylesheet_edit_is_swapped_without_reload() -> None:
    # The cache-busting hash in static() rewrites every page; it is still a CSS-only change.
    outputs = ["static/style.css", "index.html", "posts/a/index.html"]
    signals = plan_reload({SITE / "themes/mine/static/style.css"}, outputs, False)
    assert signals == (ReloadSignal("/static/style.css", live_css=True),)
    assert signals[0].message() == {
        "command": "reload",
        "path": "/static/style.css",
        "liveCSS": True,
        "liveImg": False,
    }


def test_css_mixed_with_other_sources_reloads_the_page() -> None:
    sources = {SITE / "static/style.css", SITE / "templates/base.html"}
    assert plan_reload(sources, ["static/style.css", "index.html"], False) == (FULL_RELOAD,)


def test_css_outside_static_reloads_the_page() -> None:
    # A .css file under templates/ may be included inline by a template.
    assert plan_reload({SITE / "templates/inline.css"}, ["index.html"], False) == (FULL_RELOAD,)


def test_first_build_without_sources_reloads() -> None:
    assert plan_reload(frozenset(), ["static/style.css"], False) == (FULL_RELOAD,)
