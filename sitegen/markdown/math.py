"""TeX math, `$...$` inline and `$$...$$` on its own lines, turned into MathML at build time.

The page needs no script and makes no request: browsers draw MathML themselves. Parsing is
mdit-py-plugins' dollarmath with Pandoc's rule for inline math (no space inside the dollars,
no digit after the closing one), so prices such as "$5 and $10" stay text. The content of
a formula is never parsed as Markdown (`$a*b*c$` keeps its stars).

latex2mathml converts; a formula it cannot read (or that uses a command it does not know,
which it would print as text) is shown as its source in `<code>` and recorded in
`env["warnings"]` as (line, message), for the build to report with the file's name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import Element, tostring

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

WARNINGS = "warnings"  # env key: list of (line, message), line 1-based within the body
_CHAR_REF = re.compile(r"&amp;(#x[0-9A-Fa-f]+;)")


def math_plugin(md: MarkdownIt) -> None:
    """Dollar math rendered as MathML (see the module)."""
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    for kind in ("math_inline", "math_inline_double", "math_block", "math_block_label"):
        md.add_render_rule(kind, _render_math)


def _render_math(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    token = tokens[idx]
    display = token.type != "math_inline"
    block = token.type.startswith("math_block")
    source = token.content.strip()
    try:
        mathml = to_mathml(source, display)
    except MathError as exc:
        line = token.map[0] + 1 if token.map else token.meta.get("line", 0)
        env.setdefault(WARNINGS, []).append((line, f"cannot read the formula: {exc}"))
        code = f'<code class="math-error">{escapeHtml(source)}</code>'
        return f'<pre class="math-error">{code}</pre>\n' if block else code
    if not block:
        return mathml
    label = token.info if token.type == "math_block_label" else ""
    if label:
        number = f'<span class="math-label">({escapeHtml(label)})</span>'
        return f'<div class="math-display" id="eq-{escapeHtml(label)}">{mathml}{number}</div>\n'
    return f'<div class="math-display">{mathml}</div>\n'


class MathError(ValueError):
    """A formula latex2mathml cannot turn into MathML."""


@lru_cache(maxsize=1024)
def to_mathml(latex: str, display: bool) -> str:
    """`<math>` for `latex`, its text escaped (latex2mathml's own serialiser unescapes
    everything, so `\\text{<b>}` would come out as markup); raises MathError."""
    from latex2mathml.converter import convert_to_element  # ~40 ms to import: only when needed

    try:
        element = convert_to_element(latex, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many kinds, some not its own (IndexError)
        reason = type(exc).__name__.removesuffix("Error")
        reason = re.sub(r"(?<!^)(?=[A-Z])", " ", reason).lower()
        raise MathError(f"{reason}{': ' + str(exc) if str(exc) else ''}") from None
    unknown = _unknown_command(element)
    if unknown:
        raise MathError(f"unknown command {unknown}")
    _check_safe(element)
    return _CHAR_REF.sub(r"&\1", tostring(element, encoding="unicode"))


# What a formula may set: MathML's presentation attributes. Not `href` (\href would make a
# `javascript:` link), `style` (\style can overlay the page) or `class`/`id` (\class, \cssId).
SAFE_ATTRIBUTES = frozenset(
    [
        "xmlns",
        "display",
        "mathvariant",
        "mathcolor",
        "mathbackground",
        "mathsize",
        "stretchy",
        "fence",
        "separator",
        "lspace",
        "rspace",
        "largeop",
        "movablelimits",
        "accent",
        "accentunder",
        "symmetric",
        "minsize",
        "maxsize",
        "displaystyle",
        "scriptlevel",
        "width",
        "height",
        "depth",
        "voffset",
        "linethickness",
        "notation",
        "columnalign",
        "rowalign",
        "columnspacing",
        "rowspacing",
        "columnlines",
        "rowlines",
        "frame",
        "framespacing",
        "form",
        "linebreak",
    ]
)


# The elements latex2mathml writes (an HTML sanitizer must let these and SAFE_ATTRIBUTES through).
MATHML_TAGS = frozenset(
    {"math", "mrow", "mi", "mn", "mo", "mtext", "mspace", "mstyle", "mpadded", "mphantom"}
    | {"menclose", "mfrac", "msqrt", "mroot", "msub", "msup", "msubsup", "munder", "mover"}
    | {"munderover", "mtable", "mtr", "mtd"}
)


def _check_safe(element: Element) -> None:
    for node in element.iter():
        if node.tag not in MATHML_TAGS:
            raise MathError(f"<{node.tag}> is not MathML sitegen writes")
        for name in node.attrib:
            if name not in SAFE_ATTRIBUTES:
                raise MathError(f"formulas cannot set {name!r} (\\href, \\style, \\class)")


def _unknown_command(element: Element) -> str | None:
    """A command latex2mathml did not know: it writes it out as an identifier (`<mi>\\foo</mi>`)."""
    for node in element.iter():
        text = node.text or ""
        if node.tag in ("mi", "mo") and len(text) > 1 and text.startswith("\\"):
            return text
    return None
