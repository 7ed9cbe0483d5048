"""The example site at the repo root builds cleanly, every internal link resolves, output is deterministic."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from sitegen.build import BuildOptions, build_site
from sitegen.config import load_config
from tests.golden.trees import EPOCH, FIXTURE_SITES, clean_build, link_targets, read_tree

REPO = Path(__file__).resolve().parents[2]


def _internal_targets(tree: dict[str, bytes], base_path: str) -> dict[str, set[str]]:
    """Output file each root-relative link points to -> the pages linking to it."""
    targets: dict[str, set[str]] = {}
    for page, data in tree.items():
        if not page.endswith(".html"):
            continue
        for url in link_targets(data.decode()):
            path = unquote(urlsplit(url).path)
            if not path.startswith(base_path) or urlsplit(url).netloc:
                continue
            rel = path[len(base_path) :]
            targets.setdefault(
                rel + "index.html" if rel == "" or rel.endswith("/") else rel, set()
            ).add(page)
    return targets


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    site = tmp_path / "example"
    site.mkdir()
    shutil.copy(REPO / "sitegen.toml", site)
    shutil.copytree(REPO / "content", site / "content")
    return site


def test_example_site_builds_without_warnings_and_every_internal_link_resolves(
    example_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the example's posts are dated 2026
    result, tree = clean_build(example_site, tmp_path / "out", strict=True)
    assert result.documents >= 5 and result.warnings == ()
    targets = _internal_targets(tree, load_config(example_site).base_path)
    assert len(targets) > 20
    assert {target: pages for target, pages in targets.items() if target not in tree} == {}


def test_internal_links_resolve_under_a_sub_path_base_url(
    example_site: Path, tmp_path: Path
) -> None:
    _, tree = clean_build(example_site, tmp_path / "out", base_url="https://example.org/deep/blog/")
    targets = _internal_targets(tree, "/deep/blog/")
    assert "index.html" in targets and "static/style.css" in targets
    assert {target: pages for target, pages in targets.items() if target not in tree} == {}


def test_two_clean_builds_are_byte_identical(example_site: Path, tmp_path: Path) -> None:
    _, first = clean_build(example_site, tmp_path / "one")
    _, second = clean_build(example_site, tmp_path / "two", jobs=2)
    assert first == second


def test_source_date_epoch_decides_what_is_future(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "tiny"
    shutil.copytree(FIXTURE_SITES / "tiny", site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4102444800")  # 2100-01-01: the 2099 post is past
    late, tree = clean_build(site, tmp_path / "late")
    assert "posts/later/index.html" in tree
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    early, tree = clean_build(site, tmp_path / "early")
    assert "posts/later/index.html" not in tree and late.documents == early.documents + 1


def test_a_site_without_posts_has_no_feed_and_no_post_lists(tmp_path: Path) -> None:
    site = tmp_path / "empty"
    (site / "content").mkdir(parents=True)
    (site / "sitegen.toml").write_text('title = "Empty"\n')
    _, tree = clean_build(site, tmp_path / "out")
    assert {p for p in tree if not p.startswith("static/")} == {
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
    }
    assert b"application/atom+xml" not in tree["index.html"]
    assert b"/archive/" not in tree["index.html"]


def test_future_post_appears_once_due_even_without_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "tiny"
    shutil.copytree(FIXTURE_SITES / "tiny", site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build_site(site, BuildOptions())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4102444800")
    result = build_site(site, BuildOptions())
    assert "posts/later/index.html" in result.changed_paths
    assert read_tree(site / "public") == clean_build(site, tmp_path / "clean")[1]
