"""Fixture sites build to the expected trees (regenerate: python -m tests.golden.regen).

The trees are made under the lock (requirements-test.txt); HTML and feeds are compared by their
parse (markup.py), so a library that only spells a character otherwise passes too.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.golden.markup import same_markup
from tests.golden.regen import GOLDEN_SITES
from tests.golden.trees import (
    DIGEST_SUFFIX,
    EPOCH,
    FIXTURE_SITES,
    GOLDEN,
    MAX_COPY_BYTES,
    VENDORED,
    clean_build,
    diff_trees,
    golden_form,
    read_tree,
)


@pytest.mark.parametrize("name", GOLDEN_SITES)
def test_site_matches_its_golden_tree(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITES / name, site)
    _, tree = clean_build(site, tmp_path / "out")
    assert diff_trees(golden_form(tree), read_tree(GOLDEN / name), same_markup) == [], (
        "run `python -m tests.golden.regen` if intended"
    )


@pytest.mark.parametrize("name", GOLDEN_SITES)
def test_golden_trees_keep_vendored_and_large_files_as_digests(name: str) -> None:
    tree = read_tree(GOLDEN / name)
    assert all(len(data) <= MAX_COPY_BYTES for data in tree.values())
    vendored = [rel for rel in tree if rel.startswith(VENDORED)]
    assert all(rel.endswith(DIGEST_SUFFIX) for rel in vendored), vendored


def test_golden_form_replaces_only_vendored_and_large_files() -> None:
    big = b"x" * (MAX_COPY_BYTES + 1)
    form = golden_form({"a.html": b"<p>", "static/mermaid/LICENSE": b"MIT", "big.js": big})
    assert form["a.html"] == b"<p>"
    assert form["static/mermaid/LICENSE" + DIGEST_SUFFIX] == (
        hashlib.sha256(b"MIT").hexdigest().encode() + b" 3\n"
    )
    assert form["big.js" + DIGEST_SUFFIX].endswith(f" {len(big)}\n".encode())
    assert len(form) == 3
