"""Sync between content/ (the working copy) and Supabase (the shared store).

`run_pull` is `sitegen pull` without the command line, and what `sitegen build --pull` and
`sitegen serve` call: pull, report, and fail loudly (raise) on anything that is not a clean pull,
so CI never builds from a half-synced working copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sitegen.console import say, warn


def run_pull(site_dir: Path, *, force: bool = False, keys: Sequence[str] = ()) -> None:
    """Pull into `site_dir/content` (only `keys`, when given); raises SitegenError on
    conflicts, rejected rows or failures."""
    from sitegen.sync.pull import pull

    report = pull(site_dir, force=force, keys=keys, notify=say)
    for note in report.notes:
        warn(note)
    for step in report.skipped:
        warn(f"{step.key}: {step.reason}")
    say(report.summary("Pulled"))
    report.raise_for_problems()
