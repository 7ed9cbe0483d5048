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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from sitegen.markdown.terms import terms

INDEX_DIR = "search-index/"
FORMAT = 1
PER_CHUNK = 64  # documents per details file
K1, B = 1.2, 0.75  # BM25's usual constants
TYPICAL_LENGTH = 256  # terms in a document, where BM25 would use the site's average
TITLE_BONUS = 3.0  # more than any body count can give (BM25's term part stays below K1 + 1)
EXCERPT = 160  # characters of a result's excerpt


class SearchDoc(NamedTuple):
    """A page as the index knows it. `terms` as terms.term_counts gives them (body and code).
    A named tuple: the build cache pickles thousands of them, ~5x faster than a dataclass."""

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
        for term, weight in weights(doc).items():
            postings[term] += (number, weight)
    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for term in sorted(postings):
        shards[shard_name(term)][term] = postings[term]
    files = {_shard_path(name): _json(shard) for name, shard in shards.items()}
    files.update(_chunks(ordered, range(0, len(ordered), PER_CHUNK)))
    files[INDEX_DIR + "meta.json"] = _meta(len(ordered), shards)
    return files


def update_index(
    before: Sequence[SearchDoc], files: Mapping[str, str], docs: Sequence[SearchDoc]
) -> dict[str, str]:
    """`build_index(docs)`, given `files == build_index(before)`: when the same URLs are
    indexed, only the shards holding a term whose weight changed, and the chunks of changed
    documents, are made again (a one-page edit: a few shards, not the whole index)."""
    old = sorted(before, key=lambda doc: doc.url)
    new = sorted(docs, key=lambda doc: doc.url)
    if [doc.url for doc in old] != [doc.url for doc in new]:
        return build_index(new)
    result = dict(files)
    shards: dict[str, dict[str, list[int]]] = {}  # the ones being changed, as postings
    chunks: set[int] = set()
    for number, (was, now) in enumerate(zip(old, new, strict=True)):
        if was == now:
            continue
        if (was.title, was.excerpt) != (now.title, now.excerpt):
            chunks.add(number - number % PER_CHUNK)
        if (was.title, was.terms) == (now.title, now.terms):
            continue
        old_weights, new_weights = weights(was), weights(now)
        for term in old_weights.keys() | new_weights.keys():
            weight = new_weights.get(term)
            if weight == old_weights.get(term):
                continue
            name = shard_name(term)
            if name not in shards:
                shards[name] = json.loads(files.get(_shard_path(name), "{}"))
            _set_posting(shards[name], term, number, weight)
    for name, shard in shards.items():
        if shard:
            result[_shard_path(name)] = _json(dict(sorted(shard.items())))
        else:
            del result[_shard_path(name)]
    result.update(_chunks(new, sorted(chunks)))
    names = [path.removeprefix(INDEX_DIR + "t/").removesuffix(".json") for path in result]
    result[INDEX_DIR + "meta.json"] = _meta(len(new), [n for n in names if "/" not in n])
    return result


def weights(doc: SearchDoc) -> dict[str, int]:
    """Term -> the document's weight for it (see the module)."""
    found = dict(_pairs(doc.terms))
    length = 1 << max(sum(found.values()), 1).bit_length()  # a power of two above it
    norm = K1 * (1 - B + B * length / TYPICAL_LENGTH)
    in_title = set(terms(doc.title))
    for term in in_title.difference(found):
        found[term] = 0
    return {
        term: round(
            (count * (K1 + 1) / (count + norm) + (TITLE_BONUS if term in in_title else 0)) * 100
        )
        for term, count in found.items()
    }


def _set_posting(shard: dict[str, list[int]], term: str, number: int, weight: int | None) -> None:
    """Give document `number` this weight in the term's postings (None: take it out)."""
    pairs = dict(zip(shard.get(term, [])[::2], shard.get(term, [])[1::2], strict=True))
    if weight is None:
        pairs.pop(number, None)
    else:
        pairs[number] = weight
    if pairs:
        shard[term] = [value for pair in sorted(pairs.items()) for value in pair]
    else:
        del shard[term]


def _shard_path(name: str) -> str:
    return f"{INDEX_DIR}t/{name}.json"


def _chunks(ordered: Sequence[SearchDoc], starts: Iterable[int]) -> dict[str, str]:
    return {
        f"{INDEX_DIR}d/{start // PER_CHUNK}.json": _json(
            [[d.url, d.title, d.excerpt] for d in ordered[start : start + PER_CHUNK]]
        )
        for start in starts
    }


def _meta(docs: int, shard_names: Iterable[str]) -> str:
    return _json(
        {"version": FORMAT, "docs": docs, "per_chunk": PER_CHUNK, "shards": sorted(shard_names)}
    )


def _pairs(term_counts: str) -> Iterator[tuple[str, int]]:
    words = term_counts.split()
    return zip(words[::2], map(int, words[1::2]), strict=True)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
