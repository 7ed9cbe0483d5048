"""Heading ids as GitHub makes them, unique in linear time, and a self-link on each heading.

Links written for GitHub, Hugo (`autoHeadingIDType = "github"`) or GitLab point at ids made by
the github-slugger rules: lower-case the heading's text, drop every character that is not a
letter, mark, decimal or letter number, connector punctuation (`_`), `-` or a space, and turn
each space into `-`. So `What's next?` -> `whats-next`, `Node.js` -> `nodejs`, `--run` ->
`--run`, `日本語` -> `日本語`. The n-th repeat of an id gets `-n`; github-slugger's
counter per id makes that linear (a search from `-1` upwards for each repeat is quadratic:
20,000 identical headings took 53 s).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import MutableMapping, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from sitegen.markdown.links import placeholder, target_of

_KEPT_CATEGORIES = frozenset({"Nd", "Nl", "Pc"})  # with every letter (L*) and mark (M*)
_ASCII_KEPT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_ ")
# `## Title {#custom-id}` (Hugo, Pandoc), `{: #custom-id}` (kramdown, Jekyll's), `{ #custom-id
# .class }` (MkDocs' attr_list): the id wins, other attributes are dropped.
_EXPLICIT_ID = re.compile(r"[ \t]*\{:?[ \t]*(?:[.\w-]+[ \t]+)*#([^\s{}#\"'<>&]+)[^{}]*\}[ \t]*$")
PLAIN = "plain"  # env key: render without ids, self-links or footnote references (summaries)
ANCHOR_CLASS = "header-anchor"  # styled by the default theme (style.css)


def github_slug(text: str) -> str:
    """The github-slugger slug of a heading's plain text (without the `-n` of repeats)."""
    lowered = text.lower()
    if lowered.isascii():
        kept = "".join(c for c in lowered if c in _ASCII_KEPT)
    else:
        kept = "".join(c for c in lowered if c in _ASCII_KEPT or _is_word(c))
    return kept.replace(" ", "-")


def _is_word(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LM" or category in _KEPT_CATEGORIES


def take_explicit_id(children: Sequence[Token]) -> str | None:
    """The id a heading's text ends with (`{#custom-id}`), removed from the text; or None."""
    last = children[-1] if children else None
    if last is None or last.type != "text":
        return None
    last.content, explicit = split_explicit_id(last.content)
    return explicit


def split_explicit_id(text: str) -> tuple[str, str | None]:
    """(text, id) of the last text of a heading that ends with `{#custom-id}`, or (text, None)."""
    if not text.endswith("}"):
        return text, None
    match = _EXPLICIT_ID.search(text)
    if match is None:
        return text, None
    return text[: match.start()], match.group(1)


def unique_id(slug: str, taken: MutableMapping[str, int]) -> str:
    """`slug`, or `slug-n` for its n-th repeat; `taken` (id -> repeats so far) is the
    document's state. github-slugger's rule: a literal heading `a-1` written before the
    second `a` makes that one `a-2`. Each call costs O(1) lookups plus one per id it skips,
    and an id is skipped at most once per slug, so a document costs linear time."""
    result = slug
    while result in taken:
        taken[slug] += 1
        result = f"{slug}-{taken[slug]}"
    taken[result] = 0
    return result


def heading_plugin(md: MarkdownIt) -> None:
    """Render headings with their id (set by render.py's walk) and a self-link; and, when the
    env asks for PLAIN output (list-page summaries), without either, and without footnote
    references (their notes are not part of a summary), and with same-page `#fragment` links
    as placeholders, which the site points at the document's own page."""
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    md.add_render_rule("link_open", _link_open)
    assert isinstance(md.renderer, RendererHTML)
    footnote_ref = md.renderer.rules.get("footnote_ref")
    if footnote_ref is not None:

        def _footnote_ref(
            self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
        ) -> str:
            return "" if env.get(PLAIN) else footnote_ref(tokens, idx, options, env)

        md.add_render_rule("footnote_ref", _footnote_ref)


def _link_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    href = tokens[idx].attrGet("href")
    if env.get(PLAIN) and isinstance(href, str) and href.startswith("#"):
        token = tokens[idx].copy(attrs={**tokens[idx].attrs, "href": plain_href(href)})
        return str(self.renderToken([token], 0, options, env))
    return str(self.renderToken(tokens, idx, options, env))


def plain_href(href: str) -> str:
    """A same-page `#fragment` link as PLAIN output writes it: a placeholder, which the site
    points at the document's own page (a summary is shown on other pages)."""
    return placeholder(target_of(href), href)


def _heading_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    token = tokens[idx]
    heading_id = token.attrs.get("id")
    return heading_open(token.tag, None if env.get(PLAIN) else heading_id)


def _heading_close(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    token = tokens[idx]
    heading_id = token.meta.get("id") if token.meta else None
    return heading_close(token.tag, None if env.get(PLAIN) else heading_id)


def heading_open(tag: str, heading_id: object) -> str:
    """`<h2 id="…">`, or `<h2>` without an id (no anchors, or PLAIN output)."""
    if heading_id is None:
        return f"<{tag}>"
    return f'<{tag} id="{escapeHtml(str(heading_id))}">'


def heading_close(tag: str, heading_id: object) -> str:
    """The self-link goes last in the heading, hidden from assistive technology and out of the
    tab order: the heading's accessible name stays its text, and the table of contents
    already links every heading for keyboard and screen-reader users. It is empty: the
    theme's CSS draws it, so feed readers and copied text show no stray `#`."""
    if heading_id is None:
        return f"</{tag}>\n"
    href = escapeHtml(f"#{heading_id}")
    return (
        f'<a class="{ANCHOR_CLASS}" href="{href}" aria-hidden="true" tabindex="-1"></a></{tag}>\n'
    )
