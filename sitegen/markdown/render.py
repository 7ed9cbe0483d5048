"""render_markdown: one parse, one walk over the tokens, one render.

The walk collects everything the build needs besides the HTML (toc, internal links with their
line numbers, words, where the summary ends) and swaps internal URLs for placeholders. The
render then runs over slices of the same token list, so the summary is not rendered twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from sitegen.markdown.codeblocks import MERMAID
from sitegen.markdown.links import clean_source, is_internal, placeholder, target_of
from sitegen.markdown.math import WARNINGS
from sitegen.markdown.model import LinkRef, MarkdownOptions, Rendered, TocEntry
from sitegen.markdown.parser import MORE_TOKEN, markdown_parser, plugins_for
from sitegen.markdown.terms import term_counts


def render_markdown(body: str, options: MarkdownOptions) -> Rendered:
    """Render a Markdown body; a pure function of (body, options), so it can be cached."""
    source = clean_source(body)
    md = markdown_parser(
        allow_html=options.allow_html,
        highlight=options.highlight,
        anchors=options.anchors,
        **plugins_for(source),
    )
    env: dict[str, Any] = {}
    tokens = md.parse(source, env)
    walk = _Walk(options)
    walk.run(tokens)

    def render(part: list[Token]) -> str:
        return md.renderer.render(part, md.options, env)

    # Slices start and end at top-level blocks, where the renderer looks at no neighbour.
    if walk.more_at is not None:
        summary = render(tokens[: walk.more_at])
        html = summary + render(tokens[walk.more_at + 1 :])
    elif walk.first_paragraph_at is not None:
        start, end = walk.first_paragraph_at, walk.first_paragraph_at + 3  # open, inline, close
        summary = render(tokens[start:end])
        html = render(tokens[:start]) + summary + render(tokens[end:])
    else:
        summary = ""
        html = render(tokens)
    text = "".join(walk.text)
    return Rendered(
        html=html,
        summary_html=summary,
        toc=tuple(walk.toc),
        word_count=len(text.split()),
        links=tuple(walk.links),
        warnings=tuple(env.get(WARNINGS, ())),
        mermaid=env.get(MERMAID, False),
        terms=term_counts(text + " " + " ".join(walk.code)) if options.search_terms else "",
    )


@dataclass
class _Walk:
    """State of the single pass over the token stream."""

    options: MarkdownOptions
    toc: list[TocEntry] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # words of prose: code blocks and HTML excluded
    code: list[str] = field(default_factory=list)  # code blocks: searched, though not read
    more_at: int | None = None
    first_paragraph_at: int | None = None
    # Inline footnotes (`^[...]`) are moved to the end without a line map: remember the line
    # of their reference, by footnote id.
    footnote_lines: dict[int, int] = field(default_factory=dict)

    def run(self, tokens: list[Token]) -> None:
        heading: Token | None = None
        in_footnotes = False
        footnote_id = -1
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                children = token.children or []
                line = token.map[0] + 1 if token.map else self.footnote_lines.get(footnote_id, 0)
                start = len(self.text)
                self._inline(children, line)
                if heading is not None:
                    self._add_heading(heading, "".join(self.text[start:]))
                    heading = None
                self.text.append(" ")
            elif kind == "heading_open":
                heading = token
            elif kind == "fence" or kind == "code_block":
                self.code.append(token.content)
            elif kind == "footnote_open":
                footnote_id = token.meta["id"]
            elif token.level != 0 or in_footnotes:
                continue
            elif kind == "paragraph_open" and self.first_paragraph_at is None:
                self.first_paragraph_at = index
            elif kind == MORE_TOKEN and self.more_at is None:
                self.more_at = index
            elif kind == "footnote_block_open":
                in_footnotes = True

    def _inline(self, children: list[Token], line: int) -> None:
        """Collect words and internal links of one inline token, counting lines as it goes.

        Lines are counted from line breaks (and newlines inside raw HTML and image text);
        a code span or link title that itself spans lines is not counted.
        """
        for child in children:
            kind = child.type
            if kind == "text" or kind == "code_inline":
                self.text.append(child.content)
            elif kind == "softbreak" or kind == "hardbreak":
                self.text.append(" ")
                line += 1
            elif kind == "link_open":
                self._link(child, "href", "link", line)
            elif kind == "image":
                self._link(child, "src", "image", line)
                line += sum(1 for c in child.children or () if c.type in _BREAKS)
            elif kind == "html_inline":
                line += child.content.count("\n")
            elif kind == "footnote_ref":
                self.footnote_lines.setdefault(child.meta["id"], line)
            elif kind == "math_inline" or kind == "math_inline_double":
                child.meta["line"] = line  # for a warning, should the formula be unreadable
                line += child.content.count("\n")

    def _link(self, token: Token, attr: str, kind: str, line: int) -> None:
        href = token.attrs.get(attr)
        if not isinstance(href, str) or not is_internal(href):
            return
        target = target_of(href)
        token.attrs[attr] = placeholder(target, href)
        self.links.append(LinkRef(target=target, line=line, kind=kind))

    def _add_heading(self, token: Token, text: str) -> None:
        level = int(token.tag[1])
        heading_id = token.attrs.get("id")
        options = self.options
        if heading_id and options.toc_min_level <= level <= options.toc_max_level:
            self.toc.append(TocEntry(level=level, id=str(heading_id), title=" ".join(text.split())))


_BREAKS = ("softbreak", "hardbreak")
