"""An incremental build must give exactly the bytes of a clean build, whatever was edited."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build_site
from tests.golden.trees import EPOCH, clean_build, diff_trees, read_tree, write_files

CONFIG = """title = "Incremental"
base_url = "https://example.org/blog/"
posts_per_page = 2
"""


def _post(
    n: int,
    *,
    title: str | None = None,
    date: str | None = None,
    tags: str = "[alpha, beta]",
    extra: str = "",
    body: str | None = None,
) -> str:
    return (
        f"---\ntitle: {title or f'Post {n}'}\ndate: {date or f'2023-01-{n + 1:02d}'}\n"
        f"tags: {tags}\n{extra}---\n"
        + (
            body
            if body is not None
            else f"Intro of post {n}. Links to [one](post-0.md) and ![img](../media/a.svg).\n\n## Part\n\nText {n}.\n"
        )
    )


def _site(root: Path) -> Path:
    files = {
        "sitegen.toml": CONFIG,
        "content/media/a.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
        "content/pages/about.md": "---\ntitle: About\nmenu: 1\n---\nAbout [posts](../posts/post-1.md).\n",
        "content/pages/docs/guide.md": "---\ntitle: Guide\nmenu: true\n---\n## A\n\n## B\n",
    }
    files.update({f"content/posts/post-{n}.md": _post(n) for n in range(6)})
    files["content/posts/post-2.md"] = _post(2, tags="[gamma]")
    write_files(root, files)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new))


EDITS: dict[str, Callable[[Path], None]] = {
    "body": lambda s: _edit(s / "content/posts/post-3.md", "Text 3.", "Text three, longer now."),
    "title": lambda s: _edit(s / "content/posts/post-3.md", "title: Post 3", "title: Post 9"),
    "tag added": lambda s: _edit(
        s / "content/posts/post-4.md", "[alpha, beta]", "[alpha, beta, delta]"
    ),
    "tag removed": lambda s: _edit(s / "content/posts/post-2.md", "[gamma]", "[]"),
    "date reorders": lambda s: _edit(s / "content/posts/post-0.md", "2023-01-01", "2023-02-01"),
    "new post": lambda s: write_files(
        s, {"content/posts/post-new.md": _post(7, date="2023-01-04T12:00:00Z")}
    ),
    "deleted post": lambda s: (s / "content/posts/post-5.md").unlink(),
    "deleted link target": lambda s: (s / "content/posts/post-0.md").unlink(),
    "draft": lambda s: _edit(s / "content/posts/post-4.md", "tags:", "draft: true\ntags:"),
    "future": lambda s: _edit(s / "content/posts/post-4.md", "2023-01-05", "2099-01-05"),
    "menu": lambda s: _edit(s / "content/pages/about.md", "menu: 1", "menu: 3"),
    "template": lambda s: write_files(s, {"templates/404.html": "{{ site.title }} lost\n"}),
    "template edit": lambda s: (
        write_files(s, {"templates/404.html": "v1 {{ site.title }}\n"}),
        build_site(s, BuildOptions()),
        write_files(s, {"templates/404.html": "v2 {{ site.title }}\n"}),
    ),
    "config": lambda s: _edit(s / "sitegen.toml", "posts_per_page = 2", "posts_per_page = 4"),
    "config title": lambda s: _edit(s / "sitegen.toml", '"Incremental"', '"Renamed"'),
    "media added": lambda s: write_files(s, {"content/media/b/new.svg": "<svg/>\n"}),
    "media removed": lambda s: (s / "content/media/a.svg").unlink(),
    "static override": lambda s: write_files(s, {"static/style.css": "body { color: red }\n"}),
    "slug": lambda s: _edit(s / "content/posts/post-1.md", "title:", "slug: renamed\ntitle:"),
}


@pytest.fixture(autouse=True)
def _epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_incremental_output_equals_a_clean_build(tmp_path: Path, edit: str) -> None:
    site = _site(tmp_path / "site")
    first = build_site(site, BuildOptions())
    assert first.written > 0
    EDITS[edit](site)
    result = build_site(site, BuildOptions())
    _, expected = clean_build(site, tmp_path / "clean")
    assert diff_trees(read_tree(site / "public"), expected) == []
    assert result.written + result.unchanged == len(expected)
    assert result.written < len(expected)  # incremental: not everything was rewritten


@pytest.mark.parametrize("jobs", [1, 2])  # 2: the first build's records come from the workers
def test_no_op_rebuild_writes_nothing(tmp_path: Path, jobs: int) -> None:
    site = _site(tmp_path / "site")
    first = build_site(site, BuildOptions(jobs=jobs))
    again = build_site(site, BuildOptions(jobs=jobs))
    assert (again.written, again.removed, again.changed_paths) == (0, 0, ())
    assert again.unchanged == first.written


def test_body_edit_rerenders_only_what_shows_the_post(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    build_site(site, BuildOptions())
    EDITS["body"](site)
    result = build_site(site, BuildOptions())
    # the post itself and the feeds that carry its content; its summary did not change
    assert {p for p in result.changed_paths if not p.startswith("search-index/")} == {
        "posts/post-3/index.html",
        "feed.xml",
        "tags/alpha/feed.xml",
        "tags/beta/feed.xml",
    }
    # and the search shards of the words it gained ("three", "longer", "now"): no other file
    assert {p for p in result.changed_paths if p.startswith("search-index/")} == {
        "search-index/meta.json",  # lists the new shards
        "search-index/t/th.json",
        "search-index/t/lo.json",
        "search-index/t/no.json",
    }


def _rendering_recorded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The outputs rendered from now on, in order (by builds in this process: jobs=1)."""
    import sitegen.render.pipeline as pipeline

    rendered: list[str] = []
    original = pipeline._bytes_of

    def spy(job: pipeline.Job, env: object, bodies: Mapping[str, object]) -> bytes:
        rendered.append(job.output)
        return original(job, env, bodies)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_bytes_of", spy)
    return rendered


@pytest.mark.parametrize("jobs", [1, 2])  # 2: the first build's records come from the workers
def test_an_edit_after_a_first_build_renders_only_what_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    site = _site(tmp_path / "site")
    first = build_site(site, BuildOptions(jobs=jobs))
    EDITS["body"](site)
    rendered = _rendering_recorded(monkeypatch)
    build_site(site, BuildOptions(jobs=1))
    assert "posts/post-3/index.html" in rendered
    assert 0 < len(rendered) < first.written / 2


def test_feeds_are_rendered_before_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A feed costs several pages: rendered last, it would leave one worker waiting at the end."""
    site = _site(tmp_path / "site")
    rendered = _rendering_recorded(monkeypatch)
    build_site(site, BuildOptions(jobs=1))
    texts = [i for i, output in enumerate(rendered) if output.endswith((".xml", ".txt"))]
    assert "feed.xml" in rendered and texts == list(range(len(texts)))


def test_removed_output_file_is_restored(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    build_site(site, BuildOptions())
    (site / "public/posts/post-1/index.html").unlink()
    result = build_site(site, BuildOptions())
    assert result.changed_paths == ("posts/post-1/index.html",)


def test_builds_with_other_options_keep_separate_state(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    serve_out = tmp_path / "serve"
    build_site(site, BuildOptions())
    build_site(
        site, BuildOptions(output_dir=serve_out, base_url="http://127.0.0.1:8000/", drafts=True)
    )
    EDITS["title"](site)
    build_site(
        site, BuildOptions(output_dir=serve_out, base_url="http://127.0.0.1:8000/", drafts=True)
    )
    build_site(site, BuildOptions())
    _, expected = clean_build(site, tmp_path / "clean")
    assert diff_trees(read_tree(site / "public"), expected) == []
    _, expected_serve = clean_build(
        site, tmp_path / "clean-serve", base_url="http://127.0.0.1:8000/", drafts=True
    )
    assert diff_trees(read_tree(serve_out), expected_serve) == []


def test_lost_cache_still_gives_the_same_bytes(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    build_site(site, BuildOptions())
    shutil.rmtree(site / ".sitegen")
    EDITS["date reorders"](site)
    build_site(site, BuildOptions())
    _, expected = clean_build(site, tmp_path / "clean")
    assert diff_trees(read_tree(site / "public"), expected) == []


def test_rebuild_right_after_an_edit_is_a_quick_no_op(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    old = time.time_ns() - 10**10
    for path in site.rglob("*"):
        os.utime(path, ns=(old, old))  # an established site: only the edited file is fresh
    build_site(site, BuildOptions())
    EDITS["title"](site)
    build_site(site, BuildOptions())  # the edited file is "racy": fresher than the scan
    import sitegen.render.pipeline as pipeline

    calls = []
    original = pipeline.run_build
    pipeline.run_build = lambda *args: calls.append(args) or original(*args)  # type: ignore[assignment]
    try:
        again = build_site(site, BuildOptions())
    finally:
        pipeline.run_build = original  # type: ignore[assignment]
    assert calls == [] and again.written == 0  # answered by the stat + content check alone
    _edit(site / "content/posts/post-3.md", "Post 9", "Post 8")  # same size, same mtime tick
    assert "posts/post-3/index.html" in build_site(site, BuildOptions()).changed_paths


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_one_shot_build_makes_pages_on_demand_and_workers_store_every_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """The memory of a one-shot build must not hold every page's content at once: its records
    hold no page body (HTML or toc) and its pages are made when an output shows them, while
    the workers that render the Markdown store the records and the bodies in the DocStore;
    the output is still a clean build's."""
    import sitegen.render.pipeline as pipeline
    from sitegen.cache import DocStore
    from sitegen.render.renders import unpack_body
    from sitegen.render.reuse import BuildCache
    from sitegen.render.sources import read_sources

    site = _site(tmp_path / "site")
    assembled = []
    original = pipeline._assemble

    def spy(*args: object) -> object:
        assembled.append(args[2])
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_assemble", spy)
    build_site(site, BuildOptions(jobs=jobs))
    (records,) = assembled
    assert len(records) == 8
    assert all(r.render is not None for r in records)
    assert not any('id="part"' in repr(r) for r in records)  # the body's heading: pages only
    cache = BuildCache(site, "", use_disk=True, retain=False)
    cache.start(read_sources(site, BuildOptions()))
    store = DocStore(site, cache.store_key)
    try:
        stored = store.load()
        bodies = [
            unpack_body(store.body(path, record.sha256) or b"") for path, record in stored.items()
        ]
    finally:
        store.close()
    assert len(stored) == 8 and all(record.render is not None for record in stored.values())
    assert all(body.html.startswith("<") for body in bodies)
    _, clean = clean_build(site, tmp_path / "clean", jobs=1)
    assert diff_trees(read_tree(site / "public"), clean) == []
