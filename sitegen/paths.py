"""The names sitegen gives to files and folders of a site: each spelled here, once.

A base-layer module with no imports beyond pathlib, so the no-op build (which must stay cheap)
and every layer above can use it.
"""

from __future__ import annotations

from pathlib import Path, PurePath

CONFIG_FILE = "sitegen.toml"
STATE_DIR = ".sitegen"  # machine state (build cache, sync base, login); git-ignored
CONTENT_DIR = "content"  # posts, pages and media
INPUT_FOLDERS = (CONTENT_DIR, "templates", "static", "themes")  # the site's own files


def state_dir(site_dir: Path) -> Path:
    """The site's machine-state folder, `<site>/.sitegen`."""
    return site_dir / STATE_DIR


def holds_site_files(site_dir: PurePath, out_dir: PurePath) -> bool:
    """Whether `out_dir` (absolute, like `site_dir`) cannot be an output folder: a build there would
    replace or delete the site's own files. That is the site itself, a folder holding it, the state
    folder, or anything inside an input folder. (A folder inside `.sitegen/` is fine: serve's
    preview builds there.)"""
    return (
        site_dir.is_relative_to(out_dir)
        or out_dir == site_dir / STATE_DIR
        or any(out_dir.is_relative_to(site_dir / name) for name in INPUT_FOLDERS)
    )
