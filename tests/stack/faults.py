"""Fault injection: make chosen requests fail so retries and "nothing lost" can be tested.

A fault matches a request by method and a regular expression searched in the full path (with the
service prefix, without the query string, e.g. `^/rest/v1/posts`). It applies to the next
`times` matching requests (every matching request when `times` is None), then retires itself.

Actions:
- `status`: answer `status` (default 503) with a small JSON body; `retry_after` adds Retry-After.
- `drop`: close the connection without sending any response.
- `delay`: sleep `seconds`, then handle the request normally.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

ACTIONS = ("status", "drop", "delay")


@dataclass
class Fault:
    action: str
    path: str = ".*"
    method: str | None = None
    times: int | None = 1
    status: int = 503
    retry_after: int | None = None
    seconds: float = 0.0
    hits: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown fault action {self.action!r}; use one of {ACTIONS}")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be >= 1 (or None for every matching request)")
        self._pattern = re.compile(self.path)

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        return self._pattern.search(path) is not None

    def describe(self) -> dict[str, object]:
        return {
            "action": self.action,
            "path": self.path,
            "method": self.method,
            "times": self.times,
            "status": self.status,
            "retry_after": self.retry_after,
            "seconds": self.seconds,
            "hits": self.hits,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Fault:
        allowed = {"action", "path", "method", "times", "status", "retry_after", "seconds"}
        unknown = set(data) - allowed
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        return cls(**data)  # type: ignore[arg-type]


class FaultInjector:
    """Thread-safe list of active faults; the first matching one wins."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def inject(self, action: str, path: str = ".*", **options: object) -> Fault:
        """Shorthand: `stack.faults.inject("status", r"^/rest/v1/posts", status=503, times=2)`."""
        return self.add(Fault(action=action, path=path, **options))  # type: ignore[arg-type]

    def remove(self, fault: Fault) -> None:
        """Deactivate this one fault (if a `times` limit has not already done so); others stay."""
        with self._lock:
            self._faults = [active for active in self._faults if active is not fault]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def active(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, method: str, path: str) -> Fault | None:
        """The fault to apply to this request (counting it), or None."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    if fault.times is not None and fault.hits >= fault.times:
                        self._faults.remove(fault)
                    return fault
        return None
