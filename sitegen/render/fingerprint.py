"""Fingerprints of template contexts: a digest of exactly the values a page is rendered from.

An output whose fingerprint (and file on disk) is unchanged since the last build is not
rendered again. The digest covers the whole context, so every value a template could show is
covered by construction; nothing needs to know which fields a template actually uses.

The digest is taken over the context's pickle: C-speed, and it spells out every field of every
frozen view, with its type (so `Markup` and `str` differ). Views shared by many contexts (a
post's summary appears in lists, tags and feeds) are digested once per build and stand in
the pickled context as that digest. The digests of posts' and pages' views are usually
known already (`known_views`): `site.assemble` derives them from what the views are made of,
and a `PageRef` (a page not built) carries its page's digest. Equal contexts built the same
way pickle to the same bytes (the pickle runs without its memo, so sharing does not matter);
the rare exception (a YAML `!!set` in free front-matter fields, whose order follows string
hashing) can only make a fingerprint differ, which costs a re-render, never a stale page.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Sequence
from hashlib import blake2b
from typing import Any

from sitegen.render.plan import CopyJob, Job, TemplateJob
from sitegen.site import PageRef, Site
from sitegen.views import Page, SiteInfo, Summary, Tag

_SHARED = (Page, Summary, Tag, SiteInfo)
_PLAIN = {str, int, float, bool, type(None)}


def fingerprints(site: Site, jobs: Sequence[Job], salt: str) -> list[str]:
    """Each job's fingerprint: of its template and context, its text maker and arguments, or
    the bytes it copies. Summaries' digests come from what they are made of (their entry's)."""
    entries = (*site.posts, *site.pages)
    fingerprinter = Fingerprinter(salt, {id(e.summary): (e.summary, e.digests[1]) for e in entries})
    return [
        fingerprinter.of((job.template, job.context))
        if isinstance(job, TemplateJob)
        else fingerprinter.of(("copy", job.sha256))
        if isinstance(job, CopyJob)
        else fingerprinter.of((job.make.__name__, job.args))
        for job in jobs
    ]


class Fingerprinter:
    """Digests values, salted with what every output shares (version, config, templates)."""

    def __init__(
        self, salt: str, known_views: dict[int, tuple[object, bytes]] | None = None
    ) -> None:
        """`known_views`: id -> (view, digest) of views whose digests are known already (view
        digests are not salted), e.g. summaries, from what their entries are made of."""
        self._salt = blake2b(salt.encode(), digest_size=16).digest()
        self._views = dict(known_views or {})  # id -> (view, digest): it keeps ids unique
        self._tuples: dict[int, tuple[tuple[Any, ...], Any]] = {}  # id -> (tuple, its _shallow)

    def of(self, value: Any) -> str:
        digest = blake2b(self._salt, digest_size=16)
        digest.update(_pickle(self._shallow(value)))
        return digest.hexdigest()

    def _shallow(self, value: Any) -> Any:
        """`value` with every shared view replaced by its digest (views are the only large
        things in a context; everything else is small or plain data)."""
        kind = type(value)
        if kind in _PLAIN:
            return value
        if isinstance(value, _SHARED):
            return (kind.__name__, self._view_digest(value))
        if kind is PageRef:  # stands for the Page with that digest
            return ("Page", value.digest)
        if kind is tuple:  # immutable, often shared (every page of a list has the same urls)
            known = self._tuples.get(id(value))
            if known is None or known[0] is not value:
                known = self._tuples[id(value)] = (value, self._shallow_items(value))
            return known[1]
        if kind is list:
            return self._shallow_items(value)
        if kind is dict:
            return {key: self._shallow(item) for key, item in value.items()}
        if hasattr(kind, "__dataclass_fields__"):
            return (
                kind.__name__,
                *(self._shallow(getattr(value, name)) for name in kind.__dataclass_fields__),
            )
        return value

    def _shallow_items(self, value: tuple[Any, ...] | list[Any]) -> Any:
        if all(type(item) in _PLAIN for item in value):  # e.g. a paginator's urls
            return value
        return tuple(self._shallow(item) for item in value)

    def _view_digest(self, view: object) -> bytes:
        """Digest of a shared view, computed once (the memo keeps `view` alive, so ids stay unique)."""
        known = self._views.get(id(view))
        if known is not None and known[0] is view:
            return known[1]
        digest = blake2b(_pickle(view), digest_size=16).digest()
        self._views[id(view)] = (view, digest)
        return digest


def _pickle(value: Any) -> bytes:
    """Pickle without the memo ("fast" mode), so equal values give equal bytes whether or not
    they share objects (contexts are trees: no cycles)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()
