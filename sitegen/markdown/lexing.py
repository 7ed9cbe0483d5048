"""Pygments' RegexLexer, trying at each position only the rules that can start there: same tokens,
a fifth of the time.

A RegexLexer state is a list of rules tried in order at each position until one matches: in
Pygments' Python lexer some 50 `re` matches, nearly all of them failing, for every token.
Lexing was a third of the Markdown time of a post with one code block.

Which characters a match of a rule can begin with follows from its pattern, as `re` itself
parses it: `(def)(\\s+)` only with "d", `[]{}:(),;[]` only with one of those. A rule that
cannot begin with the character at the position cannot match there, so leaving it out of the
loop changes nothing; the others are tried in their order, each with its own pattern, as
Pygments does. Rules that can match an empty string (or whose pattern this analysis does not
follow, such as a backreference) are tried everywhere. The rules left for a (state,
character) pair are worked out when the pair first occurs, and kept for the process.
tests/unit/test_lexing.py compares the token streams with Pygments' own for every
RegexLexer Pygments ships.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Iterator, Sequence
from functools import cache

# re's own parser: private (so typeshed has no stubs), and any surprise only costs speed
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from pygments.lexer import RegexLexer
from pygments.token import Error, Whitespace, _TokenType

Rule = tuple[Callable[..., Any], Any, Any]  # Pygments' (match, action, new state)
StartTest = Callable[[str], object]  # truthy when a match may begin with this character

_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)  # anchors and lookarounds consume nothing


class _Opaque(Exception):
    """A pattern element this analysis does not follow: its rule is tried everywhere."""


class _State:
    """One state's rules, and the rules worth trying for each character met so far."""

    __slots__ = ("by_char", "rules", "starts")

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self.starts = [_start_test(rule) for rule in rules]
        self.by_char: dict[str, tuple[Rule, ...]] = {}

    def for_char(self, char: str) -> tuple[Rule, ...]:
        rules = self.by_char[char] = tuple(
            rule
            for rule, starts in zip(self.rules, self.starts, strict=False)
            if starts is None or starts(char)
        )
        return rules


_tables: dict[int, dict[str, _State]] = {}  # by id() of a token table (Pygments keeps it alive)


def accelerate(lexer: Any) -> Any:
    """`lexer`, lexing with narrowed rules when it is a plain RegexLexer (one that does not
    change how its tokens are produced); any other lexer is returned untouched."""
    if (
        isinstance(lexer, RegexLexer)
        and type(lexer).get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed
    ):
        lexer.get_tokens_unprocessed = types.MethodType(_tokens, lexer)  # type: ignore[method-assign]
    return lexer


def _start_test(rule: Rule) -> StartTest | None:
    """The test of the characters a match of the rule can begin with; None when it may begin
    anywhere (an empty match is possible, or the rule is not a plain pattern we can read)."""
    pattern = getattr(rule[0], "__self__", None)
    if not isinstance(pattern, re.Pattern) or not isinstance(pattern.pattern, str):
        return None
    return _pattern_start_test(pattern.pattern, pattern.flags)


@cache
def _pattern_start_test(source: str, flags: int) -> StartTest | None:
    """`_start_test` by pattern: a lexer's states include the same rules many times over."""
    try:
        pieces, can_be_empty = _starts(sre_parse.parse(source, flags), flags)
        return None if can_be_empty else re.compile("|".join(pieces)).match
    except (_Opaque, re.error, TypeError, ValueError, AttributeError):
        return None


def _starts(items: Any, flags: int) -> tuple[list[str], bool]:
    """Patterns of one character each, together matching every character a match of `items`
    (a parsed sequence) can begin with; and whether the sequence can match nothing at all."""
    pieces: list[str] = []
    for op, value in items:
        found, can_be_empty = _starts_of(op, value, flags)
        pieces += found
        if not can_be_empty:
            return pieces, False
    return pieces, True


def _starts_of(op: Any, value: Any, flags: int) -> tuple[list[str], bool]:
    """`_starts` of one parsed element."""
    if op is sre.LITERAL:
        return [_scoped(_char(value), flags)], False
    if op is sre.NOT_LITERAL:
        return [_scoped(f"[^{_char(value)}]", flags)], False
    if op is sre.ANY:
        return ["(?s:.)"], False
    if op is sre.IN:
        return [_scoped(_char_class(value), flags)], False
    if op is sre.BRANCH:
        pieces: list[str] = []
        any_empty = False
        for branch in value[1]:
            found, can_be_empty = _starts(branch, flags)
            pieces += found
            any_empty = any_empty or can_be_empty
        return pieces, any_empty
    if op is sre.SUBPATTERN:  # (group, flags added, flags removed, sequence)
        return _starts(value[3], (flags | value[1]) & ~value[2])
    if op in _REPEATS:  # (min, max, sequence)
        found, can_be_empty = _starts(value[2], flags)
        return found, can_be_empty or value[0] == 0
    if op is sre.ATOMIC_GROUP:
        return _starts(value, flags)
    if op in _ZERO_WIDTH:
        return [], True
    raise _Opaque(op)


def _char_class(items: Any) -> str:
    parts: list[str] = []
    for op, value in items:
        if op is sre.NEGATE:
            parts.insert(0, "^")
        elif op is sre.LITERAL:
            parts.append(_char(value))
        elif op is sre.RANGE:
            parts.append(f"{_char(value[0])}-{_char(value[1])}")
        elif op is sre.CATEGORY and value in _CATEGORIES:
            parts.append(_CATEGORIES[value])
        else:
            raise _Opaque(op)
    return f"[{''.join(parts)}]"


def _char(code: int) -> str:
    """The character as a pattern: itself when that cannot mean anything else (shorter
    patterns compile faster: Unicode classes run to hundreds of ranges), else escaped."""
    char = chr(code)
    return char if char.isalnum() else f"\\U{code:08x}"


def _scoped(piece: str, flags: int) -> str:
    """The piece under the flags that decide which characters it matches."""
    return f"(?{'a' if flags & re.ASCII else ''}{'i' if flags & re.IGNORECASE else '-i'}:{piece})"


def _tokens(
    self: RegexLexer, text: str, stack: tuple[str, ...] = ("root",)
) -> Iterator[tuple[int, Any, str]]:
    """RegexLexer.get_tokens_unprocessed, step for step, skipping rules that cannot match."""
    tokendefs = self._tokens  # type: ignore[attr-defined]  # made by RegexLexer's metaclass
    states = _tables.get(id(tokendefs))
    if states is None:
        states = _tables[id(tokendefs)] = {}
    pos = 0
    end = len(text)
    statestack = list(stack)
    while True:
        name = statestack[-1]
        state = states.get(name)
        if state is None:
            state = states[name] = _State(tokendefs[name])
        if pos < end:
            rules = state.by_char.get(text[pos])
            if rules is None:
                rules = state.for_char(text[pos])
        else:
            rules = state.rules
        for rule in rules:
            match = rule[0](text, pos)
            if match:
                action = rule[1]
                if action is not None:
                    if type(action) is _TokenType:
                        yield pos, action, match.group()
                    else:
                        yield from action(self, match)
                pos = match.end()
                if rule[2] is not None:
                    _enter(statestack, rule[2])
                break
        else:
            if pos >= end:
                return
            if text[pos] == "\n":  # at the end of a line, reset to "root"
                statestack = ["root"]
                yield pos, Whitespace, "\n"
            else:
                yield pos, Error, text[pos]
            pos += 1


def _enter(statestack: list[str], new_state: Any) -> None:
    """Apply a rule's state change to the stack, as RegexLexer does."""
    if isinstance(new_state, tuple):
        for state in new_state:
            if state == "#pop":
                if len(statestack) > 1:
                    statestack.pop()
            elif state == "#push":
                statestack.append(statestack[-1])
            else:
                statestack.append(state)
    elif isinstance(new_state, int):  # pop, but keep at least one state on the stack
        if abs(new_state) >= len(statestack):
            del statestack[1:]
        else:
            del statestack[new_state:]
    elif new_state == "#push":
        statestack.append(statestack[-1])
    else:
        raise ValueError(f"wrong state def: {new_state!r}")
