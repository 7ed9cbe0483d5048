"""The stored login: `.sitegen/session.json`, readable only by its owner.

The file holds the access and refresh tokens of one Supabase Auth session, plus the project URL it
belongs to (a session is only used against that project). It is created with mode 0600 inside a
0700 folder and replaced atomically (write a temporary file, fsync, rename), so a crash never
leaves a half-written or world-readable session. Nothing here prints or logs a token.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import asdict
from pathlib import Path

from sitegen.errors import AuthError
from sitegen.fsio import write_atomic
from sitegen.paths import state_dir
from sitegen.remote.client import StoredSession

SESSION_FILE = "session.json"


def session_path(site_dir: Path) -> Path:
    return state_dir(site_dir) / SESSION_FILE


def load_session(site_dir: Path) -> StoredSession | None:
    """The stored session, or None when nobody is logged in. A loose file mode is tightened."""
    path = session_path(site_dir)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, 0o600)
        data = json.loads(path.read_text(encoding="utf-8"))
        return StoredSession(**{name: data[name] for name in StoredSession.__dataclass_fields__})
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise AuthError(
            "the stored session is unreadable",
            file=str(path),
            hint="run `sitegen logout` and then `sitegen login`",
        ) from None


def save_session(site_dir: Path, session: StoredSession) -> Path:
    """Write the session atomically with mode 0600 (folder 0700); returns the file's path."""
    path = session_path(site_dir)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    os.chmod(path.parent, 0o700)
    write_atomic(path, json.dumps(asdict(session), indent=2).encode("utf-8"), mode=0o600)
    return path


def delete_session(site_dir: Path) -> bool:
    """Remove the stored session; True if there was one."""
    try:
        session_path(site_dir).unlink()
    except FileNotFoundError:
        return False
    return True
