"""ContentWriter: files land inside content/ only, and are recorded only once written."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.errors import ContentError
from sitegen.sync.files import ContentWriter


def test_writes_land_and_callbacks_run_only_at_flush(tmp_path: Path) -> None:
    root = tmp_path / "content"
    root.mkdir()
    recorded: list[str] = []
    with ContentWriter(root, tmp_path) as writer:
        for number in range(20):
            writer.write(root / "posts" / f"p{number}.md", f"post {number}".encode(),
                         lambda number=number: recorded.append(f"p{number}"))
        assert recorded == []
        assert writer.flush() == []
    assert sorted(recorded) == sorted(f"p{n}" for n in range(20))
    assert (root / "posts" / "p7.md").read_text() == "post 7"
    assert sorted(p.name for p in (root / "posts").iterdir()) == sorted(f"p{n}.md" for n in range(20))


def test_nothing_is_written_through_a_symlink_leading_out(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "posts").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "posts" / "escape").symlink_to(outside)
    with ContentWriter(root, tmp_path) as writer:
        with pytest.raises(ContentError):
            writer.write(root / "posts" / "escape" / "x.md", b"x", lambda: None)
        with pytest.raises(ContentError):
            writer.write(root / "posts" / "escape" / "deeper" / "x.md", b"x", lambda: None)
        assert writer.flush() == []
    assert list(outside.iterdir()) == []


def test_a_failed_write_is_reported_and_not_recorded(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "posts" / "taken.md").mkdir(parents=True)  # a folder where the file should go
    recorded: list[str] = []
    with ContentWriter(root, tmp_path) as writer:
        writer.write(root / "posts" / "taken.md", b"x", lambda: recorded.append("taken"))
        writer.write(root / "posts" / "fine.md", b"y", lambda: recorded.append("fine"))
        errors = writer.flush()
    assert recorded == ["fine"]
    assert [error.file for error in errors] == ["content/posts/taken.md"]
