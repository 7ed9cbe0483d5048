"""What one pass over a parsed document collects, besides the HTML.

`Walk` holds the facts (toc, heading ids, internal links with their line numbers, words and
code for search terms, unknown code languages, where raw HTML is, where the summary ends) and
the rules that make them, as methods on plain values. Two passes drive it: `Walk.run` over
markdown-it-py's tokens (render.py), and the tree renderer over markdown-it-pyrs's nodes
(fast.py), so both paths make the same facts the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.token import Token

from sitegen.markdown.headings import github_slug, take_explicit_id, unique_id
from sitegen.markdown.highlight import canonical_info, is_unknown_language
from sitegen.markdown.links import is_internal, placeholder, target_of
from sitegen.markdown.model import LinkRef, MarkdownOptions, TocEntry
from sitegen.markdown.parser import MORE_TOKEN
from sitegen.markdown.sanitize import html_ids


@dataclass
class Walk:
    """State of the single pass over a document."""

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

    # The rules, on values

    def prose(self, text: str, line: int, *, code: bool = False) -> None:
        """A text (or inline code) a reader reads; escaped raw HTML is found in text."""
        self.text.append(text)
        if self.escaped_html and not code and not self.raw_html_line and HTML_TAG_RE.search(text):
            self.raw_html_line = line

    def link(self, href: str, kind: str, line: int) -> str:
        """Note a link (`kind` "link") or image; the URL to write: internal ones become
        placeholders, and `#fragment` links are checked against this page's ids."""
        if (href.startswith("#") and kind == "link") or is_internal(href):
            self.links.append(LinkRef(target=target_of(href), line=line, kind=kind))
        return written_url(href)

    def raw_html(self, html: str, line: int) -> None:
        if not self.raw_html_line:
            self.raw_html_line = line
        if self.options.allow_html is not False:
            self.ids += html_ids(html)

    def fence(self, info: str, code: str, line: int) -> str:
        """Note a fenced block; its info string with the language under its canonical name."""
        self.code.append(code)
        language, info = canonical_info(info)
        if self.options.highlight and is_unknown_language(language):
            self.unknown_languages.append((language, line))
        return info

    def heading(self, level: int, slug_text: str, text: str, explicit: str | None) -> str | None:
        """The heading's id (None without anchors), noted with its toc entry. `slug_text` is
        its text and inline code, `text` what a reader reads of it, both without `{#id}`."""
        options = self.options
        if not options.anchors:
            return None
        if explicit is not None:  # as written; later headings' ids step around it
            heading_id = explicit
            self.taken.setdefault(explicit, 0)
        else:
            heading_id = unique_id(github_slug(slug_text) or "section", self.taken)
        self.ids.append(heading_id)
        if options.toc_min_level <= level <= options.toc_max_level:
            self.toc.append(TocEntry(level=level, id=heading_id, title=" ".join(text.split())))
        return heading_id

    # The pass over markdown-it-py's tokens

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
                    self._heading(tokens, heading, children, "".join(self.text[start:]), explicit)
                    heading = None
                self.text.append(" ")
            elif kind == "heading_open":
                heading = index
            elif kind == "fence":
                token.info = self.fence(token.info, token.content, _line(token))
            elif kind == "code_block":
                self.code.append(token.content)
            elif kind == "html_block":
                self.raw_html(token.content, _line(token))
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
                self.prose(child.content, line, code=kind == "code_inline")
            elif kind == "softbreak" or kind == "hardbreak":
                self.text.append(" ")
                line += 1
            elif kind == "link_open":
                self._link(child, "href", "link", line)
            elif kind == "image":
                self._link(child, "src", "image", line)
                line += sum(1 for c in child.children or () if c.type in BREAKS)
            elif kind == "html_inline":
                if child.content not in _TASK_CHECKBOXES:  # the task list plugin's own
                    self.raw_html(child.content, line)
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
        if isinstance(href, str):
            token.attrs[attr] = self.link(href, kind, line)

    def _heading(
        self,
        tokens: list[Token],
        index: int,
        children: list[Token],
        text: str,
        explicit: str | None,
    ) -> None:
        token = tokens[index]
        slug_text = "".join(c.content for c in children if c.type in SLUG_TEXT)
        heading_id = self.heading(int(token.tag[1]), slug_text, text, explicit)
        if heading_id is not None:
            token.attrs["id"] = heading_id
            tokens[index + 2].meta = {"id": heading_id}  # heading_close: its self-link


def written_url(href: str) -> str:
    """A link's or image's URL as the HTML has it: an internal one as a placeholder."""
    return placeholder(target_of(href), href) if is_internal(href) else href


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 1


BREAKS = ("softbreak", "hardbreak")
SLUG_TEXT = ("text", "code_inline")  # what a heading's id is made of
_TASK_CHECKBOXES = frozenset(
    f'<input class="task-list-item-checkbox" {checked}disabled="disabled" type="checkbox">'
    for checked in ("", 'checked="checked" ')
)
