"""The local working copy: `content/posts/**.md`, `content/pages/**.md`, `content/media/**`.

Scanning only stats files (cheap: the build and sync use it to decide what changed); they parse
the files they need themselves. Paths are POSIX and relative to the site folder (`content/posts/a.md`), as in messages.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = "content"
DOCUMENT_DIRS = ("content/posts", "content/pages")
MEDIA_ROOT = "content/media"
PAGES_ROOT = "content/pages"  # its files other than Markdown are copied beside the pages

# relative path -> (size, mtime_ns)
Stats = dict[str, tuple[int, int]]


def scan_tree(root: Path, prefix: str) -> Stats:
    """Stats of every file below `root` (dot files and folders skipped), keyed `prefix/rel`."""
    found: Stats = {}
    stack = [(root, prefix)]
    while stack:
        folder, rel = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            name = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_dir():
                stack.append((Path(entry.path), name))
            elif entry.is_file():
                stat = entry.stat()
                found[name] = (stat.st_size, stat.st_mtime_ns)
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class ContentFiles:
    documents: Stats  # Markdown files of posts and pages
    media: Stats  # keyed by path relative to the site dir (`content/media/img/a.png`)


def scan_content(site_dir: Path) -> ContentFiles:
    documents: Stats = {}
    for folder in DOCUMENT_DIRS:
        stats = scan_tree(site_dir / folder, folder)
        documents.update((path, stat) for path, stat in stats.items() if path.endswith(".md"))
    return ContentFiles(documents=documents, media=scan_tree(site_dir / MEDIA_ROOT, MEDIA_ROOT))


def sha256_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def media_path(site_path: str) -> str:
    """`content/media/img/a.png` -> `img/a.png`."""
    return site_path.removeprefix(MEDIA_ROOT + "/")
