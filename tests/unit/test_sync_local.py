"""How sync sees the working copy: every key, including files that do not parse."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from sitegen.sync.local import scan
from sitegen.sync.plan import UNREADABLE


def write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def test_documents_media_and_hashes(tmp_path: Path) -> None:
    write(tmp_path / "content/posts/Hello World.md", "---\ntitle: Hi\n---\nbody\n")
    write(tmp_path / "content/pages/docs/intro.md", "---\ntitle: Intro\n---\n")
    write(tmp_path / "content/media/img/a.png", b"\x89PNG")
    write(tmp_path / "content/posts/.hello.md.123.tmp", "partial")
    copy = scan(tmp_path)
    assert set(copy.documents) == {"posts/hello-world", "pages/docs/intro"}
    assert copy.media["img/a.png"].sha256 == hashlib.sha256(b"\x89PNG").hexdigest()
    hashes = copy.hashes()
    assert hashes["media/img/a.png"] == copy.media["img/a.png"].sha256
    assert hashes["posts/hello-world"] == copy.documents["posts/hello-world"].hash
    assert copy.errors == []


def test_a_file_that_does_not_parse_keeps_its_key_and_counts_as_changed(tmp_path: Path) -> None:
    write(tmp_path / "content/posts/broken.md", "---\ntitle: [unclosed\n---\n")
    copy = scan(tmp_path)
    assert copy.documents["posts/broken"].hash == UNREADABLE
    assert len(copy.errors) == 1 and copy.errors[0].file == "content/posts/broken.md"


def test_two_files_with_one_key_are_both_protected(tmp_path: Path) -> None:
    write(tmp_path / "content/posts/a.md", "---\ntitle: A\n---\n")
    write(tmp_path / "content/posts/b.md", "---\ntitle: B\nslug: a\n---\n")
    copy = scan(tmp_path)
    assert copy.documents["posts/a"].hash == UNREADABLE
    assert "same key posts/a" in copy.errors[0].message


def test_unchanged_files_are_not_parsed_again_but_edited_ones_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitegen.sync.local as local

    post = tmp_path / "content/posts/a.md"
    write(post, "---\ntitle: A\n---\none\n")
    settled = time.time_ns() - 10 * 10**9  # written a while before the index: its stat is trusted
    os.utime(post, ns=(settled, settled))
    first = scan(tmp_path)
    local.save_index(tmp_path, first.index)
    parsed: list[str] = []
    real_parse = local.parse_document

    def counting_parse(text: str, *, source: str) -> object:
        parsed.append(source)
        return real_parse(text, source=source)

    monkeypatch.setattr(local, "parse_document", counting_parse)
    again = scan(tmp_path)
    assert parsed == [] and again.hashes() == first.hashes()

    write(post, "---\ntitle: A\n---\ntwo, longer\n")
    edited = scan(tmp_path)
    assert parsed == ["content/posts/a.md"]
    assert edited.hashes()["posts/a"] != first.hashes()["posts/a"]


def test_mtimes_near_the_index_time_are_not_trusted(tmp_path: Path) -> None:
    """The build cache's rule (fsio.is_settled): whole-second or not, an mtime within the clock's
    tick of the index time could hide a second edit of the same size."""
    from sitegen.sync.local import FileIndex

    index = FileIndex(entries={"p": [1, 5 * 10**9, "posts/p", "h"]}, written_ns=6 * 10**9)
    assert index.lookup("p", 1, 5 * 10**9) is None  # could have changed within that second
    index.written_ns = 9 * 10**9
    assert index.lookup("p", 1, 5 * 10**9) == ("posts/p", "h")
    index.entries["q"] = [1, 5 * 10**9 + 7, "posts/q", "h"]
    index.written_ns = 5 * 10**9 + 8  # a fine-grained mtime, just before the index was written
    assert index.lookup("q", 1, 5 * 10**9 + 7) is None
    index.written_ns = 9 * 10**9
    assert index.lookup("q", 1, 5 * 10**9 + 7) == ("posts/q", "h")
    assert index.lookup("q", 2, 5 * 10**9 + 7) is None


def test_a_file_read_again_for_a_recent_mtime_is_trusted_after_the_next_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitegen.sync.local as local

    post = tmp_path / "content/posts/a.md"
    write(post, "---\ntitle: A\n---\none\n")
    local.save_index(tmp_path, scan(tmp_path).index)  # in the same tick as the edit: not trusted
    again = scan(tmp_path)
    assert again.index.changed  # the same entries, but saved anew, with a later time
    later = time.time_ns() + 10 * 10**9
    monkeypatch.setattr(local.time, "time_ns", lambda: later)
    local.save_index(tmp_path, again.index)
    parsed: list[str] = []
    real_parse = local.parse_document

    def counting_parse(text: str, *, source: str) -> object:
        parsed.append(source)
        return real_parse(text, source=source)

    monkeypatch.setattr(local, "parse_document", counting_parse)
    scan(tmp_path)
    assert parsed == []
