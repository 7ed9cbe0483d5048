"""Fingerprints of template contexts: a digest of exactly the values a page is rendered from.

An output whose fingerprint (and file on disk) is unchanged since the last build is not
rendered again. The digest covers the whole context, so every value a template could show is
covered by construction; nothing needs to know which fields a template actually uses.

The digest is taken over the context's pickle: C-speed, and it spells out every field of every
frozen view, with its type (so `Markup` and `str` differ). Equal contexts built the same way
pickle to the same bytes; the rare exception (a YAML `!!set` in free front-matter fields, whose
order follows string hashing) can only make a fingerprint differ, which costs a re-render,
never a stale page.
"""

from __future__ import annotations

import pickle
from hashlib import blake2b
from typing import Any


class Fingerprinter:
    """Digests values, salted with what every output shares (version, config, templates)."""

    def __init__(self, salt: str) -> None:
        self._salt = blake2b(salt.encode(), digest_size=16).digest()

    def of(self, value: Any) -> str:
        digest = blake2b(self._salt, digest_size=16)
        digest.update(pickle.dumps(value, protocol=5))
        return digest.hexdigest()
