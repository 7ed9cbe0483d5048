"""Property-based tests of `sitegen build` on generated sites (issue 17).

Each case starts from a copy of a site that built cleanly, changes what the user controls
(front matter, Markdown, sitegen.toml, file names), runs the real CLI in-process and checks
the contract for bad input: exit 0, 1 or 2 only; no traceback; a failure names a file; after a
failure the output folder is byte for byte as it was; nothing outside the site is touched.
HYPOTHESIS_PROFILE=long runs many more cases (see conftest.py).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.fuzz.harness import Outcome, build, make_site, snapshot
from tests.fuzz.strategies import BYTE_NAMES, FILE_NAMES, MARKDOWN, config_toml, front_matter

_SCRIPT_URL = re.compile(rb"""(?:src|href|content)=["']?\s*(?:java|vb)script:""", re.I)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built once; every case works on a copy of it."""
    site = make_site(
        tmp_path_factory.mktemp("fuzz") / "site",
        {
            "content/pages/about.md": "---\ntitle: About\n---\nAbout.\n",
            "content/media/c.png": b"\x89PNG",
        },
    )
    outcome = build(site)
    assert outcome.code == 0, outcome.err
    return site


@contextmanager
def _case(baseline: Path) -> Iterator[tuple[Path, Path]]:
    """(site, outside): a fresh copy of the baseline, next to a folder it must not touch."""
    with tempfile.TemporaryDirectory(prefix="sitegen-case-") as folder:
        root = Path(folder)
        site = root / "site"
        shutil.copytree(baseline, site, symlinks=True)
        outside = root / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_text("do not publish or delete")
        yield site, outside


def _check(
    site: Path, outside: Path, before: dict[str, tuple[str, bytes]], names: list[str]
) -> Outcome:
    outcome = build(site)
    event(f"exit {outcome.code}")
    assert outcome.code in (0, 1, 2), outcome
    assert "Traceback" not in outcome.err, outcome.err
    assert snapshot(outside) == {"secret.txt": ("file", b"do not publish or delete")}
    published = snapshot(site / "public") if (site / "public").is_dir() else {}
    assert not any(b"do not publish" in data for _, data in published.values())
    if outcome.code == 0:
        for name, (_, data) in published.items():
            if name.endswith(".xml"):
                ElementTree.fromstring(data)  # well-formed, whatever the content held
            if name.endswith(".html"):
                assert not _SCRIPT_URL.search(data), name
    else:
        assert re.search(r"^error: ", outcome.err, re.M), outcome.err
        assert len(outcome.err) < 100_000
        assert any(name in outcome.err for name in names), (names, outcome.err)
        assert snapshot(site / "public") == before, outcome.err
    return outcome


@given(front=front_matter(), body=MARKDOWN)
def test_generated_documents(baseline: Path, front: str, body: str) -> None:
    with _case(baseline) as (site, outside):
        before = snapshot(site / "public")
        (site / "content/posts/fuzz.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
        _check(site, outside, before, ["content/posts/fuzz.md", "sitegen.toml", "public"])


@given(toml=config_toml())
def test_generated_config(baseline: Path, toml: str) -> None:
    with _case(baseline) as (site, outside):
        before = snapshot(site / "public")
        (site / "sitegen.toml").write_text(toml, encoding="utf-8")
        _check(site, outside, before, ["sitegen.toml", "content/", "public", "the output"])


@given(
    names=st.lists(FILE_NAMES, min_size=1, max_size=3),
    raw=st.lists(BYTE_NAMES, max_size=1),
    body=MARKDOWN,
    kind=st.sampled_from(["posts", "pages"]),
    link=st.sampled_from([None, "outside", "loop", "inside"]),
)
def test_generated_file_names_and_links(
    baseline: Path, names: list[str], raw: list[bytes], body: str, kind: str, link: str | None
) -> None:
    with _case(baseline) as (site, outside):
        before = snapshot(site / "public")
        folder = site / "content" / kind
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            (folder / name).write_text(f"---\ntitle: T\n---\n{body}", encoding="utf-8")
        for name in raw:
            with open(os.fsencode(folder) + b"/" + name, "w", encoding="utf-8") as handle:
                handle.write("---\ntitle: T\n---\nx\n")
        media = site / "content/media"
        if link == "outside":
            (media / "leak").symlink_to(outside / "secret.txt")
        elif link == "loop":
            (media / "loop").symlink_to(media)
        elif link == "inside":
            (media / "same.png").symlink_to(media / "c.png")
        _check(site, outside, before, [f"content/{kind}/", "content/media/", "sitegen.toml"])
