"""sitegen's Markdown renderer: pure, deterministic, cacheable.

    rendered = render_markdown(body, MarkdownOptions())      # cache this by (body, options)
    html = resolve_links(rendered.html, resolve)             # per build: internal links -> URLs

Internal links and images carry placeholders in the HTML until resolve_links replaces them;
`rendered.links` lists them with line numbers so the build can report broken ones.
"""

from __future__ import annotations

from sitegen.markdown.links import resolve_links
from sitegen.markdown.model import LinkRef, MarkdownOptions, Rendered, TocEntry
from sitegen.markdown.render import render_markdown, render_summary
from sitegen.markdown.text import reading_time
from sitegen.markdown.toc import toc_html

__all__ = [
    "LinkRef",
    "MarkdownOptions",
    "Rendered",
    "TocEntry",
    "reading_time",
    "render_markdown",
    "render_summary",
    "resolve_links",
    "toc_html",
]
