"""Fixture sites build to the expected trees (regenerate: python -m tests.golden.regen).

The trees are made under the lock (requirements-test.txt); HTML and feeds are compared by their
parse (markup.py), so a library that only spells a character otherwise passes too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.golden.markup import same_markup
from tests.golden.regen import GOLDEN_SITES
from tests.golden.trees import EPOCH, FIXTURE_SITES, GOLDEN, clean_build, diff_trees, read_tree


@pytest.mark.parametrize("name", GOLDEN_SITES)
def test_site_matches_its_golden_tree(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITES / name, site)
    _, tree = clean_build(site, tmp_path / "out")
    assert diff_trees(tree, read_tree(GOLDEN / name), same_markup) == [], (
        "run `python -m tests.golden.regen` if intended"
    )
