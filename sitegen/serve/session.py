"""One `sitegen serve` session: initial build, HTTP server, watcher, rebuild loop, pull loop.

Previews build into `.sitegen/serve/public` with base_url set to the server's own address, so
links work locally and the deployable output folder is never touched. `close()` stops every
thread the session started and joins it, so Ctrl-C leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen.build import Builder, BuildOptions, BuildResult
from sitegen.config import SiteConfig, load_config
from sitegen.errors import ConfigError
from sitegen.paths import STATE_DIR
from sitegen.serve.debounce import ChangeQueue
from sitegen.serve.devserver import DevServer
from sitegen.serve.hub import ReloadHub
from sitegen.serve.loop import RebuildLoop
from sitegen.serve.pulling import PullLoop
from sitegen.serve.state import PreviewState
from sitegen.serve.watcher import SiteWatcher, WatchPlan, watch_plan

PREVIEW_OUTPUT = Path(STATE_DIR) / "serve" / "public"
_ANY_ADDRESS = {"", "0.0.0.0", "::"}


@dataclass(frozen=True)
class ServeOptions:
    """What `sitegen serve` was asked for."""

    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = False
    future: bool = False
    pull_every: float | None = None


class ServeSession:
    """Construct (binds the port), `start()` (builds and serves), `close()` (stops everything)."""

    def __init__(self, site_dir: Path, options: ServeOptions = ServeOptions()) -> None:
        self.site_dir = site_dir.resolve()
        self.output_dir = self.site_dir / PREVIEW_OUTPUT
        config = load_config(self.site_dir)
        pull = _remote_pull(self.site_dir) if options.pull_every else None
        self.state = PreviewState()
        self.hub = ReloadHub()
        self.server = DevServer(self.output_dir, self.state, self.hub, options.host, options.port)
        self.url = f"http://{_url_host(options.host)}:{self.server.port}/"
        self._builder = Builder(
            self.site_dir,
            BuildOptions(
                drafts=options.drafts,
                future=options.future,
                output_dir=self.output_dir,
                base_url=self.url,
                clean=True,  # the preview folder is sitegen's own, inside .sitegen/
            ),
        )
        self._queue = ChangeQueue()
        self.watcher = SiteWatcher(self._queue, self._plan(config))
        self.loop = RebuildLoop(self._queue, self._build, self.state, self.hub)
        self._pull_loop = (
            PullLoop(pull, options.pull_every, self.state, self.hub)
            if pull is not None and options.pull_every is not None
            else None
        )
        self._started: list[Callable[[], None]] = []

    def start(self) -> BuildResult | None:
        """Build once, then serve and watch; returns the first build (None if it failed)."""
        try:
            # First build before any thread exists: the build engine may fork workers, and
            # forking a process that runs other threads is unsafe.
            result = self.loop.rebuild(frozenset())
            self._builder.options = replace(self._builder.options, jobs=1)  # threads from here on
            self._start(self.watcher.start, self.watcher.stop)
            if result is not None:
                self._queue.recheck()  # catches saves made during the first build (else a no-op)
            self.server.start()  # close() always stops it, last
            self._start(self.loop.start, self.loop.stop)
            if self._pull_loop is not None:
                self._start(self._pull_loop.start, self._pull_loop.stop)
        except BaseException:
            self.close()
            raise
        return result

    def close(self) -> None:
        """Stop everything started, newest first; safe to call twice."""
        while self._started:
            self._started.pop()()
        self.server.stop()  # also releases the port when start() failed before serving

    def __enter__(self) -> ServeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self, start: Callable[[], None], stop: Callable[[], None]) -> None:
        start()
        self._started.append(stop)

    def _build(self, sources: frozenset[Path]) -> BuildResult:
        """Rebuild in memory; the watcher's paths spare scanning the whole site (none: scan)."""
        if any(path.parent == self.site_dir for path in sources):
            self._replan()  # sitegen.toml or a top-level folder changed: the theme may differ
        return self._builder.build(sources or None)

    def _replan(self) -> None:
        try:
            config = load_config(self.site_dir)
        except ConfigError:
            return  # the build reports it; keep watching what we watched
        self.watcher.update(self._plan(config))

    def _plan(self, config: SiteConfig) -> WatchPlan:
        outputs = (self.output_dir, self.site_dir / config.output_dir)
        return watch_plan(self.site_dir, config.theme, outputs)


def _url_host(host: str) -> str:
    if host in _ANY_ADDRESS:
        return "localhost"
    return f"[{host}]" if ":" in host else host


def _remote_pull(site_dir: Path) -> Callable[[], object]:
    """`run_pull` for this site; ConfigError now (not every N seconds) when Supabase is not set up."""
    from sitegen.remote.settings import load_remote_settings
    from sitegen.sync import run_pull

    load_remote_settings(site_dir)
    return lambda: run_pull(site_dir)
