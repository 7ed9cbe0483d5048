"""Documents' Markdown renderings by key, read from the DocStore only when an entry needs one.

A build whose entries come from the previous build (see `site.EntryMemo`) needs the rendered
body of a document only for the entries it builds again and the pages it renders: reading
the few from the store beats loading every row.
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
    """Renders of `records` by document key; a record without one is completed from the store
    (or, if the store lost it, by rendering the file again). Loaded renders are not kept: a
    page is made once per output that shows it, and keeping them would hold every body.
    Safe in forked workers: each process opens its own connection."""

    def __init__(self, site_dir: Path, records: Sequence[DocRecord], store_key: str,
                 md_options: MarkdownOptions) -> None:
        self._site_dir = site_dir
        self._records = {r.document.key: r for r in records if r.document is not None}
        self._store_key = store_key
        self._md_options = md_options
        self._store: tuple[int, DocStore] | None = None

    def __getitem__(self, key: str) -> DocRender:
        record = self._records[key]
        return record.render if record.render is not None else self._load(record)

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def keep_only_stored(self) -> None:
        """Forget the records that came with a render: once the site is assembled, only the
        pages of reused entries (PageRefs whose records came without one) ask this mapping
        again; every other page holds the render it is made from."""
        self._records = {key: r for key, r in self._records.items() if r.render is None}

    def close(self) -> None:
        if self._store is not None and self._store[0] == os.getpid():
            self._store[1].close()
        self._store = None

    def _load(self, record: DocRecord) -> DocRender:
        if self._store is None or self._store[0] != os.getpid():
            self._store = (os.getpid(), DocStore(self._site_dir, self._store_key))
        stored = self._store[1].get(record.path)
        if isinstance(stored, DocRecord) and stored.sha256 == record.sha256 and stored.render is not None:
            return stored.render
        made = process_file(self._site_dir, record.path, self._md_options, PhaseTimes())
        if made.render is None:  # the file changed into something broken since it was scanned
            raise RuntimeError(f"{record.path} changed during the build; build again")
        return made.render
