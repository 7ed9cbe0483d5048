"""Syntax highlighting of fenced code with Pygments, at build time, as CSS classes.

The colours live in themes/default/static/highlight.css (scripts/gen_highlight_css.py), so the
HTML carries only class names and one stylesheet serves light and dark mode. Pygments is
imported on first use: `sitegen --help` and builds without code blocks never pay for it.

A fence's info string is read as other generators write it: `rust,ignore` (rustdoc),
`{.python}` and `.sh` (Pandoc), `{r echo=FALSE}` (R Markdown), `rust=` (HackMD's line
numbers), `python title="x.py" {1,3}` and `js{1,3}` (attributes after the name), and
`title="x.md"` (MkDocs: attributes only, no language). `split_info` is the one place that reads it; the
language is then looked up under its own name or an alias (`mjs` -> `javascript`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it.common.utils import escapeHtml, unescapeAll

CSS_CLASS = "highlight"
# Names Pygments does not know, for languages it has under another name.
ALIASES = {
    "mjs": "javascript",
    "cjs": "javascript",
    "jsonc": "json",
    "kt": "kotlin",
    "svelte": "html",
    "cmd": "batch",
    "terminal": "console",
    "llvm-ir": "llvm",
}
# Code that is plain text on purpose: known, never highlighted, never "unknown". Fences that
# a plugin renders itself (diagrams, maths) name their language here too.
PLAIN_LANGUAGES = frozenset(
    {"", "text", "txt", "plain", "plaintext", "nohighlight", "none", "output", "mermaid", "math"}
)
_NAME_END = re.compile(r"[\s,{]")


def split_info(info: str) -> tuple[str, str]:
    """(language, attributes) of a fence's info string: the language lower-cased and without
    Pandoc's braces and dot, the attributes as written after it (`""` when there are none)."""
    info = info.strip()
    if info.startswith("{"):  # {.python} or {r, echo=FALSE}: the name is the first word inside
        inner, _, rest = info[1:].partition("}")
        name, attrs = _split_name(inner.strip())
        return name, " ".join(part for part in (attrs, rest.strip()) if part)
    return _split_name(info)


def _split_name(info: str) -> tuple[str, str]:
    match = _NAME_END.search(info)
    name, rest = (info, "") if match is None else (info[: match.start()], info[match.start() :])
    if "=" in name.rstrip("="):  # `title="x.md"`: an attribute, and no language
        return "", info
    return name.rstrip("=").lstrip(".").lower(), rest.lstrip(", \t").strip()


def canonical_info(info: str) -> tuple[str, str]:
    """(language under the name Pygments knows, the info string with that language first, so
    that markdown-it's own split at the first space finds it): `rust,ignore` -> `rust ignore`.
    Without a language, the info string is left as it is."""
    language, attrs = split_info(unescapeAll(info))
    if not language:
        return "", info
    language = ALIASES.get(language, language)
    return language, f"{language} {attrs}" if attrs else language


def is_unknown_language(language: str) -> bool:
    """True when Pygments cannot highlight a (canonical) language name."""
    reused = _reused.get()
    if language in PLAIN_LANGUAGES or (reused is not None and language in reused.languages):
        return False
    return _lexer(language) is None


def highlight_code(code: str, lang: str, _attrs: str) -> str:
    """`<pre class="highlight"><code class="language-x">…</code></pre>`, or "" for unknown languages.

    markdown-it's contract: a result starting with `<pre` is used as is, and "" makes it write
    the escaped plain `<pre><code>` itself. `lang` is a canonical name (see canonical_info).
    """
    if lang in PLAIN_LANGUAGES:
        return ""
    reused = _reused.get()
    if reused is None:
        return _highlighted(code, lang)
    html = reused.earlier.get((lang, code))
    if html is None:
        html = _highlighted(code, lang)
    reused.made[(lang, code)] = html
    return html


def _highlighted(code: str, lang: str) -> str:
    lexer = _lexer(lang)
    if lexer is None:
        return ""
    from pygments import highlight

    body = highlight(code, lexer, _formatter())
    return f'<pre class="{CSS_CLASS}"><code class="language-{escapeHtml(lang)}">{body}</code></pre>'


Highlights = dict[tuple[str, str], str]  # (language, code) -> highlight_code's result


@dataclass
class _Reuse:
    earlier: Highlights
    made: Highlights
    languages: frozenset[str]  # languages `earlier` highlighted: known without loading a lexer


_reused: ContextVar[_Reuse | None] = ContextVar("sitegen_highlights_reused", default=None)


@contextmanager
def highlights_reused(earlier: Highlights) -> Iterator[Highlights]:
    """Within it, highlight_code takes a block's HTML from `earlier` (what the build cache kept
    of a previous rendering of the same document) when the language and code are the same;
    yields every block's highlight, reused or made, for the cache to keep.

    Why: a one-post edit renders one document in a fresh process, and Pygments' first block
    costs ~40 ms there (importing the lexer and compiling its patterns), a tenth of the build.
    highlight_code is a pure function of (code, language) for a given Pygments and sitegen,
    and the cache's key holds both versions, so the HTML is the same bytes."""
    languages = frozenset(language for (language, _), html in earlier.items() if html)
    reuse = _Reuse(earlier, {}, languages)
    token = _reused.set(reuse)
    try:
        yield reuse.made
    finally:
        _reused.reset(token)


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
