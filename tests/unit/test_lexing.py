"""sitegen.markdown.lexing: joined states give exactly Pygments' tokens, for every RegexLexer."""

from __future__ import annotations

import random

import pytest
from pygments.lexer import RegexLexer, bygroups
from pygments.lexers import get_all_lexers, find_lexer_class_by_name, get_lexer_by_name
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
    alphabet = "abcxyz_ 019\n\t\"'`#/*-+=<>()[]{}:;,.\\$@%&|!?^~é"
    return [POLYGLOT, *("".join(rng.choice(alphabet) for _ in range(600)) for _ in range(2))]


def _plain_regex_lexers() -> list[type[RegexLexer]]:
    classes = []
    for _, aliases, _, _ in get_all_lexers():
        if aliases:
            cls = find_lexer_class_by_name(aliases[0])
            if (issubclass(cls, RegexLexer)
                    and cls.get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed):
                classes.append(cls)
    return classes


def _both(make: type[RegexLexer] | object) -> tuple[object, object]:
    return make(), lexing.accelerate(make())  # type: ignore[operator]


@pytest.fixture
def join_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexing, "JOIN_AFTER", 1)
    monkeypatch.setattr(lexing, "_tables", {})


def test_every_plain_regex_lexer_gives_pygments_own_tokens(join_at_once: None) -> None:
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
    tables = list(lexing._tables.values())
    joined = sum(1 for t in tables for j in t.joined.values() if j)
    assert joined > 1000  # most states were really lexed through a joined pattern


def test_before_join_after_steps_a_state_is_lexed_as_pygments_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexing, "JOIN_AFTER", 50)
    monkeypatch.setattr(lexing, "_tables", {})
    lexer = lexing.accelerate(get_lexer_by_name("python"))
    code = "x = 1\n"  # a few steps: nothing joined yet
    assert list(lexer.get_tokens(code)) == list(get_lexer_by_name("python").get_tokens(code))
    (table,) = lexing._tables.values()
    assert table.joined == {}
    long_code = POLYGLOT * 3
    assert list(lexer.get_tokens(long_code)) == list(get_lexer_by_name("python").get_tokens(long_code))
    assert table.joined["root"]


class _Backreference(RegexLexer):
    """A quoted string closed by the quote that opened it: `\\1` cannot be joined."""

    name = "backreference test"
    tokens = {
        "root": [
            (r"([\"'])(.*?)\1", bygroups(Punctuation, String)),
            (r"\w+", Name),
            (r"\s+", Text),
        ],
    }


def test_a_state_with_a_backreference_stays_on_pygments_path(join_at_once: None) -> None:
    stock, fast = _both(_Backreference)
    text = "say 'it\"s' and \"x'y\" now\n"
    assert list(fast.get_tokens(text)) == list(stock.get_tokens(text))  # type: ignore[attr-defined]
    (table,) = lexing._tables.values()
    assert table.joined == {"root": False}


def test_lexers_that_make_their_own_tokens_are_left_alone() -> None:
    php = PhpLexer()
    assert lexing.accelerate(php).get_tokens_unprocessed.__func__ is PhpLexer.get_tokens_unprocessed
    text = TextLexer()
    assert lexing.accelerate(text).get_tokens_unprocessed.__func__ is TextLexer.get_tokens_unprocessed
