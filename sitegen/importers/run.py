"""One import: read SOURCE with the generator's reader, check the draft, write DEST."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import SitegenError
from sitegen.importers.draft import Draft, Note
from sitegen.importers.finish import finish
from sitegen.importers.hugo import read_hugo
from sitegen.importers.jekyll import read_jekyll
from sitegen.importers.output import Written, check_places, write_tree

READERS: dict[str, Callable[[Path], Draft]] = {"jekyll": read_jekyll, "hugo": read_hugo}
NOTES_FILE = "IMPORT-NOTES.md"


@dataclass(frozen=True)
class ImportReport:
    posts: int
    pages: int
    media: int
    notes: tuple[Note, ...]
    changes: tuple[tuple[str, int], ...]
    written: Written
    # (source file, DEST file, the URL it had) of each document imported as published
    old_urls: tuple[tuple[str, str, str], ...]


def import_site(generator: str, source: Path, dest: Path) -> ImportReport:
    """Import the `generator` site in `source` into `dest` (created when missing)."""
    if not source.is_dir():
        raise SitegenError(
            f"{source} is not a folder", field="SOURCE", hint="pass the site's folder"
        )
    check_places(source, dest)
    draft = READERS[generator](source)
    _, texts = finish(draft)
    old_urls = tuple(
        sorted(
            (d.source, d.dest, d.old_url)
            for d in draft.documents
            if d.old_url and d.dest in texts and not d.front.get("draft")
        )
    )
    notes = tuple(sorted(set(draft.notes)))
    changes = tuple(sorted(draft.changes.items()))
    texts.update(draft.texts)
    texts[NOTES_FILE] = notes_text(generator, notes, changes)
    copies = {path: source / original for path, original in draft.media.items()}
    written = write_tree(dest, texts, copies)
    posts = sum(1 for path in texts if path.startswith("content/posts/"))
    pages = sum(1 for path in texts if path.startswith("content/pages/"))
    return ImportReport(posts, pages, len(copies), notes, changes, written, old_urls)


def notes_text(
    generator: str, notes: tuple[Note, ...], changes: tuple[tuple[str, int], ...]
) -> str:
    """IMPORT-NOTES.md: what was changed, and every place left for a person to look at."""
    lines = [f"# Imported from {generator.capitalize()}", "", "## Changed", ""]
    lines += [f"- {what}: {count}" for what, count in changes] or ["- nothing"]
    lines += ["", "## Not converted (file:line in the source site)", ""]
    lines += [f"- {note}" for note in notes] or ["- nothing"]
    return "\n".join(lines) + "\n"
