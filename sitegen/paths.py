"""The names sitegen gives to files and folders of a site: each spelled here, once.

A base-layer module with no imports beyond pathlib, so the no-op build (which must stay cheap)
and every layer above can use it.
"""

from __future__ import annotations

from pathlib import Path

CONFIG_FILE = "sitegen.toml"
STATE_DIR = ".sitegen"  # machine state (build cache, sync base, login); git-ignored


def state_dir(site_dir: Path) -> Path:
    """The site's machine-state folder, `<site>/.sitegen`."""
    return site_dir / STATE_DIR
