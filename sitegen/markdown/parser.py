"""The MarkdownIt instance: CommonMark + tables, strikethrough, footnotes, task lists, headings,
admonitions, GitHub alerts, math, definition lists, and fences with titles, highlighted lines
and Mermaid diagrams.

Building one costs far more than rendering a post, so there is one per process and per
combination of the options that shape parsing (lru_cache). Nothing in it keeps state between
renders: everything per-document lives in the `env` dict passed to parse and render.
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from sitegen.markdown.admonitions import admonitions_plugin, alerts_plugin
from sitegen.markdown.codeblocks import render_fence
from sitegen.markdown.headings import heading_plugin
from sitegen.markdown.highlight import highlight_code
from sitegen.markdown.math import math_plugin

# `<!--more-->` as Hugo and Jekyll write it, or `<!-- more -->` as Hexo and Pelican users do.
MORE_MARKER = re.compile(r"<!--[ \t]*more[ \t]*-->[ \t]*$")
MORE_TOKEN = "more_marker"


@cache
def markdown_parser(
    *,
    allow_html: bool,
    highlight: bool,
    footnotes: bool = True,
    task_lists: bool = True,
    admonitions: bool = True,
    alerts: bool = True,
    math: bool = True,
    deflists: bool = True,
) -> MarkdownIt:
    """The shared parser for these options. `allow_html`: raw HTML is parsed as HTML (to be
    sanitized or trusted), else it is text. Heading ids are set by render.py's walk, and the
    other options do not affect parsing. A plugin's flag False leaves it out: for a source
    without its syntax (see `plugins_for`) that gives the same tokens sooner (the footnote
    and task list plugins cost ~100 us a document of ~580 even when they find nothing)."""
    md = MarkdownIt(
        "commonmark", {"html": allow_html, "highlight": highlight_code if highlight else None}
    )
    md.enable(["table", "strikethrough"])
    if footnotes:
        md.use(footnote_plugin)
    if task_lists:
        md.use(tasklists_plugin)
    md.use(heading_plugin)
    if admonitions:
        md.use(admonitions_plugin)
    if alerts:
        md.use(alerts_plugin)
    if math:
        md.use(math_plugin)
    if deflists:
        md.use(deflist_plugin)
    md.add_render_rule("fence", render_fence)
    md.block.ruler.before(
        "html_block",
        MORE_TOKEN,
        _more_marker,
        {"alt": ["paragraph", "reference", "blockquote"]},
    )
    md.add_render_rule(MORE_TOKEN, lambda *_args: "")
    return md


def plugins_for(source: str) -> dict[str, bool]:
    """Which of the optional plugins can change this source's tokens. Each plugin costs time
    even when it finds nothing (the footnote and task list ones ~50 us a document): its rules
    run at every block, or over every token. Each test is a piece of source the plugin's own
    rule needs: a footnote needs `[^` (a reference or definition) or `^[` (inline); a task
    `[ ]`, `[x]` or `[X]` at the start of a list item's text; an admonition a line starting
    `!!!` or `???`; an alert `[!`; math a `$`; a definition list a line whose text (after
    indentation, quote marks) starts with `:` or `~` then a space or the line's end."""
    return {
        "footnotes": "[^" in source or "^[" in source,
        "task_lists": "[ ]" in source or "[x]" in source or "[X]" in source,
        "admonitions": "!!!" in source or "???" in source,
        "alerts": "[!" in source,
        "math": "$" in source,
        "deflists": (":" in source or "~" in source) and _DEFINITION.search(source) is not None,
    }


# A definition's marker: at a line's start after spaces and blockquote marks (a list item's
# content is indented under its marker, so its definitions' lines start with spaces too).
_DEFINITION = re.compile(r"^[ \t>]*[:~](?:[ \t]|$)", re.MULTILINE)


def _more_marker(state: StateBlock, start_line: int, _end_line: int, silent: bool) -> bool:
    """A top-level `<!--more-->` (or `<!-- more -->`) line becomes a `more_marker` token, whether or not raw HTML
    is allowed, so the summary split works for remote (html-off) content too. It may interrupt
    a paragraph, as an HTML comment block does. It renders as nothing."""
    if state.level != 0 or state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith("<!--", start):  # cheap test first: this runs for every block
        return False
    if MORE_MARKER.match(state.src, start, state.eMarks[start_line]) is None:
        return False
    if silent:
        return True
    state.line = start_line + 1
    token = state.push(MORE_TOKEN, "", 0)
    token.map = [start_line, state.line]
    return True
