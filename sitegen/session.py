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
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sitegen.errors import AuthError
from sitegen.fsio import write_atomic

STATE_DIR = ".sitegen"
SESSION_FILE = "session.json"
REFRESH_MARGIN = 60  # seconds: refresh a token that expires this soon, before using it


@dataclass(frozen=True)
class StoredSession:
    """One logged-in session. Tokens are kept out of repr so they never end up in logs."""

    url: str
    user_id: str
    email: str
    expires_at: int
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)

    def needs_refresh(self, now: float | None = None) -> bool:
        """True when the access token has expired or expires within REFRESH_MARGIN seconds."""
        return self.expires_at - REFRESH_MARGIN <= (time.time() if now is None else now)


def session_path(site_dir: Path) -> Path:
    return site_dir / STATE_DIR / SESSION_FILE


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
