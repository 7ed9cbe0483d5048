"""Conversions of Markdown bodies shared by the readers, and the listing of what stays.

Each function is text in, text out (plus the notes it makes), so it is tested on strings.
Line numbers in notes are lines of the source file: `first` is the line the body starts on.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from sitegen.importers.draft import Note
from sitegen.importers.paths import relative
from sitegen.paths import CONTENT_DIR

_HIGHLIGHT = re.compile(
    r"\{%-?\s*highlight\s+([\w+#.-]+)[^%]*?-?%\}\n?(.*?)\{%-?\s*endhighlight\s*-?%\}",
    re.DOTALL,
)
_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_FILE_TAG = re.compile(r"\{%-?\s*(link|post_url)\s+([^\s%]+)\s*-?%\}")
_SITE_URL = re.compile(r"\{\{-?\s*site\.(?:baseurl|base_url)\s*-?\}\}")
_RELATIVE_URL = re.compile(
    r"""\{\{-?\s*(["'])([^"']*)\1\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}"""
)
_LIQUID = re.compile(r"\{%-?\s*(\w+).*?%\}|\{\{-?\s*([^}<%]*?)\s*-?\}\}", re.DOTALL)
_KRAMDOWN_ATTRIBUTES = re.compile(r"^(?!#).*?(\{:\s*[^}\n]*\})", re.MULTILINE)
# An ATX heading, then kramdown's id for it on the next line: `## Title` / `{: #title}`.
_HEADING_THEN_ID = re.compile(r"^(#{1,6}[ \t].*?)[ \t]*\n(\{:[ \t]*#[^}\n]*\})[ \t]*$", re.M)
# kramdown's id for the block above, alone on its line: `{: #id}` (classes may come with it).
_BLOCK_ID = re.compile(
    r"^\{:[ \t]*(?:\.[\w-]+[ \t]+)*#([\w-]+)(?:[ \t]+\.[\w-]+)*[ \t]*\}[ \t]*$", re.M
)
_FENCED = re.compile(r"(^ {0,3}(?:```|~~~).*?^ {0,3}(?:```|~~~)[ \t]*$)", re.M | re.S)
_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?[\w./-]+)")
# Link targets: Markdown inline `](target`, reference definitions, and HTML src/href.
_TARGETS = re.compile(
    r"(?P<pre>\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?|\b(?:src|href)\s*=\s*[\"'])(?P<url>[^\s)\"'>]+)",
    re.MULTILINE,
)


def line_at(text: str, index: int, first: int) -> int:
    return first + text.count("\n", 0, index)


def convert_liquid(
    body: str, source: str, first: int, file_link: Callable[[str, str], str | None]
) -> tuple[str, list[Note], Counter[str]]:
    """Jekyll bodies: `{% highlight %}` blocks become fenced code, `{% link %}` and
    `{% post_url %}` links to the files (`file_link(tag, argument)` gives the new target),
    `{{ site.baseurl }}` and `relative_url` plain paths, `{% raw %}` marks go. Every other
    Liquid tag or output is left as written and listed."""
    changes: Counter[str] = Counter()
    notes: list[Note] = []

    def fence(match: re.Match[str]) -> str:
        changes["{% highlight %} blocks made fenced code"] += 1
        code = match.group(2)
        return f"```{match.group(1)}\n{code if code.endswith(chr(10)) else code + chr(10)}```"

    def link(match: re.Match[str]) -> str:
        target = file_link(match.group(1), match.group(2))
        if target is None:
            notes.append(
                Note(
                    source,
                    line_at(body, match.start(), first),
                    f"{{% {match.group(1)} {match.group(2)} %}}: no such file in the site; left as written",
                    f"{{% {match.group(1)} %}} to a missing file",
                )
            )
            return match.group(0)
        changes[f"{{% {match.group(1)} %}} tags made file links"] += 1
        return target

    body = _HIGHLIGHT.sub(fence, body)
    body = _FILE_TAG.sub(link, body)
    for pattern, name in ((_SITE_URL, "{{ site.baseurl }}"), (_RAW, "{% raw %} marks")):
        body, count = pattern.subn("", body)
        if count:
            changes[f"{name} removed"] += count
    body, count = _RELATIVE_URL.subn(lambda m: m.group(2), body)
    if count:
        changes["| relative_url filters made plain paths"] += count
    for match in _LIQUID.finditer(body):
        if match.group(0) in ("{{", "{{}}"):
            continue
        what = (
            f"tag {{% {match.group(1)} %}}" if match.group(1) else f"output {match.group(0)[:60]}"
        )
        kind = f"Liquid tag {{% {match.group(1)} %}}" if match.group(1) else "Liquid output {{ }}"
        line = line_at(body, match.start(), first)
        notes.append(Note(source, line, f"Liquid {what} left as written", kind))
    return body, notes, changes


def shortcode_names(body: str) -> set[str]:
    """The names of the shortcodes `body` calls."""
    return {m.group(2) for m in _SHORTCODE.finditer(body) if not m.group(2).startswith("/")}


def stub_shortcode(name: str) -> str:
    """A template for a shortcode sitegen does not have, so the site builds: it shows what a
    paired call wraps, and nothing for a single call, until someone writes the real one."""
    return (
        f"{{#- Written by `sitegen import`: the old site's `{name}` shortcode, which sitegen does\n"
        "    not have. It shows only the text a paired call wraps: write the real template here"
        " (context: the call's named arguments, `args`, `positional`, `inner`). -#}\n"
        "{{ inner }}\n"
    )


def list_shortcodes(body: str, source: str, first: int) -> list[Note]:
    """A note per Hugo shortcode (`{{< name >}}`, `{{% name %}}`); closing tags are skipped."""
    return [
        Note(
            source,
            line_at(body, m.start(), first),
            f"Hugo shortcode {{{{{m.group(1)} {m.group(2)} {'>' if m.group(1) == '<' else '%'}}}}} "
            "left as written "
            "(templates/shortcodes/ can render it)",
            f"Hugo shortcode {m.group(2)}",
        )
        for m in _SHORTCODE.finditer(body)
        if not m.group(2).startswith("/")
    ]


def heading_ids(body: str) -> tuple[str, int]:
    """kramdown's heading id on the line after an ATX heading moved onto the heading line
    (`## Title {: #id}`, which sitegen reads), the line left blank so lines keep their numbers."""
    return _HEADING_THEN_ID.subn(r"\1 \2\n", body)


def block_ids(body: str) -> tuple[str, int]:
    """kramdown's id for a paragraph or list (`{: #id}` on the line after it) made an empty
    anchor `<a id="id"></a>` in its place, so links to `#id` still land there (CommonMark
    has no attribute lists; left as written, the line would show as text). Fenced code is
    left alone; run after `heading_ids`, which handles headings."""
    count = 0

    def anchor(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f'<a id="{match.group(1)}"></a>'

    return _outside_fences(body, lambda part: _BLOCK_ID.sub(anchor, part)), count


def list_kramdown(body: str, source: str, first: int) -> list[Note]:
    """A note per kramdown attribute list (`{: #id}`, `{: .class}`) that is not a heading's
    id: CommonMark has none, so the id or class it sets is not set. Fenced code is skipped."""
    prose = _FENCED.sub(_blank_lines, body)
    return [
        Note(
            source,
            line_at(prose, m.start(1), first),
            f"kramdown attribute list {m.group(1)} left as written",
            "kramdown attribute list {: }",
        )
        for m in _KRAMDOWN_ATTRIBUTES.finditer(prose)
    ]


def _blank_lines(match: re.Match[str]) -> str:
    """A fenced block emptied, its line breaks kept (so positions keep their line numbers)."""
    return "\n" * match.group(0).count("\n")


def rewrite_targets(
    body: str, find: Callable[[str], tuple[str, str] | None], doc_dest: str, base_path: str
) -> tuple[str, int]:
    """Every link or image target naming a copied file (`find(url)` gives its DEST path and
    `?query#fragment`) rewritten, with the number rewritten. Markdown gets a file link, which
    sitegen checks and resolves; raw HTML (which sitegen does not resolve) the file's URL.
    Fenced code is left alone."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        found = find(match.group("url"))
        if found is None:
            return match.group(0)
        count += 1
        dest, suffix = found
        pre = match.group("pre")
        if pre.lstrip().startswith(("src", "href")):
            return pre + base_path + dest.removeprefix(CONTENT_DIR + "/") + suffix
        return pre + relative(dest, doc_dest) + suffix

    return _outside_fences(body, lambda part: _TARGETS.sub(replace, part)), count


def _outside_fences(body: str, change: Callable[[str], str]) -> str:
    """`change` applied to every part of `body` outside fenced code blocks."""
    parts = _FENCED.split(body)
    return "".join(part if index % 2 else change(part) for index, part in enumerate(parts))
