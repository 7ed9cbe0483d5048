"""Rewrite the expected output trees from the current build: `python -m tests.golden.regen`.

Review the diff (`git diff tests/golden`) before committing: it is the change users will see.
Vendored and large files are kept as digests (trees.golden_form).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from tests.golden.trees import EPOCH, FIXTURE_SITES, GOLDEN, clean_build, golden_form

GOLDEN_SITES = ("tiny", "default-theme", "docs-site", "docs-markdown")


def regenerate(name: str) -> int:
    target = GOLDEN / name
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        shutil.copytree(FIXTURE_SITES / name, site)  # never leave a .sitegen/ in the fixtures
        _, tree = clean_build(site, Path(scratch) / "out")
    shutil.rmtree(target, ignore_errors=True)
    for rel, data in golden_form(tree).items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return len(tree)


def main() -> None:
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    for name in GOLDEN_SITES:
        print(f"{name}: {regenerate(name)} files")


if __name__ == "__main__":
    main()
