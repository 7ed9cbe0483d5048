"""Map a request path to a file in the preview output folder, the way static hosts do.

Pretty URLs: `/posts/x/` serves `posts/x/index.html`; `/posts/x` redirects to `/posts/x/` when
that folder has an index.html; anything missing gets the site's `404.html` with status 404.
Nothing outside the output folder is ever served: `..` segments, backslashes, NUL bytes and
symlinks leading out are all "not found". Pure: only reads the file system.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

INDEX = "index.html"
NOT_FOUND_PAGE = "404.html"


@dataclass(frozen=True)
class Found:
    """Serve this file with status 200."""

    file: Path


@dataclass(frozen=True)
class Redirect:
    """Send the browser to `location` (a root-relative path ending in `/`)."""

    location: str


@dataclass(frozen=True)
class NotFound:
    """Answer 404 with the site's 404 page, or a bare message when it has none."""

    page: Path | None


Resolution = Found | Redirect | NotFound


def resolve(root: Path, raw_path: str) -> Resolution:
    """Resolve the (percent-encoded) path of a request against the output folder `root`."""
    root = root.resolve()
    try:
        segments = _segments(unquote(raw_path, errors="strict"))
    except UnicodeDecodeError:
        segments = None
    if segments is None:
        return _not_found(root)
    target = root.joinpath(*segments)
    if not _inside(root, target):
        return _not_found(root)
    if target.is_file():
        return Found(target)
    index = target / INDEX
    if target.is_dir() and index.is_file() and _inside(root, index):
        if raw_path.endswith("/"):
            return Found(index)
        return Redirect("/" + "".join(f"{quote(segment)}/" for segment in segments))
    return _not_found(root)


def _segments(path: str) -> list[str] | None:
    """The path's non-empty segments, or None when any of them could step outside the root."""
    if "\\" in path or "\x00" in path:
        return None
    segments = [segment for segment in path.split("/") if segment not in ("", ".")]
    if ".." in segments:
        return None
    return segments


def _inside(root: Path, target: Path) -> bool:
    """Is `target`, after following symlinks, inside `root`?"""
    try:
        return target.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # symlink loop, unreadable folder
        return False


def _not_found(root: Path) -> NotFound:
    page = root / NOT_FOUND_PAGE
    return NotFound(page if page.is_file() and _inside(root, page) else None)
