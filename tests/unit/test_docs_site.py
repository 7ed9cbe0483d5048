"""Docs sites built end to end: sections, the home page, navigation, feeds, links, data,
collections for templates, files beside pages, and shortcodes."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build_site
from sitegen.errors import SitegenError
from tests.golden.trees import FIXTURE_SITES, clean_build, write_files

DOCS = FIXTURE_SITES / "docs-site"


def docs_site(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """A copy of the docs-site fixture with `files` (path: text) added or replaced."""
    site = tmp_path / "site"
    shutil.copytree(DOCS, site)
    write_files(site, files or {})
    return site


def build_error(site: Path) -> str:
    with pytest.raises(SitegenError) as info:
        build_site(site, BuildOptions(use_cache=False))
    return str(info.value)


def test_section_pages_live_at_their_folders_and_the_home_page_is_a_page(tmp_path: Path) -> None:
    _, tree = clean_build(docs_site(tmp_path), tmp_path / "out")
    assert {"index.html", "guides/index.html", "guides/advanced/index.html"} <= tree.keys()
    assert not any("/index/" in path for path in tree)
    home = tree["index.html"].decode()
    assert "No posts yet" not in home and "<h1>Gadget Docs</h1>" in home
    # no posts: no feed, no feed link, no post lists, no links to them
    assert not {"feed.xml", "tags/index.html", "archive/index.html"} & tree.keys()
    assert "application/atom+xml" not in home and "/archive/" not in home


def test_one_h1_per_page(tmp_path: Path) -> None:
    _, tree = clean_build(docs_site(tmp_path), tmp_path / "out")
    for path in ("index.html", "guides/debugging/index.html", "reference/cli/index.html"):
        assert tree[path].decode().count("<h1") == 1, path


def test_sidebar_breadcrumbs_and_neighbours_are_plain_links(tmp_path: Path) -> None:
    _, tree = clean_build(docs_site(tmp_path), tmp_path / "out")
    page = tree["guides/advanced/tuning/index.html"].decode()
    assert '<details class="docs-nav" id="docs-nav">' in page
    assert '<a href="/gadget/guides/advanced/tuning/" aria-current="page">Tuning</a>' in page
    crumbs = page[page.index('aria-label="Breadcrumb"') :].split("</nav>")[0]
    assert re.findall(r">([^<>]+)</a>", crumbs) == ["Home", "Guides", "Advanced topics", "Tuning"]
    neighbours = page[page.index('aria-label="More pages"') :].split("</nav>")[0]
    assert 'href="/gadget/guides/advanced/" rel="prev"' in neighbours
    # Navigation needs no script: the page's only one is the search box's (no JS, no box).
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert [s for s in scripts if 'src="/gadget/static/search.js?' not in s] == [], scripts


def test_links_without_extension_resolve_to_pages(tmp_path: Path) -> None:
    result, tree = clean_build(docs_site(tmp_path), tmp_path / "out")
    assert result.warnings == ()
    assert (
        'href="/gadget/guides/debugging/">debug it</a>'
        in tree["guides/install/index.html"].decode()
    )
    assert (
        'href="/gadget/guides/install/">the install guide</a>'
        in tree["guides/debugging/index.html"].decode()
    )


def test_files_beside_pages_are_copied_and_linked(tmp_path: Path) -> None:
    _, tree = clean_build(docs_site(tmp_path), tmp_path / "out")
    assert tree["guides/gadget.svg"].startswith(b"<svg")
    assert (
        '<img src="/gadget/guides/gadget.svg" alt="The gadget"'
        in tree["guides/install/index.html"].decode()
    )


def test_a_site_with_posts_and_a_page_home_lists_posts_at_posts(tmp_path: Path) -> None:
    hello = "---\ntitle: Hello\ndate: 2023-01-01\n---\nHi.\n"
    site = docs_site(tmp_path, {"content/posts/hello.md": hello})
    _, tree = clean_build(site, tmp_path / "out")
    assert {"index.html", "posts/index.html", "feed.xml", "archive/index.html"} <= tree.keys()
    assert "Gadget measures things" in tree["index.html"].decode()
    assert 'href="/gadget/posts/hello/"' in tree["posts/index.html"].decode()
    assert '<a href="/gadget/posts/">Posts</a>' in tree["index.html"].decode()


def test_an_explicit_nav_is_checked(tmp_path: Path) -> None:
    site = docs_site(tmp_path)
    with (site / "sitegen.toml").open("a") as toml:
        toml.write('nav = ["index.md", {title = "Guides", children = ["guides/gone.md"]}]\n')
    assert build_error(site).startswith(
        "sitegen.toml: nav: nav entry 'Guides › guides/gone.md': no page content/pages/guides/gone.md"
    )


def test_an_explicit_nav_orders_the_sidebar(tmp_path: Path) -> None:
    site = docs_site(tmp_path)
    with (site / "sitegen.toml").open("a") as toml:
        toml.write('nav = [{title = "Start", page = "guides/install.md"}, {title = "More", ')
        toml.write('children = ["about.md", {title = "Code", url = "https://example.org/"}]}]\n')
    result, tree = clean_build(site, tmp_path / "out")
    assert [str(w).split("\n")[0] for w in result.warnings] == [
        "sitegen.toml: nav: 7 pages are in no nav entry: guides/advanced/_index.md, "
        "guides/advanced/tuning.md, guides/debugging.md, guides/index.md, index.md and 2 more"
    ]
    sidebar = tree["about/index.html"].decode().split('aria-label="Documentation"')[1]
    sidebar = sidebar.split("</nav>")[0]
    assert re.findall(r">([^<>]+)</(?:a|span)>", sidebar) == ["Start", "More", "About", "Code"]


def test_a_weight_that_is_not_a_number_is_an_error(tmp_path: Path) -> None:
    site = docs_site(tmp_path, {"content/pages/about.md": "---\ntitle: About\nweight: high\n---\n"})
    assert "content/pages/about.md:1: weight: must be a number, not 'high'" in build_error(site)


def test_data_files_are_site_data_and_their_errors_have_lines(tmp_path: Path) -> None:
    _, tree = clean_build(docs_site(tmp_path), tmp_path / "out")
    assert "<p>Gadget 2.1</p>" in tree["index.html"].decode()
    site = docs_site(tmp_path / "bad", {"data/broken.json": '{\n  "a": 1,\n}\n'})
    assert "data/broken.json:3: invalid JSON: " in build_error(site)


def test_templates_that_list_collections_get_them(tmp_path: Path) -> None:
    listing = (
        "{% for s in site.sections %}[{{ s.title }}:"
        "{% for p in s.pages %}{{ p.title }},{% endfor %}]{% endfor %}"
        "{{ site.pages | length }}/{{ site.posts | length }}"
    )
    site = docs_site(tmp_path, {"templates/listing.html": listing})
    write_files(site, {"content/pages/all.md": "---\ntitle: All\ntemplate: listing.html\n---\n"})
    _, tree = clean_build(site, tmp_path / "out")
    assert tree["all/index.html"].decode() == (
        "[Guides:Installing Gadget,Debugging,][Reference:API,Command line,]10/0"
    )


def test_shortcodes_render_and_leave_code_alone(tmp_path: Path) -> None:
    _, tree = clean_build(docs_site(tmp_path), tmp_path / "out")
    install = tree["guides/install/index.html"].decode()
    assert "<figcaption>Gadget, drawn</figcaption>" in install
    assert '<code class="language-text">{{&lt; figure src=' in install  # text in a fence
    assert "not-a-call.png" in install and 'src="not-a-call.png"' not in install
    debugging = tree["guides/debugging/index.html"].decode()
    assert '<p class="admonition-title">Before you start</p>' in debugging
    assert (
        "Tuning can void the <strong>warranty</strong>."
        in tree["guides/advanced/tuning/index.html"].decode()
    )


def test_youtube_embeds_without_cookies_lazily_with_a_title(tmp_path: Path) -> None:
    video = '# Video\n\n{{< youtube id="x1" title="Demo" >}}\n'
    site = docs_site(tmp_path, {"content/pages/video.md": video})
    _, tree = clean_build(site, tmp_path / "out")
    assert (
        '<iframe src="https://www.youtube-nocookie.com/embed/x1" title="Demo" loading="lazy"'
        in tree["video/index.html"].decode()
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("{{< nope >}}", "content/pages/bad.md:5: unknown shortcode 'nope'"),
        (
            '{{< youtube title="t" >}}',
            "content/pages/bad.md:5: shortcode 'youtube': 'id' is undefined",
        ),
        ("{{% /note %}}", "content/pages/bad.md:5: {{% /note %}} closes no 'note'"),
        (
            '{{% include "../secret.md" %}}',
            "content/pages/bad.md:5: include '../secret.md' is outside",
        ),
        (
            '{{% include "content/none.md" %}}',
            "content/pages/bad.md:5: include 'content/none.md': no such file",
        ),
    ],
)
def test_a_bad_shortcode_call_is_an_error_with_its_line(
    tmp_path: Path, call: str, message: str
) -> None:
    site = docs_site(tmp_path, {"content/pages/bad.md": f"# Bad\n\nText.\n\n{call}\n"})
    assert message in build_error(site)


def test_an_edit_to_an_included_file_rebuilds_the_page(tmp_path: Path) -> None:
    site = docs_site(tmp_path)
    out = site / "public"
    build_site(site, BuildOptions())
    page = out / "guides/advanced/tuning/index.html"
    assert "warranty" in page.read_text()
    snippet = site / "content/snippets/warning.md"
    snippet.write_text("Tuning is **safe**.\n")
    os.utime(snippet, ns=(1, 1))  # an mtime no older build could have relied on
    build_site(site, BuildOptions())
    assert "Tuning is <strong>safe</strong>." in page.read_text()


def test_a_call_inside_a_sentence_stays_in_its_paragraph(tmp_path: Path) -> None:
    text = '# Inline\n\n{{< figure src="img.png" >}} opens this line.\n'
    site = docs_site(tmp_path, {"content/pages/inline.md": text, "content/pages/img.png": "png"})
    _, tree = clean_build(site, tmp_path / "out")
    content = tree["inline/index.html"].decode().split('<div class="entry__content">')[1]
    assert content.split("</div>")[0].strip().startswith('<p><figure class="figure">')
    assert "opens this line.</p>" in content


def test_a_query_link_keeps_a_valid_url(tmp_path: Path) -> None:
    text = '# Search\n\nTry [a search](?q="extends+base") or [the guide](guides/install#top).\n'
    site = docs_site(tmp_path, {"content/pages/search.md": text})
    result, tree = clean_build(site, tmp_path / "out")
    page = tree["search/index.html"].decode()
    assert 'href="?q=%22extends+base%22"' in page  # a URL may not hold a raw `"`
    assert 'href="/gadget/guides/install/#top"' in page
    assert result.warnings == ()


def test_a_draft_in_an_explicit_nav_is_left_out_until_drafts_are_built(tmp_path: Path) -> None:
    draft = "---\ntitle: Soon\ndraft: true\n---\nNot yet.\n"
    site = docs_site(tmp_path, {"content/pages/guides/soon.md": draft})
    with (site / "sitegen.toml").open("a") as toml:
        toml.write(
            'nav = [{title = "Guides", children = ["guides/install.md", "guides/soon.md"]}]\n'
        )
    _, tree = clean_build(site, tmp_path / "out")
    assert "Soon" not in tree["guides/install/index.html"].decode()
    _, tree = clean_build(site, tmp_path / "drafts", drafts=True)
    assert '<a href="/gadget/guides/soon/">Soon</a>' in tree["guides/install/index.html"].decode()
