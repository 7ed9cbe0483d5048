"""Decide what the browser should do after a completed build: nothing, swap CSS, or reload.

Exactly one signal set per completed build (never one per changed file). A change that only
touched stylesheets in a static/ folder is swapped in place by livereload.js without reloading
the page; the theme's `static()` cache-busting hash makes every HTML page change too, so the
decision looks at the changed *sources*, not only at the changed outputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

STATIC_FOLDER = "static"


@dataclass(frozen=True)
class ReloadSignal:
    """One livereload `reload` command: `path` with live CSS swapping on or off."""

    path: str
    live_css: bool

    def message(self) -> dict[str, object]:
        """The livereload protocol message (official-7)."""
        return {"command": "reload", "path": self.path, "liveCSS": self.live_css, "liveImg": False}


FULL_RELOAD = ReloadSignal("/", live_css=False)


def plan_reload(
    sources: Iterable[Path], changed_outputs: Sequence[str], problems_changed: bool
) -> tuple[ReloadSignal, ...]:
    """Signals for one completed build (or failed one, when the problems changed)."""
    if problems_changed:
        return (FULL_RELOAD,)
    if not changed_outputs:
        return ()
    stylesheets = [path for path in changed_outputs if path.endswith(".css")]
    if stylesheets and _only_static_css(sources):
        return tuple(ReloadSignal("/" + path, live_css=True) for path in sorted(stylesheets))
    return (FULL_RELOAD,)


def _only_static_css(sources: Iterable[Path]) -> bool:
    sources = list(sources)
    return bool(sources) and all(
        path.suffix == ".css" and STATIC_FOLDER in path.parts for path in sources
    )
