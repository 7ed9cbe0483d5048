"""Shortcodes: `{{< name arg="v" >}}` and `{{% name %}}...{{% /name %}}` (Hugo's syntax).

A call is rendered by the template `shortcodes/<name>.html` (the site's templates/ first, then
the theme's) with its named arguments as variables, plus `args` (all of them), `positional`
and `inner`. A paired call's inner text stays Markdown in the document: the template is
rendered once with a marker as `inner` and cut there, so the inner part's links and headings
are the document's own. `include` is built in: it puts another file's text (a path relative to
the site, inside content/ or data/, whose edits a build sees) in place of the call. Calls inside code spans and fences are text.

Expansion happens before Markdown: each call becomes a marker the renderer passes through,
then the marker is swapped for the template's HTML. Internal `href`/`src` in that HTML become
link placeholders like the Markdown's own, so they are resolved and checked too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.data_files import DATA_DIR
from sitegen.errors import ContentError
from sitegen.markdown import LinkRef, MarkdownOptions, Rendered, render_markdown
from sitegen.markdown.links import is_internal, placeholder, target_of
from sitegen.paths import CONTENT_DIR

SHORTCODE_DIR = "shortcodes"
INCLUDE = "include"
INCLUDE_DIRS = (CONTENT_DIR, DATA_DIR)  # the folders a build scans, so an edit there is seen
_TAG = re.compile(
    r"\{\{(?P<open>[<%])\s*(?P<close>/)?\s*(?P<name>[A-Za-z][\w-]*)(?P<args>.*?)\s*"
    r"(?P<end>[>%])\}\}",
    re.DOTALL,
)
_ARG = re.compile(
    r"""\s*(?:(?P<key>[A-Za-z_][\w-]*)\s*=\s*)?(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+))"""
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_ATTRIBUTE = re.compile(r"""\b(href|src)="([^"]*)\"""")
_MARK_OPEN, _MARK_CLOSE = "\x0e", "\x0f"  # SO and SI: control characters no text contains
# A block call's marker is a paragraph of its own; an inline one sits in its sentence.
_MARKER = re.compile(f"<p>{_MARK_OPEN}(\\d+){_MARK_CLOSE}</p>\\n?|{_MARK_OPEN}(\\d+){_MARK_CLOSE}")
_INNER = "\x10inner\x10"
_MAX_DEPTH = 8  # includes inside includes


@dataclass(frozen=True)
class Shortcodes:
    """The shortcode templates a site can call (by name) and the folder includes are read from."""

    site_dir: Path
    template_dirs: tuple[Path, ...]  # highest priority first: the site's, then the theme's
    names: frozenset[str] = field(init=False)
    digest: str = field(init=False)  # names the templates' bytes (part of the render cache key)

    def __post_init__(self) -> None:
        names = {
            path.stem
            for folder in self.template_dirs
            if (folder / SHORTCODE_DIR).is_dir()
            for path in (folder / SHORTCODE_DIR).glob("*.html")
        }
        found = hashlib.sha256()
        for name in sorted(names):
            found.update(name.encode() + b"\0" + self._template(name).read_bytes() + b"\0")
        object.__setattr__(self, "names", frozenset(names))
        object.__setattr__(self, "digest", found.hexdigest()[:16])

    def _template(self, name: str) -> Path:
        for folder in self.template_dirs:
            path = folder / SHORTCODE_DIR / f"{name}.html"
            if path.is_file():
                return path
        raise KeyError(name)

    def environment(self) -> Any:
        """A Jinja environment over the shortcode templates (made when a document needs it)."""
        import jinja2

        return jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d / SHORTCODE_DIR) for d in self.template_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
        )


@dataclass(frozen=True)
class Expanded:
    """A document's Markdown rendering with its shortcodes in, and the files it included
    (path relative to the site, sha256): the rendering is stale when one of them changes."""

    rendered: Rendered
    includes: tuple[tuple[str, str], ...] = ()


def has_shortcodes(body: str) -> bool:
    return "{{<" in body or "{{%" in body


def render_document(
    body: str, options: MarkdownOptions, shortcodes: Shortcodes | None, source: str, first_line: int
) -> Expanded:
    """Render a document's body with its shortcodes; ContentError (file:line) for a bad call.
    `first_line` is the file line where the body starts."""
    if shortcodes is None or not has_shortcodes(body):
        return Expanded(render_markdown(body, options))
    env = shortcodes.environment()
    state = _State(shortcodes, env, source, first_line)
    text, lines = state.expand(_unmarked(body), 0)
    rendered = render_markdown(text, options)

    def swap(found: re.Match[str]) -> str:
        return state.outputs[int(found.group(1) or found.group(2))]

    links = [
        dataclasses.replace(
            ref, line=lines[ref.line - 1] if ref.line - 1 < len(lines) else ref.line
        )
        for ref in rendered.links
    ]
    rendered = dataclasses.replace(
        rendered,
        html=_MARKER.sub(swap, rendered.html),
        summary_html=_MARKER.sub(swap, rendered.summary_html),
        links=tuple(links + state.links),
    )
    return Expanded(rendered, tuple(state.includes))


@dataclass
class _State:
    shortcodes: Shortcodes
    env: Any
    source: str
    first_line: int
    outputs: list[str] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    includes: list[tuple[str, str]] = field(default_factory=list)

    def expand(self, text: str, depth: int, at: int | None = None) -> tuple[str, list[int]]:
        """`text` with every call replaced by a marker (or an include's text), and for each line
        of the result the body line it comes from. An included text (`at`: its call's line)
        stands for that line as a whole."""
        calls = _calls(text)
        closers = _pair(calls, lambda call: self._stray(call, at or call.line(text)))
        after: dict[int, str] = {}  # HTML after `inner` of a paired call, by its closer's index
        pieces: list[tuple[str, int, bool]] = []  # (text, line of its start, stands for a call)
        position = 0
        for index, call in enumerate(calls):
            line = at or call.line(text)
            pieces.append((text[position : call.start], at or _line_at(text, position), False))
            position = call.end_at
            if call.closing:
                output = after.pop(index)
            elif call.name == INCLUDE:
                pieces.append((self._include(call, line, depth), line, True))
                continue
            else:
                output = self._render(call, line, paired=index in closers)
                if index in closers:
                    output, _, after[closers[index]] = output.partition(_INNER)
            pieces.append((self._marker(output, text, call), line, True))
        pieces.append((text[position:], at or _line_at(text, position), False))
        return "".join(piece for piece, _, _ in pieces), _line_map(pieces)

    def _marker(self, output: str, text: str, call: _Call) -> str:
        self.outputs.append(output)
        marker = f"{_MARK_OPEN}{len(self.outputs) - 1}{_MARK_CLOSE}"
        return f"\n\n{marker}\n\n" if call.alone(text) else marker

    def _render(self, call: _Call, line: int, *, paired: bool) -> str:
        import jinja2

        if call.name not in self.shortcodes.names:
            known = ", ".join(sorted({*self.shortcodes.names, INCLUDE}))
            raise self._error(
                line,
                f"unknown shortcode {call.name!r}",
                f"add templates/{SHORTCODE_DIR}/{call.name}.html, or use one of: {known}",
            )
        context = {
            **call.named,
            "args": call.named,
            "positional": call.positional,
            "inner": _INNER if paired else "",
        }
        try:
            output = self.env.get_template(f"{call.name}.html").render(context)
        except jinja2.UndefinedError as exc:
            missing = re.match(r"'(\w+)' is undefined", exc.message or "")
            example = f'{missing.group(1) if missing else "name"}="..."'
            raise self._error(
                line,
                f"shortcode {call.name!r}: {exc.message}",
                f"give the argument it needs, e.g. {{{{< {call.name} {example} >}}}}",
            ) from None
        except jinja2.TemplateError as exc:
            raise self._error(
                line,
                f"shortcode {call.name!r}: {exc}",
                f"fix templates/{SHORTCODE_DIR}/{call.name}.html",
            ) from None
        return self._link_placeholders(output.strip(), line)

    def _link_placeholders(self, output: str, line: int) -> str:
        """Internal href/src in a shortcode's HTML become placeholders (and links to check)."""

        def swap(found: re.Match[str]) -> str:
            href = html.unescape(found.group(2))
            if not is_internal(href):
                return found.group(0)
            target = target_of(href)
            self.links.append(LinkRef(target, line, "image" if found.group(1) == "src" else "link"))
            return f'{found.group(1)}="{html.escape(placeholder(target, href))}"'

        return _ATTRIBUTE.sub(swap, output)

    def _stray(self, call: _Call, line: int) -> ContentError:
        tag = f"{{{{{call.open} /{call.name} {call.end}}}}}"
        return self._error(
            line, f"{tag} closes no {call.name!r}", "remove it, or open the shortcode before it"
        )

    def _include(self, call: _Call, line: int, depth: int) -> str:
        name = call.named.get("file") or (call.positional[0] if call.positional else None)
        if not name:
            raise self._error(
                line, "include: which file?", 'name it: {{% include "snippets/note.md" %}}'
            )
        site = self.shortcodes.site_dir.resolve()
        path = (site / name).resolve()
        if not any(path.is_relative_to(site / folder) for folder in INCLUDE_DIRS):
            raise self._error(
                line,
                f"include {name!r} is outside content/ and data/",
                "include a file the build watches, by its path from the site folder, "
                "e.g. `content/snippets/note.md`",
            )
        if depth >= _MAX_DEPTH:
            raise self._error(
                line, f"include {name!r}: includes nest too deep", "does it include itself?"
            )
        try:
            data = path.read_bytes()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = "no such file" if isinstance(exc, FileNotFoundError) else str(exc)
            raise self._error(
                line,
                f"include {name!r}: {reason}",
                "give the path from the site folder, e.g. `content/snippets/note.md`",
            ) from None
        self.includes.append((path.relative_to(site).as_posix(), hashlib.sha256(data).hexdigest()))
        return self.expand(_unmarked(text), depth + 1, at=line)[0]

    def _error(self, line: int, message: str, hint: str) -> ContentError:
        return ContentError(message, file=self.source, line=self.first_line + line - 1, hint=hint)


@dataclass(frozen=True)
class _Call:
    open: str  # `<` or `%`
    end: str
    closing: bool
    name: str
    named: dict[str, str]
    positional: tuple[str, ...]
    start: int
    end_at: int

    def line(self, text: str) -> int:
        return text.count("\n", 0, self.start) + 1

    def alone(self, text: str) -> bool:
        """True when nothing but blanks shares the call's lines: it is a block of its own."""
        line_start = text.rfind("\n", 0, self.start) + 1
        line_end = text.find("\n", self.end_at)
        after = text[self.end_at :] if line_end < 0 else text[self.end_at : line_end]
        return not text[line_start : self.start].strip() and not after.strip()


def _calls(text: str) -> list[_Call]:
    """The calls in `text`, in order, leaving out those inside code fences and spans."""
    code = _code_ranges(text)
    calls = []
    for found in _TAG.finditer(text):
        if any(start <= found.start() < end for start, end in code):
            continue
        named: dict[str, str] = {}
        positional: list[str] = []
        for arg in _ARG.finditer(found.group("args").rstrip("/").strip()):
            value = next(v for v in arg.group("dq", "sq", "bare") if v is not None)
            if arg.group("key"):
                named[arg.group("key")] = value
            else:
                positional.append(value)
        calls.append(
            _Call(
                found.group("open"),
                found.group("end"),
                bool(found.group("close")),
                found.group("name"),
                named,
                tuple(positional),
                found.start(),
                found.end(),
            )
        )
    return calls


def _pair(calls: Sequence[_Call], stray: Callable[[_Call], ContentError]) -> dict[int, int]:
    """Opening call index -> its closing call's index; a closing call that closes nothing is
    an error (`stray` makes it)."""
    open_by_name: dict[str, list[int]] = {}
    pairs: dict[int, int] = {}
    for index, call in enumerate(calls):
        if call.closing:
            waiting = open_by_name.get(call.name)
            if not waiting:
                raise stray(call)
            pairs[waiting.pop()] = index
        elif call.name != INCLUDE:
            open_by_name.setdefault(call.name, []).append(index)
    return pairs


def _code_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks and inline code spans (where `{{<` is just text)."""
    ranges: list[tuple[int, int]] = []
    position = 0
    fence: re.Match[str] | None = None
    for found in _FENCE.finditer(text):
        if fence is None:
            fence = found
        elif found.group(1)[0] == fence.group(1)[0] and len(found.group(1)) >= len(fence.group(1)):
            ranges.append((fence.start(), found.end()))
            fence = None
    if fence is not None:
        ranges.append((fence.start(), len(text)))
    for start, end in [*ranges, (len(text), len(text))]:
        ranges += [(m.start(), m.end()) for m in _CODE_SPAN.finditer(text, position, start)]
        position = end
    return ranges


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _line_map(pieces: Sequence[tuple[str, int, bool]]) -> list[int]:
    """For each line of the joined pieces, the body line it comes from: lines of the body's
    own text keep theirs; every line a call's replacement adds stands for the call's line."""
    lines = [pieces[0][1] if pieces else 1]
    for text, line, for_call in pieces:
        count = text.count("\n")
        lines += [line] * count if for_call else range(line + 1, line + 1 + count)
    return lines


def _unmarked(text: str) -> str:
    """The text without the marker characters (no author writes them; none may forge one)."""
    if _MARK_OPEN in text or _MARK_CLOSE in text:
        return text.replace(_MARK_OPEN, "\ufffd").replace(_MARK_CLOSE, "\ufffd")
    return text
