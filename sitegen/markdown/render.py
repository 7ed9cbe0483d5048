"""render_markdown: one parse, one walk over the tokens, one render.

The walk collects everything the build needs besides the HTML (toc, heading ids, internal
links with their line numbers, words and code for search terms, unknown code languages,
where raw HTML is, where the summary ends) and swaps internal URLs for placeholders. The
summary is a slice of the same tokens, rendered once more as PLAIN: list pages show many
summaries, so they carry no ids, self-links or footnote references.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.token import Token

from sitegen.markdown.codeblocks import MERMAID
from sitegen.markdown.fast import fast_tokens
from sitegen.markdown.headings import PLAIN, github_slug, take_explicit_id, unique_id
from sitegen.markdown.highlight import canonical_info, is_unknown_language
from sitegen.markdown.links import clean_source, is_internal, placeholder, target_of
from sitegen.markdown.math import WARNINGS
from sitegen.markdown.model import LinkRef, MarkdownOptions, Rendered, TocEntry
from sitegen.markdown.parser import MORE_TOKEN, markdown_parser, plugins_for
from sitegen.markdown.sanitize import html_ids, sanitize_html
from sitegen.markdown.terms import term_counts


def render_markdown(body: str, options: MarkdownOptions) -> Rendered:
    """Render a Markdown body; a pure function of (body, options), so it can be cached."""
    return _render(body, options, plain=False)


def render_summary(text: str, options: MarkdownOptions) -> Rendered:
    """Render a front-matter summary: its `html` is all of it, as list pages show it (PLAIN)."""
    return _render(text, options, plain=True)


def _render(body: str, options: MarkdownOptions, *, plain: bool) -> Rendered:
    source = clean_source(body)
    plugins = plugins_for(source)
    md = markdown_parser(
        allow_html=options.allow_html is not False, highlight=options.highlight, **plugins
    )
    env: dict[str, Any] = {}
    tokens = fast_tokens(source, md, plugins)
    if tokens is None:
        tokens = md.parse(source, env)
    walk = _Walk(options, escaped_html=options.allow_html is False and "<" in source)
    walk.run(tokens)

    def render(part: list[Token], plain: bool) -> str:
        html = md.renderer.render(part, md.options, {**env, PLAIN: True} if plain else env)
        if walk.raw_html_line and options.allow_html == "sanitize":
            return sanitize_html(html, options.iframe_hosts)
        return html

    html = render(tokens[: walk.footnotes_at] if plain else tokens, plain)
    # What the plugins found (bad formulas, diagrams), read before the summary renders part of
    # the same tokens again into a copy of `env` that shares its lists.
    warnings, mermaid = tuple(env.get(WARNINGS, ())), env.get(MERMAID, False)
    # Slices start and end at top-level blocks, where the renderer looks at no neighbour.
    if walk.more_at is not None:
        summary = render(tokens[: walk.more_at], plain=True)
    elif walk.first_paragraph_at is not None:
        start = walk.first_paragraph_at
        summary = render(tokens[start : start + 3], plain=True)  # open, inline, close
    else:
        summary = ""
    text = "".join(walk.text)
    return Rendered(
        html=html,
        summary_html=summary,
        toc=tuple(walk.toc),
        word_count=len(text.split()),
        links=tuple(walk.links),
        ids=tuple(walk.ids),
        escaped_html_line=walk.raw_html_line if options.allow_html is False else 0,
        unknown_languages=tuple(walk.unknown_languages),
        warnings=warnings,
        mermaid=mermaid,
        terms=term_counts(text + " " + " ".join(walk.code)) if options.search_terms else "",
    )


@dataclass
class _Walk:
    """State of the single pass over the token stream."""

    options: MarkdownOptions
    escaped_html: bool  # raw HTML is escaped and may be present: look for it in the text
    toc: list[TocEntry] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # words of prose: code blocks and HTML excluded
    code: list[str] = field(default_factory=list)  # code blocks: searched, though not read
    ids: list[str] = field(default_factory=list)  # every id the page has, for #fragment links
    taken: dict[str, int] = field(default_factory=dict)  # heading id -> repeats (unique_id)
    raw_html_line: int = 0  # line of the first raw HTML, 0 when there is none
    unknown_languages: list[tuple[str, int]] = field(default_factory=list)
    more_at: int | None = None
    footnotes_at: int | None = None  # the footnote block, always last
    first_paragraph_at: int | None = None
    # Inline footnotes (`^[...]`) are moved to the end without a line map: remember the line
    # of their reference, by footnote id.
    footnote_lines: dict[int, int] = field(default_factory=dict)

    def run(self, tokens: list[Token]) -> None:
        heading: int | None = None
        in_footnotes = False
        footnote_id = -1
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                children = token.children or []
                line = token.map[0] + 1 if token.map else self.footnote_lines.get(footnote_id, 0)
                start = len(self.text)
                explicit = take_explicit_id(children) if heading is not None else None
                self._inline(children, line)
                if heading is not None:
                    text = "".join(self.text[start:])
                    self._add_heading(tokens, heading, children, text, explicit)
                    heading = None
                self.text.append(" ")
            elif kind == "heading_open":
                heading = index
            elif kind == "fence":
                self._fence(token)
            elif kind == "code_block":
                self.code.append(token.content)
            elif kind == "html_block":
                self._raw_html(token.content, token.map[0] + 1 if token.map else 1)
            elif kind == "math_block_label":  # `$$ ... $$ (label)` renders id="eq-label"
                self.ids.append(f"eq-{token.info}")
            elif kind == "footnote_open":
                footnote_id = token.meta["id"]
                self.ids.append(f"fn{footnote_id + 1}")
            elif token.level != 0 or in_footnotes:
                continue
            elif kind == "paragraph_open" and self.first_paragraph_at is None:
                self.first_paragraph_at = index
            elif kind == MORE_TOKEN and self.more_at is None:
                self.more_at = index
            elif kind == "footnote_block_open":
                in_footnotes = True
                self.footnotes_at = index

    def _inline(self, children: list[Token], line: int) -> None:
        """Collect words and internal links of one inline token, counting lines as it goes.

        Lines are counted from line breaks (and newlines inside raw HTML and image text);
        a code span or link title that itself spans lines is not counted.
        """
        for child in children:
            kind = child.type
            if kind == "text" or kind == "code_inline":
                self.text.append(child.content)
                if (
                    self.escaped_html
                    and kind == "text"
                    and not self.raw_html_line
                    and HTML_TAG_RE.search(child.content)
                ):
                    self.raw_html_line = line
            elif kind == "softbreak" or kind == "hardbreak":
                self.text.append(" ")
                line += 1
            elif kind == "link_open":
                self._link(child, "href", "link", line)
            elif kind == "image":
                self._link(child, "src", "image", line)
                line += sum(1 for c in child.children or () if c.type in _BREAKS)
            elif kind == "html_inline":
                if child.content not in _TASK_CHECKBOXES:  # the task list plugin's own
                    self._raw_html(child.content, line)
                line += child.content.count("\n")
            elif kind == "footnote_ref":
                self.footnote_lines.setdefault(child.meta["id"], line)
                sub = child.meta.get("subId", 0)
                self.ids.append(f"fnref{child.meta['id'] + 1}" + (f":{sub}" if sub else ""))
            elif kind == "math_inline" or kind == "math_inline_double":
                child.meta["line"] = line  # for a warning, should the formula be unreadable
                line += child.content.count("\n")

    def _link(self, token: Token, attr: str, kind: str, line: int) -> None:
        href = token.attrs.get(attr)
        if not isinstance(href, str):
            return
        if href.startswith("#") and kind == "link":  # checked against this page's ids
            self.links.append(LinkRef(target=target_of(href), line=line, kind=kind))
            return
        if not is_internal(href):
            return
        target = target_of(href)
        token.attrs[attr] = placeholder(target, href)
        self.links.append(LinkRef(target=target, line=line, kind=kind))

    def _raw_html(self, html: str, line: int) -> None:
        if not self.raw_html_line:
            self.raw_html_line = line
        if self.options.allow_html is not False:
            self.ids += html_ids(html)

    def _fence(self, token: Token) -> None:
        self.code.append(token.content)
        language, token.info = canonical_info(token.info)
        if self.options.highlight and is_unknown_language(language):
            line = token.map[0] + 1 if token.map else 1
            self.unknown_languages.append((language, line))

    def _add_heading(
        self,
        tokens: list[Token],
        index: int,
        children: list[Token],
        text: str,
        explicit: str | None,
    ) -> None:
        token = tokens[index]
        options = self.options
        if not options.anchors:
            return
        if explicit is not None:  # as written; later headings' ids step around it
            heading_id = explicit
            self.taken.setdefault(explicit, 0)
        else:
            slug_text = "".join(c.content for c in children if c.type in _SLUG_TEXT)
            heading_id = unique_id(github_slug(slug_text) or "section", self.taken)
        token.attrs["id"] = heading_id
        tokens[index + 2].meta = {"id": heading_id}  # heading_close: its self-link
        self.ids.append(heading_id)
        level = int(token.tag[1])
        if options.toc_min_level <= level <= options.toc_max_level:
            self.toc.append(TocEntry(level=level, id=heading_id, title=" ".join(text.split())))


_BREAKS = ("softbreak", "hardbreak")
_TASK_CHECKBOXES = frozenset(
    f'<input class="task-list-item-checkbox" {checked}disabled="disabled" type="checkbox">'
    for checked in ("", 'checked="checked" ')
)
_SLUG_TEXT = ("text", "code_inline")
