"""The first stage of a build: what it reads before any document.

The configuration (with the options that override it), the output folder, the theme, the
stats of every input file and the Markdown options. Reads `sitegen.toml` and scans folders;
renders nothing.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import SiteConfig, load_config, normalise_base_url
from sitegen.data_files import DATA_DIR
from sitegen.errors import ConfigError
from sitegen.markdown import MarkdownOptions
from sitegen.paths import CONTENT_DIR, holds_site_files
from sitegen.render.inputs import BuildOptions, scan_inputs
from sitegen.shortcodes import Shortcodes
from sitegen.sources.local import Stats
from sitegen.theme import ThemePaths, static_files, theme_paths


@dataclass(frozen=True)
class Sources:
    site_dir: Path
    config: SiteConfig  # with the options' overrides (base_url)
    out_dir: Path
    theme: ThemePaths
    input_dirs: tuple[str, ...]  # scanned for inputs: content/, data/ and the theme's
    inputs: Stats  # path -> (size, mtime_ns) of every input file
    scanned_ns: int  # when they were scanned (see fsio.is_settled)
    shortcodes: Shortcodes
    md_options: MarkdownOptions
    static: dict[str, Path]  # static path (`style.css`) -> its file (theme.static_files)

    def rendering_inputs(self) -> str:
        """What every document's rendering depends on besides its file: the Markdown options,
        the shortcode templates and the limits (the records hold limit errors)."""
        return f"{self.md_options!r}:{self.shortcodes.digest}:{self.config.limits!r}"


def read_sources(
    site_dir: Path,
    options: BuildOptions,
    scanned: tuple[int, Stats] | None = None,
    scanned_dirs: tuple[str, ...] = (),
) -> Sources:
    """The build's sources. `scanned` is (time, stats) of the input folders `scanned_dirs` when
    the caller has them (a scan for the no-op check, or the last build's stats updated for the
    paths a watcher saw change); they are scanned again if the input folders are others."""
    config = _effective_config(site_dir, options)
    out_dir = _output_dir(site_dir, config, options)
    theme = theme_paths(site_dir, config.theme)
    input_dirs = (CONTENT_DIR, DATA_DIR, *(_relative(site_dir, d) for d in theme.input_dirs()))
    if scanned is None or scanned_dirs != input_dirs:
        scanned = (time.time_ns(), scan_inputs(site_dir, input_dirs))
    shortcodes = Shortcodes(site_dir, theme.template_dirs)
    md_options = _markdown_options(config)
    return Sources(
        site_dir=site_dir,
        config=config,
        out_dir=out_dir,
        theme=theme,
        input_dirs=input_dirs,
        inputs=scanned[1],
        scanned_ns=scanned[0],
        shortcodes=shortcodes,
        md_options=md_options,
        static=static_files(theme),
    )


def _effective_config(site_dir: Path, options: BuildOptions) -> SiteConfig:
    config = load_config(site_dir)
    if options.base_url is None:
        return config
    try:
        base_url = normalise_base_url(options.base_url)
    except ValueError as exc:
        raise ConfigError(str(exc), field="base_url", hint="pass an absolute http(s) URL") from None
    return dataclasses.replace(config, base_url=base_url)


def _output_dir(site_dir: Path, config: SiteConfig, options: BuildOptions) -> Path:
    """The output folder; never the site itself, a folder holding it, or one of its inputs."""
    out_dir = (site_dir / (options.output_dir or config.output_dir)).resolve()
    if holds_site_files(site_dir, out_dir):
        raise ConfigError(
            f"{out_dir} cannot be the output folder: it holds the site's own files",
            field="output_dir",
            hint='use a folder of its own, e.g. "public"',
        )
    return out_dir


def _relative(site_dir: Path, folder: Path) -> str:
    return (
        folder.relative_to(site_dir).as_posix() if folder.is_relative_to(site_dir) else str(folder)
    )


def _markdown_options(config: SiteConfig) -> MarkdownOptions:
    md = config.markdown
    return MarkdownOptions(
        allow_html=md.allow_html,
        iframe_hosts=md.iframe_hosts,
        highlight=md.highlight,
        toc_max_level=md.toc_max_level,
        search_terms=config.search.enabled,
    )
