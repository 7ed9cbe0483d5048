"""The working copy as sync sees it: every key's file and content hash, tolerant of bad files.

It lists the same files as the build (`sitegen.sources.local.scan_content`). Unlike a build,
sync must not stop at the first invalid file: a file that does not parse still owns its key
(taken from its path) and counts as locally changed, so a pull never overwrites it and a push
never sends it. Its error is reported alongside.

Parsing thousands of files on every sync would dominate a pull that finds nothing new, so
`.sitegen/sync/index.json` remembers each file's (size, mtime) and hash; a file whose stat is
unchanged is not read again. Like git's index (and the build cache), an mtime too close to when
the index was written is not trusted (`fsio.is_settled`).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import ContentError
from sitegen.frontmatter import document_location, parse_document
from sitegen.fsio import is_settled, write_atomic
from sitegen.markers import conflict_marker_line
from sitegen.model import SourceDocument, make_key
from sitegen.paths import CONTENT_DIR, STATE_DIR
from sitegen.sources.local import media_path, scan_content, sha256_file
from sitegen.sync.mapping import content_hash, media_key
from sitegen.sync.plan import UNREADABLE

INDEX_FILE = Path(STATE_DIR) / "sync" / "index.json"


@dataclass(frozen=True)
class LocalDocument:
    """A post or page file: key, path, content hash (UNREADABLE when it does not parse)."""

    key: str
    file: Path
    hash: str

    def load(self, site_dir: Path) -> tuple[SourceDocument, str, str]:
        """Parse the file now (for pushing it): the document, its current hash and its text."""
        source = self.file.relative_to(site_dir).as_posix()
        text = self.file.read_text(encoding="utf-8")
        _check_no_markers(text, source)
        doc = parse_document(text, source=source)
        return doc, content_hash(doc), text


@dataclass(frozen=True)
class LocalMedia:
    """A media file under content/media: relative path, bytes checksum, size."""

    path: str
    file: Path
    sha256: str
    size: int


@dataclass
class FileIndex:
    """site-relative path -> [size, mtime_ns, key, hash] of files whose hash is known."""

    entries: dict[str, list[object]] = field(default_factory=dict)
    written_ns: int = 0
    changed: bool = False

    def lookup(self, path: str, size: int, mtime_ns: int) -> tuple[str, str] | None:
        """(key, hash) remembered for this exact file state, if trustworthy."""
        entry = self.entries.get(path)
        if entry is None or entry[0] != size or entry[1] != mtime_ns:
            return None
        if not is_settled(mtime_ns, self.written_ns):
            self.changed = True  # write the index again, so the file is trusted next time
            return None  # could have been edited again within the same clock tick
        return str(entry[2]), str(entry[3])

    def note(self, path: str, size: int, mtime_ns: int, key: str, digest: str) -> None:
        """Remember that the file at `path` with this size and mtime has `digest`."""
        self.entries[path] = [size, mtime_ns, key, digest]
        self.changed = True

    def scanned_state(self, path: str) -> tuple[int, int] | None:
        """(size, mtime_ns) of a file as scanned, None when it was not indexed."""
        entry = self.entries.get(path)
        return (int(entry[0]), int(entry[1])) if entry else None  # type: ignore[call-overload]

    def forget(self, path: str) -> None:
        if self.entries.pop(path, None) is not None:
            self.changed = True


@dataclass
class WorkingCopy:
    """All documents and media of content/, plus the errors of files that do not parse."""

    documents: dict[str, LocalDocument] = field(default_factory=dict)
    media: dict[str, LocalMedia] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    index: FileIndex = field(default_factory=FileIndex)

    def hashes(self) -> dict[str, str]:
        """key -> content hash for the plan (`media/<path>` keys hash the bytes)."""
        found = {key: local.hash for key, local in self.documents.items()}
        found.update({media_key(path): item.sha256 for path, item in self.media.items()})
        return found


def scan(site_dir: Path) -> WorkingCopy:
    """Read content/ (posts, pages, media; the same files a build reads) into a WorkingCopy."""
    old = load_index(site_dir)
    copy = WorkingCopy(index=FileIndex(written_ns=old.written_ns))
    files = scan_content(site_dir)
    for path, (size, mtime_ns) in files.documents.items():
        known = old.lookup(path, size, mtime_ns)
        if known is None:
            _add_document(copy, path, (size, mtime_ns), site_dir)
        else:
            copy.index.entries[path] = [size, mtime_ns, *known]
            _add(copy, LocalDocument(known[0], site_dir / path, known[1]), path, site_dir)
    for path, (size, mtime_ns) in files.media.items():
        relative = media_path(path)
        known = old.lookup(path, size, mtime_ns)
        digest = known[1] if known else sha256_file(site_dir / path)
        copy.index.entries[path] = [size, mtime_ns, media_key(relative), digest]
        copy.media[relative] = LocalMedia(relative, site_dir / path, digest, size)
    copy.index.changed = copy.index.entries != old.entries or old.changed
    return copy


def load_index(site_dir: Path) -> FileIndex:
    """The stored index, or an empty one when missing or unreadable (it is only a cache)."""
    try:
        data = json.loads((site_dir / INDEX_FILE).read_text(encoding="utf-8"))
        return FileIndex(entries=dict(data["entries"]), written_ns=int(data["written_ns"]))
    except (OSError, ValueError, KeyError, TypeError):
        return FileIndex()


def save_index(site_dir: Path, index: FileIndex) -> None:
    """Store the index if it changed (not fsync'ed: losing it only costs a re-read)."""
    if not index.changed:
        return
    path = site_dir / INDEX_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"written_ns": time.time_ns(), "entries": index.entries}
    write_atomic(path, json.dumps(data, separators=(",", ":")).encode("utf-8"), durable=False)
    index.changed = False


def _add_document(copy: WorkingCopy, path: str, stat: tuple[int, int], site_dir: Path) -> None:
    file = site_dir / path
    local: LocalDocument | None
    try:
        text = file.read_text(encoding="utf-8")
        _check_no_markers(text, path)
        doc = parse_document(text, source=path)
        local = LocalDocument(doc.key, file, content_hash(doc))
        copy.index.note(path, *stat, local.key, local.hash)
    except ContentError as exc:
        copy.errors.append(exc)
        local = _unreadable(path, file)
    except (OSError, UnicodeDecodeError) as exc:
        copy.errors.append(ContentError(f"cannot read the file: {exc}", file=path))
        local = _unreadable(path, file)
    if local is not None:
        _add(copy, local, path, site_dir)


def _check_no_markers(text: str, path: str) -> None:
    """A file left with merge conflict markers is never pushed (nor overwritten by a pull)."""
    line = conflict_marker_line(text)
    if line is not None:
        raise ContentError(
            "has unresolved merge conflict markers (`<<<<<<< local` ... `>>>>>>> remote`)",
            file=path,
            line=line,
            hint="keep what you want between the markers, delete the marker lines, then "
            "`sitegen push`; or `sitegen pull --force KEY` to take the remote version",
        )


def _add(copy: WorkingCopy, local: LocalDocument, path: str, site_dir: Path) -> None:
    twin = copy.documents.get(local.key)
    if twin is not None:
        copy.errors.append(
            ContentError(
                f"has the same key {local.key} as {twin.file.relative_to(site_dir).as_posix()}",
                file=path,
                field="slug",
                hint="give one of them another slug",
            )
        )
        local = LocalDocument(local.key, twin.file, UNREADABLE)
    copy.documents[local.key] = local


def _unreadable(path: str, file: Path) -> LocalDocument | None:
    """A file that does not parse still holds the key its path gives (if any)."""
    try:
        kind, slug = document_location(path.removeprefix(CONTENT_DIR + "/"))
    except ContentError:
        return None
    return LocalDocument(make_key(kind, slug), file, UNREADABLE)
