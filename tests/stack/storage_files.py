"""Object bytes on local disk, named by version UUID, never by object name.

Names come from URLs and are untrusted; keying files by a server-generated UUID means no name can
escape the storage directory. Bytes are staged before the database statement, promoted only
once it succeeded, and removed again if the transaction rolls back.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path


class ObjectFiles:
    def __init__(self, root: Path) -> None:
        self._staging = root / "staging"
        self._versions = root / "versions"
        for directory in (self._staging, self._versions):
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    @staticmethod
    def new_version() -> str:
        return str(uuid.uuid4())

    def stage(self, version: str, data: bytes) -> None:
        path = self._staging / _checked(version)
        with open(path, "wb") as handle:
            handle.write(data)

    def stage_copy(self, source_version: str, version: str) -> None:
        shutil.copyfile(
            self._versions / _checked(source_version), self._staging / _checked(version)
        )

    def promote(self, version: str) -> None:
        os.replace(self._staging / _checked(version), self._versions / _checked(version))

    def discard(self, version: str | None) -> None:
        """Forget a version wherever it is (staged or promoted); missing is fine."""
        if not version:
            return
        for directory in (self._staging, self._versions):
            try:
                (directory / _checked(version)).unlink()
            except (FileNotFoundError, ValueError):
                pass

    def read(self, version: str | None) -> bytes | None:
        if not version:
            return None
        try:
            return (self._versions / _checked(version)).read_bytes()
        except (FileNotFoundError, ValueError):
            return None


def _checked(version: str) -> str:
    """Versions are UUIDs we generated; anything else (e.g. written by hand in SQL) is refused."""
    return str(uuid.UUID(version))
