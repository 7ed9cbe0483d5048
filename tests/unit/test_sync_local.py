"""How sync sees the working copy: every key, including files that do not parse."""

from __future__ import annotations

import hashlib
from pathlib import Path

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
