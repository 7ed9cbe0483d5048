"""A Builder rebuilding in memory from a watcher's changed paths gives the bytes of a clean build."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.build import Builder, BuildOptions
from sitegen.errors import BuildFailed
from tests.golden.trees import EPOCH, clean_build, diff_trees, read_tree, write_files
from tests.unit.test_incremental import EDITS, _edit, _site


@pytest.fixture(autouse=True)
def _epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _sources(site: Path) -> dict[Path, bytes]:
    skip = (site / "public", site / ".sitegen")
    return {
        p: p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and not any(p.is_relative_to(s) for s in skip)
    }


def _changed(before: dict[Path, bytes], after: dict[Path, bytes]) -> set[Path]:
    """What a file watcher reports: every file created, modified or deleted."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def _assert_clean(site: Path, tmp_path: Path) -> None:
    _, expected = clean_build(site, tmp_path / "clean")
    assert diff_trees(read_tree(site / "public"), expected) == []


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_rebuild_from_changed_paths_equals_a_clean_build(tmp_path: Path, edit: str) -> None:
    site = _site(tmp_path / "site")
    builder = Builder(site, BuildOptions())
    builder.build()
    before = _sources(site)
    EDITS[edit](site)
    changed = _changed(before, _sources(site))
    assert changed
    result = builder.build(changed)
    _assert_clean(site, tmp_path)
    assert result.written < result.written + result.unchanged  # incremental: not everything


def test_successive_edits_in_one_builder_stay_clean(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    builder = Builder(site, BuildOptions())
    builder.build()
    for edit in ("body", "title", "tag added", "slug", "new post"):
        before = _sources(site)
        EDITS[edit](site)
        builder.build(_changed(before, _sources(site)))
    _assert_clean(site, tmp_path)


def test_paths_of_a_failed_build_are_rebuilt_by_the_next(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    builder = Builder(site, BuildOptions())
    builder.build()
    broken = site / "content/posts/post-3.md"
    _edit(broken, "title: Post 3", "title: [unclosed")
    with pytest.raises(BuildFailed):
        builder.build([broken])
    _edit(broken, "title: [unclosed", "title: Fixed three")
    other = site / "content/posts/post-4.md"
    _edit(other, "Text 4.", "Text four.")
    builder.build([other])  # the watcher reports the fix of post-3 in the next batch... or not
    _assert_clean(site, tmp_path)
    assert "Fixed three" in (site / "public/posts/post-3/index.html").read_text()


def test_dot_files_are_ignored_as_a_scan_ignores_them(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    builder = Builder(site, BuildOptions())
    builder.build()
    write_files(site, {"content/media/.hidden.svg": "<svg/>\n"})
    result = builder.build([site / "content/media/.hidden.svg"])
    assert result.written == 0
    _assert_clean(site, tmp_path)


def test_a_deleted_folder_rescans_everything(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    builder = Builder(site, BuildOptions())
    builder.build()
    folder = site / "content/pages/docs"
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    builder.build([folder])  # some watchers report only the folder
    _assert_clean(site, tmp_path)
    assert not (site / "public/docs/guide").exists()


def _fingerprints(site: Path) -> dict[str, str]:
    from sitegen.build import state_key
    from sitegen.cache import load_state

    state = load_state(site, state_key(site.resolve(), BuildOptions()))
    assert state is not None
    return {path: fingerprint for path, (fingerprint, _, _) in state.outputs.items()}


@pytest.mark.parametrize("edit", ["body", "tag added", "slug"])
def test_fingerprints_do_not_depend_on_what_was_reused(tmp_path: Path, edit: str) -> None:
    """Entries reused from the last build (in memory or from .sitegen/) must give the same
    fingerprints as entries built afresh, or every page would be rendered again."""
    reused, fresh, kept = (_site(tmp_path / name) for name in ("reused", "fresh", "kept"))
    for site in (reused, kept):
        Builder(site, BuildOptions(), retain=False).build()
    builder = Builder(kept, BuildOptions())
    builder.build()
    for site in (reused, fresh, kept):
        EDITS[edit](site)
    Builder(reused, BuildOptions(), retain=False).build()
    Builder(fresh, BuildOptions(), retain=False).build()
    builder.build(None)
    assert _fingerprints(reused) == _fingerprints(fresh) == _fingerprints(kept)


def test_stored_entries_without_the_doc_store_still_give_the_same_bytes(tmp_path: Path) -> None:
    """Pages of reused entries read their bodies from the DocStore; if it is lost, they are
    rendered from their files again."""
    site = _site(tmp_path / "site")
    Builder(site, BuildOptions(), retain=False).build()
    (site / ".sitegen/build-docs.sqlite").unlink()
    EDITS["body"](site)  # the feeds show post-3 and the pages of stored entries around it
    result = Builder(site, BuildOptions(), retain=False).build()
    _assert_clean(site, tmp_path)
    assert "feed.xml" in result.changed_paths


@pytest.mark.parametrize("jobs", [1, 2])
def test_pages_whose_body_the_doc_store_lost_are_rendered_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """A build keeps bodies (HTML and toc) in the DocStore only; a page whose body cannot be read back
    (a damaged or shared cache) is made from its file again, with the same bytes."""
    from sitegen.cache import DocStore

    site = _site(tmp_path / "site")
    _, expected = clean_build(site, tmp_path / "clean")  # before the store loses anything
    monkeypatch.setattr(DocStore, "body", lambda self, path, sha256: None)
    Builder(site, BuildOptions(jobs=jobs), retain=False).build()
    assert diff_trees(read_tree(site / "public"), expected) == []


def test_a_doc_store_of_an_older_layout_is_replaced(tmp_path: Path) -> None:
    import sqlite3

    site = _site(tmp_path / "site")
    (site / ".sitegen").mkdir()
    old = sqlite3.connect(site / ".sitegen/build-docs.sqlite")
    with old:
        old.execute(
            "CREATE TABLE docs (path TEXT PRIMARY KEY, options TEXT, sha256 TEXT, record BLOB)"
        )
        old.execute("INSERT INTO docs VALUES ('content/posts/post-1.md', 'x', 'y', x'00')")
    old.close()
    Builder(site, BuildOptions(), retain=False).build()
    _assert_clean(site, tmp_path)
