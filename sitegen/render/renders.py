"""Documents' renderings by key, read from the DocStore only when needed.

Records hold what an entry needs of a rendering (DocRender); the page bodies (HTML and toc),
most of a build's memory otherwise, stay in the DocStore and are read back for the pages
that show them. A build whose entries come from the previous build (render.reuse) has
records without even their DocRender: the few entries it makes again read theirs from the store.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from sitegen.cache import DocStore
from sitegen.markdown import MarkdownOptions, TocEntry
from sitegen.render.documents import DocRecord, PhaseTimes, process_file
from sitegen.site import DocRender, PageBody


class StoredRenders(Mapping[str, DocRender]):
    """Renderings of `records` by document key: `renders[key]` is what its entry is made of,
    `page_body(key)` what its page shows besides. What is read from the store is not kept: a
    page is made once per output that shows it, and keeping them would hold every body. Safe
    in forked workers: each process opens its own connection."""

    def __init__(
        self,
        site_dir: Path,
        records: Sequence[DocRecord],
        store_key: str,
        md_options: MarkdownOptions,
    ) -> None:
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
        if (
            isinstance(stored, DocRecord)
            and stored.sha256 == record.sha256
            and stored.render is not None
        ):
            return stored.render
        return self._render_again(record)[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    @property
    def bodies(self) -> Mapping[str, PageBody]:
        """The documents' page bodies by key (see `page_body`)."""
        return _Bodies(self)

    def page_body(self, key: str) -> PageBody:
        """What the page of `key` shows besides its summary: from the store, or (if the store
        lost it) from the file rendered again."""
        record = self._records[key]
        data = self._own_store().body(record.path, record.sha256)
        try:
            body = unpack_body(data) if data is not None else None
        except Exception:
            body = None
        return body or self._render_again(record)[1]

    def forget_renders(self, records: Sequence[DocRecord]) -> None:
        """Hold `records` (the same documents without their DocRenders) instead: once the
        site is assembled only pages ask, and a page needs no more of a record than its
        path and sha256. A DocRender is ~1 KB."""
        self._records = {r.document.key: r for r in records if r.document is not None}

    def close(self) -> None:
        if self._store is not None and self._store[0] == os.getpid():
            self._store[1].close()
        self._store = None

    def _own_store(self) -> DocStore:
        if self._store is None or self._store[0] != os.getpid():
            self._store = (os.getpid(), DocStore(self._site_dir, self._store_key))
        return self._store[1]

    def _render_again(self, record: DocRecord) -> tuple[DocRender, PageBody]:
        """For a row the store lost (or never had): render the file again."""
        made, body = process_file(self._site_dir, record.path, self._md_options, PhaseTimes())
        if made.render is None or body is None or made.sha256 != record.sha256:
            raise RuntimeError(f"{record.path} changed during the build; build again")
        return made.render, body


class _Bodies(Mapping[str, PageBody]):
    """StoredRenders' page bodies as a mapping: what the pages are made from."""

    def __init__(self, renders: StoredRenders) -> None:
        self._renders = renders

    def __getitem__(self, key: str) -> PageBody:
        return self._renders.page_body(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._renders)

    def __len__(self) -> int:
        return len(self._renders)


def pack_body(body: PageBody) -> bytes:
    """A page body as the DocStore keeps it: plain tuples, which unpickle in half the time
    of the dataclasses (a build reads one per page it makes)."""
    toc = tuple((entry.level, entry.id, entry.title) for entry in body.toc)
    return pickle.dumps((body.html, toc, body.toc_html, body.mermaid), protocol=5)


def unpack_body(data: bytes) -> PageBody:
    html, toc, toc_html, mermaid = pickle.loads(data)
    return PageBody(html, tuple(TocEntry(*entry) for entry in toc), toc_html, mermaid)
