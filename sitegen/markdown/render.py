"""render_markdown: one parse, one walk over the tokens, one render.

The walk (walk.py) collects everything the build needs besides the HTML (toc, heading ids,
internal links with their line numbers, words and code for search terms, unknown code
languages, where raw HTML is, where the summary ends) and swaps internal URLs for
placeholders. The summary is a slice of the same tokens, rendered once more as PLAIN: list
pages show many summaries, so they carry no ids, self-links or footnote references.

Most documents are plain CommonMark, and for those fast.py does the same from markdown-it-pyrs's
tree, several times faster; the tokens' path here takes everything else.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from sitegen.markdown.codeblocks import MERMAID
from sitegen.markdown.fast import render_fast
from sitegen.markdown.headings import PLAIN
from sitegen.markdown.links import clean_source
from sitegen.markdown.math import WARNINGS
from sitegen.markdown.model import MarkdownOptions, Output, Rendered
from sitegen.markdown.parser import markdown_parser, plugins_for
from sitegen.markdown.sanitize import sanitize_html
from sitegen.markdown.terms import term_counts
from sitegen.markdown.walk import Walk


def render_markdown(body: str, options: MarkdownOptions) -> Rendered:
    """Render a Markdown body; a pure function of (body, options), so it can be cached."""
    return _render(body, options, plain=False)


def render_summary(text: str, options: MarkdownOptions) -> Rendered:
    """Render a front-matter summary: its `html` is all of it, as list pages show it (PLAIN)."""
    return _render(text, options, plain=True)


def _render(body: str, options: MarkdownOptions, *, plain: bool) -> Rendered:
    source = clean_source(body)
    plugins = plugins_for(source)
    md = markdown_parser(
        allow_html=options.allow_html is not False, highlight=options.highlight, **plugins
    )
    escaped_html = options.allow_html is False and "<" in source
    walk = Walk(options, escaped_html=escaped_html)
    output = render_fast(source, md, plugins, walk, plain=plain)
    if output is None:
        walk = Walk(options, escaped_html=escaped_html)  # start again: the fast pass gave up
        output = _render_tokens(source, md, walk, plain=plain)
    html, summary, warnings, mermaid = output
    if walk.raw_html_line and options.allow_html == "sanitize":
        html = sanitize_html(html, options.iframe_hosts)
        summary = summary and sanitize_html(summary, options.iframe_hosts)
    text = "".join(walk.text)
    return Rendered(
        html=html,
        summary_html=summary,
        toc=tuple(walk.toc),
        word_count=len(text.split()),
        links=tuple(walk.links),
        ids=tuple(walk.ids),
        escaped_html_line=walk.raw_html_line if options.allow_html is False else 0,
        unknown_languages=tuple(walk.unknown_languages),
        warnings=warnings,
        mermaid=mermaid,
        terms=term_counts(text + " " + " ".join(walk.code)) if options.search_terms else "",
    )


def _render_tokens(source: str, md: MarkdownIt, walk: Walk, *, plain: bool) -> Output:
    """markdown-it-py's parse, the walk over its tokens, and its renderer with sitegen's rules."""
    env: dict[str, Any] = {}
    tokens = md.parse(source, env)
    walk.run(tokens)

    def render(part: list[Token], plain: bool) -> str:
        return md.renderer.render(part, md.options, {**env, PLAIN: True} if plain else env)

    html = render(tokens[: walk.footnotes_at] if plain else tokens, plain)
    # What the plugins found (bad formulas, diagrams), read before the summary renders part of
    # the same tokens again into a copy of `env` that shares its lists.
    warnings, mermaid = tuple(env.get(WARNINGS, ())), env.get(MERMAID, False)
    # Slices start and end at top-level blocks, where the renderer looks at no neighbour.
    if walk.more_at is not None:
        summary = render(tokens[: walk.more_at], plain=True)
    elif walk.first_paragraph_at is not None:
        start = walk.first_paragraph_at
        summary = render(tokens[start : start + 3], plain=True)  # open, inline, close
    else:
        summary = ""
    return Output(html, summary, warnings, mermaid)
