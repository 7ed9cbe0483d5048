"""The bundled example site (content/ at the repo root) built with the default theme.

Built from a copy in a temp folder, so the repository's public/ and .sitegen/ are untouched.
Guards what the example promises: every internal link and image resolves (a strict build), drafts
and future posts stay out, and every page is well-formed HTML with one <h1> and one <main>.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build_site
from tests.golden.trees import link_targets
from tests.unit.test_theme_templates import check_html

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["/", "/docs/v1/"], ids=["root", "sub-path"])
def public(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site, published at the root or under a sub-path (files then live below it)."""
    site = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "sitegen.toml", site / "sitegen.toml")
    base_path = request.param
    options = BuildOptions(
        strict=True,
        use_cache=False,
        output_dir=site / "www" / base_path.strip("/"),
        base_url="https://example.org" + base_path,
    )
    result = build_site(site, options)
    assert not result.warnings, [str(w) for w in result.warnings]
    return site / "www"


def test_example_has_every_kind_of_content() -> None:
    posts = sorted((REPO / "content/posts").glob("*.md"))
    texts = {path.stem: path.read_text() for path in posts}

    assert len(posts) >= 6
    assert any("draft: true" in text for text in texts.values())
    assert "date: 2099-" in texts["scheduled-post"]
    assert (REPO / "content/pages/about.md").read_text().count("menu: 1") == 1
    assert list((REPO / "content/pages").glob("*/*.md")), "a nested page"
    assert all(path.stat().st_size < 20_000 for path in (REPO / "content/media").iterdir())


def test_drafts_and_future_posts_stay_out(public: Path) -> None:
    [root] = {path.parent for path in public.rglob("404.html")}
    assert (root / "posts/writing-posts/index.html").is_file()
    assert not (root / "posts/build-performance-notes").exists()
    assert not (root / "posts/scheduled-post").exists()
    assert "A scheduled post" not in (root / "tags/announcements/index.html").read_text()


def test_every_page_is_well_formed(public: Path) -> None:
    pages = sorted(public.rglob("*.html"))
    assert len(pages) >= 15
    for page in pages:
        html = page.read_text()
        try:
            check_html(html)
        except AssertionError as exc:
            raise AssertionError(f"{page.relative_to(public)}: {exc}") from None
        assert html.count("<h1") == 1 and html.count("<main") == 1, page


def test_every_internal_link_and_image_resolves(public: Path) -> None:
    checked = 0
    for page in public.rglob("*.html"):
        for target in link_targets(page.read_text()):
            if target.startswith(("#", "http://", "https://", "mailto:")):
                continue
            path = target.split("#")[0].split("?")[0]
            assert path.startswith("/"), f"{page}: relative link {target!r}"
            file = public / path.lstrip("/")
            if path.endswith("/"):
                file = file / "index.html"
            assert file.is_file(), f"{page.relative_to(public)} links to missing {target!r}"
            checked += 1
    assert checked > 100


def test_rich_content_reaches_the_page(public: Path) -> None:
    [root] = {path.parent for path in public.rglob("404.html")}
    base = "/" + root.relative_to(public).as_posix() + "/" if root != public else "/"
    tour = (root / "posts/writing-posts/index.html").read_text()
    assert '<nav class="toc"' in tour and '<section class="footnotes">' in tour
    assert "<table>" in tour and 'class="task-list-item-checkbox"' in tour
    for language in ("python", "javascript", "sh"):
        assert f'class="language-{language}"' in tour
    media = (root / "posts/images-and-media/index.html").read_text()
    assert f'<img class="entry__cover" src="{base}media/cover.svg" alt="">' in media
    assert f'<img src="{base}media/pipeline.svg" alt="A diagram:' in media
