"""Syntax highlighting of fenced code with Pygments, at build time, as CSS classes.

The colours live in themes/default/static/highlight.css (scripts/gen_highlight_css.py), so the
HTML carries only class names and one stylesheet serves light and dark mode. Pygments is
imported on first use: `sitegen --help` and builds without code blocks never pay for it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from markdown_it.common.utils import escapeHtml

CSS_CLASS = "highlight"


def highlight_code(code: str, lang: str, _attrs: str) -> str:
    """`<pre class="highlight"><code class="language-x">…</code></pre>`, or "" for unknown languages.

    markdown-it's contract: a result starting with `<pre` is used as is, and "" makes it write
    the escaped plain `<pre><code>` itself.
    """
    if not lang:
        return ""
    lexer = _lexer(lang)
    if lexer is None:
        return ""
    from pygments import highlight

    body = highlight(code, lexer, _formatter())
    return f'<pre class="{CSS_CLASS}"><code class="language-{escapeHtml(lang)}">{body}</code></pre>'


@lru_cache(maxsize=256)
def _lexer(lang: str) -> Any:
    """The Pygments lexer for a fence's language name, or None when Pygments has none."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    from sitegen.markdown.lexing import accelerate

    try:
        return accelerate(get_lexer_by_name(lang))
    except ClassNotFound:
        return None


@lru_cache(maxsize=1)
def _formatter() -> Any:
    """One HtmlFormatter for the process: spans with class names, no wrapper, no inline styles."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(cssclass=CSS_CLASS, nowrap=True)
