"""What a reader makes of a source site, before it is checked and written: plain values."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Note:
    """Something not converted (or changed in a way worth a look), at `file:line` of SOURCE."""

    file: str
    line: int
    message: str
    kind: str = ""  # what the summary counts it under (default: the message)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class DraftDoc:
    """One document: where it came from, where it goes (`content/posts/...md`), its front
    matter (sitegen's names), body, the source line its body starts on and its old URL."""

    source: str
    dest: str
    front: dict[str, Any]
    body: str
    body_line: int
    old_url: str | None
    key_lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> source line


@dataclass
class Draft:
    """A whole site: sitegen.toml values, documents, media (dest path -> source path), notes
    and counts of what was changed (shown in the summary)."""

    config: dict[str, Any]
    documents: list[DraftDoc] = field(default_factory=list)
    media: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    changes: Counter[str] = field(default_factory=Counter)
    texts: dict[str, str] = field(default_factory=dict)  # other files to write (templates)


def plain_value(value: Any) -> Any:
    """Front-matter or config data that TOML can hold: no nulls, dates as ISO text."""
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [plain_value(v) for v in value if v is not None]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
