"""The error overlay shown over every served page while a rebuild or pull is failing.

The last good site stays up; the overlay tells the author why the page is stale, naming
file:line. Error text comes from user files and remote rows, so every piece is HTML-escaped.
Pure string work: `problems_from` flattens an error, `overlay_html` renders, `inject` places
snippets into a served HTML page.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from sitegen.errors import SitegenError

OVERLAY_ID = "sitegen-error-overlay"


@dataclass(frozen=True)
class Problem:
    """One thing to show: what failed, where, why and what to do."""

    source: str  # "build" or "pull"
    location: str  # "content/posts/x.md:3", or "" when the error has no file
    message: str
    hint: str | None = None


def problems_from(error: BaseException, source: str) -> tuple[Problem, ...]:
    """Flatten an error (BuildFailed and friends carry several in `.errors`) into problems."""
    nested = getattr(error, "errors", None)
    if isinstance(error, SitegenError) and nested:
        return tuple(problem for inner in nested for problem in problems_from(inner, source))
    if isinstance(error, SitegenError):
        message = f"{error.field}: {error.message}" if error.field else error.message
        return (Problem(source, error.location, message, error.hint),)
    return (
        Problem(
            source,
            "",
            f"{type(error).__name__}: {error}",
            "this is a bug in sitegen; the terminal shows the traceback",
        ),
    )


def overlay_html(problems: Iterable[Problem]) -> str:
    """A fixed-position panel listing the problems; empty string when there are none."""
    items = [_item(problem) for problem in problems]
    if not items:
        return ""
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="position:fixed;inset:0;z-index:2147483647;'
        "overflow:auto;background:rgba(20,20,20,.92);color:#f5f5f5;padding:2rem;"
        'font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;text-align:left">'
        '<button type="button" onclick="this.parentNode.remove()" aria-label="Hide" '
        'style="float:right;font:inherit;cursor:pointer">Hide</button>'
        '<h2 style="margin:0 0 1rem;color:#ff6b6b;font:bold 18px/1.4 inherit">'
        "sitegen: the preview shows the last good build</h2>"
        f'<ul style="list-style:none;margin:0;padding:0">{"".join(items)}</ul>'
        '<p style="margin-top:1rem;color:#aaa">Fix the file and save: the page reloads by itself.</p>'
        "</div>"
    )


def _item(problem: Problem) -> str:
    location = (
        f'<code class="sitegen-error-location" style="color:#ffd166">'
        f"{html.escape(problem.location)}</code> "
        if problem.location
        else ""
    )
    hint = (
        f'<div style="color:#9ad">hint: {html.escape(problem.hint)}</div>' if problem.hint else ""
    )
    return (
        f'<li style="margin:0 0 1rem;white-space:pre-wrap">'
        f"<strong>{html.escape(problem.source)} failed:</strong> {location}"
        f"{html.escape(problem.message)}{hint}</li>"
    )


def inject_into_head(page: bytes, snippet: str) -> bytes:
    """Insert `snippet` before the first `</head>` (else before `</body>`, else at the end)."""
    lowered = page.lower()
    at = lowered.find(b"</head>")
    return _insert(page, snippet, at if at >= 0 else lowered.rfind(b"</body>"))


def inject_at_body_end(page: bytes, snippet: str) -> bytes:
    """Insert `snippet` before the last `</body>` (else at the end)."""
    return _insert(page, snippet, page.lower().rfind(b"</body>"))


def _insert(page: bytes, snippet: str, at: int) -> bytes:
    data = snippet.encode("utf-8")
    return page + data if at < 0 else page[:at] + data + page[at:]
