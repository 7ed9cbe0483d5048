"""`sitegen import jekyll|hugo SOURCE [DEST]`: make a sitegen site from an existing one."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from sitegen.console import detail, say, verbosity_options

IMPORT_EPILOG = """\b
Examples:
  sitegen import jekyll ~/old-blog                 into ./old-blog-sitegen/
  sitegen import hugo ~/hugo-site new-site         into ./new-site/
  cd new-site && sitegen build

\b
SOURCE is only read. DEST is created when missing; importing again gives the
same files (only files whose bytes differ are written). Every old URL is kept:
by the permalink patterns in sitegen.toml, or by a `url` in the document.
What could not be converted (Liquid tags, Hugo shortcodes, plugins) is listed
with file:line, here and in DEST/IMPORT-NOTES.md.
"""


@click.command("import", epilog=IMPORT_EPILOG)
@click.argument("generator", type=click.Choice(["jekyll", "hugo"]))
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("dest", required=False, type=click.Path(path_type=Path))
@verbosity_options
def import_command(generator: str, source: Path, dest: Path | None) -> None:
    """Import the GENERATOR site in SOURCE into DEST (default: SOURCE-sitegen here)."""
    from sitegen.importers.run import NOTES_FILE, import_site

    dest = dest if dest is not None else Path(f"{source.resolve().name}-sitegen")
    report = import_site(generator, source, dest)
    kinds = Counter(note.kind or note.message for note in report.notes)
    for note in report.notes:
        detail(f"  {note}")
    say(
        f"Imported {_count(report.posts, 'post')}, {_count(report.pages, 'page')} and "
        f"{_count(report.media, 'media file')} "
        f"into {dest} ({report.written.written} written, {report.written.unchanged} unchanged)."
    )
    for what, count in report.changes:
        say(f"  changed: {what}: {count}")
    if report.notes:
        say(
            f"{len(report.notes)} things to look at (listed in {dest / NOTES_FILE}; -v prints them):"
        )
        for kind, count in kinds.most_common(12):
            say(f"  {count:6d}  {kind}")
    say(f"Next: cd {dest} && sitegen build")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
