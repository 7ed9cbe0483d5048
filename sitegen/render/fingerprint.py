"""Fingerprints of template contexts: a digest of exactly the values a page is rendered from.

An output whose fingerprint (and file on disk) is unchanged since the last build is not
rendered again. The digest covers the whole context, so every value a template could show is
covered by construction; nothing needs to know which fields a template actually uses.

The digest is taken over the context's pickle: C-speed, and it spells out every field of every
frozen view, with its type (so `Markup` and `str` differ). Views shared by many contexts (a
post's summary appears in lists, tags and feeds) are digested once per build and stand in
the context's pickle as that digest. Equal contexts built the same way pickle to the same
bytes; the rare exception (a YAML `!!set` in free front-matter fields, whose order follows
string hashing) can only make a fingerprint differ, which costs a re-render, never a stale page.
"""

from __future__ import annotations

import io
import pickle
from hashlib import blake2b
from typing import Any

from sitegen.render.views import Page, SiteInfo, Summary, Tag

_SHARED = (Page, Summary, Tag, SiteInfo)


class Fingerprinter:
    """Digests values, salted with what every output shares (version, config, templates)."""

    def __init__(self, salt: str) -> None:
        self._salt = blake2b(salt.encode(), digest_size=16).digest()
        self._views: dict[int, tuple[object, bytes]] = {}

    def of(self, value: Any) -> str:
        buffer = io.BytesIO()
        _Pickler(buffer, self).dump(value)
        digest = blake2b(self._salt, digest_size=16)
        digest.update(buffer.getbuffer())
        return digest.hexdigest()

    def view_digest(self, view: object) -> bytes:
        """Digest of a shared view, computed once (the memo keeps `view` alive, so ids stay unique)."""
        known = self._views.get(id(view))
        if known is not None and known[0] is view:
            return known[1]
        digest = blake2b(pickle.dumps(view, protocol=5), digest_size=16).digest()
        self._views[id(view)] = (view, digest)
        return digest


class _Pickler(pickle.Pickler):
    def __init__(self, buffer: io.BytesIO, owner: Fingerprinter) -> None:
        super().__init__(buffer, protocol=5)
        self._owner = owner

    def persistent_id(self, obj: Any) -> bytes | None:
        if isinstance(obj, _SHARED):
            return type(obj).__name__.encode() + self._owner.view_digest(obj)
        return None
