"""The session file: mode 0600 in a 0700 folder, atomic replacement, no tokens in repr."""

from __future__ import annotations

import json
import os
import stat

import pytest

from sitegen.errors import AuthError
from sitegen.remote.client import StoredSession
from sitegen.session import (
    delete_session,
    load_session,
    save_session,
    session_path,
)

SESSION = StoredSession(
    url="http://127.0.0.1:9999",
    user_id="u-1",
    email="a@example.org",
    expires_at=2_000_000_000,
    access_token="ACCESS-SECRET",
    refresh_token="REFRESH-SECRET",
)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_saved_file_is_private_and_round_trips(tmp_path):
    path = save_session(tmp_path, SESSION)
    assert path == tmp_path / ".sitegen" / "session.json"
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert load_session(tmp_path) == SESSION


def test_mode_is_0600_even_with_a_permissive_umask(tmp_path):
    old = os.umask(0)
    try:
        save_session(tmp_path, SESSION)
    finally:
        os.umask(old)
    assert mode(session_path(tmp_path)) == 0o600


def test_an_existing_loose_state_folder_is_tightened(tmp_path):
    (tmp_path / ".sitegen").mkdir(mode=0o755)
    save_session(tmp_path, SESSION)
    assert mode(tmp_path / ".sitegen") == 0o700


def test_a_loose_session_file_is_tightened_on_load(tmp_path):
    path = save_session(tmp_path, SESSION)
    os.chmod(path, 0o644)
    assert load_session(tmp_path) == SESSION
    assert mode(path) == 0o600


def test_replacement_is_atomic_and_leaves_no_temporary_files(tmp_path):
    save_session(tmp_path, SESSION)
    inode_before = os.stat(session_path(tmp_path)).st_ino
    newer = StoredSession(
        **{**SESSION.__dict__, "access_token": "NEW", "expires_at": 2_000_000_100}
    )
    save_session(tmp_path, newer)
    assert load_session(tmp_path) == newer
    assert (
        os.stat(session_path(tmp_path)).st_ino != inode_before
    )  # renamed into place, not rewritten
    assert sorted(p.name for p in (tmp_path / ".sitegen").iterdir()) == ["session.json"]


def test_a_failed_write_keeps_the_old_session_and_removes_the_temporary(tmp_path, monkeypatch):
    save_session(tmp_path, SESSION)

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        save_session(tmp_path, StoredSession(**{**SESSION.__dict__, "access_token": "NEW"}))
    monkeypatch.undo()
    assert load_session(tmp_path) == SESSION
    assert sorted(p.name for p in (tmp_path / ".sitegen").iterdir()) == ["session.json"]


def test_missing_session_is_none_and_delete_reports_it(tmp_path):
    assert load_session(tmp_path) is None
    assert delete_session(tmp_path) is False
    save_session(tmp_path, SESSION)
    assert delete_session(tmp_path) is True
    assert load_session(tmp_path) is None


def test_corrupt_file_is_a_clear_auth_error(tmp_path):
    save_session(tmp_path, SESSION)
    session_path(tmp_path).write_text("{not json")
    with pytest.raises(AuthError) as caught:
        load_session(tmp_path)
    assert "sitegen login" in str(caught.value)


def test_tokens_never_appear_in_repr(tmp_path):
    assert "SECRET" not in repr(SESSION)
    data = json.loads(save_session(tmp_path, SESSION).read_text())
    assert data["refresh_token"] == "REFRESH-SECRET"  # the file itself does hold them


def test_needs_refresh_uses_a_margin():
    assert SESSION.needs_refresh(now=SESSION.expires_at - 30)
    assert not SESSION.needs_refresh(now=SESSION.expires_at - 600)
