"""The MarkdownIt instance: CommonMark + tables, strikethrough, footnotes, task lists, headings.

Building one costs far more than rendering a post, so there is one per process and per
combination of the options that shape parsing (lru_cache). Nothing in it keeps state between
renders: everything per-document lives in the `env` dict passed to parse and render.
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from sitegen.markdown.headings import heading_plugin
from sitegen.markdown.highlight import highlight_code

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
) -> MarkdownIt:
    """The shared parser for these options. `allow_html`: raw HTML is parsed as HTML (to be
    sanitized or trusted), else it is text. Heading ids are set by render.py's walk, and the
    other options do not affect parsing. `footnotes` and `task_lists` False leave those
    plugins out: for a source without their syntax (see `plugins_for`) that gives the same
    tokens, ~100 us a document sooner (of ~580)."""
    md = MarkdownIt(
        "commonmark", {"html": allow_html, "highlight": highlight_code if highlight else None}
    )
    md.enable(["table", "strikethrough"])
    if footnotes:
        md.use(footnote_plugin)
    if task_lists:
        md.use(tasklists_plugin)
    md.use(heading_plugin)
    md.block.ruler.before(
        "html_block",
        MORE_TOKEN,
        _more_marker,
        {"alt": ["paragraph", "reference", "blockquote"]},
    )
    md.add_render_rule(MORE_TOKEN, lambda *_args: "")
    return md


def plugins_for(source: str) -> dict[str, bool]:
    """Which of the footnote and task list plugins can change this source's tokens. Each plugin
    costs ~50 us a document even when it finds nothing: its rules run at every block, or over
    every token. A footnote needs `[^` (a reference or definition) or `^[` (inline); a task
    needs `[ ]`, `[x]` or `[X]` (the plugin's own test is that plus whitespace, at the start
    of a list item's text, which is always a piece of the source)."""
    return {
        "footnotes": "[^" in source or "^[" in source,
        "task_lists": "[ ]" in source or "[x]" in source or "[X]" in source,
    }


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
