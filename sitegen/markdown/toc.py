"""The table of contents as nested `<ul>` lists."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.common.utils import escapeHtml

from sitegen.markdown.model import TocEntry


def toc_html(toc: Sequence[TocEntry]) -> str:
    """Nested `<ul>` of links to the headings; "" when fewer than 2 entries (a toc of one is noise).

    A deeper heading opens a list inside the previous item; a shallower one closes lists until
    one at its level or above. Skipped levels (h2 then h4) nest only one step.
    """
    if len(toc) < 2:
        return ""
    out = ["<ul>\n"]
    levels = [toc[0].level]  # the level of each open <ul>
    for index, entry in enumerate(toc):
        if index:
            if entry.level > levels[-1]:
                out.append("\n<ul>\n")
                levels.append(entry.level)
            else:
                out.append("</li>\n")
                while len(levels) > 1 and entry.level < levels[-1]:
                    levels.pop()
                    out.append("</ul>\n</li>\n")
        out.append(f'<li><a href="#{escapeHtml(entry.id)}">{escapeHtml(entry.title)}</a>')
    out.append("</li>\n")
    out.extend("</ul>\n</li>\n" for _ in levels[1:])
    out.append("</ul>\n")
    return "".join(out)
