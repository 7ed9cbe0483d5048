"""Sync between content/ (the working copy) and Supabase (the shared store).

`run_pull` is what `sitegen build --pull` calls: pull, and fail loudly (raise) on anything that
is not a clean pull, so CI never builds from a half-synced working copy.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.console import say


def run_pull(site_dir: Path) -> None:
    """Pull into `site_dir/content`; raises SitegenError on conflicts, rejected rows or failures."""
    from sitegen.sync.pull import pull

    report = pull(site_dir, notify=say)
    for note in report.notes:
        say(note)
    say(report.summary("Pulled"))
    report.raise_for_problems("pull")
