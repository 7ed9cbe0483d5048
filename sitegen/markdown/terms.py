"""Search terms of a text: what the site's search index is made of.

A term is a whole run of word characters, lower-cased, with accents dropped ("Café" ->
"cafe"), 2 to 40 characters long (longer runs, hashes and such, are left out). The search
box's script (themes/default/static/search.js) cuts a query the same way, so both sides
agree on every term.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_WORD = re.compile(r"\w+")
# For ASCII text: every character that is not a word character becomes a space (then split):
# a third of the regex's time, and ASCII is most text.
_ASCII_BREAKS = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")}
)
MIN_LENGTH, MAX_LENGTH = 2, 40


def fold(text: str) -> str:
    """Lower case without accents (NFKD, then combining marks dropped)."""
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn"
        )
    return text.lower()


def _runs(text: str) -> list[str]:
    folded = fold(text)
    return folded.translate(_ASCII_BREAKS).split() if folded.isascii() else _WORD.findall(folded)


def terms(text: str) -> list[str]:
    """The terms of `text`, in order, with repeats."""
    return [run for run in _runs(text) if MIN_LENGTH <= len(run) <= MAX_LENGTH]


def term_counts(text: str) -> str:
    """The distinct terms of `text` with their counts, as `"term count term count ..."`, in
    order of first use: one string pickles and stores far smaller than a dict of them."""
    return " ".join(
        f"{run} {count}"
        for run, count in Counter(_runs(text)).items()
        if MIN_LENGTH <= len(run) <= MAX_LENGTH
    )
