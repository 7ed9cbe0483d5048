"""What the watcher watches and ignores, and that a real watchdog observer records edits."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import sitegen
from sitegen.serve.debounce import ChangeQueue, Debouncer
from sitegen.serve.watcher import SiteWatcher, is_editable_install, is_editor_junk, watch_plan


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    for folder in (
        "content/posts",
        "templates",
        "static",
        "themes/mine/templates",
        "public",
        ".sitegen/serve/public",
    ):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "sitegen.toml").write_text('title = "t"\n')
    return tmp_path.resolve()


@pytest.mark.parametrize(
    "name",
    [
        ".post.md.swp",
        "post.md.swo",
        "post.md~",
        ".#post.md",
        "4913",
        ".DS_Store",
        "x.tmp",
        "#post.md#",
    ],
)
def test_editor_junk_is_recognised(name: str) -> None:
    assert is_editor_junk(name)


@pytest.mark.parametrize("name", ["post.md", "style.css", "tmp.md", "4913.md", "a~b.md"])
def test_real_files_are_not_junk(name: str) -> None:
    assert not is_editor_junk(name)


def test_plan_watches_sources_and_the_site_theme(site: Path) -> None:
    plan = watch_plan(site, "mine", [site / ".sitegen/serve/public", site / "public"])
    assert set(plan.roots) == {
        site / "content",
        site / "templates",
        site / "static",
        site / "themes/mine",
    }


def test_plan_skips_missing_folders(site: Path) -> None:
    (site / "static").rmdir()
    plan = watch_plan(site, "mine", [])
    assert site / "static" not in plan.roots


def test_packaged_theme_is_watched_only_in_an_editable_install(site: Path) -> None:
    packaged = Path(sitegen.__file__).resolve().parent / "themes" / "default"
    plan = watch_plan(site, "default", [])
    assert (packaged in plan.roots) == is_editable_install(packaged)
    assert not is_editable_install(Path("/usr/lib/python3/site-packages/sitegen/themes/default"))
    assert is_editable_install(Path("/work/sitegen/sitegen/themes/default"))


def test_relevance(site: Path) -> None:
    plan = watch_plan(site, "mine", [site / ".sitegen/serve/public", site / "public"])
    assert plan.is_relevant(site / "content/posts/a.md")
    assert plan.is_relevant(site / "themes/mine/templates/post.html")
    assert plan.is_relevant(site / "sitegen.toml")
    assert plan.is_relevant(site / "templates")  # a top-level source folder appeared
    assert not plan.is_relevant(site / "content/posts/.a.md.swp")
    assert not plan.is_relevant(site / ".sitegen/cache/x")
    assert not plan.is_relevant(site / ".sitegen/serve/public/index.html")
    assert not plan.is_relevant(site / "public/index.html")
    assert not plan.is_relevant(site / "README.md")
    assert not plan.is_relevant(site / "themes/other/templates/post.html")


def test_output_inside_content_is_ignored(site: Path) -> None:
    plan = watch_plan(site, "mine", [site / "content/out"])
    assert not plan.is_relevant(site / "content/out/index.html")


def _next_batch(queue: ChangeQueue) -> frozenset[Path] | None:
    """The next batch, waiting at most 10 s for it."""
    results: list[frozenset[Path] | None] = []
    waiter = threading.Thread(target=lambda: results.append(queue.next_batch()))
    waiter.start()
    waiter.join(10)
    if waiter.is_alive():
        queue.close()
        waiter.join(5)
    return results[0] if results else None


def test_real_edits_are_recorded_and_reads_and_junk_are_not(site: Path) -> None:
    post = site / "content/posts/a.md"
    post.write_text("old")
    queue = ChangeQueue(Debouncer(quiet=0.05, max_wait=0.5))
    watcher = SiteWatcher(queue, watch_plan(site, "mine", [site / "public"]))
    assert not [t for t in threading.enumerate() if "watchdog" in type(t).__module__]
    watcher.start()
    try:
        post.read_text()  # reading (as a build does) must not count as a change
        (site / "content/posts/.a.md.swp").write_text("swap")
        (site / "public/index.html").write_text("output")
        (site / "sitegen.toml").write_text('title = "u"\n')
        first = _next_batch(queue)
        post.write_text("new")
        second = _next_batch(queue)
    finally:
        watcher.stop()
    assert first == {site / "sitegen.toml"}
    assert second == {post}
    assert not [t for t in threading.enumerate() if "watchdog" in type(t).__module__]


def test_rename_into_place_records_the_target(site: Path) -> None:
    post = site / "content/posts/a.md"
    queue = ChangeQueue(Debouncer(quiet=0.05, max_wait=0.5))
    watcher = SiteWatcher(queue, watch_plan(site, "mine", []))
    watcher.start()
    try:
        temporary = site / "content/posts/a.md.tmp"  # how many editors save
        temporary.write_text("saved")
        temporary.rename(post)
        batch = _next_batch(queue)
    finally:
        watcher.stop()
    assert batch == {post}


def test_update_rewatches_a_root_that_was_deleted_and_recreated(site: Path) -> None:
    import shutil

    queue = ChangeQueue(Debouncer(quiet=0.05, max_wait=0.5))
    plan = watch_plan(site, "mine", [])
    watcher = SiteWatcher(queue, plan)
    watcher.start()
    try:
        shutil.rmtree(site / "content")
        (site / "content/posts").mkdir(parents=True)  # a checkout replaced the folder
        assert site / "content" in (_next_batch(queue) or set())
        watcher.update(watch_plan(site, "mine", []))  # what the session does on a top-level change
        post = site / "content/posts/back.md"
        post.write_text("back")
        batch = _next_batch(queue)
    finally:
        watcher.stop()
    assert batch is not None and post in batch
