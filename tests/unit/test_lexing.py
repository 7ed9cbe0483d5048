"""sitegen.markdown.lexing: narrowed rules give exactly Pygments' tokens, for every RegexLexer."""

from __future__ import annotations

import random
import re

import pytest
from pygments.lexer import RegexLexer, bygroups
from pygments.lexers import find_lexer_class_by_name, get_all_lexers, get_lexer_by_name
from pygments.lexers.php import PhpLexer
from pygments.lexers.special import TextLexer
from pygments.token import Name, Punctuation, String, Text

from sitegen.markdown import lexing

POLYGLOT = '''#!/usr/bin/env thing
// comment /* block */ -- sql comment ; lisp comment
def fibonacci(n: int) -> list[int]:
    """The first n Fibonacci numbers."""
    numbers = [0, 1]  # a list
    while len(numbers) < n:
        numbers.append(numbers[-1] + numbers[-2])
    return numbers[:n]
<div class="x" data-a='1'>&amp; text</div>
SELECT name, COUNT(*) FROM posts WHERE id = 42 AND title LIKE 'a%';
fn main() { let s = r#"raw"#; println!("{}", s); }
x = f"{value!r:>10}" + b'\\x00' + 0x1F + 3.14e-10 + 1_000j
<<EOF
heredoc $HOME ${PATH} `cmd` $(sub)
EOF
@decorator
class Ünïcode(Base):  \t# tab, non-ASCII
    pass
'''


def _samples() -> list[str]:
    rng = random.Random(7)
    # Besides code characters: letters that match others only under IGNORECASE (the Kelvin
    # sign, long s, dotted and dotless i), non-ASCII word and non-word characters, a non-BMP one.
    alphabet = "abcxyz_ 019\n\t\"'`#/*-+=<>()[]{}:;,.\\$@%&|!?^~é\u212aſİı·€\U0001d518"
    return [POLYGLOT, *("".join(rng.choice(alphabet) for _ in range(600)) for _ in range(2))]


def _plain_regex_lexers() -> list[type[RegexLexer]]:
    classes = []
    for _, aliases, _, _ in get_all_lexers():
        if aliases:
            cls = find_lexer_class_by_name(aliases[0])
            if (
                issubclass(cls, RegexLexer)
                and cls.get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed
            ):
                classes.append(cls)
    return classes


def _both(make: type[RegexLexer] | object) -> tuple[object, object]:
    return make(), lexing.accelerate(make())  # type: ignore[operator]


@pytest.fixture(autouse=True)
def fresh_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexing, "_tables", {})


def test_every_plain_regex_lexer_gives_pygments_own_tokens() -> None:
    classes = _plain_regex_lexers()
    assert len(classes) > 300  # Pygments ships some 400: a wrong filter would test nothing
    samples = _samples()
    different = []
    for cls in classes:
        stock, fast = _both(cls)
        for sample in samples:
            if list(stock.get_tokens(sample)) != list(fast.get_tokens(sample)):  # type: ignore[attr-defined]
                different.append(cls.__name__)
    assert different == []
    states = [state for table in lexing._tables.values() for state in table.values()]
    tried = sum(len(rules) for state in states for rules in state.by_char.values())
    offered = sum(len(state.rules) * len(state.by_char) for state in states)
    assert tried < offered / 3  # most rules were really left out


def test_python_tries_few_of_its_rules_at_a_name_or_a_bracket() -> None:
    lexer = lexing.accelerate(get_lexer_by_name("python"))
    list(lexer.get_tokens("def f(x):\n    return x\n"))
    (states,) = lexing._tables.values()
    root = states["root"]
    assert len(root.rules) > 40
    assert 0 < len(root.by_char["d"]) < 8  # keywords, `def`, names...
    assert len(root.by_char["("]) == 1  # punctuation only


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(?i)k\w*", "\u212aelvin"),  # the Kelvin sign matches "k" when case is ignored
        (r"(?i)[r-t]+", "ſ"),  # and long s matches "s"
        (r"(?a)\W+", "é"),  # not a word character for ASCII patterns
        (r"(?a:\W)", "é"),
        (r"\U0001d518+", "\U0001d518"),
        (r"(?<!\.)\bx", "x"),  # lookarounds and anchors consume nothing
        (r"(?:ab)*c", "c"),  # an optional part is looked through
    ],
)
def test_a_rule_is_tried_at_every_character_it_can_start_with(pattern: str, text: str) -> None:
    rule = (re.compile(pattern).match, Name, None)
    starts = lexing._start_test(rule)
    assert starts is not None and starts(text[0])
    assert rule[0](text, 0)


@pytest.mark.parametrize("pattern", [r"x*", r"(?=a)", r"\b", r"(a|)", r"(a)?\1b", r"(a)?(?(1)b|c)"])
def test_rules_that_can_match_nothing_or_refer_back_are_tried_everywhere(pattern: str) -> None:
    assert lexing._start_test((re.compile(pattern).match, Name, None)) is None


def test_a_rule_is_left_out_only_where_it_cannot_start() -> None:
    starts = lexing._start_test(
        (re.compile(r"(def)(\s+)|[A-Z]\w*|([\"'])(.*?)\2").match, Name, None)
    )
    assert starts is not None
    assert [c for c in "dDeAZaz_ ('\"" if starts(c)] == ["d", "D", "A", "Z", "'", '"']


class _Backreference(RegexLexer):
    """A quoted string closed by the quote that opened it."""

    name = "backreference test"
    tokens = {
        "root": [
            (r"([\"'])(.*?)\1", bygroups(Punctuation, String)),
            (r"\w+", Name),
            (r"\s+", Text),
        ],
    }


def test_a_state_with_a_backreference_gives_pygments_own_tokens() -> None:
    stock, fast = _both(_Backreference)
    text = "say 'it\"s' and \"x'y\" now\n"
    assert list(fast.get_tokens(text)) == list(stock.get_tokens(text))  # type: ignore[attr-defined]


def test_lexers_that_make_their_own_tokens_are_left_alone() -> None:
    php = PhpLexer()
    assert lexing.accelerate(php).get_tokens_unprocessed.__func__ is PhpLexer.get_tokens_unprocessed
    text = TextLexer()
    assert (
        lexing.accelerate(text).get_tokens_unprocessed.__func__ is TextLexer.get_tokens_unprocessed
    )
