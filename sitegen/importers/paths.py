"""File walking and path arithmetic shared by the readers. Paths are POSIX, relative."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from sitegen.frontmatter import document_location
from sitegen.sources.local import MEDIA_ROOT

MARKDOWN = (".md", ".markdown")


def walk(root: Path, skip: Callable[[str, bool], bool]) -> list[str]:
    """Every file under `root` as a sorted relative path; `skip(path, is_dir)` prunes."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder).relative_to(root).as_posix()
        prefix = "" if here == "." else here + "/"
        dirs[:] = sorted(d for d in dirs if not skip(prefix + d, True))
        found += [prefix + f for f in files if not skip(prefix + f, False)]
    return sorted(found)


def relative(target: str, from_file: str) -> str:
    """`target` (a path in DEST) as written in the file `from_file` (also in DEST)."""
    return posixpath.relpath(target, posixpath.dirname(from_file) or ".")


def media_file(
    url: str, media: Mapping[str, str], site_prefixes: tuple[str, ...], page_url: str | None = None
) -> tuple[str, str] | None:
    """The copied file (its DEST path) a root-relative or own-site absolute URL names, or one
    relative to the page's old URL `page_url` (as a browser reads `../images/a.png`), with the
    URL's `?query#fragment`; None when `url` names no copied file."""
    if page_url is not None and not urlsplit(url).scheme and not url.startswith(("/", "#")):
        url = urljoin(page_url, url)
    for prefix in site_prefixes:
        if prefix and url.startswith(prefix):
            url = "/" + url[len(prefix) :].lstrip("/")
            break
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    dest = f"{MEDIA_ROOT}/{unquote(parts.path).lstrip('/')}"
    if dest not in media:
        return None
    return dest, url_suffix(url)


def url_suffix(url: str) -> str:
    """`?query#fragment` of a URL ('' when it has neither)."""
    parts = urlsplit(url)
    return ("?" + parts.query if parts.query else "") + (
        "#" + parts.fragment if parts.fragment else ""
    )


def unique_dests(dests: Mapping[str, str]) -> dict[str, str]:
    """Source -> dest, where two dests that would give one document key (names that repeat
    once the date is dropped: `2019-01-01-news.md`, `2020-01-01-news.md`) get `-2`, `-3`...;
    the first source in order keeps its name."""
    taken: set[str] = set()
    unique: dict[str, str] = {}
    for source in sorted(dests):
        dest = dests[source]
        stem, ext = posixpath.splitext(dest)
        number = 1
        while _key(dest) in taken:
            number += 1
            dest = f"{stem}-{number}{ext}"
        taken.add(_key(dest))
        unique[source] = dest
    return unique


def _key(dest: str) -> str:
    kind, slug = document_location(dest.removeprefix("content/"))
    return f"{kind}/{slug}"
