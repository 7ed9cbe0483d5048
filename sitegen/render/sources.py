"""The first stage of a build: what it reads before any document.

The configuration (with the options that override it), the output folder, the theme, the
stats of every input file, and the Markdown options with the key that names them in the
build cache. Reads `sitegen.toml` and scans folders; renders nothing.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from sitegen.cache import BuildState, output_versions
from sitegen.config import SiteConfig, load_config, normalise_base_url
from sitegen.data_files import DATA_DIR
from sitegen.errors import ConfigError
from sitegen.markdown import MarkdownOptions
from sitegen.paths import CONTENT_DIR, holds_site_files, state_dir
from sitegen.render.inputs import BuildOptions, scan_inputs
from sitegen.shortcodes import Shortcodes
from sitegen.sources.local import Stats
from sitegen.theme import ThemePaths, theme_paths


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
    store_key: str  # names the Markdown options and everything else a rendering depends on

    @property
    def jinja_cache(self) -> Path:
        """The folder of compiled templates. Jinja reuses its compiled code across its own
        versions (its cache's tag changes only with its bytecode format), so it is per versions."""
        name = hashlib.blake2b(output_versions().encode(), digest_size=8).hexdigest()
        return state_dir(self.site_dir) / "jinja" / name


def read_sources(
    site_dir: Path,
    options: BuildOptions,
    last: BuildState | None,
    scanned: tuple[int, Stats] | None,
) -> Sources:
    """The build's sources. `scanned` is (time, stats) of the inputs when the caller has them
    (a scan for the no-op check, or the last build's stats updated for the paths a watcher
    saw change), valid while the input folders are those of the `last` build."""
    config = _effective_config(site_dir, options)
    out_dir = _output_dir(site_dir, config, options)
    theme = theme_paths(site_dir, config.theme)
    input_dirs = (CONTENT_DIR, DATA_DIR, *(_relative(site_dir, d) for d in theme.input_dirs()))
    if scanned is None or last is None or last.input_dirs != input_dirs:
        scanned = (time.time_ns(), scan_inputs(site_dir, input_dirs))
    shortcodes = Shortcodes(site_dir, theme.template_dirs)
    md_options, store_key = _markdown_options(config, shortcodes)
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
        store_key=store_key,
    )


def _effective_config(site_dir: Path, options: BuildOptions) -> SiteConfig:
    config = load_config(site_dir)
    if options.base_url is None:
        return config
    try:
        base_url = normalise_base_url(options.base_url)
    except ValueError as exc:
        raise ConfigError(str(exc), field="base_url", hint="pass an absolute http(s) URL") from None
    return config.model_copy(update={"base_url": base_url})


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


def _markdown_options(config: SiteConfig, shortcodes: Shortcodes) -> tuple[MarkdownOptions, str]:
    """The Markdown options, and the key naming them (with the versions of sitegen and of the
    libraries that render, and the shortcode templates) in the DocStore."""
    md = config.markdown
    options = MarkdownOptions(
        allow_html=md.allow_html,
        iframe_hosts=md.iframe_hosts,
        highlight=md.highlight,
        toc_max_level=md.toc_max_level,
        search_terms=config.search.enabled,
    )
    # the records hold limit errors, so the limits name the store too
    return options, f"{output_versions()}:{options!r}:{shortcodes.digest}:{config.limits!r}"
