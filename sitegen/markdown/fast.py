"""The fast path for plain CommonMark: markdown-it-pyrs (markdown-it in Rust, by the author of
markdown-it-py) parses, and one pass over its tree writes the HTML and fills the `Walk`.

Parsing is most of a render's cost in markdown-it-py (~2 ms for a 1000-word post); the Rust
parser's tree plus this pass costs a fraction of it. The output must be byte for byte what
render.py's token path gives, so this pass writes what markdown-it-py's renderer writes for
the same tokens (its newline rules included), with sitegen's rules from the same functions
the token path uses: `Walk`'s methods for ids, links, code and text, headings.py for heading
tags, the fence render rule itself for code blocks.

The Rust parser has none of sitegen's plugins and differs from markdown-it-py in a few
corners, so `render_fast` returns None (and the caller takes the token path) unless:

- the source needs none of the optional plugins (`parser.plugins_for` finds none of their
  syntax), but math: a `$` (a price, a shell prompt in a code block) is fine wherever the
  math plugin's rules never look, which is anywhere but the text of paragraphs, headings,
  cells and image labels (`_Writer.math`);
- with raw HTML off, it has no `<!--` (a `<!--more-->` line is a token of its own there,
  where the Rust parser sees a paragraph);
- it has no whitespace that Python's `str.strip` removes and the Rust parser keeps (a form
  feed, a no-break space; markdown-it-py strips paragraphs with it), and no emphasis
  delimiter next to a non-ASCII symbol (see _NEXT_TO_DELIMITER);
- it nests blocks, and `[` brackets, less deep than markdown-it-py's `maxNesting` (where
  it stops parsing) by a margin;
- it has no run of three or more tildes within a line's text (see _inline_tildes), and no
  empty list item (a marker alone on its line), and no indented lazy line in a blockquote;
- its HTML comments are ones that both read alike (see _same_comments);
- it does not end, without a newline, inside a fenced code block or raw HTML block (the
  Rust parser adds one to its text);
- the Rust parser does not panic (an unmatched backtick in a link label does);
- the tree holds only the nodes written below, each with its source position, and no table
  right after a line of text or with a row that may start another block (`_Writer.table`);
- every URL is one whose normalized form both parsers agree on (`_same_url`): markdown-it-py
  writes a non-ASCII host name in punycode. Autolinks are normalized with markdown-it-py's
  own functions.

tests/unit/test_markdown_fast.py checks every field of `Rendered` from both paths against
each other over the test suite's Markdown, the example site and a generated corpus;
bench/markdown_fast_check.py does the same over real sites.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core.normalize import normalize
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

from sitegen.markdown.codeblocks import MERMAID
from sitegen.markdown.headings import (
    heading_close,
    heading_open,
    plain_href,
    split_explicit_id,
)
from sitegen.markdown.model import Output
from sitegen.markdown.parser import MORE_MARKER
from sitegen.markdown.walk import Walk

try:
    import markdown_it_pyrs
except ImportError:  # no wheel for this Python (3.13+): every document takes the token path
    markdown_it_pyrs = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from markdown_it_pyrs import Node  # name, children, meta, srcmap (UTF-8 byte offsets)

# The Rust parser's rules for markdown-it-py's "commonmark" preset plus table and
# strikethrough, as parser.markdown_parser enables them; raw HTML's two rules only when it
# is parsed as HTML.
_RULES = [
    *("blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph"),
    *("reference", "autolink", "backticks", "emphasis", "entity", "escape", "image"),
    *("link", "newline", "table", "strikethrough"),
]
_HTML_RULES = ["html_block", "html_inline"]
# Whitespace that Python's str.strip removes and the Rust parser keeps.
_OTHER_SPACE = re.compile(
    "[\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
# A non-ASCII character next to an emphasis or strikethrough delimiter. markdown-it-py
# counts symbols (emoji, currency, maths) as punctuation when it decides whether a
# delimiter opens or closes, as CommonMark 0.31 does, and the Rust parser (0.30) does not;
# letters, digits and punctuation both read alike.
_NEXT_TO_DELIMITER = re.compile(r"[^\x00-\x7f](?=[*_~])|(?<=[*_~])[^\x00-\x7f]")
# A link label with code in it, on one line. An unmatched backtick in a label makes the
# Rust parser panic (caught in _tree, but its message is printed): an odd number of backtick
# runs there is left to the token path.
_LABEL_WITH_CODE = re.compile(r"\[[^\[\]\n]*`[^\[\]\n]*\]")
_BACKTICKS = re.compile("`+")
_TILDES = re.compile("~{3,}")
# The start of a line that may open another block: a list item, quote, heading, fence, HTML.
_BLOCK_START = re.compile(r"[ \t]*(?:[-*+>#<_=]|\d{1,9}[.)]|```|~~~)")
# An indented line of text right after a blockquote's line, without `>`: a lazy line of
# the quote's paragraph, whose indentation markdown-it-py keeps (in a code span it shows).
_INDENTED_LAZY_LINE = re.compile(r"^[ \t]*>.*\n[ \t]+[^\s>]", re.MULTILINE)
# A line that is a list marker alone: an empty item, which the two parsers let end a
# paragraph (or a blockquote's lazy lines) differently.
_EMPTY_ITEM = re.compile(r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]*$", re.MULTILINE)
# What may stand before a fence on its line: indentation, quote and list markers.
_FENCE_PREFIX = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)  # an HTML comment's text
# A percent-escaped non-ASCII byte, or an IPv6 host: markdown-it-py turns a host name into
# punycode (or encodes it apart), the Rust parser does not.
_HOST_MAY_DIFFER = re.compile(r"%[89a-fA-F]|\[")
_BRACKETS = re.compile(r"[\[\]]")
# How far below markdown-it-py's `maxNesting` a document must stay for the fast path.
_NESTING_MARGIN = 4
_TEXT = ("text", "text_special")
_CONTAINERS = ("blockquote", "bullet_list", "ordered_list", "list_item")
_BREAKS = ("softbreak", "hardbreak")
# Blocks that markdown-it-py's renderer writes with `renderToken`, which puts a newline
# before them when they follow a tight list's (hidden) paragraph; the others have rules of
# their own that do not.
_NEWLINE_AFTER_HIDDEN = frozenset({"blockquote", "bullet_list", "ordered_list", "hr", "table"})


class _Unsupported(Exception):
    """The tree has something this pass does not write exactly: take the token path."""


def render_fast(
    source: str, md: MarkdownIt, plugins: dict[str, bool], walk: Walk, *, plain: bool
) -> Output | None:
    """render.py's `Output` for `source`, from the Rust parser's tree, filling `walk`; None
    when the Rust parser cannot be trusted with it (see the module), `walk` then half-full.
    `md` is the parser the token path would use: its options and link functions are used."""
    if markdown_it_pyrs is None:
        return None
    state = StateCore(source, md, {})
    normalize(state)  # line ends and NUL characters, as markdown-it-py's first rule does
    if not _trusted(state.src, md, plugins):
        return None
    try:
        tree = _tree(state.src, bool(md.options["html"]))
        if not state.src.endswith("\n") and _last_leaf(tree).name in ("fence", "html_block"):
            # Unlike markdown-it-py, the Rust parser ends such a block's text with a newline.
            return None
        blocks = tree.children
        writer = _Writer(state.src, md, walk, plain=plain, math=plugins["math"])
        more = next((i for i, node in enumerate(blocks) if _is_more(node)), None)
        # Every top-level `<!--more-->` line is parser.py's own token there, written as nothing.
        html = "".join(["" if _is_more(node) else writer.block(node) for node in blocks])
        # The summary, as PLAIN: the blocks before a `<!--more-->` line, else the first
        # paragraph. Written again, with a walk of its own whose facts are not wanted.
        names = [node.name for node in blocks]
        if more is not None:
            summary_blocks = blocks[:more]
        else:
            summary_blocks = [blocks[names.index("paragraph")]] if "paragraph" in names else []
        summary_walk = Walk(walk.options, escaped_html=False)
        summary = _Writer(state.src, md, summary_walk, plain=True, math=False).blocks(
            summary_blocks
        )
    except _Unsupported:
        return None
    # As on the token path, whose PLAIN render notes diagrams in a copy of its env: a
    # front-matter summary (render_summary) reports none.
    mermaid = not plain and bool(writer.env.get(MERMAID))
    return Output(html, summary, (), mermaid)


def _trusted(source: str, md: MarkdownIt, plugins: dict[str, bool]) -> bool:
    """Whether the Rust parser gives this source the same structure as markdown-it-py, as
    far as the text tells (the module's list). Each test is a cheap look at the text."""
    if any(on for name, on in plugins.items() if name != "math"):
        return False
    if not md.options["html"] and "<!--" in source:
        return False
    if _OTHER_SPACE.search(source):
        return False
    if "<!--" in source and not _same_comments(source):
        return False
    if "~~~" in source and _inline_tildes(source):
        return False
    if _EMPTY_ITEM.search(source) or (">" in source and _INDENTED_LAZY_LINE.search(source)):
        return False
    if not source.isascii() and any(
        unicodedata.category(char)[0] not in "LMNP" for char in _NEXT_TO_DELIMITER.findall(source)
    ):
        return False
    if any(len(_BACKTICKS.findall(label)) % 2 for label in _LABEL_WITH_CODE.findall(source)):
        return False
    deep = md.options["maxNesting"] - _NESTING_MARGIN
    return source.count("[") < deep or _bracket_depth(source) < deep


def _bracket_depth(source: str) -> int:
    """How deep `[` brackets nest, at most. markdown-it-py reads a link's label with its
    inline rules, one nesting level deeper for each `[` inside, and stops at `maxNesting`,
    where the Rust parser's limit is another."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(source):
        depth = depth + 1 if match.group() == "[" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _inline_tildes(source: str) -> bool:
    """Whether a run of three or more tildes stands after text on its line, where it is no
    fence: the two parsers pair such runs with other delimiters differently (`*~~~~**~~`)."""
    for match in _TILDES.finditer(source):
        line_start = source.rfind("\n", 0, match.start()) + 1
        if not _FENCE_PREFIX.fullmatch(source, line_start, match.start()):
            return True
    return False


def _same_comments(source: str) -> bool:
    """Whether both parsers read the HTML comments alike: CommonMark 0.31 (markdown-it-py)
    allows `<!-->`, `<!--->`, and `--` inside a comment, where 0.30 (the Rust parser) did not."""
    if "<!-->" in source or "<!--->" in source:
        return False
    return not any(
        body.startswith((">", "->")) or "--" in body or body.endswith("-")
        for body in _COMMENT.findall(source)
    )


def _tree(source: str, allow_html: bool) -> Node:
    """The Rust parser's tree. A bug in it panics, which pyo3 raises as a BaseException (so
    that `except Exception` does not hide it): that source takes the token path."""
    try:
        return _rust_parser(allow_html).tree(source)
    except BaseException as error:
        if type(error).__name__ == "PanicException":
            raise _Unsupported("the Rust parser panicked") from error
        raise


@cache
def _rust_parser(allow_html: bool) -> markdown_it_pyrs.MarkdownIt:
    parser = markdown_it_pyrs.MarkdownIt("zero")
    rules = _RULES + _HTML_RULES if allow_html else _RULES
    return parser.enable_many(rules)  # type: ignore[arg-type]  # names it lists as plugins


class _Writer:
    """Writes nodes as HTML, and notes what it meets in the walk. Lines come from the nodes'
    byte offsets; within a paragraph, from its line breaks, as the walk counts them."""

    def __init__(self, source: str, md: MarkdownIt, walk: Walk, *, plain: bool, math: bool) -> None:
        self.md = md
        self.walk = walk
        self.plain = plain
        # The source has a `$`: the math plugin's rules (`$...$`, `$$` lines) read text where
        # the Rust parser has none, so a `$` in text leaves the source to the token path.
        self.math = math
        self.env: dict[str, Any] = {}  # for the fence rule, which notes Mermaid diagrams here
        self.source = source
        self.newlines = [match.start() for match in re.finditer(b"\n", source.encode())]
        self.level = 0  # markdown-it-py's token nesting level of the blocks being written
        self.line = 0  # 1-based line of the inline content being written
        self.slug: list[str] = []  # text and code of the inline content, for a heading's id

    def line_of(self, node: Node) -> int:
        """1-based line where a node starts."""
        srcmap = node.srcmap
        if srcmap is None:
            raise _Unsupported(node.name)
        return bisect_right(self.newlines, srcmap[0]) + 1

    # Blocks

    def blocks(self, nodes: Sequence[Node]) -> str:
        return "".join([self.block(node) for node in nodes])

    def block(self, node: Node) -> str:
        name = node.name
        if name == "paragraph":
            return f"<p>{self.inline(node.children, self.line_of(node))}</p>\n"
        if name == "heading" or name == "lheading":
            return self.heading(node)
        if name == "fence":
            return self.fence(node)
        if name == "code_block":
            self.walk.code.append(node.meta["content"])
            return f"<pre><code>{escapeHtml(node.meta['content'])}</code></pre>\n"
        if name == "html_block":
            self.walk.raw_html(node.meta["content"], self.line_of(node))
            return str(node.meta["content"])
        if name == "hr":
            return "<hr />\n"
        if name == "blockquote":  # a newline after the tag, unless it is empty
            self.deeper(1)
            inner = self.blocks(node.children)
            self.level -= 1
            return (
                f"<blockquote>\n{inner}</blockquote>\n" if inner else "<blockquote></blockquote>\n"
            )
        if name == "bullet_list":
            return f"<ul>\n{self.items(node.children)}</ul>\n"
        if name == "ordered_list":
            start = node.meta["start"]
            attrs = f' start="{escapeHtml(str(start))}"' if start != 1 else ""
            return f"<ol{attrs}>\n{self.items(node.children)}</ol>\n"
        if name == "table":
            return self.table(node)
        if name == "definition":  # a link reference definition: no output
            return ""
        raise _Unsupported(name)

    def heading(self, node: Node) -> str:
        """`<hN id>`, text, self-link. An explicit `{#id}` ends the heading's last text: the
        run of text nodes at its end, one text token for markdown-it-py."""
        tag = f"h{node.meta['level']}"
        children = node.children
        body = len(children)
        while body and children[body - 1].name in _TEXT:
            body -= 1
        last, explicit = split_explicit_id("".join(_texts(children[body:])))
        start = len(self.walk.text)
        html = self.inline(children[:body], self.line_of(node), space=False)
        if body < len(children):
            html += self.text(last)
        text = "".join(self.walk.text[start:])
        heading_id = self.walk.heading(int(tag[1]), "".join(self.slug), text, explicit)
        self.walk.text.append(" ")
        shown_id = None if self.plain else heading_id
        return heading_open(tag, shown_id) + html + heading_close(tag, shown_id)

    def fence(self, node: Node) -> str:
        """Through the fence render rule itself: highlighting, titles, marked lines, Mermaid."""
        content = node.meta["content"]
        info = self.walk.fence(node.meta["info"], content, self.line_of(node))
        token = Token("fence", "code", 0, content=content, info=info, block=True)
        renderer = self.md.renderer
        assert isinstance(renderer, RendererHTML)
        return str(renderer.rules["fence"]([token], 0, self.md.options, self.env))

    def deeper(self, levels: int) -> None:
        """Go into a container whose blocks are `levels` deeper in markdown-it-py's tokens (a
        blockquote's 1, a list item's 2). markdown-it-py drops what lies deeper than its
        `maxNesting`, where the Rust parser's limit is another: such a source is left to it."""
        self.level += levels
        if self.level >= self.md.options["maxNesting"] - _NESTING_MARGIN:
            raise _Unsupported("deep nesting")

    def items(self, items: Sequence[Node]) -> str:
        """List items. In a tight list the tree has a paragraph's inline nodes straight in the
        item, where markdown-it-py has a hidden paragraph: its text is written without `<p>`,
        and some blocks after it start on a new line (_NEWLINE_AFTER_HIDDEN)."""
        self.deeper(2)
        html: list[str] = []
        for item in items:
            if item.name != "list_item":
                raise _Unsupported(item.name)
            children = [child for child in item.children if child.name != "definition"]
            # No newline after `<li>` when the item is empty or starts with its text.
            newline = "\n" if children and children[0].name not in _INLINE else ""
            html.append(f"<li>{newline}")
            run: list[Node] = []
            for child in children:
                if child.name in _INLINE:
                    run.append(child)
                    continue
                if run:
                    html.append(self.inline(run, self.line_of(run[0])))
                    if child.name in _NEWLINE_AFTER_HIDDEN:
                        html.append("\n")
                    run = []
                html.append(self.block(child))
            if run:
                html.append(self.inline(run, self.line_of(run[0])))
            html.append("</li>\n")
        self.level -= 2
        return "".join(html)

    def table(self, node: Node) -> str:
        """A table. One right after a line of text (a paragraph's, a quote's lazy line), or
        with a row that could start another block, is left to markdown-it-py: the two
        parsers let tables interrupt text, and blocks end tables, differently."""
        lines = self.source.split("\n")
        first = self.line_of(node)
        if first > 1 and lines[first - 2].strip(" \t>"):
            raise _Unsupported("a table after text")
        if any(_BLOCK_START.match(lines[self.line_of(row) - 1]) for row in _rows(node)):
            raise _Unsupported("a table row that may start a block")
        aligns = node.meta["alignments"]
        html = ["<table>\n"]
        for part in node.children:  # thead, then tbody when there are rows
            if part.name not in ("thead", "tbody"):
                raise _Unsupported(part.name)
            tag = "th" if part.name == "thead" else "td"
            html.append(f"<{part.name}>\n")
            for row in part.children:
                line = self.line_of(row)
                if len(row.children) != len(aligns):
                    raise _Unsupported("row")
                html.append("<tr>\n")
                for align, cell in zip(aligns, row.children, strict=True):
                    style = f' style="text-align:{align}"' if align != "none" else ""
                    html.append(f"<{tag}{style}>{self.inline(cell.children, line)}</{tag}>\n")
                html.append("</tr>\n")
            html.append(f"</{part.name}>\n")
        html.append("</table>\n")
        return "".join(html)

    # Inline

    def inline(self, nodes: Sequence[Node], line: int, *, space: bool = True) -> str:
        """The HTML of one paragraph's (heading's, cell's) inline content, starting at
        `line`; then a space in the walk's text, as after each inline token there."""
        self.line = line
        self.slug = []
        html = self.spans(nodes)
        if space:
            self.walk.text.append(" ")
        return html

    def text(self, text: str) -> str:
        """A text: each run of adjacent text nodes (`text_special` is an escape or entity) is
        one, as markdown-it-py's `text_join` makes them one token."""
        if self.math and "$" in text:
            raise _Unsupported("maybe math")
        self.walk.prose(text, self.line)
        self.slug.append(text)
        return escapeHtml(text)

    def spans(self, nodes: Sequence[Node]) -> str:
        """Inline nodes as HTML, noting their words, links and raw HTML in the walk."""
        walk = self.walk
        html: list[str] = []
        run: list[str] = []  # texts not yet written
        for node in nodes:
            name = node.name
            if name == "text" or name == "text_special":
                run.append(node.meta["content"])
                continue
            if run:
                html.append(self.text("".join(run)))
                run = []
            if name == "softbreak" or name == "hardbreak":
                walk.text.append(" ")
                self.line += 1
                html.append("\n" if name == "softbreak" else "<br />\n")
            elif name == "em" or name == "strong":
                html.append(f"<{name}>{self.spans(node.children)}</{name}>")
            elif name == "strikethrough":
                html.append(f"<s>{self.spans(node.children)}</s>")
            elif name == "code_inline":
                code = _code(node)
                walk.prose(code, self.line, code=True)
                self.slug.append(code)
                html.append(f"<code>{escapeHtml(code)}</code>")
            elif name == "html_inline":
                content = node.meta["content"]
                walk.raw_html(content, self.line)
                self.line += content.count("\n")
                html.append(content)
            elif name == "link":
                html.append(self.link(node))
            elif name == "autolink":
                html.append(self.autolink(node))
            elif name == "image":
                html.append(self.image(node))
            else:
                raise _Unsupported(name)
        if run:
            html.append(self.text("".join(run)))
        return "".join(html)

    def link(self, node: Node) -> str:
        meta = node.meta
        href = self.walk.link(_same_url(meta["url"]), "link", self.line)
        if self.plain and href.startswith("#"):
            href = plain_href(href)
        title = meta.get("title")
        attrs = f' title="{escapeHtml(title)}"' if title else ""
        inner = self.spans(node.children)
        return f'<a href="{escapeHtml(href)}"{attrs}>{inner}</a>'

    def autolink(self, node: Node) -> str:
        """`<https://…>` or `<name@host>`, as markdown-it-py's autolink rule writes it."""
        (child,) = node.children
        raw = child.meta["markup"]
        href = self.md.normalizeLink(raw if ":" in raw else f"mailto:{raw}")
        if not self.md.validateLink(href):
            raise _Unsupported(href)
        href = self.walk.link(href, "link", self.line)
        text = self.md.normalizeLinkText(raw)
        self.walk.prose(text, self.line)
        self.slug.append(text)
        return f'<a href="{escapeHtml(href)}">{escapeHtml(text)}</a>'

    def image(self, node: Node) -> str:
        """`<img src alt title />`; the alt text is the label's text without markup (see
        _alt), not read as prose. The walk counts its line breaks."""
        meta = node.meta
        src = self.walk.link(_same_url(meta["url"]), "image", self.line)
        self.line += _count_breaks(node.children)
        title = meta.get("title")
        attrs = f' title="{escapeHtml(title)}"' if title else ""
        alt = escapeHtml(self._alt(node.children, joined=True))
        return f'<img src="{escapeHtml(src)}" alt="{alt}"{attrs} />'

    def _alt(self, nodes: Sequence[Node], *, joined: bool) -> str:
        """markdown-it-py's renderInlineAsText over an image's label: texts, code, raw HTML,
        breaks as newlines. Escapes and entities (`text_special`) count only in the outer
        image's label: markdown-it-py joins them into the text there, and not deeper."""
        out: list[str] = []
        for node in nodes:
            name = node.name
            if name == "text" or (name == "text_special" and joined):
                if self.math and "$" in node.meta["content"]:
                    raise _Unsupported("maybe math")
                out.append(node.meta["content"])
            elif name == "code_inline":
                out.append(_code(node))
            elif name == "html_inline":
                out.append(node.meta["content"])
            elif name in _BREAKS:
                out.append("\n")
            elif name == "image":
                out.append(self._alt(node.children, joined=False))
            elif name == "autolink":
                out.append(self.md.normalizeLinkText(node.children[0].meta["markup"]))
            elif name in _INLINE:  # em, strong, strikethrough, link: their text
                out.append(self._alt(node.children, joined=joined))
            else:
                raise _Unsupported(name)
        return "".join(out)


_INLINE = frozenset(
    {
        *("text", "text_special", "em", "strong", "strikethrough", "link", "autolink"),
        *("image", "code_inline", "softbreak", "hardbreak", "html_inline"),
    }
)


def _is_more(node: Node) -> bool:
    """A `<!--more-->` line (at the top level): parser.py's own token, written as nothing."""
    return node.name == "html_block" and bool(MORE_MARKER.match(node.meta["content"].lstrip(" \t")))


def _last_leaf(node: Node) -> Node:
    """The innermost block holding the source's last line."""
    while node.children and node.children[-1].name in _CONTAINERS:
        node = node.children[-1]
    return node.children[-1] if node.children else node


def _rows(table: Node) -> list[Node]:
    """A table's body rows."""
    return [row for part in table.children if part.name == "tbody" for row in part.children]


def _texts(nodes: Sequence[Node]) -> list[str]:
    """The contents of text (or code) nodes."""
    return [node.meta["content"] for node in nodes]


def _code(node: Node) -> str:
    """A code span's text. One of spaces only keeps them all in markdown-it-py (CommonMark
    0.31), where the Rust parser strips one from each end."""
    code = "".join(_texts(node.children))
    if not code.strip(" "):
        raise _Unsupported("a code span of spaces")
    return code


def _count_breaks(nodes: Sequence[Node]) -> int:
    """Line breaks in an image's label, not within an image inside it (as the walk counts)."""
    count = 0
    for node in nodes:
        if node.name in _BREAKS:
            count += 1
        elif node.name != "image":
            count += _count_breaks(node.children)
    return count


def _same_url(url: str) -> str:
    """The Rust parser's normalized URL, when markdown-it-py's is sure to be the same."""
    if _HOST_MAY_DIFFER.search(url):
        raise _Unsupported(url)
    return url
