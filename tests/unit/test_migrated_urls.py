"""Sites moved from Jekyll or Hugo: old URLs, redirects, taxonomies, expiry, params, undated
posts (issue #14, items 2, 3, 4 and 7), through real builds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build_site
from sitegen.config import parse_config
from sitegen.errors import BuildFailed, ConfigError
from tests.golden.trees import EPOCH, read_tree, write_files

CONFIG = 'title = "Old blog"\nbase_url = "https://e.org/blog/"\n'


@pytest.fixture(autouse=True)
def _epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # "now" is 2023-11-14


def _build(tmp_path: Path, files: dict[str, str], **options: bool):
    write_files(tmp_path, {"sitegen.toml": CONFIG, **files})
    result = build_site(tmp_path, BuildOptions(**options))
    return result, read_tree(tmp_path / "public")


def test_jekyll_permalinks_keep_old_urls_with_capitals_and_dots(tmp_path: Path) -> None:
    _, tree = _build(
        tmp_path,
        {
            "sitegen.toml": CONFIG + '[permalinks]\npost = "/{year}/{month}/{day}/{title}.html"\n',
            "content/posts/2019-05-15-Rust-1.35.0.md": "---\ntitle: R\n---\nR\n",
            "content/posts/2020-01-02-Beta.md": "---\ntitle: B\nslug: beta-2\n---\nR\n",
            "content/posts/2020-01-03-x.markdown": "---\ntitle: X\nurl: /Keep/This.Name.html\n---\n",
        },
    )
    assert "2019/05/15/Rust-1.35.0.html" in tree
    assert "2020/01/02/beta-2.html" in tree  # an explicit slug is the title, as in Jekyll
    assert "Keep/This.Name.html" in tree


def test_categories_in_permalinks_and_as_a_taxonomy_with_pages_and_feeds(tmp_path: Path) -> None:
    config = (
        CONFIG
        + '[permalinks]\npost = "/{categories}/{year}/{slug}/"\n'
        + '[taxonomies]\ncategories = "/categories/{slug}/"\n'
    )
    _, tree = _build(
        tmp_path,
        {
            "sitegen.toml": config,
            "content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\ncategories: en news\n"
            "tags: [日本語]\n---\n",
        },
    )
    assert "en/news/2020/a/index.html" in tree
    assert b"/blog/en/news/2020/a/" in tree["categories/news/index.html"]
    assert b'href="/blog/categories/news/"' in tree["en/news/2020/a/index.html"]
    term_page = tree["categories/news/index.html"].decode()
    assert (
        "Categories: “news”" in term_page and 'href="/blog/categories/">All categories' in term_page
    )
    assert "categories/en/feed.xml" in tree and "categories/index.html" in tree
    assert "tags/日本語/index.html" in tree and "tags/日本語/feed.xml" in tree
    assert b"https://e.org/blog/categories/news/" in tree["sitemap.xml"]


def test_aliases_make_redirect_pages_and_a_redirects_file(tmp_path: Path) -> None:
    _, tree = _build(
        tmp_path,
        {
            "sitegen.toml": CONFIG + "[redirects]\nnetlify = true\n",
            "content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\n"
            "aliases: [/2019/05/15/Old-Name.html, /old/a]\n---\n",
        },
    )
    page = tree["2019/05/15/Old-Name.html"].decode()
    assert '<meta http-equiv="refresh" content="0; url=/blog/posts/a/">' in page
    assert '<link rel="canonical" href="https://e.org/blog/posts/a/">' in page
    assert '<a href="/blog/posts/a/">' in page and page.startswith("<!DOCTYPE html>")
    assert "old/a/index.html" in tree
    assert tree["_redirects"] == (
        b"/blog/2019/05/15/Old-Name.html /blog/posts/a/ 301\n/blog/old/a/ /blog/posts/a/ 301\n"
    )


def test_an_alias_on_another_documents_url_is_an_error_naming_both(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as info:
        _build(
            tmp_path,
            {
                "content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\n---\n",
                "content/posts/b.md": "---\ntitle: B\ndate: 2020-01-01\naliases: [/posts/a/]\n---\n",
            },
        )
    assert "content/posts/a.md" in str(info.value) and "content/posts/b.md" in str(info.value)


def test_two_documents_with_one_url_is_an_error_naming_both(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as info:
        _build(
            tmp_path,
            {
                "content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\nurl: /x.html\n---\n",
                "content/posts/b.md": "---\ntitle: B\ndate: 2020-01-01\nurl: /x.html\n---\n",
            },
        )
    assert "content/posts/a.md" in str(info.value) and "content/posts/b.md" in str(info.value)


def test_expired_unpublished_and_undated_posts(tmp_path: Path) -> None:
    result, tree = _build(
        tmp_path,
        {
            "content/posts/gone.md": "---\ntitle: Gone\ndate: 2020-01-01\nexpiryDate: 2021-01-01\n---\n",
            "content/posts/kept.md": "---\ntitle: Kept\ndate: 2020-01-01\nexpiry_date: 2030-01-01\n---\n",
            "content/posts/hidden.md": "---\ntitle: Hidden\ndate: 2020-01-01\npublished: false\n---\n",
            "content/posts/undated.md": "---\ntitle: Undated\n---\n",
        },
    )
    assert "posts/kept/index.html" in tree
    assert "posts/gone/index.html" not in tree and "posts/hidden/index.html" not in tree
    assert [(w.file, w.field) for w in result.warnings] == [("content/posts/undated.md", "date")]
    assert b"1970" not in tree["feed.xml"] and b"Undated" not in tree["feed.xml"]
    assert b"<title>Kept</title>" in tree["feed.xml"]


def test_misspelt_key_warns_and_strict_fails(tmp_path: Path) -> None:
    files = {"content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\ndraf: true\n---\n"}
    result, _ = _build(tmp_path, files)
    assert ["did you mean `draft`?" in w.message for w in result.warnings] == [True]
    with pytest.raises(BuildFailed):
        _build(tmp_path, files, strict=True)


def test_params_of_the_site_and_of_pages_reach_templates(tmp_path: Path) -> None:
    _, tree = _build(
        tmp_path,
        {
            "sitegen.toml": CONFIG + '[params]\nmotto = "Hi there"\n',
            "templates/post.html": "{{ site.params.motto }}|{{ page.params.mood }}|"
            "{{ page.params.doi }}|{{ page.authors | map(attribute='name') | join(', ') }}",
            "content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\nmood: calm\n"
            "params:\n  doi: 10.1/x\nauthors: [Ada, Grace]\n---\n",
        },
    )
    assert tree["posts/a/index.html"] == b"Hi there|calm|10.1/x|Ada, Grace"


def test_lastmod_is_the_sitemap_date(tmp_path: Path) -> None:
    _, tree = _build(
        tmp_path,
        {"content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\nlastmod: 2021-02-03\n---\n"},
    )
    assert b"<lastmod>2021-02-03" in tree["sitemap.xml"]


def test_taxonomies_and_title_patterns_are_config_and_bad_ones_are_errors() -> None:
    config = parse_config(
        CONFIG + '[permalinks]\npost = "/{year}/{title}.html"\n'
        '[taxonomies]\ncategories = "/c/{slug}/"\n',
        "sitegen.toml",
    )
    assert config.term_patterns == {"tags": "/tags/{slug}/", "categories": "/c/{slug}/"}
    with pytest.raises(ConfigError, match="not a front-matter field name"):
        parse_config(CONFIG + '[taxonomies]\n"Bad Name" = "/x/{slug}/"\n', "sitegen.toml")


def test_a_cached_build_after_the_expiry_date_leaves_the_post_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = "---\ntitle: A\ndate: 2020-01-01\nexpiry_date: 2024-01-01\n---\n"
    write_files(tmp_path, {"sitegen.toml": CONFIG, "content/posts/a.md": post})
    for file in tmp_path.rglob("*"):  # settled files: the next build may find nothing changed
        os.utime(file, (1_600_000_000, 1_600_000_000))
    build_site(tmp_path, BuildOptions())
    assert "posts/a/index.html" in read_tree(tmp_path / "public")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027: no file changed, the post expired
    build_site(tmp_path, BuildOptions())
    assert "posts/a/index.html" not in read_tree(tmp_path / "public")
