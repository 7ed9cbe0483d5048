"""The `sitegen` command line: the only place errors become messages and exit codes.

Commands live in `sitegen.commands.*` and are imported only when used, so that
`sitegen --help` stays fast: command modules import nothing heavy at module level.
Exit codes: 0 ok, 1 content/build/remote error, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator

import click

from sitegen import __version__
from sitegen.console import ONE_SHOT
from sitegen.errors import BuildFailed, SitegenError

# name -> "module:attribute"; each attribute is a click.Command.
COMMANDS: dict[str, str] = {
    "init": "sitegen.commands.scaffold:init_command",
    "new": "sitegen.commands.scaffold:new_command",
    "build": "sitegen.commands.build:build_command",
    "serve": "sitegen.commands.serve:serve_command",
    "signup": "sitegen.commands.auth:signup_command",
    "login": "sitegen.commands.auth:login_command",
    "logout": "sitegen.commands.auth:logout_command",
    "whoami": "sitegen.commands.auth:whoami_command",
    "push": "sitegen.commands.sync:push_command",
    "pull": "sitegen.commands.sync:pull_command",
    "status": "sitegen.commands.sync:status_command",
    "diff": "sitegen.commands.sync:diff_command",
    "doctor": "sitegen.commands.doctor:doctor_command",
    "import": "sitegen.commands.import_site:import_command",
    "members": "sitegen.commands.members:members_command",
    "profile": "sitegen.commands.profile:profile_command",
    "history": "sitegen.commands.history:history_command",
    "restore": "sitegen.commands.history:restore_command",
}

EPILOG = """\b
Examples:
  sitegen init mysite && cd mysite
  sitegen new post "Hello world"
  sitegen build
  sitegen serve --drafts
  sitegen login && sitegen push --dry-run
"""


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._load(name) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # command not built yet
                return None
            raise
        return getattr(module, attribute)


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
def cli() -> None:
    """sitegen builds a static site from Markdown in content/ and syncs it with Supabase."""


def _each_error(exc: SitegenError) -> Iterator[SitegenError]:
    """The single errors inside `exc` (a build or a file may carry several), in order."""
    inner = getattr(exc, "errors", None)
    if not inner:
        yield exc
        return
    for error in inner:
        yield from _each_error(error)


def run() -> None:
    """The `sitegen` command: `main`, then leave without Python's own teardown.

    After a build the process holds every document, entry and page view, and interpreter
    shutdown walks and frees them one by one (~60 ms after a 4000-post edit build) where
    the operating system frees the memory at once. Everything sitegen writes is written
    and renamed into place before `main` returns, and its threads are daemons: only the
    standard streams need flushing. An unexpected exception still ends the usual way.
    Commands learn that their process ends with them (`ONE_SHOT` in the context's `obj`).
    """
    try:
        main(one_shot=True)
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`sitegen build | head`) or stream
            pass
    os._exit(code)


def _exit_code(exc: SystemExit) -> int:
    """The status sys.exit(value) gives: None is 0, an int itself, anything else is printed, 1."""
    if exc.code is None or isinstance(exc.code, int):
        return exc.code or 0
    print(exc.code, file=sys.stderr)
    return 1


def main(argv: list[str] | None = None, *, one_shot: bool = False) -> None:
    """Entry point: run the CLI, turning user errors into messages and exit codes. `one_shot`:
    the process ends when the command does (`run`), so a command may skip work that only a
    process going on would need (see `sitegen.console.ONE_SHOT`)."""
    try:
        obj = {ONE_SHOT: True} if one_shot else None
        cli.main(args=argv, prog_name="sitegen", standalone_mode=False, obj=obj)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except SitegenError as exc:
        for single in _each_error(exc):
            click.secho(f"error: {single}", err=True, fg="red")
        if isinstance(exc, BuildFailed):
            click.echo(exc.message, err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    sys.exit(0)
