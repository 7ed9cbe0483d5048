"""The local working copy: `content/posts/**.md`, `content/pages/**.md`, `content/media/**`.

Scanning only stats files (cheap, used by the build to decide what changed); reading parses
them. Paths are POSIX and relative to the site folder (`content/posts/a.md`), as in messages.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import BuildFailed, ContentError, SitegenError
from sitegen.model import Document, Media, Snapshot

CONTENT_DIR = "content"
DOCUMENT_DIRS = ("content/posts", "content/pages")
MEDIA_ROOT = "content/media"

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


class LocalContent:
    """content/ as a ContentStore (no cache: sync wants the files as they are now)."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir

    def snapshot(self) -> Snapshot:
        """Parse every document; BuildFailed lists every invalid file."""
        from sitegen.errors import ContentErrors
        from sitegen.frontmatter import parse_document

        files = scan_content(self.site_dir)
        documents: list[Document] = []
        errors: list[SitegenError] = []
        for path in files.documents:
            try:
                text = (self.site_dir / path).read_text(encoding="utf-8")
                documents.append(parse_document(text, source=path))
            except UnicodeDecodeError as exc:
                errors.append(ContentError(f"is not UTF-8 text (byte {exc.start})", file=path,
                                           hint="save the file as UTF-8"))
            except ContentErrors as exc:
                errors.extend(exc.errors)
            except SitegenError as exc:
                errors.append(exc)
        if errors:
            raise BuildFailed(errors)
        media = tuple(
            Media(path=media_path(path), sha256=sha256_file(self.site_dir / path), size=size)
            for path, (size, _) in files.media.items()
        )
        return Snapshot(documents=tuple(documents), media=media)
