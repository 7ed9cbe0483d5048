from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from sitegen.writer import OutputWriter, safe_output_path


def test_only_changed_bytes_are_staged_and_stale_files_removed(tmp_path: Path) -> None:
    out = tmp_path / "public"
    (out / "old").mkdir(parents=True)
    (out / "same.html").write_text("same")
    (out / "old/stale.html").write_text("stale")
    writer = OutputWriter(out, take_over=True)  # files made here, not by a build: take them over
    writer.prepare(["same.html", "old/stale.html"])
    assert writer.offer("same.html", b"same") is False
    assert writer.offer("new/page/index.html", b"new") is True
    assert not (out / "new").exists()  # nothing lands before commit
    report = writer.commit(["new/page/index.html"], ["old/stale.html"])
    assert (report.written, report.removed) == (("new/page/index.html",), ("old/stale.html",))
    assert (out / "new/page/index.html").read_text() == "new"
    assert not (out / "old").exists()  # emptied folders go too
    assert not writer.staging.exists()


def test_abort_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "a.html").write_text("before")
    writer = OutputWriter(out)
    writer.prepare()
    writer.offer("a.html", b"after")
    writer.abort()
    assert (out / "a.html").read_text() == "before" and not writer.staging.exists()


@pytest.mark.parametrize("bad", ["../x", "/etc/passwd", "a/../../b", "a\\b", "", "a//b"])
def test_outputs_never_escape_the_output_folder(bad: str) -> None:
    with pytest.raises(SitegenError, match="outside the output folder"):
        safe_output_path(bad)


def test_first_build_commits_the_whole_tree_by_one_rename(tmp_path: Path) -> None:
    out = tmp_path / "public"
    writer = OutputWriter(out)
    writer.prepare()
    assert writer.offer("a/b/index.html", b"x") is True
    assert not out.exists()
    assert writer.commit(["a/b/index.html"], []).written == ("a/b/index.html",)
    assert (out / "a/b/index.html").read_bytes() == b"x" and not writer.staging.exists()
