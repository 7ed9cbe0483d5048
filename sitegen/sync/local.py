"""The working copy as sync sees it: every key's file and content hash, tolerant of bad files.

It lists the same files as the build (`sitegen.sources.local.scan_content`). Unlike a build,
sync must not stop at the first invalid file: a file that does not parse still
owns its key (taken from its path) and counts as locally changed, so a pull never overwrites it
and a push never sends it. Its error is reported alongside.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import ContentError
from sitegen.frontmatter import document_location, parse_document
from sitegen.model import Document, make_key
from sitegen.sources.local import CONTENT_DIR, media_path, scan_content, sha256_file
from sitegen.sync.mapping import content_hash, media_key
from sitegen.sync.plan import UNREADABLE

MEDIA_DIR = "media"


@dataclass(frozen=True)
class LocalDocument:
    """A post or page file: its key, where it is, its content hash (None if it does not parse)."""

    key: str
    file: Path
    hash: str
    document: Document | None


@dataclass(frozen=True)
class LocalMedia:
    """A media file under content/media: relative path, bytes checksum, size."""

    path: str
    file: Path
    sha256: str
    size: int


@dataclass
class WorkingCopy:
    """All documents and media of content/, plus the errors of files that do not parse."""

    documents: dict[str, LocalDocument] = field(default_factory=dict)
    media: dict[str, LocalMedia] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)

    def hashes(self) -> dict[str, str]:
        """key -> content hash for the plan (`media/<path>` keys hash the bytes)."""
        found = {key: local.hash for key, local in self.documents.items()}
        found.update({media_key(path): item.sha256 for path, item in self.media.items()})
        return found


def scan(site_dir: Path) -> WorkingCopy:
    """Read content/ (posts, pages, media; the same files a build reads) into a WorkingCopy."""
    copy = WorkingCopy()
    files = scan_content(site_dir)
    for path in files.documents:
        _add_document(copy, site_dir / path, site_dir)
    for path, (size, _) in files.media.items():
        relative = media_path(path)
        file = site_dir / path
        copy.media[relative] = LocalMedia(relative, file, sha256_file(file), size)
    return copy


def _add_document(copy: WorkingCopy, file: Path, site_dir: Path) -> None:
    source = file.relative_to(site_dir).as_posix()
    try:
        doc = parse_document(file.read_text(encoding="utf-8"), source=source)
        local = LocalDocument(doc.key, file, content_hash(doc), doc)
    except ContentError as exc:
        copy.errors.append(exc)
        kind, slug = _key_from_path(source)
        if kind is None:
            return
        local = LocalDocument(make_key(kind, slug), file, UNREADABLE, None)
    except (OSError, UnicodeDecodeError) as exc:
        copy.errors.append(ContentError(f"cannot read the file: {exc}", file=source))
        kind, slug = _key_from_path(source)
        if kind is None:
            return
        local = LocalDocument(make_key(kind, slug), file, UNREADABLE, None)
    twin = copy.documents.get(local.key)
    if twin is not None:
        copy.errors.append(ContentError(
            f"has the same key {local.key} as {twin.file.relative_to(site_dir).as_posix()}",
            file=source, field="slug", hint="give one of them another slug"))
        local = LocalDocument(local.key, twin.file, UNREADABLE, None)
    copy.documents[local.key] = local


def _key_from_path(source: str) -> tuple[str | None, str]:
    try:
        kind, slug = document_location(source.removeprefix(CONTENT_DIR + "/"))
    except ContentError:
        return None, ""
    return kind, slug
