"""`--pull-every`: pull remote content into content/ in the background, every N seconds.

The pull only writes files; the watcher sees them and the rebuild loop rebuilds, so a pull that
changed nothing costs no build and no reload. Pull errors (network down, expired session) are
printed (once while they stay the same) and shown in the overlay, and the next successful pull
clears them; they never stop the server.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

import click

from sitegen.console import say
from sitegen.errors import SitegenError
from sitegen.serve.hub import ReloadHub
from sitegen.serve.overlay import Problem, problems_from
from sitegen.serve.reload_plan import FULL_RELOAD
from sitegen.serve.state import PreviewState

STOP_WAIT_SECONDS = 10.0  # a pull in flight gets this long to finish on shutdown


class PullLoop:
    """Calls `pull()` every `every` seconds on its own thread until `stop()`."""

    def __init__(
        self, pull: Callable[[], object], every: float, state: PreviewState, hub: ReloadHub
    ) -> None:
        self._pull = pull
        self._every = every
        self._state = state
        self._hub = hub
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sitegen-pull", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(STOP_WAIT_SECONDS)

    def pull_once(self) -> None:
        """One pull; its problems replace the previous pull's on the overlay."""
        try:
            self._pull()
        except SitegenError as exc:
            self._show(problems_from(exc, "pull"), exc)
        except Exception as exc:  # a sitegen bug must not kill the preview
            traceback.print_exc()
            self._show(problems_from(exc, "pull"), exc)
        else:
            if self._state.set_problems("pull", ()):
                say("Pulling works again.")
                self._hub.send((FULL_RELOAD,))

    def _run(self) -> None:
        while not self._stopping.wait(self._every):
            self.pull_once()

    def _show(self, problems: tuple[Problem, ...], error: BaseException) -> None:
        if self._state.set_problems("pull", problems):  # the same failure is printed once
            click.secho(f"error: pull failed: {error}", err=True, fg="red")
            self._hub.send((FULL_RELOAD,))
