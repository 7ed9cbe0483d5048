"""`sitegen push`, `pull`, `status` and `diff`: sync content/ with Supabase (docs/sync.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from sitegen.commands.auth import SITE_OPTION
from sitegen.config import resolve_site
from sitegen.console import detail, say, verbosity_options, warn

PUSH_EPILOG = """\b
Examples:
  sitegen push --dry-run            show what would be created, updated, deleted
  sitegen push                      send your local changes
  sitegen push --prune              also delete remotely what you deleted locally
  sitegen push --force              overwrite remote edits made since your last sync
  sitegen push -v                   log every request (method, path, status, ms)

\b
A post or page changed both locally and remotely since the last sync is
merged (front matter field by field, the body line by line) and the merge
is pushed. Where both sides changed the same lines or field, the file gets
git-style markers (<<<<<<< local / ======= / >>>>>>> remote), nothing is
pushed for it, and the exit code is 1: edit the file, remove the markers,
push again. A file that still holds markers is never pushed. To keep yours
as it is: `sitegen push --force`. Another author's post is never pushed
(exit code 1).
"""

PULL_EPILOG = """\b
Examples:
  sitegen pull                      bring others' published edits (and your drafts)
  sitegen pull posts/hello          pull only this key (or: content/posts/hello.md)
  sitegen pull --force posts/hello  discard your local change, take the remote one
  sitegen pull --force              discard every local change
  sitegen pull -v                   log every request (method, path, status, ms)
  sitegen build --pull              pull, then build (for CI)

\b
Files you changed locally are never overwritten without --force. A post
or page changed on both sides is merged into your file (push it to send
the merge); where both changed the same lines, the file gets git-style
conflict markers and the exit code is 1. Anonymous pulls get published
content; log in (`sitegen login`) to also get your own drafts.
"""

STATUS_EPILOG = """\b
Examples:
  sitegen status                    what push and pull would do, per key
  sitegen diff                      then look at the changes themselves

\b
Lists local changes (push sends them), remote changes (pull brings them),
keys changed on both sides (whether they merge cleanly or conflict), and
local files that cannot be pushed (invalid, or with conflict markers).
Changes nothing.
"""

DIFF_EPILOG = """\b
Examples:
  sitegen diff                      every changed key: remote against local
  sitegen diff posts/hello          one key
  sitegen diff content/posts/hello.md   the same, by file

\b
Unified diffs: `---` is the remote version, `+++` your local file, so `+`
lines are what pushing would send. Changes nothing.
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
@click.argument("keys", nargs=-1, metavar="[KEY]...")
@click.option(
    "--force", is_flag=True, help="Discard local changes: take the remote version (of KEYs)."
)
@SITE_OPTION
@verbosity_options
def pull_command(keys: tuple[str, ...], force: bool, site_dir: Path | None) -> None:
    """Bring remote changes from Supabase into content/ (all keys, or the KEYs given)."""
    from sitegen.sync import run_pull

    run_pull(resolve_site(site_dir), force=force, keys=keys)


@click.command("status", epilog=STATUS_EPILOG)
@SITE_OPTION
@verbosity_options
def status_command(site_dir: Path | None) -> None:
    """Show what push and pull would do, per key (like `git status`)."""
    from sitegen.sync.status import status, status_lines

    for line in status_lines(status(resolve_site(site_dir), notify=detail)):
        click.echo(line)


@click.command("diff", epilog=DIFF_EPILOG)
@click.argument("keys", nargs=-1, metavar="[KEY]...")
@SITE_OPTION
@verbosity_options
def diff_command(keys: tuple[str, ...], site_dir: Path | None) -> None:
    """Show local changes against the remote version (all changed keys, or KEYs)."""
    from sitegen.sync.status import diff

    for line in diff(resolve_site(site_dir), keys, notify=detail):
        click.echo(line, nl=False)


def _show_skipped(skipped: list[Step]) -> None:
    for step in skipped:
        warn(f"{step.key}: {step.reason}")
