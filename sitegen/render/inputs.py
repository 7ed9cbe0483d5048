"""What one build is given (its options, the clock, the input files' stats) and what it returns.

Shared by `build.py` (the public entry and the no-op shortcut) and `render/pipeline.py` (the
full build), so neither imports the other. Light on purpose: the no-op build imports it.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import SitegenError
from sitegen.paths import CONFIG_FILE
from sitegen.sources.local import Stats, scan_tree


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    future: bool = False
    strict: bool = False  # broken internal links / missing media become errors
    output_dir: Path | None = None  # override config.output_dir (serve builds elsewhere)
    base_url: str | None = None  # override config.base_url (serve uses http://127.0.0.1:PORT/)
    jobs: int | None = None  # None = auto (use both cores when it pays off)
    use_cache: bool = True
    clean: bool = False  # take over an output folder holding files sitegen did not write


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


def build_now() -> dt.datetime:
    """'Now' for deciding which posts are future: SOURCE_DATE_EPOCH when set (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.strip().isdigit() else time.time()
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def scan_inputs(site_dir: Path, input_dirs: tuple[str, ...]) -> Stats:
    """Stats of sitegen.toml and every file in the input folders (site-relative or absolute)."""
    stats: Stats = {}
    config = site_dir / CONFIG_FILE
    if config.is_file():
        stat = config.stat()
        stats[CONFIG_FILE] = (stat.st_size, stat.st_mtime_ns)
    for folder in input_dirs:  # a built-in theme's folders are their own boundary
        path = site_dir / folder
        stats.update(scan_tree(path, folder, site_dir if path.is_relative_to(site_dir) else path))
    return stats
