"""Writing DEST: only files whose bytes differ are written, so a re-run changes nothing.

Files are written through a temporary name and renamed, so an interrupted import leaves no
half-written file. SOURCE is never written: DEST may not be inside it (nor it inside DEST).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import SitegenError


@dataclass(frozen=True)
class Written:
    written: int
    unchanged: int


def check_places(source: Path, dest: Path) -> None:
    """Raise when writing DEST could change SOURCE."""
    source, dest = source.resolve(), dest.resolve()
    if dest == source or dest.is_relative_to(source) or source.is_relative_to(dest):
        raise SitegenError(
            f"{dest} and {source} overlap; the import would write into the site it reads",
            field="DEST",
            hint="pass a DEST folder outside SOURCE, e.g. `sitegen import jekyll old-site new-site`",
        )
    if dest.exists() and not dest.is_dir():
        raise SitegenError(f"{dest} is not a folder", field="DEST", hint="pass a folder name")


def write_tree(dest: Path, texts: Mapping[str, str], copies: Mapping[str, Path]) -> Written:
    """Write `texts` (path -> text) and copy `copies` (path -> source file) under `dest`."""
    written = unchanged = 0
    for relative in sorted({*texts, *copies}):
        data = (
            texts[relative].encode("utf-8") if relative in texts else copies[relative].read_bytes()
        )
        target = dest / relative
        try:
            if target.read_bytes() == data:
                unchanged += 1
                continue
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.importing")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        written += 1
    return Written(written, unchanged)
