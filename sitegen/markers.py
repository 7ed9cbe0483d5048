"""Git-style merge conflict markers: how sync writes them, and finding the ones left in a file.

Content layer, so both sync (which writes and refuses them) and the build (which warns before
publishing them) use one definition.
"""

from __future__ import annotations

from sitegen.errors import ContentError

START, MIDDLE, END = "<<<<<<<", "=======", ">>>>>>>"


def conflict_marker_line(text: str) -> int | None:
    """The 1-based line of the first unresolved `<<<<<<<` ... `>>>>>>>` block, or None.

    Both marker lines must be there: a lone `=======` is a Markdown heading underline.
    """
    start = None
    for number, line in enumerate(text.splitlines(), 1):
        if start is None and _is_marker(line, START):
            start = number
        elif start is not None and _is_marker(line, END):
            return start
    return None


def _is_marker(line: str, marker: str) -> bool:
    return line == marker or line.startswith(marker + " ")


def unresolved_markers(text: str, file: str, first_line: int = 1) -> ContentError | None:
    """The warning for `text` (a file's part starting at `first_line`) if it holds markers."""
    line = conflict_marker_line(text)
    if line is None:
        return None
    return ContentError(
        "has unresolved merge conflict markers (`<<<<<<< local` ... `>>>>>>> remote`)",
        file=file,
        line=first_line + line - 1,
        hint="keep what you want between the markers and delete the marker lines (docs/sync.md)",
    )
