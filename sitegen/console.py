"""Shared by all commands: terminal output (verbosity, logging, progress), and `one_shot`.

Commands decorate themselves with `verbosity_options`; messages go through `say`
(normal), `detail` (-v only) and `warn` (always, unless -q), so -q/-v behave the
same everywhere.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

_level = 0  # -1 quiet, 0 normal, 1+ verbose
# Key of the click context's `obj` saying the process ends when the command does (the `sitegen`
# script; not a command run inside another program, such as a test).
ONE_SHOT = "sitegen.one_shot"


def verbosity_options(func: F) -> F:
    """Add -v/--verbose (repeatable) and -q/--quiet to a command."""

    def remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        # Both callbacks always run (defaults included), so the level is reset on every call.
        ctx.meta[f"sitegen.{param.name}"] = value
        quiet = ctx.meta.get("sitegen.quiet", False)
        set_level(-1 if quiet else int(ctx.meta.get("sitegen.verbose", 0) or 0))
        return value

    func = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=remember,
        help="Print only errors and warnings.",
    )(func)
    func = click.option(
        "-v",
        "--verbose",
        count=True,
        expose_value=False,
        callback=remember,
        help="Print more detail (repeat for more).",
    )(func)
    return func


class _CurrentStderr(logging.StreamHandler[TextIO]):
    """A handler writing to whatever `sys.stderr` is when a message is logged.

    A plain StreamHandler keeps the stream it was created with; when the CLI runs several times in
    one process (tests, `serve` rebuilds) that stream may have been replaced or closed since.
    """

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        """Ignored: the stream is always the current sys.stderr."""


def set_level(level: int) -> None:
    """Set verbosity and route the `sitegen` logger to stderr accordingly."""
    global _level
    _level = level
    logger = logging.getLogger("sitegen")
    if not logger.handlers:
        handler = _CurrentStderr()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if level >= 1 else logging.WARNING)


def one_shot() -> bool:
    """True when the running command's process ends with it (see ONE_SHOT)."""
    obj = click.get_current_context().find_root().obj
    return isinstance(obj, dict) and obj.get(ONE_SHOT) is True


def level() -> int:
    """The current verbosity: -1 quiet, 0 normal, 1+ verbose."""
    return _level


def say(message: str) -> None:
    """Normal output, hidden by -q."""
    if _level >= 0:
        click.echo(message)


def detail(message: str) -> None:
    """Verbose output, shown only with -v."""
    if _level >= 1:
        click.echo(message, err=True)


def warn(message: str) -> None:
    """A warning on stderr; shown even with -q."""
    click.secho(f"warning: {message}", err=True, fg="yellow")
