"""What a `Builder` keeps in memory between builds of one process (`sitegen serve`).

A fresh `sitegen build` starts from the files in `.sitegen/`; a builder that builds again
starts from this instead: the last build's state, every document record, the assembled
entries, the digests of the views and the Jinja environment with its compiled templates.
Everything here is a shortcut to values the build could recompute; dropping it is always safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sitegen.cache import BuildState
from sitegen.render.documents import DocRecord
from sitegen.site import EntryMemo


@dataclass
class BuildMemory:
    retain: bool = True  # False for a one-shot build: keep nothing, keep peak memory low
    state: BuildState | None = None
    records: dict[str, DocRecord] | None = None  # every document record, when `retain`
    records_key: str = ""  # the DocStore key (version + Markdown options) they were made with
    entries: EntryMemo = field(default_factory=EntryMemo)
    views: dict[int, tuple[object, bytes]] = field(default_factory=dict)  # see Fingerprinter
    # (salt, output -> (template, context names, context values, fingerprint)) of template pages
    page_prints: tuple[str, dict[str, Any]] = ("", {})
    env: Any = None  # the Jinja environment of the last build
    env_key: object = None  # what it was made from (theme folders, template hashes)
