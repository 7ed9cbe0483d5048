"""ContentWriter: files land inside content/ only, are recorded only once written, and a file
that is not the one scanned (edited meanwhile, or holding another key) is never replaced."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen.errors import ContentError
from sitegen.sync.files import ABSENT, ContentWriter, FileChanged, FileOccupied


def scanned(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def test_writes_land_and_callbacks_run_only_at_flush(tmp_path: Path) -> None:
    root = tmp_path / "content"
    root.mkdir()
    recorded: list[tuple[str, int]] = []
    with ContentWriter(root, tmp_path) as writer:
        for number in range(20):
            writer.write(
                root / "posts" / f"p{number}.md",
                f"post {number}".encode(),
                expect=ABSENT,
                on_written=lambda stat, n=number: recorded.append((f"p{n}", stat.st_size)),
                on_refused=lambda reason: pytest.fail(str(reason)),
            )
        assert recorded == []
        assert writer.flush() == []
    assert sorted(recorded) == sorted((f"p{n}", len(f"post {n}")) for n in range(20))
    assert (root / "posts" / "p7.md").read_text() == "post 7"
    assert len(list((root / "posts").iterdir())) == 20


def test_nothing_is_written_through_a_symlink_leading_out(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "posts").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "posts" / "escape").symlink_to(outside)
    with ContentWriter(root, tmp_path) as writer:
        for target in (
            root / "posts" / "escape" / "x.md",
            root / "posts" / "escape" / "deeper" / "x.md",
        ):
            with pytest.raises(ContentError):
                writer.write(
                    target,
                    b"x",
                    expect=ABSENT,
                    on_written=lambda stat: None,
                    on_refused=lambda reason: None,
                )
        assert writer.flush() == []
    assert list(outside.iterdir()) == []


def test_a_file_edited_or_occupied_since_the_scan_is_not_replaced(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "posts").mkdir(parents=True)
    edited = root / "posts" / "edited.md"
    edited.write_text("as scanned")
    state = scanned(edited)
    edited.write_text("typed meanwhile, longer")
    occupied = root / "posts" / "occupied.md"
    occupied.write_text("another key's file")
    refusals: list[type] = []
    with ContentWriter(root, tmp_path) as writer:
        writer.write(
            edited,
            b"remote",
            expect=state,
            on_written=lambda stat: pytest.fail("no"),
            on_refused=lambda reason: refusals.append(type(reason)),
        )
        writer.write(
            occupied,
            b"remote",
            expect=ABSENT,
            on_written=lambda stat: pytest.fail("no"),
            on_refused=lambda reason: refusals.append(type(reason)),
        )
        assert writer.flush() == []
        with pytest.raises(FileChanged):
            writer.delete(edited, expect=state)
    assert refusals == [FileChanged, FileOccupied]
    assert edited.read_text() == "typed meanwhile, longer"
    assert occupied.read_text() == "another key's file"


def test_an_unchanged_file_is_replaced_and_deleted(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "posts").mkdir(parents=True)
    post = root / "posts" / "p.md"
    post.write_text("old")
    with ContentWriter(root, tmp_path) as writer:
        writer.write(
            post,
            b"new",
            expect=scanned(post),
            on_written=lambda stat: None,
            on_refused=lambda reason: pytest.fail(str(reason)),
        )
        assert writer.flush() == []
        assert post.read_text() == "new"
        writer.delete(post, expect=scanned(post))
    assert not post.exists()


def test_a_failed_write_is_reported_and_not_recorded(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "posts" / "taken.md").mkdir(parents=True)  # a folder where the file should go
    recorded: list[str] = []
    with ContentWriter(root, tmp_path) as writer:
        writer.write(
            root / "posts" / "taken.md",
            b"x",
            expect=None,
            on_written=lambda stat: recorded.append("taken"),
            on_refused=lambda reason: None,
        )
        writer.write(
            root / "posts" / "fine.md",
            b"y",
            expect=None,
            on_written=lambda stat: recorded.append("fine"),
            on_refused=lambda reason: None,
        )
        errors = writer.flush()
    assert recorded == ["fine"]
    assert [error.file for error in errors] == ["content/posts/taken.md"]
    assert os.path.isdir(root / "posts" / "taken.md")


def _write_posts(writer: ContentWriter, root: Path, count: int, order: list[str]) -> None:
    for number in range(count):
        writer.write(
            root / "posts" / f"p{number}.md",
            b"x",
            expect=ABSENT,
            on_written=lambda stat: order.append("recorded"),
            on_refused=lambda reason: pytest.fail(str(reason)),
        )


def test_a_few_files_are_synced_one_by_one_with_their_folders_before_recording(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sitegen.sync import files

    root = tmp_path / "content"
    (root / "pages").mkdir(parents=True)
    gone = root / "pages" / "gone.md"
    gone.write_text("old")
    order: list[str] = []
    monkeypatch.setattr(files.os, "fdatasync", lambda fd: order.append("file"))
    monkeypatch.setattr(files.os, "fsync", lambda fd: order.append("folder"))
    monkeypatch.setattr(files, "_syncfs", lambda path: pytest.fail("no file-system sync"))
    monkeypatch.setattr(files.os, "sync", lambda: pytest.fail("no machine-wide sync"))
    with ContentWriter(root, tmp_path) as writer:
        writer.delete(gone, expect=scanned(gone))
        _write_posts(writer, root, 3, order)
        assert writer.flush() == []
    assert order == ["file"] * 3 + ["folder"] * 2 + ["recorded"] * 3  # posts/ and pages/


def test_many_files_are_synced_with_one_call_for_their_file_system(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sitegen.sync import files

    root = tmp_path / "content"
    root.mkdir()
    order: list[str] = []
    monkeypatch.setattr(files.os, "fdatasync", lambda fd: pytest.fail("no per-file sync"))
    monkeypatch.setattr(files, "_syncfs", lambda path: order.append(f"syncfs {path.name}") or True)
    monkeypatch.setattr(files.os, "sync", lambda: pytest.fail("no machine-wide sync"))
    with ContentWriter(root, tmp_path) as writer:
        _write_posts(writer, root, files.FSYNC_EACH_MAX + 1, order)
        assert writer.flush() == []
    assert order == ["syncfs content"] + ["recorded"] * (files.FSYNC_EACH_MAX + 1)


def test_syncfs_really_runs_here(tmp_path: Path) -> None:
    import sys

    from sitegen.sync.files import _syncfs

    assert _syncfs(tmp_path) is sys.platform.startswith("linux")
