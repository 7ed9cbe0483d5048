"""Redirects from old URLs (`aliases`, Jekyll's `redirect_from`) to where a document lives now.

Each alias becomes a small HTML page a plain static server serves at the old URL (meta refresh,
canonical link and a visible link, so it works without JavaScript and search engines follow
it); `_redirects` lists the same moves as 301s for hosts that read it (Netlify, Cloudflare Pages).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from sitegen.model import Document
from sitegen.routing import Route, url_route

REDIRECTS_FILE = "_redirects"


@dataclass(frozen=True)
class Redirect:
    """`route` (the old URL's output) redirects to `target` (a root-relative URL)."""

    route: Route
    target: str
    source: str  # the document that asked for it, for messages


def alias_routes(
    documents: Sequence[Document], routes: Mapping[str, Route], base_path: str
) -> tuple[Redirect, ...]:
    """A redirect per alias of every routed document (an alias equal to its own URL is none)."""
    found = []
    for doc in sorted(documents, key=lambda d: d.source):
        route = routes.get(doc.key)
        if route is None:
            continue
        for alias in doc.front.aliases:
            old = url_route(alias)
            if old.output != route.output:
                found.append(Redirect(old, base_path + route.path, f"{doc.source} (alias {alias})"))
    return tuple(found)


def redirect_page(target: str, absolute: str, language: str) -> str:
    """The HTML page left at an old URL."""
    url, full = escape(target), escape(absolute)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>Moved to {full}</title>\n"
        f'<link rel="canonical" href="{full}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        "</head>\n"
        "<body>\n"
        f'<p>This page has moved to <a href="{url}">{full}</a>.</p>\n'
        "</body>\n"
        "</html>\n"
    )


def redirects_file(redirects: Sequence[Redirect], base_path: str) -> str:
    """`_redirects`: one `old new 301` line per redirect, sorted."""
    lines = sorted(f"{base_path}{r.route.path} {r.target} 301" for r in redirects)
    return "".join(line + "\n" for line in lines)
