"""`build_site`: content/ -> the output folder, incrementally and atomically.

This module is the public API (serve and the CLI use it) and the no-op shortcut: when no input
file changed since the last build with the same options (stat calls only, against the state in
`.sitegen/`), nothing else is imported or done. Everything else is `render.pipeline`.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.cache import BuildState, build_lock, load_state, options_key, output_versions
from sitegen.errors import BuildFailed, FileSystemError, from_os_error
from sitegen.fsio import is_settled
from sitegen.paths import CONFIG_FILE, STATE_DIR
from sitegen.render.inputs import BuildOptions, BuildResult, build_now, scan_inputs
from sitegen.sources.local import Stats, scan_tree

__all__ = ["BuildOptions", "BuildResult", "Builder", "build_site"]  # the public API (docs/api.md)

if TYPE_CHECKING:
    from sitegen.render.reuse import BuildCache


def build_site(
    site_dir: Path,
    options: BuildOptions = BuildOptions(),
    progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Build the site once; raises ConfigError, ThemeError or BuildFailed (every error at once).

    On failure the output folder is untouched. `progress(done, total)` is called as work completes.
    """
    return Builder(site_dir, options, retain=False).build(progress=progress)


class Builder:
    """Builds one site again and again in one process (`sitegen serve`).

    Between builds it keeps its build cache in memory (render/reuse.py: what a fresh process
    reads back from `.sitegen/`, plus every rendered document and the Jinja environment with
    its compiled templates). So a rebuild costs what changed, plus a little bookkeeping. `retain=False` keeps nothing (a one-shot build, lower peak).
    A build given `changed_paths` trusts them and the output folder (as this builder left
    it): files changed behind its back are seen by the next build without paths.
    """

    def __init__(
        self, site_dir: Path, options: BuildOptions = BuildOptions(), *, retain: bool = True
    ) -> None:
        self.site_dir = site_dir.resolve()
        self.options = options
        self._key = state_key(self.site_dir, options)
        self._retain = retain
        self._state: BuildState | None = None  # of the last successful build, when retained
        self._pending: set[Path] = set()  # paths changed since then (a failed build keeps them)
        self._cache: BuildCache | None = None

    def build(
        self,
        changed_paths: Iterable[Path] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> BuildResult:
        """Build, trusting `changed_paths` (e.g. from a file watcher) to name every input file
        changed since this builder's previous build instead of scanning every input; None (and
        any first build) scans. Raises like `build_site`; on failure the output stays as it was."""
        started = time.perf_counter()
        self._pending.update(Path(os.path.abspath(p)) for p in changed_paths or ())
        try:
            with build_lock(self.site_dir), _cycle_collector_paused():
                result = self._build(
                    None if changed_paths is None else self._pending, progress, started
                )
        except OSError as exc:  # permissions, a read-only disk, a file where a folder should be
            raise from_os_error(exc) from None
        except sqlite3.Error as exc:  # the DocStore's file is damaged, or is not a file
            raise FileSystemError(
                f"the build cache cannot be used: {exc}",
                file=f"{STATE_DIR}/",
                hint=f"delete the {STATE_DIR} folder (it is only a cache) and build again",
            ) from None
        self._pending.clear()
        return result

    def _build(
        self, changed: set[Path] | None, progress: Callable[[int, int], None] | None, started: float
    ) -> BuildResult:
        state = self._state
        scanned = _rescanned(self.site_dir, state, changed) if state is not None else None
        trusted = scanned is not None and self._cache is not None
        if state is None and self.options.use_cache:
            state = load_state(self.site_dir, self._key)
        if state is not None:
            scanned = scanned or (time.time_ns(), scan_inputs(self.site_dir, state.input_dirs))
            if (
                result := _unchanged(self.site_dir, state, scanned[1], self.options, started)
            ) is not None:
                self._state = state if self._retain else None
                return result
        from sitegen.render.pipeline import run_build
        from sitegen.render.reuse import BuildCache

        cache = self._cache or BuildCache(
            self.site_dir, self._key, use_disk=self.options.use_cache, retain=self._retain
        )
        cache.state = state
        result = run_build(
            self.site_dir,
            self.options,
            cache,
            scanned,
            started=started,
            progress=progress,
            trust_outputs=trusted,
        )
        if self._retain:
            self._cache, self._state = cache, cache.state
        return result


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """A build holds a few million long-lived objects (documents, entries, state), and each full
    pass of the cycle collector walks them all: ~20% of an edit build at 4000 posts. A build
    makes little cyclic garbage, so the collector runs after it instead (reference counting
    still frees everything else at once)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _rescanned(
    site_dir: Path, state: BuildState, changed: Iterable[Path] | None
) -> tuple[int, Stats] | None:
    """(time, input stats): the previous build's stats updated for `changed` only; None (scan
    everything) without paths, or for a path that is a folder, a deleted folder or no input."""
    if changed is None:
        return None
    now = time.time_ns()
    stats = dict(state.inputs)
    roots = [(site_dir / folder, folder) for folder in state.input_dirs]
    for path in changed:
        key = CONFIG_FILE if path == site_dir / CONFIG_FILE else _input_key(path, roots)
        if key is None:
            return None  # not where the inputs are: look at everything
        if not key:
            continue  # a dot file, or in a dot folder: scans skip those too
        try:
            stat = path.stat()
        except (FileNotFoundError, NotADirectoryError):
            if any(name.startswith(key + "/") for name in stats):
                return None
            stats.pop(key, None)
            continue
        if not path.is_file() or path.is_symlink():  # a link: the full scan checks where it leads
            return None
        stats[key] = (stat.st_size, stat.st_mtime_ns)
    return now, dict(sorted(stats.items()))


def _input_key(path: Path, roots: list[tuple[Path, str]]) -> str | None:
    """`path`'s key in the input stats (as scan_tree names it); "" when scans skip it (dot
    files and folders), None when it is in no input folder."""
    for root, prefix in roots:
        if path.is_relative_to(root):
            parts = path.relative_to(root).parts
            if not parts:
                return None
            return "" if any(part.startswith(".") for part in parts) else "/".join((prefix, *parts))
    return None


def state_key(site_dir: Path, options: BuildOptions) -> str:
    """Builds with different outputs or output-changing options keep separate state."""
    output = str((site_dir / options.output_dir).resolve()) if options.output_dir else None
    return options_key(
        {
            "drafts": options.drafts,
            "future": options.future,
            "output": output,
            "base_url": options.base_url,
        }
    )


def _unchanged(
    site_dir: Path, state: BuildState, inputs: Stats, options: BuildOptions, started: float
) -> BuildResult | None:
    """The previous result when no input, output or due date changed; None otherwise."""
    if state.version != output_versions():
        return None
    if state.next_due is not None and build_now() >= state.next_due:
        return None
    if inputs != state.inputs or not _fresh_files_unchanged(site_dir, state, inputs):
        return None
    outputs = scan_tree(Path(state.out_dir), "")
    if outputs != {path: (size, mtime) for path, (_, size, mtime) in state.outputs.items()}:
        return None
    if options.strict and state.warnings:
        raise BuildFailed(state.warnings)
    seconds = time.perf_counter() - started
    return BuildResult(
        documents=state.documents,
        written=0,
        unchanged=len(outputs),
        removed=0,
        seconds=seconds,
        changed_paths=(),
        warnings=state.warnings,
        timings={"read": seconds},
    )


def _fresh_files_unchanged(site_dir: Path, state: BuildState, inputs: Stats) -> bool:
    """Files modified just before the last build's scan are compared by content (see is_settled)."""
    for path, (_, mtime_ns) in inputs.items():
        if is_settled(mtime_ns, state.scanned_ns):
            continue
        if state.racy is None or path not in state.racy:
            return False
        if hashlib.sha256((site_dir / path).read_bytes()).hexdigest() != state.racy[path]:
            return False
    return True
