"""The rebuild loop and pull loop: one signal per completed build, problems on the overlay.

The builder and the pull are stand-ins (this tests the loop's logic, not the build engine);
the hub records what would be sent to browsers.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import BuildFailed, ContentError, RemoteError
from sitegen.serve.debounce import ChangeQueue, Debouncer
from sitegen.serve.loop import RebuildLoop
from sitegen.serve.overlay import Problem
from sitegen.serve.pulling import PullLoop
from sitegen.serve.reload_plan import FULL_RELOAD, ReloadSignal
from sitegen.serve.state import PreviewState

POST = Path("/site/content/posts/a.md")


@dataclass(frozen=True)
class Result:
    changed_paths: tuple[str, ...]
    documents: int = 1
    seconds: float = 0.01
    warnings: tuple = ()


@dataclass
class RecordingHub:
    sent: list[tuple[ReloadSignal, ...]] = field(default_factory=list)

    def send(self, signals: Iterable[ReloadSignal]) -> None:
        signals = tuple(signals)
        if signals:
            self.sent.append(signals)


BROKEN = BuildFailed([ContentError("bad date", file="content/posts/a.md", line=3, field="date")])


def make_loop(outcomes: list, queue: ChangeQueue | None = None, state: PreviewState | None = None):
    state, hub, builds = state or PreviewState(), RecordingHub(), []

    def builder(sources: frozenset[Path]) -> Result:
        builds.append(sources)
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    loop = RebuildLoop(queue or ChangeQueue(), builder, state, hub)  # type: ignore[arg-type]
    return loop, state, hub, builds


def test_completed_build_sends_one_reload() -> None:
    loop, state, hub, _ = make_loop([Result(("posts/a/index.html", "index.html"))])
    loop.rebuild(frozenset({POST}))
    assert hub.sent == [(FULL_RELOAD,)] and state.problems() == ()


def test_failed_build_shows_the_problem_and_a_fix_clears_it(capsys) -> None:
    loop, state, hub, _ = make_loop([BROKEN, BROKEN, Result(())])
    assert loop.rebuild(frozenset({POST})) is None
    assert [p.location for p in state.problems()] == ["content/posts/a.md:3"]
    assert "content/posts/a.md:3: date: bad date" in capsys.readouterr().err
    loop.rebuild(frozenset({POST}))  # same error again: nothing new to show
    loop.rebuild(frozenset({POST}))  # fixed: nothing written, yet the overlay must go
    assert state.problems() == ()
    assert hub.sent == [(FULL_RELOAD,), (FULL_RELOAD,)]


def test_unexpected_exception_does_not_kill_the_loop(capsys) -> None:
    loop, state, _hub, _ = make_loop([RuntimeError("boom")])
    loop.rebuild(frozenset({POST}))
    assert state.problems()[0].message == "RuntimeError: boom"
    assert "Traceback" in capsys.readouterr().err


def test_loop_thread_builds_a_burst_once() -> None:
    queue = ChangeQueue(Debouncer(quiet=0.05, max_wait=1.0))
    loop, _, hub, builds = make_loop([Result(("index.html",))], queue)
    loop.start()
    queue.add([Path(f"/site/content/posts/p{i}.md") for i in range(10)])
    deadline = time.monotonic() + 10
    while not builds and time.monotonic() < deadline:
        time.sleep(0.01)
    loop.stop()
    assert len(builds) == 1 and len(builds[0]) == 10
    assert hub.sent == [(FULL_RELOAD,)]


def test_pull_errors_are_shown_then_cleared(capsys) -> None:
    state, hub = PreviewState(), RecordingHub()
    offline = RemoteError("Supabase could not be reached", hint="check your network")
    outcomes: list = [offline, offline, None]

    def pull() -> None:
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    puller = PullLoop(pull, 60, state, hub)  # type: ignore[arg-type]
    puller.pull_once()
    assert [p.source for p in state.problems()] == ["pull"]
    assert "pull failed: Supabase could not be reached" in capsys.readouterr().err
    puller.pull_once()  # the same failure again: not printed again, no reload
    assert capsys.readouterr().err == ""
    puller.pull_once()
    assert "Pulling works again." in capsys.readouterr().out
    assert state.problems() == () and hub.sent == [(FULL_RELOAD,), (FULL_RELOAD,)]


def test_pull_problems_and_build_problems_coexist() -> None:
    state = PreviewState()
    state.set_problems("pull", (Problem("pull", "", "offline"),))
    loop, _, _, _ = make_loop([BROKEN], state=state)
    loop.rebuild(frozenset({POST}))
    assert [p.source for p in state.problems()] == ["build", "pull"]
