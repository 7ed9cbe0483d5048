"""Search terms of a text: what the site's search index is made of.

A term is a run of word characters, lower-cased, with accents dropped ("Café" -> "cafe"),
2 to 40 characters long. The search box's script (themes/default/static/search.js) cuts a
query the same way, so both sides agree on every term.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_WORD = re.compile(r"\w{2,40}")


def fold(text: str) -> str:
    """Lower case without accents (NFKD, then combining marks dropped)."""
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn"
        )
    return text.lower()


def terms(text: str) -> list[str]:
    """The terms of `text`, in order, with repeats."""
    return _WORD.findall(fold(text))


def term_counts(text: str) -> str:
    """The distinct terms of `text` with their counts, as `"term count term count ..."`, in
    order of first use: one string pickles and stores far smaller than a dict of them."""
    return " ".join(f"{term} {count}" for term, count in Counter(terms(text)).items())
