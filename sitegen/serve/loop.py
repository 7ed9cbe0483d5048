"""The one rebuild loop: take a debounced batch of changes, build, then signal the browser.

Only this thread builds, so builds never overlap; changes arriving during a build wait in the
ChangeQueue and become the next batch. The reload signal goes out after the build finished
writing, once per build. A failed build leaves the last good output in place, prints the error
and puts it on the overlay; the next good build clears it (and reloads the page to remove it).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sitegen.console import detail, say, warn
from sitegen.errors import SitegenError
from sitegen.serve.debounce import ChangeQueue
from sitegen.serve.hub import ReloadHub
from sitegen.serve.overlay import problems_from
from sitegen.serve.reload_plan import plan_reload
from sitegen.serve.state import PreviewState

if TYPE_CHECKING:
    from sitegen.build import BuildResult

    Builder = Callable[[frozenset[Path]], BuildResult]


class RebuildLoop:
    """Runs `builder` for each batch from `queue` on its own thread until `stop()`."""

    def __init__(
        self, queue: ChangeQueue, builder: Builder, state: PreviewState, hub: ReloadHub
    ) -> None:
        self._queue = queue
        self._builder = builder
        self._state = state
        self._hub = hub
        self._warnings: tuple[str, ...] = ()
        self._thread = threading.Thread(target=self._run, name="sitegen-rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Finish the build in progress (if any) and end the thread."""
        self._queue.close()
        if self._thread.is_alive():
            self._thread.join()

    def rebuild(self, sources: frozenset[Path]) -> BuildResult | None:
        """Build once and signal the browser; returns None when the build failed."""
        for path in sorted(sources):
            detail(f"changed: {path}")
        try:
            with self._state.building():
                result = self._builder(sources)
        except SitegenError as exc:
            self._failed(exc, sources)
            return None
        except Exception as exc:  # a sitegen bug must not kill the preview
            traceback.print_exc()
            self._failed(exc, sources)
            return None
        problems_changed = self._state.set_problems("build", ())
        self._hub.send(plan_reload(sources, result.changed_paths, problems_changed))
        self._report(result)
        return result

    def _run(self) -> None:
        while (batch := self._queue.next_batch()) is not None:
            self.rebuild(batch)

    def _failed(self, error: BaseException, sources: frozenset[Path]) -> None:
        click.secho(f"error: {error}", err=True, fg="red")
        say("The preview keeps the last good build; fix the file and save to rebuild.")
        problems_changed = self._state.set_problems("build", problems_from(error, "build"))
        self._hub.send(plan_reload(sources, (), problems_changed))

    def _report(self, result: BuildResult) -> None:
        changed = len(result.changed_paths)
        if not changed:
            detail(
                f"Checked {result.documents} documents in {result.seconds:.2f} s: nothing changed."
            )
        else:
            say(
                f"Built {result.documents} documents in {result.seconds:.2f} s "
                f"({changed} file{'s' if changed != 1 else ''} changed)."
            )
        warnings = tuple(str(warning) for warning in result.warnings)
        if warnings != self._warnings:
            for text in warnings:
                warn(text)
        self._warnings = warnings
