"""A faster parse for plain CommonMark: markdown-it-pyrs (markdown-it in Rust, by the author of
markdown-it-py) builds the syntax tree, and this module turns it into the token stream that
markdown-it-py's `parse` would give for the same source. render.py's walk and markdown-it-py's
renderer (with sitegen's rules for headings, links and fences) then run on it unchanged, so
the HTML and every other field of `Rendered` come from the same code on either path.

Parsing is most of a render's cost (a ~1000-word post: ~2 ms in Python, ~0.2 ms here with the
conversion), but the Rust parser has none of sitegen's plugins and differs from markdown-it-py
in a few corners. So it is used only where it gives the same tokens (`fast_tokens` returns
None otherwise, and the caller parses in Python):

- the source needs none of the optional plugins (`parser.plugins_for` finds none of their
  syntax), and, with raw HTML off, has no `<!--` (a `<!--more-->` line is a token of its own
  there, where the Rust parser sees a paragraph);
- the tree holds only the nodes converted below, each with its source position;
- every link and image URL is one whose normalized form both parsers agree on (see
  `_same_url`): markdown-it-py writes non-ASCII host names in punycode and the Rust parser
  does not. Autolinks are normalized here with markdown-it-py's own functions.

tests/unit/test_markdown_fast.py checks the whole `Rendered` of both paths against each
other over every Markdown file of the test suite, the example site and a generated corpus;
bench/markdown_fast_check.py does the same over real sites.

Only the token fields that the walk and the renderer read are filled in (type, tag, nesting,
attrs, map, level, children, content, info, meta, block, hidden); `markup` and the `content`
of `inline` and `image` tokens are left empty.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import normalize, text_join
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

from sitegen.markdown.parser import MORE_MARKER, MORE_TOKEN

try:
    import markdown_it_pyrs
except ImportError:  # a platform without a wheel: every document takes markdown-it-py's path
    markdown_it_pyrs = None

Node = Any  # markdown_it_pyrs.Node: name, children, srcmap (UTF-8 byte offsets), meta

# The Rust parser's rules for markdown-it-py's "commonmark" preset plus table and
# strikethrough, as parser.markdown_parser enables them; raw HTML's two rules only when it
# is parsed as HTML.
_RULES = [
    *("blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph"),
    *("reference", "autolink", "backticks", "emphasis", "entity", "escape", "image"),
    *("link", "newline", "table", "strikethrough"),
]
_HTML_RULES = ["html_block", "html_inline"]
# Whitespace that Python's str.strip removes (markdown-it-py trims paragraphs and headings
# with it) and the Rust parser keeps: a form feed, a no-break space, an ideographic space.
_OTHER_SPACE = re.compile(
    "[\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
# A percent-escaped non-ASCII byte, or an IPv6 host: markdown-it-py turns the host into
# punycode (or encodes it apart), the Rust parser does not.
_HOST_MAY_DIFFER = re.compile(r"%[89a-fA-F]|\[")
_INLINE = frozenset(
    {
        "text",
        "text_special",
        "em",
        "strong",
        "strikethrough",
        "link",
        "autolink",
        "image",
        "code_inline",
        "softbreak",
        "hardbreak",
        "html_inline",
    }
)


class _Unsupported(Exception):
    """The tree has something this module does not convert exactly: parse in Python."""


def fast_tokens(source: str, md: MarkdownIt, plugins: dict[str, bool]) -> list[Token] | None:
    """markdown-it-py's tokens for `source` as `md.parse` gives them, parsed in Rust; None
    when that cannot be trusted to give the same tokens (see the module). `plugins` is
    `parser.plugins_for(source)`; `md` is the parser they made, whose options (raw HTML)
    and link functions are used."""
    allow_html = bool(md.options["html"])
    if (
        markdown_it_pyrs is None
        or any(plugins.values())
        or (not allow_html and "<!--" in source)
        or _OTHER_SPACE.search(source)
    ):
        return None
    state = StateCore(source, md, {})
    normalize(state)  # line ends and NUL characters, as markdown-it-py's first rule
    try:
        tree = _rust_parser(allow_html).tree(state.src)
        state.tokens = _Converter(state.src, md).blocks(tree.children, 0)
    except _Unsupported:
        return None
    text_join(state)  # markdown-it-py's last rule: merge adjacent text tokens
    return state.tokens


@cache
def _rust_parser(allow_html: bool) -> Any:
    parser = markdown_it_pyrs.MarkdownIt("zero")
    return parser.enable_many(_RULES + _HTML_RULES if allow_html else _RULES)


class _Converter:
    """Tree nodes to tokens, for one source. Lines come from the nodes' byte offsets."""

    def __init__(self, source: str, md: MarkdownIt) -> None:
        self.md = md
        self.allow_html = bool(md.options["html"])
        encoded = source.encode()
        self.newlines = [match.start() for match in re.finditer(b"\n", encoded)]
        self.block: dict[str, Callable[[Node, int], list[Token]]] = {
            "paragraph": self._paragraph,
            "heading": self._heading,
            "lheading": self._heading,
            "fence": self._fence,
            "code_block": self._code_block,
            "html_block": self._html_block,
            "hr": self._hr,
            "blockquote": self._blockquote,
            "bullet_list": self._list,
            "ordered_list": self._list,
            "table": self._table,
            "definition": lambda _node, _level: [],  # a link reference: no token
        }

    # Source positions

    def line(self, offset: int) -> int:
        """0-based line of a byte offset."""
        return bisect_right(self.newlines, offset)

    def map(self, first: Node, last: Node | None = None) -> list[int]:
        """markdown-it-py's `map`, [first line, line after the last], of a run of nodes."""
        start, end = _srcmap(first)[0], _srcmap(last or first)[1]
        return [self.line(start), self.line(max(start, end - 1)) + 1]

    # Blocks

    def blocks(self, nodes: Sequence[Node], level: int) -> list[Token]:
        tokens: list[Token] = []
        for node in nodes:
            convert = self.block.get(node.name)
            if convert is None:
                raise _Unsupported(node.name)
            tokens += convert(node, level)
        return tokens

    def _wrap(
        self, kind: str, tag: str, node: Node, level: int, inner: list[Token], **attrs: Any
    ) -> list[Token]:
        """`kind_open`, the tokens within, `kind_close`, as markdown-it-py pushes them."""
        opening = Token(f"{kind}_open", tag, 1, attrs, self.map(node), level, block=True)
        return [opening, *inner, Token(f"{kind}_close", tag, -1, level=level, block=True)]

    def _inline_block(
        self,
        kind: str,
        tag: str,
        nodes: Sequence[Node],
        level: int,
        map_: list[int],
        attrs: dict[str, Any] | None = None,
        hidden: bool = False,
    ) -> list[Token]:
        """A paragraph, heading or table cell: open, one `inline` token, close."""
        inline = Token("inline", "", 0, map=map_, level=level + 1, children=self.inline(nodes))
        return [
            Token(f"{kind}_open", tag, 1, attrs or {}, map_, level, block=True, hidden=hidden),
            inline,
            Token(f"{kind}_close", tag, -1, level=level, block=True, hidden=hidden),
        ]

    def _paragraph(self, node: Node, level: int) -> list[Token]:
        return self._inline_block("paragraph", "p", node.children, level, self.map(node))

    def _heading(self, node: Node, level: int) -> list[Token]:
        tag = f"h{node.meta['level']}"
        return self._inline_block("heading", tag, node.children, level, self.map(node))

    def _fence(self, node: Node, level: int) -> list[Token]:
        meta = node.meta
        map_ = self.map(node)
        return [
            Token(
                "fence",
                "code",
                0,
                map=map_,
                level=level,
                content=meta["content"],
                info=meta["info"],
                block=True,
            )
        ]

    def _code_block(self, node: Node, level: int) -> list[Token]:
        content = node.meta["content"]
        return [
            Token(
                "code_block",
                "code",
                0,
                map=self.map(node),
                level=level,
                content=content,
                block=True,
            )
        ]

    def _html_block(self, node: Node, level: int) -> list[Token]:
        """Raw HTML; a top-level `<!--more-->` line is parser.py's own token, as there."""
        content = node.meta["content"]
        kind = "html_block"
        if level == 0 and MORE_MARKER.match(content.lstrip(" \t")):
            kind, content = MORE_TOKEN, ""
        return [Token(kind, "", 0, map=self.map(node), level=level, content=content, block=True)]

    def _hr(self, node: Node, level: int) -> list[Token]:
        return [Token("hr", "hr", 0, map=self.map(node), level=level, block=True)]

    def _blockquote(self, node: Node, level: int) -> list[Token]:
        inner = self.blocks(node.children, level + 1)
        return self._wrap("blockquote", "blockquote", node, level, inner)

    def _list(self, node: Node, level: int) -> list[Token]:
        items: list[Token] = []
        for item in node.children:
            if item.name != "list_item":
                raise _Unsupported(item.name)
            items += self._wrap("list_item", "li", item, level + 1, self._item(item, level + 2))
        if node.name == "bullet_list":
            return self._wrap("bullet_list", "ul", node, level, items)
        start = node.meta["start"]
        attrs = {"start": start} if start != 1 else {}
        return self._wrap("ordered_list", "ol", node, level, items, **attrs)

    def _item(self, item: Node, level: int) -> list[Token]:
        """A list item's blocks. In a tight list the tree has a paragraph's inline nodes
        straight in the item, where markdown-it-py has a hidden paragraph."""
        tokens: list[Token] = []
        run: list[Node] = []
        for node in [*item.children, None]:
            if node is not None and node.name in _INLINE:
                run.append(node)
                continue
            if run:
                map_ = self.map(run[0], run[-1])
                tokens += self._inline_block("paragraph", "p", run, level, map_, hidden=True)
                run = []
            if node is not None:
                tokens += self.blocks([node], level)
        return tokens

    def _table(self, node: Node, level: int) -> list[Token]:
        aligns = node.meta["alignments"]
        parts: list[Token] = []
        for part in node.children:  # thead, then tbody when there are rows
            if part.name not in ("thead", "tbody"):
                raise _Unsupported(part.name)
            cell_tag = "th" if part.name == "thead" else "td"
            rows: list[Token] = []
            for row in part.children:
                map_ = self.map(row)
                cells: list[Token] = []
                for align, cell in zip(aligns, row.children, strict=True):
                    style = {"style": f"text-align:{align}"} if align != "none" else {}
                    cells += self._inline_block(
                        cell_tag, cell_tag, cell.children, level + 3, map_, style
                    )
                rows += self._wrap("tr", "tr", row, level + 2, cells)
            parts += self._wrap(part.name, part.name, part, level + 1, rows)
        return self._wrap("table", "table", node, level, parts)

    # Inline

    def inline(self, nodes: Sequence[Node]) -> list[Token]:
        """The children of an `inline` token: a flat list, with open and close tokens."""
        tokens: list[Token] = []
        for node in nodes:
            name = node.name
            meta = node.meta
            if name == "text" or name == "text_special" or name == "html_inline":
                tokens.append(Token(name, "", 0, content=meta["content"]))
            elif name == "softbreak" or name == "hardbreak":
                tokens.append(Token(name, "br", 0))
            elif name == "em" or name == "strong":
                tokens += self._pair(name, name, node)
            elif name == "strikethrough":
                tokens += self._pair("s", "s", node)
            elif name == "code_inline":
                code = "".join(child.meta["content"] for child in node.children)
                tokens.append(Token("code_inline", "code", 0, content=code))
            elif name == "link":
                tokens += self._pair("link", "a", node, self._url_attrs("href", meta))
            elif name == "autolink":
                tokens += self._autolink(node)
            elif name == "image":
                attrs = self._url_attrs("src", meta)
                children = self.inline(node.children)
                tokens.append(Token("image", "img", 0, attrs, children=children))
            else:
                raise _Unsupported(name)
        return tokens

    def _pair(
        self, kind: str, tag: str, node: Node, attrs: dict[str, Any] | None = None
    ) -> list[Token]:
        inner = self.inline(node.children)
        return [Token(f"{kind}_open", tag, 1, attrs or {}), *inner, Token(f"{kind}_close", tag, -1)]

    @staticmethod
    def _url_attrs(name: str, meta: dict[str, Any]) -> dict[str, Any]:
        """A link's or image's attributes in markdown-it-py's order (an image's `alt` is
        filled in by the renderer); no title attribute for an empty title, as there."""
        attrs: dict[str, Any] = {name: _same_url(meta["url"])}
        if name == "src":
            attrs["alt"] = ""
        if meta.get("title"):
            attrs["title"] = meta["title"]
        return attrs

    def _autolink(self, node: Node) -> list[Token]:
        """`<https://…>` or `<name@host>`, written as markdown-it-py's autolink rule does."""
        (child,) = node.children
        raw = child.meta["markup"]
        href = self.md.normalizeLink(raw if ":" in raw else f"mailto:{raw}")
        if not self.md.validateLink(href):
            raise _Unsupported(href)
        text = Token("text", "", 0, content=self.md.normalizeLinkText(raw))
        opening = Token("link_open", "a", 1, {"href": href}, markup="autolink", info="auto")
        return [opening, text, Token("link_close", "a", -1, markup="autolink", info="auto")]


def _srcmap(node: Node) -> tuple[int, int]:
    srcmap = node.srcmap
    if srcmap is None:
        raise _Unsupported(node.name)
    return srcmap  # type: ignore[no-any-return]


def _same_url(url: str) -> str:
    """The Rust parser's normalized URL, when markdown-it-py's is sure to be the same."""
    if _HOST_MAY_DIFFER.search(url):
        raise _Unsupported(url)
    return url
