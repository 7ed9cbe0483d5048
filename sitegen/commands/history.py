"""`sitegen history KEY` and `sitegen restore KEY --version N`: every earlier version, kept by
the server (sql/008_history.sql), and bringing one back as a new version."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from sitegen.commands.auth import SITE_OPTION
from sitegen.config import resolve_site
from sitegen.console import say, verbosity_options

HISTORY_EPILOG = """\b
Examples:
  sitegen history posts/hello-world
  sitegen history pages/about

\b
One line per version, newest first: the version number, when it was written
(UTC) and the email of who wrote it; `current` marks the version on the
server now, `deleted` one a delete removed. Every update and delete keeps the
version it replaced, also `push --force`. Readable by whoever may edit the
document: its author, editors and owners.
"""
RESTORE_EPILOG = """\b
Examples:
  sitegen history posts/hello-world
  sitegen restore posts/hello-world --version 3
  sitegen pull                        bring the restored version here

\b
Writes version N back as a new version on the server (a deleted document is
created again); the version it replaces stays in the history. Needs the same
rights as editing the document.
"""


def _key(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, str]:
    from sitegen.slugs import is_valid_slug

    table, _, slug = value.partition("/")
    if table not in ("posts", "pages") or not is_valid_slug(slug):
        raise click.BadParameter(
            f"{value!r} is not a document key; use posts/<slug> or pages/<slug>",
            param_hint="KEY",
        )
    return table, slug


@click.command("history", epilog=HISTORY_EPILOG)
@click.argument("key", callback=_key)
@SITE_OPTION
@verbosity_options
def history_command(key: tuple[str, str], site_dir: Path | None) -> None:
    """List the versions of a post or page: number, time and who wrote it."""
    from sitegen.auth import open_client
    from sitegen.remote.history import history

    with open_client(resolve_site(site_dir), require_login=True) as client:
        versions = history(client, *key)
    for version in versions:
        mark = (
            "current"
            if version.current
            else ("deleted" if version.replaced_by == "deleted" else "")
        )
        line = f"{version.number:>4}  {_when(version.written_at)}  {version.email or '-'}  {mark}"
        click.echo(line.rstrip())


@click.command("restore", epilog=RESTORE_EPILOG)
@click.argument("key", callback=_key)
@click.option(
    "--version",
    "number",
    type=click.IntRange(min=1),
    required=True,
    help="The version to bring back (a number `sitegen history` lists).",
)
@SITE_OPTION
@verbosity_options
def restore_command(key: tuple[str, str], number: int, site_dir: Path | None) -> None:
    """Bring an earlier version of a post or page back, as a new version on the server."""
    from sitegen.auth import open_client
    from sitegen.remote.history import restore

    with open_client(resolve_site(site_dir), require_login=True) as client:
        written = restore(client, *key, number)
    say(
        f"Restored {'/'.join(key)} version {number} as version {written}; "
        "`sitegen pull` brings it here."
    )


def _when(stamp: str) -> str:
    """A server timestamp as `2026-12-07 10:40:12 UTC`."""
    from datetime import UTC

    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
