"""`allow_html = "sanitize"`: raw HTML in Markdown kept where it is safe, through nh3 (ammonia).

What a post written for Jekyll or Hugo puts in raw HTML survives: tables, images, `div`,
`details`/`summary`, `figure`, `video`/`audio`/`source`, `kbd`, `sup`/`sub`, and iframes
whose `src` is an https URL on an allowed host (video players). Scripts and style sheets
(with their content), event-handler attributes, style properties other than sizes, `float`
and `text-align` (which posts set on images, and Markdown on table cells), forms,
`javascript:`/`data:` URLs and iframes from other hosts do not.

The document's whole rendered HTML is sanitized, not each raw fragment alone: a `<details>`
block often opens in one fragment and closes in another with Markdown between them, and a
fragment alone would be closed too early (or a stray `</div>` would close the theme's).
Markdown's own output passes unchanged in meaning (its tags and attributes are allowed),
the internal-link placeholders included, and so does sitegen's markup for admonitions
(`div`/`details` with classes), code titles (`figure.code-block`, `figcaption`), highlighted
lines (`span.hll`), Mermaid (`pre.mermaid`), definition lists and formulas (the MathML
elements and presentation attributes math.py writes: MATHML_TAGS, SAFE_ATTRIBUTES). Line
numbers are not affected: links are collected from the tokens before rendering. Only
documents that contain raw HTML pay for this.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

from sitegen.markdown.math import MATHML_TAGS, SAFE_ATTRIBUTES

_TAGS = frozenset(nh3.ALLOWED_TAGS) | {
    "audio",
    "figcaption",
    "figure",
    "iframe",
    "input",  # task-list checkboxes: Markdown's own, and any other becomes one
    "picture",
    "section",  # the footnotes block
    "source",
    "track",
    "video",
    *MATHML_TAGS,  # formulas (math.py); raw MathML gets no more than they do
}
_MEDIA = {"src", "width", "height", "controls", "loop", "muted", "preload", "playsinline"}
_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "aria-hidden", "aria-label", "tabindex", "style"},
    "a": {"href", "hreflang", "name"},
    "img": {"src", "alt", "width", "height", "loading", "align"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "frameborder", "loading"},
    "video": _MEDIA | {"poster", "autoplay"},
    "audio": _MEDIA | {"autoplay"},
    "source": {"src", "type", "media"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "input": {"checked"},  # always a disabled checkbox (below)
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers", "align"},
    "th": {"colspan", "rowspan", "headers", "align", "scope"},
    "details": {"open"},
    "time": {"datetime"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "col": {"span"},
    "colgroup": {"span"},
    **{tag: SAFE_ATTRIBUTES for tag in MATHML_TAGS},
}
# Sizes and alignment, as posts set them on images and tables; nothing that can move content
# over the page (position, negative margins), load anything (url()) or hide it.
_STYLE_PROPERTIES = frozenset({"text-align", "width", "height", "max-width", "float"})
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_FORCED_INPUT = ' type="checkbox" disabled="disabled">'
_FORCED_INPUT_IN_ORDER = ' disabled="disabled" type="checkbox">'
_IFRAME = re.compile("<iframe", re.IGNORECASE)
_ID = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")


def sanitize_html(html: str, iframe_hosts: Sequence[str]) -> str:
    """`html` with everything unsafe removed (see the module doc). The host check is a Python
    call per attribute, so only a document that has an iframe pays for it."""
    hosts = tuple(iframe_hosts) if _IFRAME.search(html) else None
    # nh3 adds an input's forced attributes (see `_cleaner`) in its hash map's order, which
    # changes from one process to the next: write them in the one order the task-list markup
    # has. (Quotes in values and `>` in text come out escaped: this only meets tags.)
    return _cleaner(hosts).clean(html).replace(_FORCED_INPUT, _FORCED_INPUT_IN_ORDER)


def html_ids(html: str) -> list[str]:
    """The `id` (and `<a name>`) values of the tags in a raw HTML fragment: targets of
    `#fragment` links, as old posts wrote them (`<a name="top"></a>`)."""
    return [next(v for v in match.groups() if v is not None) for match in _ID.finditer(html)]


@lru_cache(maxsize=8)
def _cleaner(iframe_hosts: tuple[str, ...] | None) -> nh3.Cleaner:
    """The cleaner; with `iframe_hosts` None, for HTML without iframes (and none allowed)."""

    def attribute(tag: str, name: str, value: str) -> str | None:
        """Iframes only from allowed hosts, over https; every other attribute as it is."""
        if tag == "iframe" and name == "src" and not _allowed_frame(value, iframe_hosts or ()):
            return None
        return value

    return nh3.Cleaner(
        tags=set(_TAGS) if iframe_hosts is not None else set(_TAGS - {"iframe"}),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        attribute_filter=attribute if iframe_hosts is not None else None,
        link_rel=None,
        url_schemes=set(_URL_SCHEMES),
        filter_style_properties=set(_STYLE_PROPERTIES),
        set_tag_attribute_values={"input": {"type": "checkbox", "disabled": "disabled"}},
    )


def _allowed_frame(src: str, hosts: Sequence[str]) -> bool:
    parts = urlsplit(src.strip())
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(host == h or host.endswith("." + h) for h in hosts)
