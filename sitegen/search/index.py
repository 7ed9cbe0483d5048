"""The search index: documents in, the static files of a sharded inverted index out. Pure.

    search-index/meta.json          {"version", "docs", "per_chunk", "shards": [names]}
    search-index/t/<shard>.json     {"term": [doc, weight, doc, weight, ...], ...}
    search-index/d/<chunk>.json     [[url, title, excerpt], ...] for docs chunk*per_chunk...

A term's shard is named by its first two characters, so a query loads one small shard per
word and then the few chunks of document details its best results sit in: a 10,000-page site
costs a query a few tens of kilobytes, not the whole index. A shard that would pass
SPLIT_BYTES is split by the terms' third character (then fourth): the script looks for the
longest shard name that starts its word. A weight is BM25's term part
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
PER_CHUNK = 32  # documents per details file (~6 KB)
SPLIT_BYTES = 48_000  # a shard larger than this is split by one more character of its terms
MAX_PREFIX = 4  # characters of a term that name its shard, at most
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


def shard_name(prefix: str) -> str:
    """The file name for the shard of the terms starting with `prefix`: each character kept
    when it is a lower-case ASCII letter or digit, else written `_` + hex code point + `_`
    (unambiguous: no two prefixes give one name). search.js spells them the same way."""
    return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}_" for c in prefix)


def build_index(docs: Sequence[SearchDoc]) -> dict[str, str]:
    """Output path -> text of every file of the index (docs are numbered in URL order)."""
    ordered = sorted(docs, key=lambda doc: doc.url)
    postings: dict[str, list[int]] = defaultdict(list)
    for number, doc in enumerate(ordered):
        for term, weight in weights(doc).items():
            postings[term] += (number, weight)
    groups: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for term in sorted(postings):
        groups[term[:2]][term] = postings[term]
    files = {}
    for prefix, group in groups.items():
        files.update(_shards(prefix, group))
    files.update(_chunks(ordered, range(0, len(ordered), PER_CHUNK)))
    files[INDEX_DIR + "meta.json"] = _meta(len(ordered), files)
    return files


def update_index(
    before: Sequence[SearchDoc], files: Mapping[str, str], docs: Sequence[SearchDoc]
) -> dict[str, str]:
    """`build_index(docs)`, given `files == build_index(before)`: when the same URLs are
    indexed, only the shards of the two-letter groups holding a term whose weight changed,
    and the chunks of changed documents, are made again (a one-page edit: a few shards)."""
    old = sorted(before, key=lambda doc: doc.url)
    new = sorted(docs, key=lambda doc: doc.url)
    if [doc.url for doc in old] != [doc.url for doc in new]:
        return build_index(new)
    result = dict(files)
    groups: dict[str, dict[str, list[int]]] = {}  # the ones being changed: term -> postings
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
            prefix = term[:2]
            if prefix not in groups:
                groups[prefix] = _take_group(result, prefix)
            _set_posting(groups[prefix], term, number, weight)
    for prefix, group in groups.items():
        result.update(_shards(prefix, dict(sorted(group.items()))))
    result.update(_chunks(new, sorted(chunks)))
    result[INDEX_DIR + "meta.json"] = _meta(len(new), result)
    return result


def _shards(prefix: str, group: dict[str, list[int]]) -> dict[str, str]:
    """Path -> text of the shards of one group of terms (all starting with `prefix`, in
    order): one shard, or split by the next character while it is too large."""
    text = _json(group)
    if len(text) <= SPLIT_BYTES or len(prefix) >= MAX_PREFIX:
        return {_shard_path(prefix): text} if group else {}
    short = {term: postings for term, postings in group.items() if len(term) <= len(prefix)}
    files = {_shard_path(prefix): _json(short)} if short else {}
    longer: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for term, postings in group.items():
        if len(term) > len(prefix):
            longer[term[: len(prefix) + 1]][term] = postings
    for sub_prefix, sub_group in longer.items():
        files.update(_shards(sub_prefix, sub_group))
    return files


def _take_group(files: dict[str, str], prefix: str) -> dict[str, list[int]]:
    """Remove the shards of a two-letter group from `files`; their terms and postings."""
    start = _shard_path(prefix).removesuffix(".json")
    group: dict[str, list[int]] = {}
    for path in [p for p in files if p.startswith(start)]:
        group.update(json.loads(files.pop(path)))
    return group


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


def _shard_path(prefix: str) -> str:
    return f"{INDEX_DIR}t/{shard_name(prefix)}.json"


def _chunks(ordered: Sequence[SearchDoc], starts: Iterable[int]) -> dict[str, str]:
    return {
        f"{INDEX_DIR}d/{start // PER_CHUNK}.json": _json(
            [[d.url, d.title, d.excerpt] for d in ordered[start : start + PER_CHUNK]]
        )
        for start in starts
    }


def _meta(docs: int, files: Iterable[str]) -> str:
    start = INDEX_DIR + "t/"
    shards = sorted(p[len(start) : -len(".json")] for p in files if p.startswith(start))
    return _json({"version": FORMAT, "docs": docs, "per_chunk": PER_CHUNK, "shards": shards})


def _pairs(term_counts: str) -> Iterator[tuple[str, int]]:
    words = term_counts.split()
    return zip(words[::2], map(int, words[1::2]), strict=True)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
