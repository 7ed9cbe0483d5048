"""Internal links: placeholders written at render time, resolved later in one regex pass.

Rendering is cached per document, but where an internal link points depends on the whole
site (routes, moved pages). So the renderer writes a placeholder into each internal `href`/`src`
and the build swaps it for the final URL with resolve_links.

A placeholder is `START target SEP href END` (or `START href END` when both are the same):
`target` is what the build resolves, `href` is what markdown-it would have written, kept for
broken links. The markers are ASCII control characters that HTML forbids in text: user text
cannot contain them (clean_source replaces them, and markdown-it turns `&#2;` into U+FFFD),
and HTML escaping leaves them alone. Being ASCII, they keep an ASCII body a one-byte-per-
character string: a single non-ASCII marker would double the memory every body takes, and
pickling such a string caches a UTF-8 copy of it on top.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from markdown_it.common.normalize_url import normalizeLinkText
from markdown_it.common.utils import escapeHtml

START, SEP, END = "\x02", "\x1f", "\x03"  # STX, US, ETX
_FORGE_PROOF = str.maketrans(dict.fromkeys((START, SEP, END), "\ufffd"))
_PLACEHOLDER = re.compile(f"{START}([^{SEP}{END}]*)(?:{SEP}([^{END}]*))?{END}")
_NOT_INTERNAL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:|//|#")


def clean_source(text: str) -> str:
    """The text with placeholder markers replaced by U+FFFD, so users cannot forge one."""
    if START in text or SEP in text or END in text:  # substring search: far faster than a regex
        return text.translate(_FORGE_PROOF)
    return text


def is_internal(href: str) -> bool:
    """True for relative and site-root URLs; false for `scheme:`, `//host` and `#fragment`."""
    return bool(href) and _NOT_INTERNAL.match(href) is None


def target_of(href: str) -> str:
    """The destination as written, from markdown-it's normalized (percent-encoded) href."""
    if "%" not in href:
        return href
    return clean_source(normalizeLinkText(href))


def placeholder(target: str, href: str) -> str:
    """The attribute value that resolve_links later replaces (escaped by the renderer)."""
    if target == href:
        return START + href + END
    return START + target + SEP + href + END


def resolve_links(html: str, resolve: Callable[[str], str | None]) -> str:
    """Replace each placeholder by resolve(target); None means 'broken': keep the target as written.

    The resolved URL is escaped for a double-quoted HTML attribute.
    """

    def substitute(match: re.Match[str]) -> str:
        escaped_target, escaped_href = match.group(1, 2)
        url = resolve(unescape(escaped_target) if "&" in escaped_target else escaped_target)
        if url is None:
            return escaped_target if escaped_href is None else escaped_href
        return escapeHtml(url)

    return _PLACEHOLDER.sub(substitute, html)
