"""`{% cache key, ... %}…{% endcache %}`: a template fragment rendered once per key in a build.

A post's summary card is the same on the home page and on the pages of each of its tags:
rendered once, it is reused, as Hugo's `partialCached` does. The fragment must depend on
nothing but its keys and the template globals (`url`, `static`, ...); sitegen cannot check
that, so a theme opts in where it holds. Keys are compared by value when they are strings,
numbers, booleans or None, and otherwise by identity: sitegen's views are immutable and one
object per post in a build, so identity is exact and costs no hashing of their fields. The
memo keeps each key object alive, so an id is never reused by another object while its
entry exists. The memo is emptied at the start of each build (views and globals are new)
and whenever it holds more than MAX_CHARS of output; that only costs renders again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser

MAX_CHARS = 8_000_000  # ~8 MB: a few thousand summary cards
_BY_VALUE = (str, int, float, bool, type(None))


class FragmentCache(Extension):
    """The `cache` tag. One memo per Environment (so per process, as workers are forked)."""

    tags = {"cache"}  # noqa: RUF012 (jinja2.ext.Extension declares it an instance attribute)

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self._memo: dict[tuple[Any, ...], tuple[tuple[Any, ...], str]] = {}
        self._chars = 0

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        if parser.stream.current.test("block_end"):
            parser.fail("cache needs a key, what the fragment depends on: {% cache post %}", lineno)
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        where = nodes.Const(f"{parser.name}:{lineno}")  # two fragments never share a key
        call = self.call_method("_fragment", [where, nodes.Tuple(keys, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def forget(self) -> None:
        self._memo.clear()
        self._chars = 0

    def _fragment(self, where: str, keys: tuple[Any, ...], caller: Callable[[], str]) -> str:
        memo_key = (where, *((type(k), k) if type(k) in _BY_VALUE else (None, id(k)) for k in keys))
        found = self._memo.get(memo_key)
        if found is not None:
            return found[1]
        output = caller()
        if self._chars + len(output) > MAX_CHARS:
            self.forget()
        self._memo[memo_key] = (keys, output)
        self._chars += len(output)
        return output


def forget_fragments(env: Any) -> None:
    """Empty the environment's fragment memo: a new build has new views and globals."""
    for extension in env.extensions.values():
        if isinstance(extension, FragmentCache):
            extension.forget()
