"""One title per page: the body's first `# Heading` as a missing title, and no second h1.

MkDocs takes a page's title from its first level-1 heading, and docs written for it start with
one; a theme that prints the title as the page's h1 would then show it twice. Both helpers are
pure functions of text, so the parser and the page assembly can share them.
"""

from __future__ import annotations

import html
import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")  # `# Title { #id .class }` (attribute lists)
_MARKUP = re.compile(r"[`*_]+")
_LEADING_H1 = re.compile(r"\A\s*<h1\b[^>]*>(.*?)</h1>\s*", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def first_heading(body: str) -> str | None:
    """The text of the body's first ATX level-1 heading outside code fences, or None."""
    fence = ""
    for line in body.splitlines():
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        found = _ATX_H1.match(line)
        if found:
            text = _MARKUP.sub("", _ATTRIBUTES.sub("", found.group(1))).strip()
            if text:
                return " ".join(text.split())
    return None


def title_from_slug(slug: str) -> str:
    """A page title from its file name, as MkDocs makes one: `getting-started` -> `Getting
    started`; an `index` page is named after its folder (`Home` at the top)."""
    parts = slug.split("/")
    name = parts[-2] if parts[-1] == "index" and len(parts) > 1 else parts[-1]
    if name == "index":
        return "Home"
    words = name.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def without_title_heading(body_html: str, title: str) -> str:
    """`body_html` without its leading `<h1>` when that heading says `title` (the theme shows
    the title already); any other body is returned as it is."""
    found = _LEADING_H1.match(body_html)
    if found is None:
        return body_html
    text = html.unescape(_TAG.sub("", found.group(1)))
    if " ".join(text.split()) != " ".join(title.split()):
        return body_html
    return body_html[found.end() :]
