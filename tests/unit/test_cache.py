from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from importlib import metadata
from pathlib import Path

import pygments
import pytest

from sitegen import cache
from sitegen.build import BuildOptions, build_site
from sitegen.cache import (
    OUTPUT_LIBRARIES,
    BuildState,
    FileHasher,
    installed_versions,
    load_state,
    output_versions,
    save_state,
    state_path,
)
from sitegen.fsio import is_settled
from sitegen.sources.local import scan_content, scan_tree
from tests.golden.trees import EPOCH, clean_build, diff_trees, read_tree, write_files


def test_state_round_trips_and_damage_means_no_cache(tmp_path: Path) -> None:
    state = BuildState(
        version="1",
        out_dir="/x",
        input_dirs=("content",),
        inputs={"a": (1, 2)},
        outputs={"index.html": ("fp", 3, 4)},
    )
    save_state(tmp_path, "k", state)
    assert load_state(tmp_path, "k") == state
    assert (tmp_path / ".sitegen/.gitignore").read_text() == "*\n"
    state_path(tmp_path, "k").write_bytes(b"not a pickle")
    assert load_state(tmp_path, "k") is None
    assert load_state(tmp_path, "missing") is None


def test_recently_modified_files_are_checked_by_content(tmp_path: Path) -> None:
    path = tmp_path / "a.css"
    path.write_text("one")
    stat = (path.stat().st_size, path.stat().st_mtime_ns)
    first = FileHasher({}, checked_ns=0)
    sha_one = first.sha256(path, "a.css", stat)
    path.write_text("two")  # same size; the mtime may well be the same tick
    os.utime(path, ns=(stat[1], stat[1]))
    racy = FileHasher(first.hashes, checked_ns=stat[1] + 1)  # the old scan saw it fresh
    assert racy.sha256(path, "a.css", stat) != sha_one
    settled = FileHasher(first.hashes, checked_ns=stat[1] + 10**10)
    assert settled.sha256(path, "a.css", stat) == sha_one  # trusted: same stat, long settled
    assert is_settled(1, 3 * 10**9) and not is_settled(2 * 10**9, 3 * 10**9)


def test_scans_skip_dot_files_and_keep_only_markdown_documents(tmp_path: Path) -> None:
    for rel in (
        "content/posts/a.md",
        "content/posts/.hidden.md",
        "content/posts/notes.txt",
        "content/pages/x/b.md",
        "content/media/i/c.png",
        "content/.git/x",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("---\ntitle: T\n---\n")
    files = scan_content(tmp_path)
    assert sorted(files.documents) == ["content/pages/x/b.md", "content/posts/a.md"]
    assert list(files.media) == ["content/media/i/c.png"]
    assert "content/.git/x" not in scan_tree(tmp_path / "content", "content")


def test_builds_with_the_same_options_take_turns(tmp_path: Path) -> None:
    import threading
    import time

    from sitegen.cache import build_lock

    order: list[str] = []

    def second() -> None:
        with build_lock(tmp_path):
            order.append("second")

    with build_lock(tmp_path):
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.2)
        order.append("first done")
    thread.join()
    assert order == ["first done", "second"]


def test_doc_store_keeps_a_body_on_a_record_only_update_and_forgets_removed_paths(
    tmp_path: Path,
) -> None:
    from sitegen.cache import DocStore

    store = DocStore(tmp_path, "options")
    try:
        store.update(
            [(f"p{i}.md", f"sha{i}", b"record", f"body{i}".encode()) for i in range(9)], []
        )
        store.update([("p7.md", "sha7", b"record, new stat", None)], ["p8.md"])
        assert store.body("p7.md", "sha7") == b"body7" and store.body("p7.md", "other") is None
        assert store.body("p8.md", "sha8") is None  # removed
        assert store.body("p1.md", "sha1") == b"body1"
    finally:
        store.close()
    other = DocStore(tmp_path, "other options")
    try:
        assert other.body("p7.md", "sha7") is None  # made with other Markdown options
    finally:
        other.close()


def test_entries_round_trip_in_chunks_and_another_format_means_no_cache(tmp_path: Path) -> None:
    from sitegen.cache import entries_path, load_entries, save_entries

    shared = ("a tag",)
    first = {f"k{i}": (i, shared) for i in range(2500)}  # more than one chunk
    save_entries(tmp_path, "opts", ("header", 1), (first, {}, {"x": None}))
    header, tables = load_entries(tmp_path, "opts")
    assert header == ("header", 1) and tables == [first, {}, {"x": None}]
    assert list(tables[0]) == list(first)  # in order
    assert tables[0]["k0"][1] is tables[0]["k999"][1]  # shared within a chunk
    path = entries_path(tmp_path, "opts")
    path.write_bytes(path.read_bytes()[:-40])  # cut short
    assert load_entries(tmp_path, "opts") is None
    path.write_bytes(b"\x80\x05K\x00.")  # a pickle of 0: another cache format
    assert load_entries(tmp_path, "opts") is None and load_entries(tmp_path, "other") is None


CODE_SITE = {
    "sitegen.toml": 'title = "Versions"\nbase_url = "https://example.org/"\n',
    "content/posts/code.md": (
        '---\ntitle: Code\ndate: 2023-01-01\n---\n```python\nprint("<hi>")\n```\n'
    ),
    "content/pages/about.md": "---\ntitle: About\n---\n```sh\necho 'about'\n```\n",
}


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str], None]]:
    """`installed(name, version)`: from now on the process reports another version of a
    library, as after `pip install name==version`."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    real = cache.installed_versions
    changed: dict[str, str] = {}

    def versions(names: Iterable[str]) -> dict[str, str]:
        return {name: changed.get(name) or version for name, version in real(names).items()}

    monkeypatch.setattr(cache, "installed_versions", versions)

    def install(name: str, version: str) -> None:
        changed[name] = version
        output_versions.cache_clear()

    yield install
    output_versions.cache_clear()


def _highlights_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The code blocks Pygments highlights from now on (builds with jobs=1 run it here)."""
    calls: list[str] = []
    real = pygments.highlight

    def spy(code: str, *args: object) -> str:
        calls.append(code)
        return real(code, *args)  # type: ignore[no-any-return]

    monkeypatch.setattr(pygments, "highlight", spy)
    return calls


def test_output_versions_name_python_sitegen_and_every_output_library() -> None:
    import sitegen

    versions = output_versions()
    assert versions.startswith(f"Python {sys.version_info[0]}.{sys.version_info[1]}.")
    assert f"sitegen {sitegen.__version__}" in versions
    for name in OUTPUT_LIBRARIES:
        assert f"{name} {metadata.version(name)}" in versions


def test_installed_versions_read_the_first_dist_info_on_the_path_as_importlib_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (
        first / "jinja2-3.1.6.dist-info",  # written as pip writes it today
        first / "Legacy.Name-0.9.egg-info",  # no version to trust in the name: importlib's
        second / "Jinja2-2.0.dist-info",  # later on the path: not the one imported
        second / "markdown_it_py-4.3.0.dist-info",
    ):
        folder.mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [str(tmp_path / "absent"), str(first), str(second)])
    asked: list[str] = []

    def version(name: str) -> str:
        asked.append(name)
        return "0.9.1"

    monkeypatch.setattr(metadata, "version", version)
    names = ["Jinja2", "markdown-it-py", "legacy-name", "nowhere"]
    assert installed_versions(names) == {
        "Jinja2": "3.1.6",
        "markdown-it-py": "4.3.0",
        "legacy-name": "0.9.1",
        "nowhere": "0.9.1",
    }
    assert sorted(asked) == ["legacy-name", "nowhere"]


def test_a_zip_on_the_path_leaves_the_names_not_found_before_it_to_importlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dir" / "pygments-2.21.0.dist-info").mkdir(parents=True)
    (tmp_path / "libs.zip").write_bytes(b"PK")
    path = [str(tmp_path / "dir"), str(tmp_path / "libs.zip"), str(tmp_path / "after")]
    (tmp_path / "after" / "jinja2-3.1.6.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", path)
    monkeypatch.setattr(metadata, "version", lambda name: "from-zip")
    assert installed_versions(["Pygments", "Jinja2"]) == {
        "Pygments": "2.21.0",
        "Jinja2": "from-zip",
    }


def test_the_cache_key_costs_no_import_of_importlib_metadata() -> None:
    """A no-op build imports nothing heavy: importlib.metadata alone took ~40 ms."""
    code = (
        "import sys; from sitegen.cache import output_versions; output_versions();"
        " print('importlib.metadata' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


def test_after_a_library_upgrade_a_cached_build_equals_a_clean_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: Callable[[str, str], None]
) -> None:
    site = tmp_path / "site"
    write_files(site, CODE_SITE)
    build_site(site, BuildOptions(jobs=1))
    # A "Pygments 99" that marks code up differently (as 2.21 stopped writing &quot;).
    real = pygments.highlight
    monkeypatch.setattr(
        pygments, "highlight", lambda *args: real(*args).replace('class="', 'class="v99-')
    )
    installed("Pygments", "99.0")
    cached = build_site(site, BuildOptions(jobs=1))
    _, clean = clean_build(site, tmp_path / "clean")
    assert diff_trees(read_tree(site / "public"), clean) == []
    assert "posts/code/index.html" in cached.changed_paths  # the upgrade did change the output


@pytest.mark.parametrize("library", OUTPUT_LIBRARIES)
def test_a_library_version_change_discards_the_cache_and_no_change_keeps_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    installed: Callable[[str, str], None],
    library: str,
) -> None:
    site = tmp_path / "site"
    write_files(site, CODE_SITE)
    highlighted = _highlights_counted(monkeypatch)
    build_site(site, BuildOptions(jobs=1))
    assert len(highlighted) == 2
    output_versions.cache_clear()  # as in a new process
    again = build_site(site, BuildOptions(jobs=1))
    assert (again.written, len(highlighted)) == (0, 2)  # the same versions: all from the cache
    installed(library, "0.0.1")
    build_site(site, BuildOptions(jobs=1))
    assert len(highlighted) == 4  # another version: nothing it made is reused,
    assert len(list((site / ".sitegen/jinja").iterdir())) == 2  # compiled templates neither


def test_an_edit_of_a_post_reuses_the_highlighted_code_it_still_has(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = tmp_path / "site"
    write_files(site, CODE_SITE)
    highlighted = _highlights_counted(monkeypatch)
    build_site(site, BuildOptions(jobs=1))
    assert len(highlighted) == 2
    post = site / "content/posts/code.md"
    post.write_text(post.read_text() + "\nMore prose.\n")
    prose = build_site(site, BuildOptions(jobs=1))
    assert "posts/code/index.html" in prose.changed_paths
    assert len(highlighted) == 2  # the same block: its HTML from the cache, not Pygments
    post.write_text(post.read_text().replace('print("<hi>")', 'print("<bye>")'))
    build_site(site, BuildOptions(jobs=1))
    assert highlighted[2:] == ['print("<bye>")\n']  # a changed block is highlighted again
    _, clean = clean_build(site, tmp_path / "clean")
    assert diff_trees(read_tree(site / "public"), clean) == []


def test_a_language_pygments_lacks_is_reported_again_after_an_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = tmp_path / "site"
    write_files(
        site,
        {
            **CODE_SITE,
            "content/posts/code.md": (
                "---\ntitle: Code\ndate: 2023-01-01\n---\n```nosuchlang\nx\n```\n"
                '```python\nprint("<hi>")\n```\n'
            ),
        },
    )
    first = build_site(site, BuildOptions(jobs=1))
    post = site / "content/posts/code.md"
    post.write_text(post.read_text() + "\nMore prose.\n")
    again = build_site(site, BuildOptions(jobs=1))
    for result in (first, again):
        assert any("nosuchlang" in str(warning) for warning in result.warnings)
