"""`sitegen push` and `sitegen pull`: sync content/ with Supabase (see docs/sync.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from sitegen.commands.auth import SITE_OPTION, resolve_site
from sitegen.console import say, verbosity_options, warn

PUSH_EPILOG = """\b
Examples:
  sitegen push --dry-run            show what would be created, updated, deleted
  sitegen push                      send your local changes
  sitegen push --prune              also delete remotely what you deleted locally
  sitegen push --force              overwrite remote edits made since your last sync
  sitegen push -v                   log every request (method, path, status, ms)

\b
A key changed both locally and remotely since the last sync is a conflict:
it is reported with both versions' times and authors, left untouched, and
the exit code is 1. To merge: copy your file aside, `sitegen pull --force`
(takes the remote version), merge your copy into it, push again. To keep
yours as it is: `sitegen push --force`.
"""

PULL_EPILOG = """\b
Examples:
  sitegen pull                      bring others' published edits (and your drafts)
  sitegen pull --force              also overwrite files you changed locally
  sitegen pull -v                   log every request (method, path, status, ms)
  sitegen build --pull              pull, then build (for CI)

\b
Files you changed locally are never overwritten without --force: such a
key is reported as a conflict and the exit code is 1 (copy your file aside
before `sitegen pull --force` if you want to merge). Anonymous pulls get
published content; log in (`sitegen login`) to also get your own drafts.
"""

if TYPE_CHECKING:
    from sitegen.sync.plan import Step


@click.command("push", epilog=PUSH_EPILOG)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the plan (create/update/delete/conflict per key); change nothing.",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Delete remotely what you deleted locally (only keys a sync brought here).",
)
@click.option("--force", is_flag=True, help="Overwrite remote changes made since your last sync.")
@SITE_OPTION
@verbosity_options
def push_command(dry_run: bool, prune: bool, force: bool, site_dir: Path | None) -> None:
    """Send local changes in content/ to Supabase."""
    from sitegen.sync.push import push

    report = push(resolve_site(site_dir), dry_run=dry_run, prune=prune, force=force, notify=say)
    if dry_run:
        say("Plan (nothing was changed):" if report.steps else "Nothing to push.")
        for line in report.plan_lines():
            say(line)
    else:
        _show_skipped(report.skipped)
        say(report.summary("Pushed"))
    report.raise_for_problems()


@click.command("pull", epilog=PULL_EPILOG)
@click.option("--force", is_flag=True, help="Overwrite local changes with the remote version.")
@SITE_OPTION
@verbosity_options
def pull_command(force: bool, site_dir: Path | None) -> None:
    """Bring remote changes from Supabase into content/."""
    from sitegen.sync import run_pull

    run_pull(resolve_site(site_dir), force=force)


def _show_skipped(skipped: list[Step]) -> None:
    for step in skipped:
        warn(f"{step.key}: {step.reason}")
