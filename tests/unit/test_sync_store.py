"""The pure helpers of SupabaseStore: manifest validation, batching, filter quoting."""

from __future__ import annotations

import pytest

from sitegen.errors import RemoteError
from sitegen.remote.store import (
    PAGE_SIZE,
    ManifestEntry,
    _batches,
    _check_same_columns,
    _chunks_by_length,
    _quote,
    parse_manifest,
)


def test_manifest_entries_are_validated() -> None:
    data = [
        ["a", 1, "2026-01-01T00:00:00+00:00", "u", True],
        ["b", 2, "2026-01-02T00:00:00+00:00", None, False],
    ]
    assert parse_manifest("posts", data) == [
        ManifestEntry("a", 1, "2026-01-01T00:00:00+00:00", "u", True),
        ManifestEntry("b", 2, "2026-01-02T00:00:00+00:00", None, False),
    ]
    for bad in (
        {"a": 1},
        [["a", "1", "t", None, True]],
        [["a", True, "t", None, True]],
        [["a", 1, "t", None]],  # the manifest of sql/ before 006: apply the migrations
        [["a", 1, "t", None, "yes"]],
    ):
        with pytest.raises(RemoteError):
            parse_manifest("posts", bad)


def test_name_chunks_respect_the_url_budget_and_the_page_size() -> None:
    names = [f"slug-{n:05d}" for n in range(5000)]
    chunks = list(_chunks_by_length(names, 6000))
    assert [name for chunk in chunks for name in chunk] == names
    assert all(sum(len(n) + 40 for n in chunk) <= 6000 for chunk in chunks)
    assert max(len(chunk) for chunk in _chunks_by_length(names, 10**9)) == PAGE_SIZE


def test_write_batches_split_by_rows_and_bytes() -> None:
    rows = [{"slug": f"s{n}", "body": "x"} for n in range(2500)]
    assert [len(batch) for batch in _batches(rows)] == [1000, 1000, 500]
    big = [{"slug": f"s{n}", "body": "x" * 3_000_000} for n in range(5)]
    assert [len(batch) for batch in _batches(big)] == [2, 2, 1]


def test_values_in_logic_trees_are_quoted() -> None:
    assert _quote("img/a,b (1).png") == '"img/a,b (1).png"'
    assert _quote('say "hi" \\ bye') == '"say \\"hi\\" \\\\ bye"'


def test_rows_of_one_write_must_carry_the_same_columns() -> None:
    _check_same_columns([{"slug": "a", "alt": ""}, {"alt": "x", "slug": "b"}])
    with pytest.raises(ValueError, match=r"\['alt'\] differ"):
        _check_same_columns([{"slug": "a", "alt": ""}, {"slug": "b"}])  # b's alt would be blanked
