"""The search index as outputs of the build: collect each page's terms, index, plan the files.

A page's terms come from its Markdown rendering (Rendered.terms, made by the Markdown workers
with the rest of the rendering). `.sitegen/search-<key>.pickle` keeps, from the build before,
the terms by file and sha256 (a build that reuses a document's record without its rendering
finds them there instead of reading every body back) and the index it made, which
`update_index` patches where documents changed instead of indexing every page again.

The index files are ordinary outputs: written only when their bytes change, removed when
they are no longer made, and nothing at all happens on a build where no input changed.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Sequence
from html import unescape
from pathlib import Path
from typing import NamedTuple

from sitegen.fsio import write_atomic
from sitegen.paths import state_dir
from sitegen.render.documents import DocRecord
from sitegen.render.plan import Job, TextJob
from sitegen.search.index import EXCERPT, SearchDoc, build_index, update_index
from sitegen.site import Site

_TAG = re.compile(r"<[^>]*>")
# source path -> (sha256, term counts, excerpt): what a document gives the index, by version
Terms = dict[str, tuple[str, str, str]]


def search_jobs(
    site: Site,
    records: Sequence[DocRecord],
    rendered_terms: Callable[[str], str],
    cache_file: Path,
    version: str,
) -> list[Job]:
    """The index's files as jobs. `rendered_terms(key)` gives a document's terms when neither
    its record nor the cache has them (read from the DocStore); `version` names the Markdown
    options and sitegen version the terms were made with (the cache is dropped when it changes)."""
    cached = _load(cache_file, version)
    known = cached.terms
    by_key = {r.document.key: r for r in records if r.document is not None}
    fresh: Terms = {}
    docs = []
    for entry in (*site.posts, *site.pages):
        record = by_key[entry.doc.key]
        found = known.get(record.path)
        if found is None or found[0] != record.sha256:
            doc_terms = (
                record.render.terms if record.render is not None else rendered_terms(entry.doc.key)
            )
            found = (record.sha256, doc_terms, excerpt(entry.summary.summary))
        fresh[record.path] = found
        docs.append(SearchDoc(entry.summary.url, entry.summary.title, found[2], found[1]))
    if docs == cached.docs:
        files = cached.files
    else:
        before = [SearchDoc._make(doc) for doc in cached.docs]
        files = update_index(before, cached.files, docs) if before else build_index(docs)
    if docs != cached.docs or fresh != known:
        # plain tuples: pickled without a Python call per document
        saved = _Cache(version, fresh, [tuple(doc) for doc in docs], files)
        write_atomic(cache_file, pickle.dumps(saved, protocol=5), durable=False)
    return [TextJob(path, index_file, (text,), "the search index") for path, text in files.items()]


def excerpt(summary_html: str) -> str:
    """A search result's text under its title: the summary's, cut at a word."""
    text = " ".join(unescape(_TAG.sub("", summary_html)).split())
    if len(text) > EXCERPT:
        text = text[:EXCERPT].rsplit(" ", 1)[0] + " …"
    return text


def index_file(text: str) -> str:
    """A TextJob's maker: the file's text, made when the index was planned."""
    return text


def cache_path(site_dir: Path, key: str) -> Path:
    return state_dir(site_dir) / f"search-{key}.pickle"


class _Cache(NamedTuple):
    version: str  # sitegen's and the Markdown options' (the terms were made with them)
    terms: Terms
    docs: Sequence[tuple[str, ...]]  # SearchDocs, stored as plain tuples
    files: dict[str, str]  # build_index(docs)


def _load(path: Path, version: str) -> _Cache:
    try:
        cached = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        cached = None
    if not isinstance(cached, _Cache) or cached.version != version:
        return _Cache(version, {}, [], {})
    return cached
