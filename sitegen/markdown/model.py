"""The records the renderer takes and returns.

Plain frozen dataclasses of strings, ints and tuples: hashable options (used as a cache key)
and picklable results (stored in the build cache and sent between processes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from sitegen.config import DEFAULT_IFRAME_HOSTS

HtmlMode = bool | Literal["sanitize"]


@dataclass(frozen=True)
class MarkdownOptions:
    """How to render; part of the build cache key, so every field must change the output."""

    # Raw HTML: "sanitize" keeps what is safe (sanitize.py), True trusts it, False escapes it.
    allow_html: HtmlMode = "sanitize"
    iframe_hosts: tuple[str, ...] = DEFAULT_IFRAME_HOSTS  # sanitize: iframes from these hosts
    highlight: bool = True  # Pygments at build time, CSS classes (see highlight.css)
    anchors: bool = True  # heading ids as GitHub makes them, and self-links; no ids, no toc
    toc_min_level: int = 2
    toc_max_level: int = 3
    search_terms: bool = False  # fill Rendered.terms, for the site's search index


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One heading of the table of contents; `title` is plain text."""

    level: int
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class LinkRef:
    """An internal link or image, for the build to resolve and to report when broken.

    `target` is the destination as the author wrote it, with percent-escapes decoded
    (`my%20file.md` and `<my file.md>` both give `my file.md`), so it names a file.
    `line` is 1-based within the body given to render_markdown. A link to a `#fragment` of
    the same page is listed too (as written, with no placeholder), to be checked.
    """

    target: str
    line: int
    kind: str  # "link" or "image"


@dataclass(frozen=True, slots=True)
class Rendered:
    """The result of render_markdown: HTML with link placeholders, plus facts about it.

    `summary_html` is everything before a top-level `<!--more-->` (or `<!-- more -->`) line,
    else the first top-level paragraph, else "", as list pages show it: without heading ids,
    self-links or footnote references. `word_count` counts the words a reader reads: headings,
    paragraphs, lists, tables, footnotes and inline code; not code blocks (skimmed, not read),
    raw HTML or image alt text. `links` are in the order the HTML shows them (footnotes last).
    `ids` are the page's ids that `#fragment` links can name (headings, footnotes, labelled
    formulas, raw HTML); `escaped_html_line` is the line of the first raw HTML shown as text
    (allow_html false; 0 when there is none);
    `unknown_languages` has (language, line) for each fence Pygments cannot highlight.
    `warnings` are (line, message) pairs for what the body asks and cannot be done (a formula
    that cannot be read), line 1-based within the body. `mermaid` is True when the HTML has
    a diagram for the page's script to draw. `terms` (with MarkdownOptions.search_terms) are
    the words and code a search finds the document by (see terms.term_counts).
    """

    html: str
    summary_html: str
    toc: tuple[TocEntry, ...]
    word_count: int
    links: tuple[LinkRef, ...]
    ids: tuple[str, ...] = ()
    escaped_html_line: int = 0
    unknown_languages: tuple[tuple[str, int], ...] = ()
    warnings: tuple[tuple[int, str], ...] = ()
    mermaid: bool = False
    terms: str = ""


class Output(NamedTuple):
    """What either parser's pass gives render.py: the HTML and summary (before sanitizing),
    and what the plugins found (`Rendered.warnings`, `Rendered.mermaid`)."""

    html: str
    summary_html: str
    warnings: tuple[tuple[int, str], ...]
    mermaid: bool
