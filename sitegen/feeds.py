"""Atom and RSS feeds, sitemap.xml and robots.txt, written by sitegen itself (not templates).

Everything is a pure function of the site values: no wall clock. A feed's `updated` is its
newest entry's date; an empty feed uses SOURCE_DATE_EPOCH (or the Unix epoch).
URLs inside entry HTML are made absolute, as feed readers show entries out of the site.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence

from sitegen.dates import rfc3339
from sitegen.model import DateValue
from sitegen.views import Page, SiteInfo

_ROOT_RELATIVE = re.compile(r'((?:href|src)=")(/(?!/)[^"]*)"')


# Characters XML 1.0 forbids even as references: C0 controls but tab, LF and CR; lone surrogates;
# U+FFFE and U+FFFF. Left in, they make the whole feed or sitemap unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(value: str) -> str:
    """XML character data, without the characters XML forbids. (xml.sax.saxutils would do, but
    importing it imports urllib.request, http.client and ssl: ~10 ms at the start of every build.)"""
    value = _NOT_XML.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(value: str) -> str:
    """A double-quoted XML attribute value; whitespace stays as written (as character references)."""
    quoted = escape(value).replace('"', "&quot;")
    return f'"{quoted.replace(chr(10), "&#10;").replace(chr(13), "&#13;").replace(chr(9), "&#9;")}"'


def _instant(value: DateValue | None) -> dt.datetime:
    if value is None:
        return dt.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "0")), dt.UTC)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def absolute_html(html: str, info: SiteInfo) -> str:
    """Root-relative `href`/`src` URLs made absolute with base_url's scheme and host."""
    origin = info.base_url[: len(info.base_url) - len(info.base_path)]
    return _ROOT_RELATIVE.sub(lambda m: f'{m.group(1)}{origin}{m.group(2)}"', html)


def feed_xml(
    info: SiteInfo, title: str, page_url: str, feed_url: str, entries: Sequence[Page], format: str
) -> str:
    """An Atom 1.0 or RSS 2.0 document; `page_url`/`feed_url` are absolute."""
    newest = max((_instant(e.updated or e.date) for e in entries), default=_instant(None))
    if format == "rss":
        return _rss(info, title, page_url, feed_url, entries, newest)
    return _atom(info, title, page_url, feed_url, entries, newest)


def _atom(
    info: SiteInfo,
    title: str,
    page_url: str,
    feed_url: str,
    entries: Sequence[Page],
    newest: dt.datetime,
) -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(info.language)}>',
        f"  <title>{escape(title)}</title>",
    ]
    if info.description:
        out.append(f"  <subtitle>{escape(info.description)}</subtitle>")
    out += [
        f'  <link href={quoteattr(page_url)} rel="alternate" type="text/html"/>',
        f'  <link href={quoteattr(feed_url)} rel="self" type="application/atom+xml"/>',
        f"  <id>{escape(feed_url)}</id>",
        f"  <updated>{rfc3339(newest)}</updated>",
        f"  <author><name>{escape(info.author or info.title)}</name></author>",
        f"  <generator>{escape(info.generator)}</generator>",
    ]
    for entry in entries:
        out += [
            "  <entry>",
            f"    <title>{escape(entry.title)}</title>",
            f'    <link href={quoteattr(entry.abs_url)} rel="alternate" type="text/html"/>',
            f"    <id>{escape(entry.abs_url)}</id>",
            f"    <published>{rfc3339(_instant(entry.date))}</published>",
            f"    <updated>{rfc3339(_instant(entry.updated or entry.date))}</updated>",
            *_atom_authors(info, entry),
            *(f"    <category term={quoteattr(tag.name)}/>" for tag in entry.tags),
        ]
        if entry.summary:
            out.append(
                f'    <summary type="html">{escape(absolute_html(entry.summary, info))}</summary>'
            )
        out += [
            f'    <content type="html">{escape(absolute_html(entry.content, info))}</content>',
            "  </entry>",
        ]
    out.append("</feed>\n")
    return "\n".join(out)


def _atom_authors(info: SiteInfo, entry: Page) -> list[str]:
    """An entry's `<author>`s: the people it names, else the site's author."""
    if not entry.authors:
        return [f"    <author><name>{escape(info.author or info.title)}</name></author>"]
    return [
        f"    <author><name>{escape(author.name)}</name>"
        + (f"<uri>{escape(absolute_url(author.url, info))}</uri>" if author.url else "")
        + "</author>"
        for author in entry.authors
    ]


def _named_authors(entries: Sequence[Page]) -> bool:
    return any(entry.authors for entry in entries)


def absolute_url(path: str, info: SiteInfo) -> str:
    """A root-relative URL (`/blog/authors/ada/`) made absolute with base_url's origin."""
    return info.base_url[: len(info.base_url) - len(info.base_path)] + path


def _rss(
    info: SiteInfo,
    title: str,
    page_url: str,
    feed_url: str,
    entries: Sequence[Page],
    newest: dt.datetime,
) -> str:
    from email.utils import format_datetime  # RSS's dates; ~3 ms to import, Atom needs none

    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"'
        + (' xmlns:dc="http://purl.org/dc/elements/1.1/">' if _named_authors(entries) else ">"),
        "<channel>",
        f"  <title>{escape(title)}</title>",
        f"  <link>{escape(page_url)}</link>",
        f"  <description>{escape(info.description or info.title)}</description>",
        f"  <language>{escape(info.language)}</language>",
        f'  <atom:link href={quoteattr(feed_url)} rel="self" type="application/rss+xml"/>',
        f"  <lastBuildDate>{format_datetime(newest, usegmt=True)}</lastBuildDate>",
        f"  <generator>{escape(info.generator)}</generator>",
    ]
    for entry in entries:
        out += [
            "  <item>",
            f"    <title>{escape(entry.title)}</title>",
            f"    <link>{escape(entry.abs_url)}</link>",
            f'    <guid isPermaLink="true">{escape(entry.abs_url)}</guid>',
            f"    <pubDate>{format_datetime(_instant(entry.date), usegmt=True)}</pubDate>",
            *(f"    <dc:creator>{escape(a.name)}</dc:creator>" for a in entry.authors),
            *(f"    <category>{escape(tag.name)}</category>" for tag in entry.tags),
            f"    <description>{escape(absolute_html(entry.content, info))}</description>",
            "  </item>",
        ]
    out += ["</channel>", "</rss>\n"]
    return "\n".join(out)


def sitemap_xml(urls: Sequence[tuple[str, DateValue | None]]) -> str:
    """A sitemap of absolute URLs, each with its last modification date when known."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, modified in urls:
        lastmod = f"<lastmod>{rfc3339(_instant(modified))}</lastmod>" if modified else ""
        out.append(f"  <url><loc>{escape(url)}</loc>{lastmod}</url>")
    out.append("</urlset>\n")
    return "\n".join(out)


def robots_txt(sitemap_url: str | None) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if sitemap_url:
        lines.append(f"Sitemap: {sitemap_url}")
    return "\n".join(lines) + "\n"
