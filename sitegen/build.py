"""`build_site`: content/ -> the output folder, incrementally and atomically.

This module is the public API (serve and the CLI use it) and the no-op shortcut: when no input
file changed since the last build with the same options (stat calls only, against the state in
`.sitegen/`), nothing else is imported or done. Everything else is `render.pipeline`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import __version__
from sitegen.cache import BuildState, build_lock, is_settled, load_state, options_key
from sitegen.errors import BuildFailed, SitegenError
from sitegen.sources.local import Stats, scan_tree

CONFIG_FILE = "sitegen.toml"


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    future: bool = False
    strict: bool = False  # broken internal links / missing media become errors
    output_dir: Path | None = None  # override config.output_dir (serve builds elsewhere)
    base_url: str | None = None  # override config.base_url (serve uses http://127.0.0.1:PORT/)
    jobs: int | None = None  # None = auto (use both cores when it pays off)
    use_cache: bool = True


@dataclass(frozen=True)
class BuildResult:
    documents: int
    written: int
    unchanged: int
    removed: int
    seconds: float
    changed_paths: tuple[str, ...]  # output-relative POSIX paths written or removed
    warnings: tuple[SitegenError, ...]
    timings: Mapping[str, float] = field(default_factory=dict)  # per phase (+ "template:<name>")


def build_site(
    site_dir: Path,
    options: BuildOptions = BuildOptions(),
    progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Build the site; raises ConfigError, ThemeError or BuildFailed (every error at once).

    On failure the output folder is untouched. `progress(done, total)` is called as work completes.
    """
    started = time.perf_counter()
    site_dir = site_dir.resolve()
    key = state_key(site_dir, options)
    with build_lock(site_dir):
        return _build(site_dir, options, key, progress, started)


def _build(site_dir: Path, options: BuildOptions, key: str,
           progress: Callable[[int, int], None] | None, started: float) -> BuildResult:
    state = load_state(site_dir, key) if options.use_cache else None
    scanned = None
    if state is not None:
        scanned = (time.time_ns(), scan_inputs(site_dir, state.input_dirs))
        if (result := _unchanged(site_dir, state, scanned[1], options, started)) is not None:
            return result
    from sitegen.render.pipeline import run_build

    return run_build(site_dir, options, state, key, progress, started, scanned)


def state_key(site_dir: Path, options: BuildOptions) -> str:
    """Builds with different outputs or output-changing options keep separate state."""
    output = str((site_dir / options.output_dir).resolve()) if options.output_dir else None
    return options_key({"drafts": options.drafts, "future": options.future, "output": output,
                        "base_url": options.base_url})


def build_now() -> dt.datetime:
    """'Now' for deciding which posts are future: SOURCE_DATE_EPOCH when set (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.strip().isdigit() else time.time()
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


def scan_inputs(site_dir: Path, input_dirs: tuple[str, ...]) -> Stats:
    """Stats of sitegen.toml and every file in the input folders (site-relative or absolute)."""
    stats: Stats = {}
    config = site_dir / CONFIG_FILE
    if config.is_file():
        stat = config.stat()
        stats[CONFIG_FILE] = (stat.st_size, stat.st_mtime_ns)
    for folder in input_dirs:
        stats.update(scan_tree(site_dir / folder, folder))
    return stats


def _unchanged(site_dir: Path, state: BuildState, inputs: Stats, options: BuildOptions,
               started: float) -> BuildResult | None:
    """The previous result when no input, output or due date changed; None otherwise."""
    if state.version != __version__:
        return None
    if state.next_due is not None and not options.future and build_now() >= state.next_due:
        return None
    if inputs != state.inputs or not _fresh_files_unchanged(site_dir, state, inputs):
        return None
    outputs = scan_tree(Path(state.out_dir), "")
    if outputs != {path: (size, mtime) for path, (_, size, mtime) in state.outputs.items()}:
        return None
    if options.strict and state.warnings:
        raise BuildFailed(state.warnings)
    seconds = time.perf_counter() - started
    return BuildResult(documents=state.documents, written=0, unchanged=len(outputs), removed=0,
                       seconds=seconds, changed_paths=(), warnings=state.warnings,
                       timings={"read": seconds})


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
