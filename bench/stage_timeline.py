"""Where a build's wall time goes, stage by stage: one `sitegen build` in this process, each
stage function wrapped with a timer, printed as start + duration from process start.

    python bench/stage_timeline.py [SITEGEN BUILD OPTIONS...]     # in a site folder
    python bench/stage_timeline.py --no-cache -o /tmp/out          # a cold build
    python bench/stage_timeline.py                                  # an edit: change a post first

Stages that run in worker processes show as one span (`documents`, `_produce`); the builder's
own work while they run (`compiled_environment`, `fingerprints`, `_search_jobs`,
`save_entries`) shows inside those spans.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

STARTED = time.perf_counter()

import sitegen.cli  # noqa: E402  (timed: the import is part of every build)

IMPORTED_CLI = time.perf_counter()

import sitegen.render.pipeline as pipeline  # noqa: E402
import sitegen.render.reuse as reuse  # noqa: E402

IMPORTED = time.perf_counter()
SPANS: list[tuple[str, float, float]] = []


def _timed(owner: Any, name: str) -> None:
    function: Callable[..., Any] = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SPANS.append((name, began - STARTED, time.perf_counter() - began))

    setattr(owner, name, timed)


for stage in ("read_sources", "_assemble", "plan_site", "scan_tree", "fingerprints"):
    _timed(pipeline, stage)
for stage in ("compiled_environment", "_check_templates", "_search_jobs", "_produce"):
    _timed(pipeline, stage)
for stage in ("_output_stats", "save_state"):
    _timed(pipeline, stage)
for method in ("documents", "environment", "save_entries"):
    _timed(reuse.BuildCache, method)


def main() -> None:
    try:
        sitegen.cli.main(["build", "-q", *sys.argv[1:]])
    except SystemExit as exc:
        if exc.code:
            raise
    ended = time.perf_counter() - STARTED
    print(
        f"  import sitegen.cli {IMPORTED_CLI - STARTED:.3f} s, the pipeline {IMPORTED - IMPORTED_CLI:.3f} s"
    )
    for name, start, seconds in SPANS:
        print(f"{start:7.3f} +{seconds:6.3f}  {name}")
    print(f"{ended:7.3f}          end")


if __name__ == "__main__":
    main()
