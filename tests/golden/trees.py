"""Helpers shared by build tests: whole output trees as {path: bytes}, clean builds, links."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from sitegen.build import BuildOptions, BuildResult, build_site
from sitegen.writer import MANIFEST

FIXTURE_SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
GOLDEN = Path(__file__).resolve().parent
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH for every test build: 2023-11-14
# Output files a golden tree holds as a digest instead of a copy: what the theme vendors
# (Mermaid's 3.5 MB bundle and its licence) and anything as large. A change to one still
# fails the comparison; only the review shows a new digest instead of the bytes.
VENDORED = ("static/mermaid/",)
MAX_COPY_BYTES = 64 * 1024
DIGEST_SUFFIX = ".sha256"


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` by POSIX relative path (dot files included: nothing may hide),
    except the writer's manifest, which lists the other files (tests/unit/test_hostile_output.py)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).as_posix() != MANIFEST
    }


def golden_form(tree: dict[str, bytes]) -> dict[str, bytes]:
    """`tree` as a golden folder stores it: each vendored or large file replaced by
    `<path>.sha256` holding its digest and size, every other file as it is."""
    return dict(_golden_entry(rel, data) for rel, data in tree.items())


def _golden_entry(rel: str, data: bytes) -> tuple[str, bytes]:
    if not rel.startswith(VENDORED) and len(data) <= MAX_COPY_BYTES:
        return rel, data
    return rel + DIGEST_SUFFIX, f"{hashlib.sha256(data).hexdigest()} {len(data)}\n".encode()


def clean_build(site: Path, out: Path, **options: object) -> tuple[BuildResult, dict[str, bytes]]:
    """A build that uses no cache, into `out`; returns the result and the tree."""
    result = build_site(site, BuildOptions(output_dir=out, use_cache=False, **options))  # type: ignore[arg-type]
    return result, read_tree(out)


def _identical(path: str, actual: bytes, expected: bytes) -> bool:
    return actual == expected


def diff_trees(
    actual: dict[str, bytes],
    expected: dict[str, bytes],
    same: Callable[[str, bytes, bytes], bool] = _identical,
) -> list[str]:
    """Human-readable differences, empty when the trees are the same: byte-identical, unless
    `same(path, actual, expected)` says otherwise (see markup.same_markup)."""
    problems = [f"missing {p}" for p in sorted(expected.keys() - actual.keys())]
    problems += [f"unexpected {p}" for p in sorted(actual.keys() - expected.keys())]
    problems += [
        f"differs {p}"
        for p in sorted(expected.keys() & actual.keys())
        if not same(p, actual[p], expected[p])
    ]
    return problems


def write_files(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def link_targets(html: str) -> list[str]:
    """Every href and src in `html`, in order."""
    parser = _Links()
    parser.feed(html)
    return parser.targets


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.targets += [value for name, value in attrs if name in ("href", "src") and value]
