"""Slugs: the URL-safe name part of a document's key (`posts/<slug>`).

One definition, used by `sitegen new`, routing and sync, so a slug made from a title locally
is the same slug that remote content is validated against.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_VALID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*")  # fullmatch only


@lru_cache(maxsize=4096)  # tags and heading titles recur across a site's documents
def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Héllo, World!" -> "hello-world"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


def is_valid_slug(slug: str) -> bool:
    """True for slugs made of lower-case words and hyphens, optionally nested with `/`.

    Rejects everything that could escape a folder: `..`, absolute paths, backslashes, empty parts.
    """
    return _VALID.fullmatch(slug) is not None


_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=4096)
def term_slug(text: str) -> str:
    """The URL name of a tag or category: `slugify` when the text is Latin (`Café` -> `cafe`),
    else its own lower-cased letters, so `日本語` -> `日本語` and `Привет мир` -> `привет-мир`
    (a readable URL where `slugify` would leave nothing)."""
    ascii_slug = slugify(text)
    letters = _NOT_WORD.sub("", unicodedata.normalize("NFKD", text))
    letters = "".join(c for c in letters if not unicodedata.combining(c))
    if letters.isascii():
        return ascii_slug
    return _NOT_WORD.sub("-", unicodedata.normalize("NFKC", text).lower()).strip("-")
