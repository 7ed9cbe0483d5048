"""Links as a static server answers them: fragments, slashes, static files, made pages."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sitegen.build import build_site
from sitegen.config import parse_config
from sitegen.errors import BuildFailed
from sitegen.frontmatter import parse_document
from sitegen.markdown import MarkdownOptions, render_markdown
from sitegen.model import Document
from sitegen.site import Site, assemble, make_page, split_rendering

CONFIG = parse_config('title = "T"\nbase_url = "https://e.org/sub/"\n', "sitegen.toml")


def _doc(path: str, body: str, front: str = "") -> Document:
    return parse_document(f"---\ntitle: T\n{front}---\n{body}", source=f"content/{path}")


def _site(docs: list[Document], strict: bool = False, **kwargs: object) -> Site:
    rendered = {
        d.key: split_rendering(d, render_markdown(d.body, MarkdownOptions()), None)[0] for d in docs
    }
    return assemble(CONFIG, docs, rendered, (), strict=strict, **kwargs)  # type: ignore[arg-type]


def _warnings(site: Site) -> list[tuple[str | None, int | None, str]]:
    """The link warnings (these posts have no date: that warning is tested elsewhere)."""
    return [(w.file, w.line, w.message) for w in site.warnings if w.field != "date"]


def _content(site: Site, slug: str) -> str:
    entry = next(e for e in (*site.posts, *site.pages) if e.doc.slug == slug)
    body = split_rendering(entry.doc, render_markdown(entry.doc.body, MarkdownOptions()), None)[1]
    return str(make_page(entry.page, body).content)


def test_fragments_are_checked_on_the_same_page_and_on_others() -> None:
    docs = [
        _doc("pages/about.md", "## What's next?\n\n<a name='old'></a>\n"),
        _doc(
            "posts/p.md",
            "## Here\n\n[a](#here) [b](#nowhere) [c](#top) [d](../pages/about.md#whats-next)\n"
            "[e](../pages/about.md#old) [f](/about/#gone) [g](../pages/about.md#what-s-next)\n",
        ),
    ]
    site = _site(docs)
    assert _warnings(site) == [
        ("content/posts/p.md", 6, "broken link '#nowhere': this page has no '#nowhere'"),
        ("content/posts/p.md", 7, "broken link '/about/#gone': /about/ has no '#gone'"),
        (
            "content/posts/p.md",
            7,
            "broken link '../pages/about.md#what-s-next': ../pages/about.md has no '#what-s-next'",
        ),
    ]
    content = _content(site, "p")
    assert 'href="/sub/about/#whats-next"' in content and 'href="/sub/about/#gone"' in content
    with pytest.raises(BuildFailed):
        _site(docs, strict=True)


def test_a_renamed_heading_is_noticed_by_entries_reused_from_the_last_build(
    tmp_path: Path,
) -> None:
    """The linking post's entry is reused from the build cache; the answer it got for `#old`
    changed, so it is made again and warns."""
    site = tmp_path / "site"
    (site / "content/posts").mkdir(parents=True)
    (site / "content/pages").mkdir(parents=True)
    (site / "sitegen.toml").write_text('title = "T"\nbase_url = "https://e.org/"\n')
    about = site / "content/pages/about.md"
    about.write_text("---\ntitle: About\n---\n## Old\n")
    post = "---\ntitle: P\ndate: 2024-01-01\n---\n[a](../pages/about.md#old)\n"
    (site / "content/posts/p.md").write_text(post)
    assert build_site(site).warnings == ()
    about.write_text("---\ntitle: About\n---\n## New heading\n")
    [warning] = build_site(site).warnings
    assert warning.message == "broken link '../pages/about.md#old': ../pages/about.md has no '#old'"


def test_site_urls_resolve_with_or_without_slash_and_index_html() -> None:
    docs = [
        _doc("pages/docs/install.md", "x\n"),
        _doc(
            "posts/p.md", "[a](/docs/install) [b](/docs/install/index.html) [c](/docs/install/)\n"
        ),
    ]
    site = _site(docs)
    assert _warnings(site) == []
    assert _content(site, "p").count('href="/sub/docs/install/"') == 3


def test_static_files_and_made_pages_are_link_targets_with_the_base_path() -> None:
    body = "[s](/static/paper.pdf) [t](/tags/) [f](/feed.xml) [h](/) [a](/archive) [x](/nope)\n"
    site = _site([_doc("posts/p.md", body, "tags: [web]\n")], static=["paper.pdf"])
    assert [message for _, _, message in _warnings(site)] == [
        "broken link '/nope': no page, post, media or static file there"
    ]
    content = _content(site, "p")
    for url in ("/sub/static/paper.pdf", "/sub/tags/", "/sub/feed.xml", "/sub/", "/sub/archive/"):
        assert f'href="{url}"' in content


def test_raw_html_shown_as_text_is_one_warning_per_file() -> None:
    config = dataclasses.replace(
        CONFIG, markdown=dataclasses.replace(CONFIG.markdown, allow_html=False)
    )
    doc = _doc("posts/p.md", "Text\n\n<div>a</div>\n\n<b>b</b> <i>c</i>\n")
    rendered = {
        doc.key: split_rendering(
            doc, render_markdown(doc.body, MarkdownOptions(allow_html=False)), None
        )[0]
    }
    site = assemble(config, [doc], rendered, (), strict=False)
    warnings = [w for w in site.warnings if w.field != "date"]  # the post has no date
    assert len(warnings) == 1
    warning = warnings[0]
    assert (warning.file, warning.line) == ("content/posts/p.md", 6)
    assert 'allow_html = "sanitize"' in (warning.hint or "")


def test_unknown_languages_are_one_warning_per_build_with_counts() -> None:
    docs = [
        _doc("posts/a.md", "```nosuch\nx\n```\n\n```nosuch\ny\n```\n\n```mjs\nz\n```\n"),
        _doc("posts/b.md", "```other\nx\n```\n\n```nosuch\ny\n```\n"),
    ]
    site = _site(docs)
    assert [message for _, _, message in _warnings(site)] == [
        "code in unknown languages is shown without highlighting: "
        "nosuch (3 blocks, first at content/posts/a.md:4), "
        "other (1 block, first at content/posts/b.md:4)"
    ]


def test_same_page_fragments_in_a_summary_point_at_the_post() -> None:
    """A summary is shown on list pages and in feeds: `#here` there means the post's `#here`."""
    site = _site([_doc("posts/p.md", "See [a](#here) and [b](#gone).\n\n## Here\n")])
    summary = str(site.posts[0].summary.summary)
    assert 'href="/sub/posts/p/#here"' in summary and 'href="/sub/posts/p/#gone"' in summary
    assert 'href="#here"' in _content(site, "p")  # the page itself keeps its own link
