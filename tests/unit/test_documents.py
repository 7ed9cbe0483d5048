"""process_file: one content file -> a DocRecord (stat, hash, front matter, what its entry needs
of its rendering) and its page body."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sitegen.markdown import MarkdownOptions
from sitegen.render.documents import PhaseTimes, process_file


def test_record_has_the_files_stat_hash_and_rendered_body(tmp_path: Path) -> None:
    text = "---\ntitle: Hi\n---\nSome *text*.\n" + "x" * 70_000 + "\n"  # more than one read
    path = tmp_path / "content/posts/hi.md"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    record, body = process_file(tmp_path, "content/posts/hi.md", MarkdownOptions(), PhaseTimes())
    stat = path.stat()
    assert (record.size, record.mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    assert record.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert record.document is not None and record.document.front.title == "Hi"
    assert not hasattr(record.document, "body")  # rendered: the build needs it no more
    assert record.render is not None and record.render.word_count == 3
    assert body is not None and body.html == "<p>Some <em>text</em>.\n" + "x" * 70_000 + "</p>\n"
    assert record.errors == ()


def test_a_file_that_is_not_utf8_gives_an_error_record(tmp_path: Path) -> None:
    path = tmp_path / "content/posts/bad.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"---\ntitle: \xff\n---\n")
    record, body = process_file(tmp_path, "content/posts/bad.md", MarkdownOptions(), PhaseTimes())
    assert record.document is None and body is None and record.size == 17
    assert [str(e) for e in record.errors] == [
        "content/posts/bad.md: is not UTF-8 text (byte 11)\n  hint: save the file as UTF-8"
    ]
