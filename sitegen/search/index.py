"""The search index: documents in, the static files of a sharded inverted index out. Pure.

    search-index/meta.json          {"version", "docs", "per_chunk", "shards": [names]}
    search-index/t/<shard>.json     {"term": [doc, weight, doc, weight, ...], ...}
    search-index/d/<chunk>.json     [[url, title, excerpt], ...] for docs chunk*per_chunk...

A term's shard is named by its first two characters, so a query loads one small shard per
word and then the few chunks of document details its best results sit in: a 10,000-page site
costs a query a few tens of kilobytes, not the whole index. A weight is BM25's term part
for the document (so long pages do not win by length) plus a bonus when the title has the
term, times 100 as an integer; the script adds the term's rarity (from the length of its
postings and the document count), so a word found on one deep page puts that page first.

A weight depends on its own document only (BM25 is given a fixed typical length instead of
the site's average, and the document's length rounded to a power of two), so an edit to
one page rewrites just the shards of the terms it added, dropped or used more or less often.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sitegen.markdown.terms import terms

INDEX_DIR = "search-index/"
FORMAT = 1
PER_CHUNK = 64  # documents per details file
K1, B = 1.2, 0.75  # BM25's usual constants
TYPICAL_LENGTH = 256  # terms in a document, where BM25 would use the site's average
TITLE_BONUS = 3.0  # more than any body count can give (BM25's term part stays below K1 + 1)
EXCERPT = 160  # characters of a result's excerpt


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """A page as the index knows it. `terms` as terms.term_counts gives them (body and code)."""

    url: str
    title: str
    excerpt: str
    terms: str


def shard_name(term: str) -> str:
    """The file name part for a term's shard: its first two characters, each kept when it is
    a lower-case ASCII letter or digit, else written `_` + hex code point (search.js agrees)."""
    return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}" for c in term[:2])


def build_index(docs: Sequence[SearchDoc]) -> dict[str, str]:
    """Output path -> text of every file of the index (docs are numbered in URL order)."""
    ordered = sorted(docs, key=lambda doc: doc.url)
    postings: dict[str, list[int]] = defaultdict(list)
    for number, doc in enumerate(ordered):
        found = dict(_pairs(doc.terms))
        length = 1 << max(sum(found.values()), 1).bit_length()  # a power of two above it
        norm = K1 * (1 - B + B * length / TYPICAL_LENGTH)
        in_title = set(terms(doc.title))
        for term in in_title.difference(found):
            found[term] = 0
        for term, count in found.items():
            weight = count * (K1 + 1) / (count + norm) + (TITLE_BONUS if term in in_title else 0)
            postings[term] += (number, round(weight * 100))
    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for term in sorted(postings):
        shards[shard_name(term)][term] = postings[term]
    files = {f"{INDEX_DIR}t/{name}.json": _json(shard) for name, shard in shards.items()}
    for start in range(0, len(ordered), PER_CHUNK):
        chunk = [[d.url, d.title, d.excerpt] for d in ordered[start : start + PER_CHUNK]]
        files[f"{INDEX_DIR}d/{start // PER_CHUNK}.json"] = _json(chunk)
    meta = {
        "version": FORMAT,
        "docs": len(ordered),
        "per_chunk": PER_CHUNK,
        "shards": sorted(shards),
    }
    files[INDEX_DIR + "meta.json"] = _json(meta)
    return files


def _pairs(term_counts: str) -> Iterator[tuple[str, int]]:
    words = term_counts.split()
    return zip(words[::2], map(int, words[1::2]), strict=True)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
