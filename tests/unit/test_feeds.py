from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET

from markupsafe import Markup

from sitegen.feeds import absolute_html, feed_xml, robots_txt, sitemap_xml
from sitegen.views import Page, SiteInfo, Tag

INFO = SiteInfo(
    title="T & Co",
    description="",
    language="en",
    author="",
    base_url="https://e.org/blog/",
    base_path="/blog/",
    menu=(),
    feed_url="https://e.org/blog/feed.xml",
    feed_type="application/atom+xml",
    generator="sitegen 0.1.0",
)
TAG = Tag(name="py", slug="py", url="/blog/tags/py/", count=1, feed_url=None)


def _page(n: int, date: dt.date) -> Page:
    return Page(
        key=f"posts/p{n}",
        kind="post",
        slug=f"p{n}",
        title=f"P{n} <b>",
        url=f"/blog/posts/p{n}/",
        abs_url=f"https://e.org/blog/posts/p{n}/",
        date=date,
        updated=None,
        tags=(TAG,),
        draft=False,
        summary=Markup("<p>s</p>"),
        reading_time=1,
        word_count=3,
        cover=None,
        extra={},
        authors=(),
        content=Markup('<p><a href="/blog/posts/p1/">x</a> <img src="/blog/media/a.png"></p>'),
        toc=(),
        toc_html=Markup(""),
    )


def test_atom_feed_is_valid_xml_with_absolute_urls_and_newest_date() -> None:
    pages = [_page(2, dt.date(2024, 2, 1)), _page(1, dt.date(2024, 1, 1))]
    text = feed_xml(INFO, "T & Co", INFO.base_url, INFO.feed_url or "", pages, "atom")
    root = ET.fromstring(text)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.findtext("a:updated", namespaces=ns) == "2024-02-01T00:00:00Z"
    assert root.findtext("a:entry/a:title", namespaces=ns) == "P2 <b>"
    assert 'href="https://e.org/blog/posts/p1/"' in root.findtext(
        "a:entry/a:content", namespaces=ns
    )  # type: ignore[operator]
    assert root.findtext("a:author/a:name", namespaces=ns) == "T & Co"  # falls back to the title


def test_rss_feed_is_valid_xml() -> None:
    root = ET.fromstring(
        feed_xml(
            INFO,
            "T",
            INFO.base_url,
            "https://e.org/blog/feed.xml",
            [_page(1, dt.date(2024, 1, 1))],
            "rss",
        )
    )
    assert root.findtext("channel/item/pubDate") == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert root.findtext("channel/item/category") == "py"


def test_absolute_html_leaves_other_urls_alone() -> None:
    html = '<a href="/blog/x/">a</a> <a href="//cdn.example/x">b</a> <a href="rel/">c</a> <a href="#f">d</a>'
    assert absolute_html(html, INFO) == (
        '<a href="https://e.org/blog/x/">a</a> <a href="//cdn.example/x">b</a> '
        '<a href="rel/">c</a> <a href="#f">d</a>'
    )


def test_sitemap_and_robots() -> None:
    root = ET.fromstring(
        sitemap_xml((("https://e.org/blog/", None), ("https://e.org/blog/a/", dt.date(2024, 1, 2))))
    )
    assert [u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}lastmod") for u in root] == [
        None,
        "2024-01-02T00:00:00Z",
    ]
    assert robots_txt("https://e.org/blog/sitemap.xml").endswith(
        "Sitemap: https://e.org/blog/sitemap.xml\n"
    )
    assert "Sitemap" not in robots_txt(None)


def test_markup_characters_and_attribute_whitespace_survive_an_xml_parser() -> None:
    tag = Tag(name="a\"b'c <&>\n\td", slug="x", url="/blog/tags/x/", count=1, feed_url=None)
    page = dataclasses.replace(_page(1, dt.date(2024, 1, 1)), title="1 < 2 & 3 > 0", tags=(tag,))
    root = ET.fromstring(feed_xml(INFO, "T", INFO.base_url, INFO.feed_url or "", [page], "atom"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = root.find("a:entry", ns)
    assert entry is not None
    assert entry.findtext("a:title", namespaces=ns) == "1 < 2 & 3 > 0"
    assert entry.find("a:category", ns).get("term") == "a\"b'c <&>\n\td"  # type: ignore[union-attr]
