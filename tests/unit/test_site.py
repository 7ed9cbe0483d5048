from __future__ import annotations

import datetime as dt

import pytest

from sitegen.config import parse_config
from sitegen.errors import BuildFailed
from sitegen.frontmatter import parse_document
from sitegen.markdown import MarkdownOptions, render_markdown
from sitegen.model import Document, Media
from sitegen.site import Entry, Site, assemble, make_page, select_documents, split_rendering
from sitegen.views import Page

CONFIG = parse_config('title = "T"\nbase_url = "https://e.org/sub/"\n', "sitegen.toml")
NOW = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)


def _doc(path: str, front: str, body: str = "Text.\n") -> Document:
    return parse_document(f"---\n{front}\n---\n{body}", source=f"content/{path}")


def _site(docs: list[Document], media: tuple[Media, ...] = (), strict: bool = False) -> Site:
    rendered = {
        d.key: split_rendering(d, render_markdown(d.body, MarkdownOptions()), None)[0] for d in docs
    }
    return assemble(CONFIG, docs, rendered, media, strict=strict)


def _page(entry: Entry) -> Page:
    """The entry's page, made as a build makes it for an output that shows it."""
    body = split_rendering(entry.doc, render_markdown(entry.doc.body, MarkdownOptions()), None)[1]
    return make_page(entry.page, body)


def test_posts_newest_first_ties_by_key_and_undated_last() -> None:
    docs = [
        _doc("posts/b.md", "title: B\ndate: 2024-01-01"),
        _doc("posts/a.md", "title: A\ndate: 2024-01-01"),
        _doc("posts/c.md", "title: C\ndate: 2024-01-01T10:00:00Z"),
        _doc("posts/u.md", "title: U"),
    ]
    assert [e.doc.slug for e in _site(docs).posts] == ["c", "a", "b", "u"]


def test_drafts_and_future_posts_are_left_out_unless_asked() -> None:
    docs = [
        _doc("posts/d.md", "title: D\ndraft: true"),
        _doc("posts/f.md", "title: F\ndate: 2024-07-01"),
        _doc("posts/p.md", "title: P\ndate: 2024-05-01"),
    ]
    selected, due = select_documents(docs, drafts=False, future=False, now=NOW)
    assert [d.slug for d in selected] == ["p"] and due == dt.datetime(2024, 7, 1, tzinfo=dt.UTC)
    selected, _ = select_documents(docs, drafts=True, future=True, now=NOW)
    assert len(selected) == 3


def test_tags_merge_spellings_and_count() -> None:
    site = _site(
        [
            _doc("posts/a.md", "title: A\ntags: [Web, python]"),
            _doc("posts/b.md", "title: B\ntags: [web]"),
        ]
    )
    assert [(t.name, t.slug, t.count, t.url) for t in site.tags] == [
        ("python", "python", 1, "/sub/tags/python/"),
        ("Web", "web", 2, "/sub/tags/web/"),
    ]
    assert [p.key for p in site.tag_posts["web"]] == ["posts/a", "posts/b"]  # undated: by key


def test_menu_orders_numbers_first_then_titles() -> None:
    site = _site(
        [
            _doc("pages/z.md", "title: Zed\nmenu: true"),
            _doc("pages/b.md", "title: Bee\nmenu: 2"),
            _doc("pages/a.md", "title: Ay\nmenu: true"),
            _doc("pages/n.md", "title: Not"),
        ]
    )
    assert [(m.title, m.url) for m in site.info.menu] == [
        ("Bee", "/sub/b/"),
        ("Ay", "/sub/a/"),
        ("Zed", "/sub/z/"),
    ]


def test_links_to_files_media_and_routes_resolve() -> None:
    body = (
        "[a](a.md#x) [b](/pages/about.md) [m](../media/i.png) [r](/about/) [up](../../about/)\n\n"
        "[gone](nope.md)\n"
    )
    docs = [
        _doc("posts/a.md", "title: A\ndate: 2024-01-01", "## X\n"),
        _doc("pages/about.md", "title: About"),
        _doc("posts/l.md", "title: L\ndate: 2024-01-02", body),
    ]
    site = _site(docs, (Media("i.png", "0" * 64, 1),))
    page = _page(next(e for e in site.posts if e.doc.slug == "l"))
    for url in (
        'href="/sub/posts/a/#x"',
        'href="/sub/about/"',
        'href="/sub/media/i.png"',
        'href="nope.md"',
    ):
        assert url in page.content
    assert page.content.count('href="/sub/about/"') == 3
    assert [(w.line, w.message) for w in site.warnings] == [
        (7, "broken link 'nope.md': no page, post, media or static file there")
    ]
    with pytest.raises(BuildFailed):
        _site(docs, (Media("i.png", "0" * 64, 1),), strict=True)


def test_summary_from_front_matter_or_first_paragraph() -> None:
    doc = _doc("posts/s.md", 'title: S\nsummary: "*Short*"', "First para.\n\nSecond.\n")
    rendered = {
        doc.key: split_rendering(
            doc,
            render_markdown(doc.body, MarkdownOptions()),
            render_markdown("*Short*", MarkdownOptions()),
        )[0]
    }
    site = assemble(CONFIG, [doc], rendered, (), strict=False)
    assert site.posts[0].summary.summary == "<p><em>Short</em></p>\n"
    assert _site([doc]).posts[0].summary.summary == "<p>First para.</p>\n"


@pytest.mark.parametrize(
    ("feed_format", "mime"), [("atom", "application/atom+xml"), ("rss", "application/rss+xml")]
)
def test_site_info_names_the_feed_mime_type(feed_format: str, mime: str) -> None:
    config = parse_config(
        f'title = "T"\nbase_url = "https://e.org/"\n[feeds]\nformat = "{feed_format}"\n',
        "sitegen.toml",
    )
    site = assemble(config, [], {}, (), strict=False)
    assert site.info.feed_type == mime


def test_digests_name_what_an_entry_is_made_of() -> None:
    """Fingerprints take an entry's digests for its views: they must change with the rendering
    and with the link answers, and stay while neither does."""
    docs = [_doc("posts/a.md", "title: A"), _doc("posts/l.md", "title: L", "See [a](a.md).\n")]
    before = {e.doc.key: e.digests for e in _site(docs).posts}
    assert before == {e.doc.key: e.digests for e in _site(docs).posts}
    edited = [docs[0], _doc("posts/l.md", "title: L", "See [a](a.md) now.\n")]
    after = {e.doc.key: e.digests for e in _site(edited).posts}
    assert after["posts/a"] == before["posts/a"] and after["posts/l"] != before["posts/l"]
    moved = [_doc("posts/a.md", "title: A\nslug: b"), docs[1]]  # l's link answer changes
    assert {e.doc.key: e.digests for e in _site(moved).posts}["posts/l"] != before["posts/l"]


def test_a_post_expires_after_its_expiry_date_which_is_when_the_selection_changes() -> None:
    docs = [
        _doc("posts/e.md", "title: E\ndate: 2024-01-01\nexpiryDate: 2024-07-01"),
        _doc("posts/g.md", "title: G\ndate: 2024-01-01\nexpiry_date: 2024-05-01"),
    ]
    selected, due = select_documents(docs, drafts=False, future=False, now=NOW)
    assert [d.slug for d in selected] == ["e"] and due == dt.datetime(2024, 7, 1, tzinfo=dt.UTC)
