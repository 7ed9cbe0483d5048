"""Admonitions in the two syntaxes docs are written in, rendered alike.

    !!! note "A title"            Python-Markdown / MkDocs (mdit-py-plugins' admon parses it);
        Indented body.            `???` is collapsed and `???+` open: both become <details>.

    > [!WARNING]                  GitHub's alerts: NOTE, TIP, IMPORTANT, WARNING, CAUTION
    > Body.                       (a title may follow the mark, as Obsidian allows)

Both give `<div class="admonition KIND">` with `<p class="admonition-title">`, so one
stylesheet serves both and sites moving from MkDocs or GitHub keep their classes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin

ALERT_KINDS = ("note", "tip", "important", "warning", "caution")
_ALERT = re.compile(r"\[!(" + "|".join(ALERT_KINDS) + r")\][ \t]*(.*)", re.IGNORECASE)


def admonitions_plugin(md: MarkdownIt) -> None:
    """`!!! kind "Title"` blocks, with `???`/`???+` as <details>."""
    md.use(admon_plugin, render=_render_admonition)


def alerts_plugin(md: MarkdownIt) -> None:
    """GitHub's `> [!NOTE]` alerts as admonitions (a core rule: between block and inline
    parsing, it turns such blockquotes into admonition tokens, which render by default)."""
    md.core.ruler.after("block", "github_alerts", _alerts)


def _render_admonition(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """A `???` admonition as <details>/<summary> (open for `???+`); others as their tokens say."""
    token = tokens[idx]
    # A title's closing token carries no markup: its opening is two tokens before (then inline).
    marked = tokens[idx - 2] if token.type == "admonition_title_close" else token
    if not marked.markup.startswith("?"):
        return self.renderToken(tokens, idx, options, env)
    if token.type == "admonition_open":
        kind = token.meta.get("tag", "")
        opened = " open" if token.markup.startswith("???+") else ""
        return f'<details class="admonition {escapeHtml(kind)}"{opened}>\n'
    if token.type == "admonition_close":
        return "</details>\n"
    if token.type == "admonition_title_open":
        return '<summary class="admonition-title">'
    return "</summary>\n"


def _alerts(state: StateCore) -> None:
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        if tokens[index].type == "blockquote_open":
            _alert(tokens, index)
        index += 1


def _alert(tokens: list[Token], index: int) -> None:
    """Turn the blockquote opening at `index` into an admonition if its text starts with a mark."""
    if index + 2 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
        return
    inline = tokens[index + 2]
    first, newline, rest = inline.content.partition("\n")
    found = _ALERT.fullmatch(first.strip())
    if found is None:
        return
    kind, title = found[1].lower(), found[2].strip() or found[1].capitalize()
    opening = tokens[index]
    closing = next(
        t for t in tokens[index + 1 :] if t.type == "blockquote_close" and t.level == opening.level
    )
    for token in (opening, closing):
        token.type = "admonition" + token.type.removeprefix("blockquote")
        token.tag = "div"
    opening.attrs = {"class": f"admonition {kind}"}
    opening.meta = {"tag": kind}
    opening.markup = f"[!{found[1]}]"
    line = opening.map[0] if opening.map else 0
    title_tokens = _title_tokens(title, line, opening.level + 1)
    if newline and rest.strip():  # the paragraph goes on below the mark
        inline.content = rest
        if inline.map:
            inline.map = [inline.map[0] + 1, inline.map[1]]
        tokens[index + 1 : index + 1] = title_tokens
    else:  # the mark was the whole paragraph
        tokens[index + 1 : index + 4] = title_tokens


def _title_tokens(title: str, line: int, level: int) -> list[Token]:
    opening = Token("admonition_title_open", "p", 1, attrs={"class": "admonition-title"})
    inline = Token("inline", "", 0, content=title, children=[], map=[line, line + 1])
    closing = Token("admonition_title_close", "p", -1)
    opening.block = closing.block = True
    opening.map = [line, line + 1]
    opening.level = closing.level = level
    inline.level = level + 1
    return [opening, inline, closing]
