"""`sitegen build`: render content/ into the output folder.

Imports only click and light modules at top level; the build engine is imported when the
command runs, so `sitegen --help` stays fast.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sitegen.console import detail, level, one_shot, say, verbosity_options, warn
from sitegen.errors import SitegenError

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar  # what click.progressbar returns

    from sitegen.build import BuildResult

BUILD_EPILOG = """\b
Examples:
  sitegen build                          render the site into public/
  sitegen build --drafts --future        include drafts and future posts
  sitegen build --strict                 fail on broken links and missing media
  sitegen build -o /tmp/site --base-url https://example.org/blog/
  sitegen build --pull                   pull from Supabase first (for CI)
  sitegen build --timings                show where the time went
  sitegen build -o /srv/www --clean      take over a folder sitegen did not make

\b
Only files whose bytes change are written; stale files are removed. A failed
build leaves the output folder exactly as it was. sitegen never deletes or
overwrites a file it did not write: an output folder holding other files is
refused unless you pass --clean. The cache lives in .sitegen/
(--no-cache ignores it).
"""

PROGRESS_FROM = 200  # show a progress bar only for builds with this much work


@click.command("build", epilog=BUILD_EPILOG)
@click.option("--drafts", is_flag=True, help="Include documents with `draft: true`.")
@click.option("--future", is_flag=True, help="Include posts dated in the future.")
@click.option(
    "--strict", is_flag=True, help="Treat broken internal links and missing media as errors."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: output_dir from sitegen.toml).",
)
@click.option("--base-url", metavar="URL", help="Override base_url from sitegen.toml.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Processes to render with (default: both cores when the site is large).",
)
@click.option("--no-cache", is_flag=True, help="Ignore the build cache: render everything afresh.")
@click.option(
    "--clean",
    is_flag=True,
    help="Take over an output folder holding files sitegen did not write: files there that "
    "the site does not produce are deleted. Without it such a folder is refused.",
)
@click.option("--timings", is_flag=True, help="Show time per phase and the slowest templates.")
@click.option("--pull", is_flag=True, help="Pull content from Supabase before building.")
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder (default: the nearest folder with sitegen.toml).",
)
@verbosity_options
def build_command(
    drafts: bool,
    future: bool,
    strict: bool,
    output: Path | None,
    base_url: str | None,
    jobs: int | None,
    no_cache: bool,
    clean: bool,
    timings: bool,
    pull: bool,
    site_dir: Path | None,
) -> None:
    """Build the site from content/ into the output folder."""
    from sitegen.build import BuildOptions, build_site
    from sitegen.config import resolve_site

    site = resolve_site(site_dir)
    if pull:
        _pull(site)
    options = BuildOptions(
        drafts=drafts,
        future=future,
        strict=strict,
        output_dir=output.resolve() if output is not None else None,
        base_url=base_url,
        jobs=jobs,
        use_cache=not no_cache,
        clean=clean,
    )
    if one_shot():
        # The build pauses the cycle collector and turns it back on at its end, when its first
        # pass walks every object the build made (~50 ms at 1000 posts). In a process that ends
        # with the build, that garbage goes with the process.
        gc.disable()
    with _progress_bar() as progress:
        result = build_site(site, options, progress)
    for warning in result.warnings:
        warn(str(warning))
    say(summary_line(result))
    if timings or level() >= 1:
        for line in timing_lines(result):
            (say if timings else detail)(line)


def _pull(site: Path) -> None:
    try:
        from sitegen.sync import run_pull
    except ImportError:
        raise SitegenError(
            "sync is not available in this installation, so --pull cannot run",
            field="--pull",
            hint="build without --pull",
        ) from None
    run_pull(site)


def summary_line(result: BuildResult) -> str:
    return (
        f"Built {result.documents} document{'s' if result.documents != 1 else ''} in "
        f"{result.seconds:.2f} s: {result.written} file{'s' if result.written != 1 else ''} written, "
        f"{result.unchanged} unchanged, {result.removed} removed."
    )


def timing_lines(result: BuildResult) -> list[str]:
    """Phase times, then the five slowest templates (like Hugo's --templateMetrics)."""
    phases = [
        "read",
        "parse",
        "markdown",
        "assemble",
        "plan",
        "templates",
        "feeds",
        "copy",
        "write",
    ]
    lines = ["Time per phase (summed over processes):"]
    lines += [
        f"  {name:<10} {result.timings[name]:8.3f} s" for name in phases if name in result.timings
    ]
    slowest = sorted(
        (
            (v, k.removeprefix("template:"))
            for k, v in result.timings.items()
            if k.startswith("template:")
        ),
        reverse=True,
    )[:5]
    if slowest:
        lines.append("Slowest templates:")
        lines += [f"  {name:<20} {seconds:8.3f} s" for seconds, name in slowest]
    return lines


@contextmanager
def _progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for long builds, only when stderr is a terminal."""
    if not sys.stderr.isatty() or level() < 0:
        yield None
        return
    bar: ProgressBar[int] | None = None
    shown = 0

    def progress(done: int, total: int) -> None:
        nonlocal bar, shown
        if total < PROGRESS_FROM:
            return
        if bar is None or bar.length != total:
            if bar is not None:
                bar.render_finish()
            bar = click.progressbar(length=total, label="Building", file=sys.stderr)
            shown = 0
        bar.update(done - shown)
        shown = done

    try:
        yield progress
    finally:
        if bar is not None:
            bar.render_finish()
