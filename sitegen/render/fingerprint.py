"""Fingerprints of template contexts: a digest of exactly the values a page is rendered from.

An output whose fingerprint (and file on disk) is unchanged since the last build is not
rendered again. Because the digest covers the whole context, any value a template could show
is covered by construction; nothing needs to know which fields a template actually uses.
Views are frozen and shared between pages, so each one's digest is computed once per build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from hashlib import blake2b
from typing import Any

from markupsafe import Markup

_LONG = 200  # strings longer than this are hashed instead of spelled out


class Fingerprinter:
    """Digests values; memoises dataclass instances by identity for the life of one build."""

    def __init__(self, salt: str) -> None:
        self._salt = salt
        self._memo: dict[int, tuple[object, str]] = {}

    def of(self, value: Any) -> str:
        """Hex digest of `value`, salted with what every output shares (templates, config)."""
        return blake2b((self._salt + self._encode(value)).encode(), digest_size=16).hexdigest()

    def _encode(self, value: Any) -> str:
        if value is None or isinstance(value, (bool, int, float)):
            return repr(value)
        if isinstance(value, str):
            text = value if len(value) <= _LONG else blake2b(value.encode(), digest_size=16).hexdigest()
            return ("M" if isinstance(value, Markup) else "S") + repr(text)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self._dataclass(value)
        if isinstance(value, (list, tuple)):
            return "[" + ",".join(self._encode(item) for item in value) + "]"
        if isinstance(value, Mapping):
            return "{" + ",".join(f"{self._encode(k)}:{self._encode(v)}" for k, v in value.items()) + "}"
        if isinstance(value, (dt.date, dt.datetime, dt.time)):
            return repr(value)
        if isinstance(value, (set, frozenset)):
            return "{" + ",".join(sorted(self._encode(item) for item in value)) + "}"
        if isinstance(value, bytes):
            return "B" + blake2b(value, digest_size=16).hexdigest()
        raise TypeError(f"cannot fingerprint {type(value).__name__}")

    def _dataclass(self, value: Any) -> str:
        memo = self._memo.get(id(value))
        if memo is not None and memo[0] is value:
            return memo[1]
        fields = ",".join(self._encode(getattr(value, f.name)) for f in dataclasses.fields(value))
        digest = "D" + blake2b(f"{type(value).__name__}({fields})".encode(), digest_size=16).hexdigest()
        self._memo[id(value)] = (value, digest)  # keeps `value` alive, so its id stays unique
        return digest
