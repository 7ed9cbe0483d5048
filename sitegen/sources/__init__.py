"""Content stores: where a Snapshot of pages, posts and media comes from.

`LocalContent` reads `content/`. The build reads only local content; sync compares a local and
a remote store through the same `ContentStore` shape.
"""

from __future__ import annotations

from typing import Protocol

from sitegen.model import Snapshot


class ContentStore(Protocol):
    def snapshot(self) -> Snapshot:
        """Everything the store holds now."""
        ...
