"""HTML and feeds compared by what they mean, not by how their characters are spelled.

A library may change how it writes a character without changing the document: Pygments 2.21
writes `"` in highlighted code where 2.19 wrote `&quot;`. So a golden file that differs in its
bytes is parsed into events (tags with their attributes, text with every character reference
resolved), and only a difference there counts. The HTML that a feed carries as text (an Atom
element with `type="html"`, an RSS `<description>`) is parsed in turn.
"""

from __future__ import annotations

from html.parser import HTMLParser

Event = tuple[object, ...]
MARKUP_SUFFIXES = (".html", ".xml")


def markup_events(text: str) -> list[Event]:
    """The parse of `text` as (kind, ...) events, adjacent text joined and unescaped."""
    parser = _Events()
    parser.feed(text)
    parser.close()
    return parser.events


def same_markup(path: str, actual: bytes, expected: bytes) -> bool:
    """True when the files are identical, or both are markup (by `path`) with the same events."""
    if actual == expected:
        return True
    if not path.endswith(MARKUP_SUFFIXES):
        return False
    return markup_events(actual.decode()) == markup_events(expected.decode())


class _Events(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[Event] = []
        self._text: list[str] = []
        self._html_in: str | None = None  # the element whose text is HTML, while inside it

    def _flush(self) -> None:
        text = "".join(self._text)
        self._text = []
        if text and self._html_in is not None:
            self.events.append(("html", tuple(markup_events(text))))
        elif text:
            self.events.append(("text", text))

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        self.events.append(("start", tag, tuple(attrs)))
        if ("type", "html") in attrs or tag == "description":
            self._html_in = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        self.events.append(("empty", tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        if tag == self._html_in:
            self._html_in = None
        self.events.append(("end", tag))

    def handle_comment(self, data: str) -> None:
        self._flush()
        self.events.append(("comment", data))

    def handle_decl(self, decl: str) -> None:
        self._flush()
        self.events.append(("decl", decl))

    def handle_pi(self, data: str) -> None:
        self._flush()
        self.events.append(("pi", data))

    def unknown_decl(self, data: str) -> None:
        self._flush()
        self.events.append(("cdata", data))

    def close(self) -> None:
        super().close()
        self._flush()
