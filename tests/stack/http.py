"""Plain request/response values shared by the gateway and every service handler.

Handlers never see the socket: they get a `Request` and return a `Response`, which keeps each
service testable without a server and lets the gateway own transport concerns (keep-alive,
faults, key rule) in one place.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field


class Headers:
    """Case-insensitive, multi-valued HTTP headers in arrival order.

    The client sends `apiKey` in camel case and sometimes two `X-Client-Info` lines, so lookups
    ignore case and repeated names are kept rather than merged or rejected.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._pairs: list[tuple[str, str]] = [(name, value) for name, value in pairs]

    def get(self, name: str, default: str | None = None) -> str | None:
        """The first value of `name`, or `default`."""
        wanted = name.lower()
        for key, value in self._pairs:
            if key.lower() == wanted:
                return value
        return default

    def get_all(self, name: str) -> list[str]:
        """Every value of `name`, in order (empty list when absent)."""
        wanted = name.lower()
        return [value for key, value in self._pairs if key.lower() == wanted]

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __repr__(self) -> str:
        return f"Headers({self._pairs!r})"


@dataclass
class Request:
    """One HTTP request as a service sees it; `path` is relative to the service prefix."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: Headers
    body: bytes = b""

    def query_value(self, name: str) -> str | None:
        """The first query parameter called `name`, or None."""
        for key, value in self.query:
            if key == name:
                return value
        return None


@dataclass
class Response:
    """What a handler answers; the gateway adds Content-Length and writes it."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    @classmethod
    def json(
        cls, status: int, payload: object, headers: list[tuple[str, str]] | None = None
    ) -> Response:
        """A compact UTF-8 JSON response (`application/json; charset=utf-8`)."""
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        all_headers = [("Content-Type", "application/json; charset=utf-8")]
        all_headers.extend(headers or [])
        return cls(status, all_headers, body)

    def header(self, name: str) -> str | None:
        """The first response header called `name` (case-insensitive), or None."""
        return Headers(self.headers).get(name)
