"""Watch the site's sources with watchdog and record relevant changes into a ChangeQueue.

The watchdog handler does nothing but filter paths and record them: rebuilding happens in the
one rebuild loop, never on watchdog's thread. What is watched: content/, data/, the site's
templates/ and static/, the active theme when it lives in the site (themes/<name>/), the packaged theme
only when sitegen is installed editable (a theme developer edits it; in site-packages it never
changes), and sitegen.toml. Build output, `.sitegen/` and editor swap/backup files are ignored,
so a build never triggers another build.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

import sitegen
from sitegen.paths import CONFIG_FILE, CONTENT_DIR, STATE_DIR, state_dir
from sitegen.serve.debounce import ChangeQueue

SOURCE_FOLDERS = (CONTENT_DIR, "data", "templates", "static")
# Events that mean "bytes or names changed"; reads (opened, closed-without-write) are not here,
# otherwise the build reading its sources would trigger the next build.
_EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileClosedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]
_JUNK_NAMES = {"4913", ".DS_Store", "Thumbs.db"}  # 4913: vim's write-permission probe
_JUNK_SUFFIXES = (".swp", ".swo", ".swx", ".swpx", ".tmp", "~")
_JUNK_PREFIXES = (".#",)  # emacs lock files
_JUNK_FOLDERS = {STATE_DIR, ".git", "__pycache__"}


@dataclass(frozen=True)
class WatchPlan:
    """Which folders to watch and which to ignore, derived from the site's config."""

    site_dir: Path
    roots: tuple[Path, ...]  # watched recursively
    ignored: tuple[Path, ...]  # never relevant, even inside a root

    def is_relevant(self, path: Path) -> bool:
        """Does a change at `path` call for a rebuild?"""
        name = path.name
        if is_editor_junk(name) or any(part in _JUNK_FOLDERS for part in path.parts):
            return False
        if any(path.is_relative_to(folder) for folder in self.ignored):
            return False
        if path.parent == self.site_dir:
            return name == CONFIG_FILE or name in SOURCE_FOLDERS or name == "themes"
        return any(path.is_relative_to(root) for root in self.roots)


def is_editor_junk(name: str) -> bool:
    """Swap, backup, lock and probe files editors write next to the file being saved."""
    return (
        name in _JUNK_NAMES
        or name.endswith(_JUNK_SUFFIXES)
        or name.startswith(_JUNK_PREFIXES)
        or (name.startswith("#") and name.endswith("#"))
    )


def watch_plan(site_dir: Path, theme: str, outputs: Iterable[Path]) -> WatchPlan:
    """The folders that feed a build of `site_dir` with `theme`; `outputs` are build outputs."""
    site_dir = site_dir.resolve()
    candidates = [site_dir / name for name in SOURCE_FOLDERS]
    site_theme = site_dir / "themes" / theme
    if site_theme.is_dir():
        candidates.append(site_theme)
    else:
        packaged = Path(sitegen.__file__).resolve().parent / "themes" / theme
        if packaged.is_dir() and is_editable_install(packaged):
            candidates.append(packaged)
    roots = tuple(folder for folder in candidates if folder.is_dir())
    ignored = (*(folder.resolve() for folder in outputs), state_dir(site_dir))
    return WatchPlan(site_dir=site_dir, roots=roots, ignored=ignored)


def is_editable_install(path: Path) -> bool:
    """True unless `path` sits in an installed package folder (site-packages/dist-packages)."""
    return not any(part in ("site-packages", "dist-packages") for part in path.parts)


class _RecordingHandler(FileSystemEventHandler):
    """Records relevant paths of each event; never does any work itself."""

    def __init__(self, watcher: SiteWatcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory and event.event_type == "modified":
            return  # a file inside changed; that file's own event is what counts
        paths = [event.src_path, getattr(event, "dest_path", "")]
        self._watcher.record(Path(str(p)) for p in paths if p)


class SiteWatcher:
    """A watchdog observer over a WatchPlan, re-plannable when sitegen.toml changes."""

    def __init__(self, queue: ChangeQueue, plan: WatchPlan) -> None:
        self._queue = queue
        self._plan = plan
        self._lock = threading.Lock()
        self._observer: BaseObserver | None = None
        self._handler = _RecordingHandler(self)
        self._watches: list[ObservedWatch] = []  # touched only by start() and the rebuild loop

    def start(self) -> None:
        # Created here, not in __init__: watchdog's inotify observer starts a reader thread as
        # soon as it exists, and only stop() ends it.
        self._observer = Observer()
        self._schedule(self._plan)
        self._observer.start()

    def update(self, plan: WatchPlan) -> None:
        """Watch what `plan` names, afresh: a root folder deleted and re-created (a checkout, a
        theme switch) needs a new watch even when the plan itself did not change."""
        self._schedule(plan)

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
            self._observer = None

    def record(self, paths: Iterable[Path]) -> None:
        """Queue the relevant ones among `paths` (called on watchdog's thread)."""
        with self._lock:
            plan = self._plan
        relevant = [path for path in paths if plan.is_relevant(path)]
        if relevant:
            self._queue.add(relevant)

    def _schedule(self, plan: WatchPlan) -> None:
        # The lock guards only the plan: watchdog holds its own lock while calling our handler,
        # so calling into the observer with ours held could deadlock.
        with self._lock:
            self._plan = plan
        observer = self._observer
        assert observer is not None, "start() first"
        while self._watches:
            try:
                observer.unschedule(self._watches.pop())
            except KeyError:  # watchdog already dropped it (the folder was deleted)
                pass
        for folder, recursive in [(plan.site_dir, False), *((root, True) for root in plan.roots)]:
            try:
                self._watches.append(
                    observer.schedule(
                        self._handler, str(folder), recursive=recursive, event_filter=_EVENTS
                    )
                )
            except OSError:  # deleted since the plan was made; its re-creation is an event
                pass
