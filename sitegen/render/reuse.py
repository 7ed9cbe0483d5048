"""The build cache: what a build reuses from earlier builds, wrapped around the pure stages.

The stages (`render.documents.load_document`, `site.outline_site` / `make_entry` /
`finish_site`, `render.plan.plan_site`, the theme) know nothing of caching. `BuildCache` holds
every shortcut a build takes, each a lookup by what the stage's result is made of:

- a document's record (front matter, Markdown rendering), by its file's bytes and those of
  the files its shortcodes included, and the Markdown options (the DocStore on disk);
- a document's entry (summary, link answers, digests), by its rendering, route, terms, the
  site info and the link answers it got (`Made`);
- the Jinja environment with its compiled templates, by the templates' bytes;
- the search index: each document's terms by its file's bytes, and the last index, patched
  where pages changed (search.index.update_index) instead of made again;
- the last build's state (input stats, each output's fingerprint), for the no-op check and
  to render only the outputs whose fingerprint or file changed.

A fresh `sitegen build` fills it from `.sitegen/` (cache.py); a `Builder` (`sitegen serve`)
keeps it in memory between builds (`retain`). Dropping any of it is always safe.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sitegen.cache import (
    BuildState,
    DocStore,
    FileHasher,
    load_entries,
    load_value,
    output_versions,
    save_entries,
    save_value,
)
from sitegen.fsio import is_settled
from sitegen.markdown.highlight import highlights_reused
from sitegen.model import Document
from sitegen.paths import state_dir
from sitegen.render.documents import DocRecord, PhaseTimes, process_file
from sitegen.render.parallel import Deferred, run_ranges
from sitegen.render.renders import StoredRenders, pack_body
from sitegen.render.sources import Sources
from sitegen.search.index import SearchDoc, build_index, update_index
from sitegen.search.stage import search_doc
from sitegen.site import DocRender, Entry, Made, Outline, make_entry
from sitegen.sources.local import DOCUMENT_DIRS, MARKDOWN_SUFFIXES
from sitegen.theme import make_environment
from sitegen.views import SiteInfo

# Forking two workers costs ~50-100 ms and saves half of ~1.8 ms per document (Markdown):
# below this count it does not pay (bench/README.md).
PARALLEL_DOCUMENTS = 100


@dataclass
class _Entries:
    """The last build's entries: reused while the site info is equal and each entry's own
    inputs are (see `BuildCache.entries`)."""

    info: SiteInfo | None = None
    links: tuple[object, ...] = ()  # the link table's contents (LinkTable.contents)
    made: dict[str, Made] = field(default_factory=dict)


class _Search(NamedTuple):
    """The last search index and what it was made of."""

    store_key: str  # the terms were made with it
    made_of: dict[str, str]  # URL -> sha256 of the file its document came from
    docs: list[tuple[str, ...]]  # SearchDocs, as plain tuples (pickled without a Python call each)
    files: dict[str, str]  # build_index(docs)


def _load_search(path: Path, store_key: str, use_disk: bool) -> _Search:
    found = load_value(path) if use_disk else None
    if not isinstance(found, _Search) or found.store_key != store_key:
        return _Search(store_key, {}, [], {})
    return found


class BuildCache:
    """The cache of one site's builds with one set of options (see the module docstring)."""

    def __init__(self, site_dir: Path, key: str, *, use_disk: bool, retain: bool) -> None:
        """`key` names the build options (build.state_key); `use_disk`: read and write
        `.sitegen/` (False for `--no-cache`); `retain`: keep everything in memory for the
        next build of this process (else keep nothing past its use: a lower peak)."""
        self.site_dir = site_dir
        self.key = key
        self.use_disk = use_disk
        self.retain = retain
        self.state: BuildState | None = None  # of the last successful build
        self._records: dict[str, DocRecord] | None = None  # every record, when retained
        self._records_key = ""  # the Markdown key they were made with
        self._entries = _Entries()
        self._env: Any = None
        self._env_key: object = None
        self.hasher = FileHasher({}, 0)
        self.store_key = ""  # names every document's rendering inputs (see `start`)
        self._lite: list[DocRecord] = []  # a one-shot build's records, without their DocRenders
        self._search: _Search | None = None  # the last search index, once read
        self._search_made_of: dict[str, str] = {}  # this build's (see _Search.made_of)

    def start(self, sources: Sources) -> None:
        """Begin a build of `sources`: file hashes are reused from the last state."""
        state = self.state
        known = state.file_hashes if state is not None and self.use_disk else {}
        self.hasher = FileHasher(known, state.scanned_ns if state is not None else 0)
        self.store_key = f"{output_versions()}:{sources.rendering_inputs()}"

    @property
    def jinja_cache(self) -> Path:
        """The folder of compiled templates. Jinja reuses its compiled code across its own
        versions (its cache's tag changes only with its bytecode format), so it is per versions."""
        name = hashlib.blake2b(output_versions().encode(), digest_size=8).hexdigest()
        return state_dir(self.site_dir) / "jinja" / name

    def documents(
        self,
        sources: Sources,
        times: PhaseTimes,
        jobs: int | None,
        progress: Callable[[int, int], None] | None,
        while_waiting: Sequence[Callable[[], object]] = (),
    ) -> list[DocRecord]:
        """A record per content file (`process_file`), reused while the file's bytes, those of
        the files its shortcodes included and the Markdown options are the same; the others
        are made by the workers, which store each body in the DocStore. `while_waiting` runs
        in this process while the workers work."""
        site_dir, store_key = self.site_dir, self.store_key
        paths = [
            p
            for p in sources.inputs
            if p.endswith(MARKDOWN_SUFFIXES) and p.startswith(tuple(d + "/" for d in DOCUMENT_DIRS))
        ]
        cached = self._known_records(store_key)
        records: dict[str, DocRecord] = {}
        touched: list[tuple[str, str, bytes, None]] = []  # reused records with a new stat
        todo: list[str] = []
        for path in paths:
            record = cached.get(path)
            size_mtime = sources.inputs[path]
            if record is None or not _same_includes(site_dir, record):
                todo.append(path)
            elif (record.size, record.mtime_ns) == size_mtime and is_settled(
                record.mtime_ns, record.checked_ns
            ):
                records[path] = record
            elif _same_bytes(site_dir / path, record.sha256):
                record = dataclasses.replace(
                    record, size=size_mtime[0], mtime_ns=size_mtime[1], checked_ns=time.time_ns()
                )
                records[path] = record
                if record.render is not None:  # else the store keeps the row it has
                    touched.append((path, record.sha256, pickle.dumps(record, protocol=5), None))
            else:
                todo.append(path)

        stores: dict[int, DocStore] = {}

        def own_store() -> DocStore:
            """This process's connection, kept for all its ranges: a connection must not cross
            a fork, and closing the last one checkpoints the WAL (with an fsync) each time. A
            worker never closes its own; what it committed is in the WAL all the same."""
            if os.getpid() not in stores:
                stores[os.getpid()] = DocStore(site_dir, store_key)
            return stores[os.getpid()]

        def make(start: int, stop: int) -> tuple[list[DocRecord], dict[str, float]]:
            """Records: the page bodies go to the store, not to this build's memory."""
            local = PhaseTimes()
            done: list[DocRecord] = []
            rows, code = [], []
            store = own_store()
            for path in todo[start:stop]:
                reused = store.highlights(path) if self.use_disk else {}
                with highlights_reused(reused) as made:
                    record, body = process_file(
                        site_dir,
                        path,
                        sources.md_options,
                        local,
                        sources.shortcodes,
                        sources.config.limits,
                    )
                code.append((path, made))
                packed = pack_body(body) if body is not None else None
                rows.append((record.path, record.sha256, pickle.dumps(record, protocol=5), packed))
                done.append(record)
            store.update(rows, [])
            store.keep_highlights(code)
            return done, local.seconds

        if todo:
            own_store()  # create it now: two workers would race to create it
        try:
            for _, stop, (done, seconds) in run_ranges(
                make,
                len(todo),
                jobs=jobs,
                threshold=PARALLEL_DOCUMENTS,
                while_waiting=while_waiting,
            ):
                times.add(seconds)
                records.update((record.path, record) for record in done)
                if progress:
                    progress(stop, len(todo))
            if touched or any(p not in records for p in cached):
                own_store().update(touched, [p for p in cached if p not in records])
        finally:
            for store in stores.values():  # this process's only: the workers' are in their copies
                store.close()
        if self.retain:
            self._records, self._records_key = records, store_key
        return [records[p] for p in paths]

    def _known_records(self, store_key: str) -> dict[str, DocRecord]:
        """The records of the last build: in memory, from the entries file (records without
        renderings, with the entries made of them) or from the DocStore."""
        if self._records is not None and self._records_key == store_key:
            return self._records
        if not self.use_disk:
            return {}
        stored = load_entries(self.site_dir, self.key)
        if stored is not None and stored[0][0] == store_key:
            (_, info, links), (records, made) = stored
            self._entries = _Entries(info, links, made)
            return records
        store = DocStore(self.site_dir, store_key)
        try:
            return store.load()
        finally:
            store.close()

    def renders(self, sources: Sources, records: Sequence[DocRecord]) -> StoredRenders:
        """The documents' renderings by key, read from the DocStore where a record has none."""
        return StoredRenders(self.site_dir, records, self.store_key, sources.md_options)

    def entries(
        self,
        outline: Outline,
        documents: Sequence[Document],
        renders: Mapping[str, DocRender],
        versions: Mapping[str, str],
    ) -> tuple[Outline, dict[str, Made]]:
        """`make_entry` of every document, reusing the last build's entry of a document while
        its rendering (`versions`), route, terms, the site info and the answers the link table
        gave it are the same: a one-post edit makes one entry. Returns the outline too, with
        the last build's site info object when equal (contexts that did not change stay
        identical objects)."""
        last = self._entries
        if last.info == outline.info:
            outline = dataclasses.replace(outline, info=last.info)
            known = last.made
        else:
            known = {}
        same_links = last.links == outline.links.contents()
        made: dict[str, Made] = {}
        for doc in documents:
            entry = known.get(doc.key)
            if (
                entry is None
                or entry.version != versions[doc.key]
                or entry.route != outline.routes[doc.key]
                or entry.terms != outline.terms(doc)
                or not (
                    same_links
                    or all(outline.links.lookup(doc, t) == answer for t, answer in entry.seen)
                )
            ):
                entry = make_entry(outline, doc, renders[doc.key], versions[doc.key])
            made[doc.key] = entry
        self._entries = _Entries(outline.info, outline.links.contents(), made)
        return outline, made

    def page_ids(
        self,
        documents: Sequence[Document],
        renders: Mapping[str, DocRender],
        versions: Mapping[str, str],
    ) -> dict[str, tuple[str, ...]]:
        """Each document's page ids (for the link table): from its last entry while its
        rendering is the same, else from its rendering."""
        known = self._entries.made
        ids = {}
        for doc in documents:
            entry = known.get(doc.key)
            if entry is not None and entry.version == versions[doc.key]:
                ids[doc.key] = entry.ids
            else:
                ids[doc.key] = renders[doc.key].ids
        return ids

    def keep_records(self, records: Sequence[DocRecord], renders: StoredRenders) -> None:
        """After assembly: a one-shot build keeps no DocRender (pages need only their bodies,
        from the store); `save_entries` then stores its records without them."""
        if self.retain:
            return
        self._lite = [
            r if r.render is None else dataclasses.replace(r, render=None) for r in records
        ]
        renders.forget_renders(self._lite)

    def save_entries(self) -> None:
        """Store a one-shot build's records (as `keep_records` left them) with the entries made
        of them, for the next `sitegen build` to start from."""
        if self.retain or not self.use_disk:
            return
        entries = self._entries
        header = (self.store_key, entries.info, entries.links)
        records = {r.path: r for r in self._lite}
        save_entries(self.site_dir, self.key, header, (records, entries.made))

    def search_docs(
        self, entries: Sequence[Entry], records: Sequence[DocRecord], renders: StoredRenders
    ) -> list[SearchDoc]:
        """`search_doc` of every entry, reused from the last index while the document's bytes,
        URL and title are the same; else made from its terms: from its record, or (a reused
        record has no DocRender) from the DocStore."""
        known = {doc[0]: doc for doc in self._last_search().docs}  # by URL
        made_of = self._last_search().made_of
        by_key = {r.document.key: r for r in records if r.document is not None}
        docs: list[SearchDoc] = []
        self._search_made_of = {}
        for entry in entries:
            record, summary = by_key[entry.doc.key], entry.summary
            last = known.get(summary.url)
            if (
                last is not None
                and last[1] == summary.title
                and made_of.get(summary.url) == record.sha256
            ):
                doc = SearchDoc._make(last)
            else:
                render = record.render or renders[entry.doc.key]
                doc = search_doc(summary, render.terms)
            docs.append(doc)
            self._search_made_of[summary.url] = record.sha256
        return docs

    def search_index(self, docs: Sequence[SearchDoc]) -> dict[str, str]:
        """`build_index(docs)`: the last build's index while its documents are the same, that
        index patched where they differ (`update_index`), or a new one."""
        last = self._last_search()
        if docs == last.docs:  # a SearchDoc equals the plain tuple of its values
            files = last.files
        elif last.docs:
            files = update_index([SearchDoc._make(doc) for doc in last.docs], last.files, docs)
        else:
            files = build_index(docs)
        made = _Search(self.store_key, self._search_made_of, [tuple(doc) for doc in docs], files)
        if made != last and self.use_disk:
            save_value(self._search_path, made)
        self._search = made if self.retain else None
        return files

    def _last_search(self) -> _Search:
        if self._search is None or self._search.store_key != self.store_key:
            self._search = _load_search(self._search_path, self.store_key, self.use_disk)
        return self._search

    @property
    def _search_path(self) -> Path:
        return state_dir(self.site_dir) / f"search-{self.key}.pickle"

    def environment(
        self,
        sources: Sources,
        templates: Mapping[str, str],
        globals_: dict[str, Any],
        compiled: Deferred[Any],
    ) -> Any:
        """The Jinja environment: the last build's, with its compiled templates, while no
        template changed; else the `compiled` one if the Markdown workers left time to make it,
        or a new one that compiles each template when first used (a build without workers
        uses few of them)."""
        env_key = (sources.theme.template_dirs, sorted(templates.items()))
        if self._env is not None and self._env_key == env_key:
            from sitegen.fragments import forget_fragments  # imports Jinja: only builds need it

            self._env.globals.update(globals_)  # templates see env.globals through a ChainMap
            forget_fragments(self._env)
            return self._env
        env = (
            compiled.value()
            if compiled.done
            else make_environment(sources.theme, {}, self.jinja_cache)
        )
        env.globals.update(globals_)
        if self.retain:
            self._env, self._env_key = env, env_key
        return env

    def has_environment(self) -> bool:
        return self._env is not None

    def previous_outputs(self, out_dir: Path) -> dict[str, tuple[str, int, int]]:
        """output -> (fingerprint, size, mtime) of the last build, when it wrote to `out_dir`:
        an output whose fingerprint and file are the same is not rendered again."""
        state = self.state
        if state is None or not self.use_disk or state.out_dir != str(out_dir):
            return {}
        return state.outputs


def _same_bytes(path: Path, sha256: str) -> bool:
    return hashlib.sha256(path.read_bytes()).hexdigest() == sha256


def _same_includes(site_dir: Path, record: DocRecord) -> bool:
    """True when every file the record's shortcodes included still has the same bytes."""
    try:
        return all(_same_bytes(site_dir / path, sha) for path, sha in record.includes)
    except OSError:
        return False
