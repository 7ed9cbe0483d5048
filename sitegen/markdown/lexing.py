"""Pygments' RegexLexer, driven with one regular expression per state: same tokens, half the time.

A RegexLexer state is a list of rules tried in order at each position: a Python loop of one
`re` match per rule, some 40 of them per token in Pygments' Python lexer. Lexing was a
third of the Markdown time of a post with one code block. Joined into one alternation,
`(?:rule1)()|(?:rule2)()|...`, the same rules are tried in the same order by the regex engine
itself, and the empty group closing the alternative that matched (`lastindex`) names the
rule. The match is the rule's own: nothing follows it in its alternative, so the engine
accepts the first way the rule matches, as the rule alone would.

Joining a state recompiles its rules (tens of milliseconds for Python's large Unicode
classes), so a state is joined only once it has lexed `JOIN_AFTER` tokens in this process:
a build with a few code blocks never pays for it. Rules whose meaning would change
inside a larger pattern (numbered or named backreferences, conditionals, VERBOSE or ASCII
flags) leave their state as Pygments runs it. tests/unit/test_lexing.py compares the token
streams with Pygments' own for every RegexLexer Pygments ships.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Iterator
from typing import Any

from pygments.lexer import RegexLexer
from pygments.token import Error, Whitespace, _TokenType

JOIN_AFTER = 1000  # steps in a state before it is joined (see the module docstring)

_UNSAFE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")  # backreferences and conditionals
_LEADING_FLAGS = re.compile(r"\(\?[imsx]+\)")  # already in pattern.flags, and only legal first
_SCOPED_FLAGS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"))

Rule = tuple[Callable[..., Any], Any, Any]  # Pygments' (match, action, new state)


class _Joined:
    """A state's rules as one pattern, and each rule by the number of its closing group."""

    __slots__ = ("match", "rules")

    def __init__(self, match: Callable[[str, int], re.Match[str] | None],
                 rules: dict[int, Rule]) -> None:
        self.match = match
        self.rules = rules


class _States:
    """Per token table (shared by the lexers of a class): joined states, states that cannot
    be joined (False), and how many steps each state has taken so far."""

    def __init__(self, tokendefs: dict[str, list[Rule]]) -> None:
        self.tokendefs = tokendefs
        self.joined: dict[str, _Joined | bool] = {}
        self.steps: dict[str, int] = {}

    def get(self, name: str) -> _Joined | None:
        joined = self.joined.get(name)
        if joined is None:
            count = self.steps[name] = self.steps.get(name, 0) + 1
            if count < JOIN_AFTER:
                return None
            joined = self.joined[name] = _join(self.tokendefs[name]) or False
        return joined or None


_tables: dict[int, _States] = {}  # by id() of a token table; _States keeps the table alive


def accelerate(lexer: Any) -> Any:
    """`lexer`, lexing through joined states when it is a plain RegexLexer (one that does not
    change how its tokens are produced); any other lexer is returned untouched."""
    if (isinstance(lexer, RegexLexer)
            and type(lexer).get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed):
        lexer.get_tokens_unprocessed = types.MethodType(_tokens, lexer)
    return lexer


def _join(rules: list[Rule]) -> _Joined | None:
    """One pattern for a state's rules, or None when one of them cannot take part."""
    parts: list[str] = []
    by_group: dict[int, Rule] = {}
    group = 0
    for rule in rules:
        pattern = getattr(rule[0], "__self__", None)
        part = _alternative(pattern) if isinstance(pattern, re.Pattern) else None
        if part is None:
            return None
        parts.append(part)
        group += pattern.groups + 1  # type: ignore[union-attr]
        by_group[group] = rule
    try:
        return _Joined(re.compile("|".join(parts)).match, by_group)
    except re.error:  # e.g. two rules naming a group alike
        return None


def _alternative(pattern: re.Pattern[Any]) -> str | None:
    """`(?flags:rule)()`: the rule with its own flags, closed by an empty marker group."""
    source = pattern.pattern
    flags = pattern.flags & ~re.UNICODE
    if not isinstance(source, str) or _UNSAFE.search(source):
        return None
    if flags & ~(re.IGNORECASE | re.MULTILINE | re.DOTALL):
        return None
    lead = _LEADING_FLAGS.match(source)
    body = source if lead is None else source[lead.end():]
    letters = "".join(letter for flag, letter in _SCOPED_FLAGS if flags & flag)
    return f"(?{letters}:{body})()"


def _tokens(self: RegexLexer, text: str, stack: tuple[str, ...] = ("root",)
            ) -> Iterator[tuple[int, Any, str]]:
    """RegexLexer.get_tokens_unprocessed, step for step, with joined states where possible."""
    tokendefs = self._tokens
    table = _tables.get(id(tokendefs))
    if table is None:
        table = _tables[id(tokendefs)] = _States(tokendefs)
    pos = 0
    statestack = list(stack)
    while True:
        joined = table.get(statestack[-1])
        rule: Rule | None = None
        if joined is not None:
            found = joined.match(text, pos)
            if found is not None:
                rule = joined.rules[found.lastindex]  # type: ignore[index]
                action = rule[1]
                if type(action) is _TokenType:  # the common case: no need to match again
                    yield pos, action, found.group()
                    pos = found.end()
                    match = None
                else:
                    match = rule[0](text, pos)
        else:
            for rule in tokendefs[statestack[-1]]:
                match = rule[0](text, pos)
                if match:
                    break
            else:
                rule = None
        if rule is None:
            if pos >= len(text):
                return
            if text[pos] == "\n":  # at the end of a line, reset to "root"
                statestack = ["root"]
                yield pos, Whitespace, "\n"
            else:
                yield pos, Error, text[pos]
            pos += 1
            continue
        if match is not None:
            action = rule[1]
            if action is not None:
                if type(action) is _TokenType:
                    yield pos, action, match.group()
                else:
                    yield from action(self, match)
            pos = match.end()
        if rule[2] is not None:
            _enter(statestack, rule[2])


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
