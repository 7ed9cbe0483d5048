"""The local working copy: `content/posts/**.md`, `content/pages/**.md`, `content/media/**`.

Scanning only stats files (cheap: the build and sync use it to decide what changed); they parse
the files they need themselves. Paths are POSIX and relative to the site folder (`content/posts/a.md`), as in messages.
"""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import ContentError, from_os_error, printable_path
from sitegen.paths import CONTENT_DIR

PAGES_ROOT = f"{CONTENT_DIR}/pages"  # its files other than Markdown are copied beside the pages
DOCUMENT_DIRS = (f"{CONTENT_DIR}/posts", PAGES_ROOT)
MEDIA_DIR = "media"
MEDIA_ROOT = f"{CONTENT_DIR}/{MEDIA_DIR}"
# A media file keeps its path below content/ as its output path and its sync key: media/img/cat.png
MEDIA_PREFIX = f"{MEDIA_DIR}/"
MARKDOWN_SUFFIXES = (".md", ".markdown")  # `.markdown` is Jekyll's other spelling

# relative path -> (size, mtime_ns)
Stats = dict[str, tuple[int, int]]


def scan_tree(root: Path, prefix: str, within: Path | None = None) -> Stats:
    """Stats of every file below `root` (dot files and folders skipped), keyed `prefix/rel`.

    `within` scans inputs: a symbolic link is followed when it resolves inside `within` (the
    site), and is a ContentError naming it when it leads outside or into a loop, so nothing
    outside the site is ever published. Without `within` (the output folder) links are never
    followed: a link is listed as a file of its own, and removing it removes only the link.
    A name that is not valid UTF-8 is a ContentError giving the name escaped.
    """
    found: Stats = {}
    boundary = os.path.realpath(within) if within is not None else None
    if boundary is not None and os.path.lexists(root):
        real = os.path.realpath(root)
        if not _inside(real, boundary):
            raise _link_error(prefix, f"leads to {printable_path(real)}, outside the site")
    stack: list[tuple[str, str, tuple[str, ...]]] = [(str(root), prefix, (os.path.realpath(root),))]
    while stack:
        folder, rel, chain = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            raise from_os_error(exc) from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            name = f"{rel}/{entry.name}" if rel else entry.name
            _check_name(name)
            try:
                if entry.is_symlink():
                    if boundary is None:
                        found[name] = _stat_pair(entry.stat(follow_symlinks=False))
                        continue
                    target = _check_link(entry.path, name, boundary, chain)
                    if target is None:
                        continue  # a dangling link: no file, as before
                    if os.path.isdir(target):
                        stack.append((entry.path, name, (*chain, target)))
                    elif os.path.isfile(target):
                        found[name] = _stat_pair(os.stat(target))
                elif entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, name, (*chain, os.path.join(chain[-1], entry.name))))
                elif entry.is_file(follow_symlinks=False):
                    found[name] = _stat_pair(entry.stat(follow_symlinks=False))
            except OSError as exc:
                raise from_os_error(exc) from None
    return dict(sorted(found.items()))


def _stat_pair(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_size, stat.st_mtime_ns


def _check_name(name: str) -> None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ContentError(
            "the file name is not valid UTF-8",
            file=printable_path(name),
            hint="rename the file (sitegen makes URLs from file names, and URLs are UTF-8)",
        ) from None


def _check_link(path: str, name: str, boundary: str, chain: tuple[str, ...]) -> str | None:
    """Where the link `path` leads, when that is inside `boundary` and not a folder it is
    already in (`chain`); None for a dangling link. Raises ContentError naming `name`."""
    target = os.path.realpath(path)
    try:
        os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        raise _link_error(name, "is a symbolic link that leads round in a loop") from None
    if not _inside(target, boundary):
        raise _link_error(name, f"is a symbolic link to {printable_path(target)}, outside the site")
    if any(part.startswith(".") for part in os.path.relpath(target, boundary).split(os.sep)):
        # .env (the Supabase keys), .sitegen/, .git/: scans skip them, and so must links
        raise _link_error(name, f"is a symbolic link to the hidden {printable_path(target)}")
    if any(target == folder or folder.startswith(target + "/") for folder in chain):
        raise _link_error(name, "is a symbolic link to a folder it is in: a loop")
    return target


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _link_error(name: str, message: str) -> ContentError:
    return ContentError(
        message,
        file=printable_path(name),
        hint="sitegen publishes only files inside the site: copy the file in, or remove the link",
    )


@dataclass(frozen=True)
class ContentFiles:
    documents: Stats  # Markdown files of posts and pages
    media: Stats  # keyed by path relative to the site dir (`content/media/img/a.png`)


def scan_content(site_dir: Path) -> ContentFiles:
    documents: Stats = {}
    for folder in DOCUMENT_DIRS:
        stats = scan_tree(site_dir / folder, folder, site_dir)
        documents.update(
            (path, stat) for path, stat in stats.items() if path.endswith(MARKDOWN_SUFFIXES)
        )
    media = scan_tree(site_dir / MEDIA_ROOT, MEDIA_ROOT, site_dir)
    return ContentFiles(documents=documents, media=media)


def sha256_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def media_path(site_path: str) -> str:
    """`content/media/img/a.png` -> `img/a.png`."""
    return site_path.removeprefix(MEDIA_ROOT + "/")
