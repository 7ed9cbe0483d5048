"""Documents' Markdown renderings by key, read from the DocStore only when needed.

Records hold outlines of their renderings (see DocRender): the bodies' HTML and tocs, most
of a build's memory otherwise, stay in the DocStore and is read back for the one page that
shows it. A build whose entries come from the previous build (see `site.EntryMemo`) has
records without even an outline: the few entries it builds again read theirs from the store.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from sitegen.cache import DocStore
from sitegen.markdown import MarkdownOptions
from sitegen.render.documents import DocRecord, PhaseTimes, process_file
from sitegen.site import DocRender


class StoredRenders(Mapping[str, DocRender]):
    """Renderings of `records` by document key: `renders[key]` may be an outline, enough to
    make an entry; `complete(key)` adds the body's HTML and toc, for a page. What is read from the
    store is not kept: a page is made once per output that shows it, and keeping them would
    hold every body. Safe in forked workers: each process opens its own connection."""

    def __init__(self, site_dir: Path, records: Sequence[DocRecord], store_key: str,
                 md_options: MarkdownOptions) -> None:
        self._site_dir = site_dir
        self._records = {r.document.key: r for r in records if r.document is not None}
        self._store_key = store_key
        self._md_options = md_options
        self._store: tuple[int, DocStore] | None = None

    def __getitem__(self, key: str) -> DocRender:
        record = self._records[key]
        if record.render is not None:
            return record.render
        stored = self._own_store().get(record.path)
        if isinstance(stored, DocRecord) and stored.sha256 == record.sha256 and stored.render is not None:
            return stored.render
        return self._render_again(record)

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def complete(self, key: str) -> DocRender:
        """The rendering of `key` with its body's HTML and toc."""
        record = self._records[key]
        outline = self[key]
        if outline.complete:
            return outline
        body = self._own_store().body(record.path, record.sha256)
        return outline.completed(*body) if body is not None else self._render_again(record)

    def close(self) -> None:
        if self._store is not None and self._store[0] == os.getpid():
            self._store[1].close()
        self._store = None

    def _own_store(self) -> DocStore:
        if self._store is None or self._store[0] != os.getpid():
            self._store = (os.getpid(), DocStore(self._site_dir, self._store_key))
        return self._store[1]

    def _render_again(self, record: DocRecord) -> DocRender:
        """For a row the store lost (or never had): render the file again."""
        made = process_file(self._site_dir, record.path, self._md_options, PhaseTimes())
        if made.render is None or made.sha256 != record.sha256:
            raise RuntimeError(f"{record.path} changed during the build; build again")
        return made.render
