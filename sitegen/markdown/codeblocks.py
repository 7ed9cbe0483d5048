"""Fenced code with a title and highlighted lines, and Mermaid diagrams.

The info string after the language takes the attributes other generators' users write:

    ```python title="app.py" hl_lines="1 3-4"      (MkDocs / pymdownx.highlight)
    ```python {1,3-4}                              (Docusaurus, VitePress)
    ```go {hl_lines=[1,"3-4"], title="main.go"}     (Hugo)

A block with a title becomes `<figure class="code-block">` with a `<figcaption>`; highlighted
lines are wrapped in `<span class="hll">` as Pygments' own `hl_lines` does (one line each,
since Pygments closes its spans at every line end). A ```` ```mermaid ```` block becomes
`<pre class="mermaid">` with the escaped source, for the theme's copy of Mermaid to draw, and
sets `env["mermaid"]` so the page loads that script. Any other fence renders as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from sitegen.markdown.highlight import split_info

MERMAID = "mermaid"
MAX_LINES = 100_000  # a range such as 1-99999999 must not build a huge set

_PAIR = re.compile(r"""([A-Za-z_][\w-]*)\s*=\s*("[^"]*"|'[^']*'|\[[^\]]*\]|[^\s,}]+)""")
_BRACES = re.compile(r"\{([^}]*)\}")
_LINE_SPEC = re.compile(r"[\d\s,\-]+")
_RANGE = re.compile(r"(\d+)(?:\s*-\s*(\d+))?")


@dataclass(frozen=True)
class FenceInfo:
    """A fence's info string, read: its language and the attributes sitegen acts on."""

    language: str
    title: str = ""
    lines: frozenset[int] = frozenset()  # 1-based lines to highlight


def read_info(info: str) -> FenceInfo:
    """The language, title and highlighted lines an info string asks for."""
    language, rest = split_info(unescapeAll(info))
    if not rest:
        return FenceInfo(language)
    values: dict[str, str] = {}
    lines: set[int] = set()
    for inner in _BRACES.findall(rest):
        if _LINE_SPEC.fullmatch(inner):
            lines |= line_numbers(inner)
        else:
            values.update(_pairs(inner))
    values.update(_pairs(_BRACES.sub(" ", rest)))
    lines |= line_numbers(values.get("hl_lines", ""))
    return FenceInfo(language, values.get("title", ""), frozenset(lines))


def _pairs(text: str) -> dict[str, str]:
    return {key: value.strip("\"'[]") for key, value in _PAIR.findall(text)}


def line_numbers(spec: str) -> set[int]:
    """`"1 3-4"`, `"1,3-4"` or `'1,"3-4"'` -> {1, 3, 4}."""
    lines: set[int] = set()
    for start, end in _RANGE.findall(spec):
        first = int(start)
        last = min(int(end) if end else first, first + MAX_LINES)
        lines.update(range(first, last + 1))
    return lines


def render_fence(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    """markdown-it's fence rule, plus titles, highlighted lines and Mermaid (see the module)."""
    token = tokens[idx]
    if not token.info:
        return RendererHTML.fence(self, tokens, idx, options, env)
    info = read_info(token.info)
    if info.language == MERMAID:
        env[MERMAID] = True
        return f'<pre class="mermaid">{escapeHtml(token.content)}</pre>\n'
    html = RendererHTML.fence(self, tokens, idx, options, env)
    if info.lines:
        html = mark_lines(html, info.lines)
    if info.title:
        title = escapeHtml(info.title)
        html = f'<figure class="code-block">\n<figcaption>{title}</figcaption>\n{html}</figure>\n'
    return html


def mark_lines(html: str, lines: frozenset[int]) -> str:
    """`<pre>…<code …>CODE</code></pre>` with the given lines of CODE in `<span class="hll">`.

    Each line of the code is complete HTML by itself: escaped text, or Pygments' spans, which
    it closes at every line end."""
    start = html.index(">", html.index("<code")) + 1
    end = html.rindex("</code>")
    rows = html[start:end].split("\n")  # the last is "" when the code ends with a newline
    parts = []
    for number, row in enumerate(rows, start=1):
        text = row if number == len(rows) else row + "\n"
        parts.append(f'<span class="hll">{text}</span>' if number in lines and text else text)
    return html[:start] + "".join(parts) + html[end:]
