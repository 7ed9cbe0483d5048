"""The sync base on disk: atomic, per project, clear errors when damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.errors import ConfigError
from sitegen.sync.state import (
    BASE_FILE,
    TEXTS_FILE,
    BaseEntry,
    SyncBase,
    base_text,
    load_base,
    save_base,
)

URL = "http://127.0.0.1:54321"


def test_missing_base_is_empty(tmp_path: Path) -> None:
    base = load_base(tmp_path, URL)
    assert base.entries == {}


def test_base_round_trips(tmp_path: Path) -> None:
    base = SyncBase(URL, {"posts/a": BaseEntry(3, "h", "u1", private=True)})
    save_base(tmp_path, base)
    again = load_base(tmp_path, URL)
    assert again == base
    assert [p.name for p in (tmp_path / BASE_FILE).parent.iterdir()] == ["base.json"]


def test_base_of_another_project_is_ignored(tmp_path: Path) -> None:
    save_base(tmp_path, SyncBase(URL, {"posts/a": BaseEntry(3, "h", "u1", private=True)}))
    assert load_base(tmp_path, "https://other.supabase.co").entries == {}


def test_damaged_base_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / BASE_FILE
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    with pytest.raises(ConfigError) as info:
        load_base(tmp_path, URL)
    assert info.value.file == str(path) and "delete the file" in (info.value.hint or "")


def test_failed_write_keeps_the_old_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_base(tmp_path, SyncBase(URL, {"posts/a": BaseEntry(1, "h")}))

    def broken_replace(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("sitegen.fsio.os.replace", broken_replace)
    with pytest.raises(OSError):
        save_base(tmp_path, SyncBase(URL, {"posts/b": BaseEntry(2, "h")}))
    monkeypatch.undo()
    assert set(load_base(tmp_path, URL).entries) == {"posts/a"}
    assert [p.name for p in (tmp_path / BASE_FILE).parent.iterdir()] == ["base.json"]


def test_unchanged_base_is_not_rewritten(tmp_path: Path) -> None:
    save_base(tmp_path, SyncBase(URL, {"posts/a": BaseEntry(1, "h")}))
    path = tmp_path / BASE_FILE
    path.write_text(path.read_text().replace('"h"', '"edited-by-test"'))
    base = load_base(tmp_path, URL)
    base.record("posts/a", BaseEntry(1, "edited-by-test"))  # same as stored: nothing to write
    save_base(tmp_path, base)
    assert "edited-by-test" in path.read_text()
    base.record("posts/a", BaseEntry(2, "h2"))
    save_base(tmp_path, base)
    assert load_base(tmp_path, URL).entries == {"posts/a": BaseEntry(2, "h2")}


def test_atomic_writes_get_ordinary_permissions(tmp_path: Path) -> None:
    import os

    from sitegen.fsio import write_atomic

    old_umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "post.md", b"text", durable=False)
    finally:
        os.umask(old_umask)
    assert (tmp_path / "post.md").stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]


def test_atomic_write_does_not_follow_a_link_planted_at_its_temp_name(tmp_path: Path) -> None:
    import os

    from sitegen.fsio import write_atomic

    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"untouched")
    (tmp_path / f".secret.json.{os.getpid()}.tmp").symlink_to(elsewhere)
    write_atomic(tmp_path / "secret.json", b"token", mode=0o600)
    assert elsewhere.read_bytes() == b"untouched"
    assert (tmp_path / "secret.json").read_bytes() == b"token"
    assert (tmp_path / "secret.json").stat().st_mode & 0o777 == 0o600


def test_atomic_write_streams_from_a_writer_and_leaves_the_old_file_when_it_fails(
    tmp_path: Path,
) -> None:
    from sitegen.fsio import write_atomic

    target = tmp_path / "entries.pickle"
    write_atomic(
        target, lambda handle: (handle.write(b"first "), handle.write(b"part")), durable=False
    )
    assert target.read_bytes() == b"first part"

    def failing(handle: object) -> None:
        handle.write(b"half")  # type: ignore[attr-defined]
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, failing)
    assert target.read_bytes() == b"first part"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries.pickle"]


def test_document_texts_are_kept_by_hash_until_no_key_names_them(tmp_path: Path) -> None:
    base = SyncBase(URL, {})
    base.record("posts/a", BaseEntry(1, "h1"), "text one")
    base.record("posts/b", BaseEntry(1, "h1"), "text one")  # the same content: one row
    base.record("media/x.png", BaseEntry(1, "m1"))  # media keep no text
    save_base(tmp_path, base)
    again = load_base(tmp_path, URL)
    assert base_text(tmp_path, again, "h1") == "text one"
    assert base_text(tmp_path, again, "m1") is None

    again.record("posts/a", BaseEntry(2, "h2"), "text two")
    save_base(tmp_path, again)
    assert base_text(tmp_path, load_base(tmp_path, URL), "h1") == "text one"  # b still names it
    again.forget("posts/b")
    save_base(tmp_path, again)
    assert base_text(tmp_path, load_base(tmp_path, URL), "h1") is None
    assert base_text(tmp_path, load_base(tmp_path, URL), "h2") == "text two"


def test_a_damaged_texts_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / TEXTS_FILE
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database" * 100)
    base = SyncBase(URL, {})
    base.record("posts/a", BaseEntry(1, "h1"), "text")
    with pytest.raises(ConfigError) as info:
        save_base(tmp_path, base)
    assert info.value.file == str(path) and "delete the file" in (info.value.hint or "")
    assert base_text(tmp_path, base, "h9") is None  # reading never fails: no text, no merge
