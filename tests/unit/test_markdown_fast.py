"""The fast path (markdown/fast.py) against markdown-it-py's token path: same `Rendered`.

Whenever render_markdown (or render_summary) takes the fast path, every field of its result
must be what the token path gives, byte for byte, under each set of options that changes the
output. Sources: every Markdown file of the test suite and the example site, a seeded
generated corpus with the constructs posts use, Hypothesis-made Markdown, and the cases that
once differed (each a reason for one of fast.py's fallbacks).
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.markdown import MarkdownOptions, Rendered, render_markdown, render_summary
from sitegen.markdown import render as render_module

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = [
    MarkdownOptions(),  # sanitize, highlight, anchors
    MarkdownOptions(allow_html=True, search_terms=True),
    MarkdownOptions(allow_html=False, highlight=False),
    MarkdownOptions(anchors=False, toc_min_level=1, toc_max_level=6),
]


@contextmanager
def _fast_path_spy() -> Iterator[list[bool]]:
    """Within it, records for each render whether the fast path gave the result."""
    taken: list[bool] = []
    real = render_module.render_fast

    def spy(*args: object, **kwargs: object) -> object:
        output = real(*args, **kwargs)  # type: ignore[arg-type]
        taken.append(output is not None)
        return output

    with mock.patch.object(render_module, "render_fast", spy):
        yield taken


def _render(body: str, options: MarkdownOptions, plain: bool) -> Rendered:
    return render_summary(body, options) if plain else render_markdown(body, options)


def check_same(body: str, options: MarkdownOptions, plain: bool = False) -> bool:
    """Assert the fast path (when it is taken) gives the token path's `Rendered`; whether
    it was taken."""
    with _fast_path_spy() as taken:
        fast = _render(body, options, plain)
    with mock.patch.object(render_module, "render_fast", lambda *_args, **_kwargs: None):
        tokens = _render(body, options, plain)
    assert fast == tokens, f"fast path differs for {body[:300]!r}"
    return taken == [True]


def check_all_options(body: str) -> bool:
    """check_same under every option set, as a page and as a summary; True when the fast
    path was taken for the default options."""
    results = [check_same(body, options, plain) for options in OPTIONS for plain in (False, True)]
    return results[0]


def _markdown_files() -> list[Path]:
    files = [*(ROOT / "tests").rglob("*.md"), *(ROOT / "content").rglob("*.md")]
    return sorted(path for path in files if "__pycache__" not in path.parts)


def _body(path: Path) -> str:
    """The Markdown after the front matter (the renderer never sees that)."""
    text = path.read_text(encoding="utf-8")
    for fence in ("---", "+++"):
        if text.startswith(fence + "\n"):
            end = text.find("\n" + fence, len(fence))
            return text[end + len(fence) + 1 :] if end > 0 else text
    return text


def test_the_suite_has_markdown_files_to_compare() -> None:
    assert len(_markdown_files()) >= 40


@pytest.mark.parametrize("path", _markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_markdown_file_renders_the_same(path: Path) -> None:
    check_all_options(_body(path))


# A generated corpus: what posts are made of, with the corners markdown-it-pyrs and
# markdown-it-py are most likely to read differently.

_WORDS = [
    "static",
    "site",
    "build",
    "cache",
    "render",
    "page",
    "post",
    "feed",
    "tag",
    "theme",
    "link",
    "code",
    "table",
    "list",
]
_LANGUAGES = ["python", "rust", "js", "mjs", "sh", "console", "text", "", "nosuchlang", "go"]
_INLINE = [
    "*{w}*",
    "_{w}_",
    "**{w}**",
    "__{w} {w}__",
    "~~{w}~~",
    "`{w}()`",
    "`` a`b ``",
    "[{w}](other-post.md)",
    "[{w}](../pages/about.md#team)",
    "[{w}](/posts/{w}/)",
    "[{w}](https://example.com/{w}?a=1&b=2)",
    '[{w}](https://example.com/ "A title")',
    "[{w}](#{w})",
    "[{w}][ref]",
    "![{w} *alt*](images/{w}.png)",
    '![{w}](https://example.com/{w}.jpg "T")',
    "<https://example.com/{w}>",
    "<someone@example.com>",
    "&amp; &copy; &#169; &nbsp;x",
    "\\*not emphasis\\*",
    "<kbd>Ctrl</kbd>",
    '<span class="x">{w}</span>',
    '{w}\'s "quoted" {w}',
    "a < b > c",
    "café *naïve* 日本語",
    "snake_case_{w}",
    "2 * 3 * 4",
    "`$HOME` and `$PATH`",
    '[{w}](https://example.com/$1 "$2")',
]


def _sentence(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(4, 12)):
        if rng.random() < 0.3:
            parts.append(rng.choice(_INLINE).format(w=rng.choice(_WORDS)))
        else:
            parts.append(rng.choice(_WORDS))
    return " ".join(parts).capitalize() + rng.choice([".", ".", "!", "?", ":"])


def _paragraph(rng: random.Random) -> str:
    lines = [_sentence(rng) for _ in range(rng.randint(1, 4))]
    joins = ["\n", "\n", "  \n", "\\\n", " "]
    return "".join(line + rng.choice(joins) for line in lines[:-1]) + lines[-1]


def _block(rng: random.Random) -> str:
    kind = rng.choice(
        [
            "para",
            "para",
            "para",
            "heading",
            "list",
            "olist",
            "fence",
            "table",
            "quote",
            "html",
            "indented",
            "hr",
            "setext",
            "loose",
            "nested",
        ]
    )
    word = rng.choice(_WORDS)
    if kind == "heading":
        suffix = rng.choice(["", "", " {#custom-id}", " `code`", " and [link](x.md)", " ##"])
        return "#" * rng.randint(1, 6) + f" {word.title()} {rng.choice(_WORDS)}{suffix}"
    if kind == "setext":
        return f"{word.title()} heading\n{rng.choice(['===', '---'])}"
    if kind in ("list", "olist", "loose", "nested"):
        marker = rng.choice(["-", "*", "+"]) if kind != "olist" else "{n}."
        start = rng.choice([1, 1, 3])
        items = [_sentence(rng) for _ in range(rng.randint(1, 4))]
        gap = "\n\n" if kind == "loose" else "\n"
        body = gap.join(
            marker.format(n=start + i)
            + " "
            + item
            + ("\n  - sub item\n  - other" if kind == "nested" and i == 0 else "")
            for i, item in enumerate(items)
        )
        return body
    if kind == "fence":
        language = rng.choice(_LANGUAGES)
        info = language + rng.choice(["", "", ' title="app.py"', " {1,3}", ",ignore"])
        code = "def f(x):\n    return x * 2  # <b>&amp; $x$\n\n\n$ python -c 'print(f(2))'"
        return f"```{info}\n{code}\n```"
    if kind == "table":
        header = "| Name | Value | Note |\n|:-----|------:|:----:|"
        rows = [
            f"| {rng.choice(_WORDS)} | {rng.randint(1, 99)} | {rng.choice(_INLINE).format(w=word)} |"
            for _ in range(rng.randint(0, 3))
        ]
        return "\n".join([header, *rows])
    if kind == "quote":
        return "> " + _paragraph(rng).replace("\n", "\n> ")
    if kind == "html":
        return rng.choice(
            [
                '<div class="note">\n<p>Raw <em>HTML</em> block</p>\n</div>',
                "<details>\n<summary>More</summary>\n\n*Markdown inside.*\n\n</details>",
                '<a name="old-anchor"></a>',
                "<!-- a comment -->",
                '<iframe src="https://www.youtube.com/embed/x"></iframe>',
                "<script>alert(1)</script>",
            ]
        )
    if kind == "indented":
        return "    indented code\n    <b>not html</b>"
    if kind == "hr":
        return rng.choice(["---", "***", "___"])
    return _paragraph(rng)


def generated_document(seed: int) -> str:
    rng = random.Random(seed)
    blocks = [_block(rng) for _ in range(rng.randint(3, 14))]
    if rng.random() < 0.4:
        blocks.insert(rng.randint(1, len(blocks)), rng.choice(["<!--more-->", "<!-- more -->"]))
    if rng.random() < 0.5:
        blocks.append("[ref]: https://example.com/ref 'Ref'")
    return "\n\n".join(blocks) + "\n"


def test_the_generated_corpus_renders_the_same_and_mostly_fast() -> None:
    taken = [check_all_options(generated_document(seed)) for seed in range(60)]
    assert sum(taken) >= 0.8 * len(taken), f"fast path taken for {sum(taken)} of {len(taken)}"


# Hypothesis: fragments in any order, where the two parsers' corner cases meet.

_FRAGMENTS = st.sampled_from(
    [
        *("*", "**", "_", "__", "~~", "`", "``", "[", "]", "(", ")", "![", "<", ">", "&", "#"),
        *("\n", "\n\n", "  \n", "\\", "- ", "1. ", "> ", "    ", "```", "|", "---", "{#x}"),
        *("a", "word", "é", "😉", "€", " ", "\t", "&amp;", "&#x41;", "http://a.com", "x.md"),
        *("<b>", "</b>", "<!--", "-->", "<!--more-->", "<div>", "\u00a0", "\x0c", '"t"'),
        *("$", "$$", "$x$", "\\$", "`$`"),
        *(
            "| a | b |\n|---|:-:|\n",
            "| x |",
            "# ",
            "## T {#id}\n",
            "===",
            "\n    ",
            "\n  ",
            "+ ",
            "2) ",
            "   ",
        ),
        *(
            "<div>\n",
            "</div>\n",
            "<p>",
            "&#0;",
            "&#xD800;",
            "&bogus;",
            "&nbsp;",
            "\r\n",
            "\r",
            "\x00",
            "ß",
            "İ",
            "ǅ",
        ),
        *(
            "<span>",
            "<a href='x'>",
            "[x]: /u\n",
            "[x]",
            "[x][]",
            "![x]",
            "<http://a>",
            "www.x.com",
            "a@b.c",
            "\\\n",
            "\\*",
        ),
    ]
)


# Derandomized: the suite stays deterministic. To hunt for new differences, raise
# max_examples and drop derandomize for a run.
@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(_FRAGMENTS, max_size=40).map("".join))
def test_hypothesis_markdown_renders_the_same(body: str) -> None:
    check_same(body, OPTIONS[0])
    check_same(body, OPTIONS[2], plain=True)


# Sources that once rendered differently on the fast path, each now caught by a fallback.


@pytest.mark.parametrize(
    "body",
    [
        "text\x0c\n\nmore",  # a form feed at a paragraph's end: str.strip removes it
        "a\u00a0\n\n# b\u3000",  # no-break and ideographic spaces likewise
        "_back_ 😉*, please* ok",  # emoji next to a delimiter: punctuation for markdown-it-py
        "[the `a` b`](u) x",  # an unmatched backtick in a label: the Rust parser panics
        "[a](http://ä.com/ä) [b](http://[::1]/)",  # punycode host, IPv6 host
        "<http://x.com/%41ä> <a@b.com>",  # an autolink's text is decoded by markdown-it-py
        '[a](u "") ![b](v "")',  # an empty title is no title attribute
        "- a\n  ```\n  x\n  ```\n- b\n  # h\n- c\n  ***\n- d\n  > q\n-\n- g\n  - h\n",
        '![a *b* ![c&amp;`d`](e)](f "t")',  # alt text of an image inside an image
        ">\n\n> [ref]: /x\n\n- [r2]: /y\n  text",  # empty blockquote, definitions in blocks
        "# Title {#custom}\n\n## Title\n\n## Title\n\n### `code` and *em* {: #k .cls }",
        "para\n<!--more-->\nafter\n\n  <!-- more -->\n<!--more-->\n",  # each is nothing
        "| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |",
        "<b>",  # a raw HTML block or fence at the end, without a newline
        "> ```\ncode",
        "*<!--> a <!-- b -- c -->",  # comments as CommonMark 0.31 reads them
        "`    ` and ` `",  # code spans of spaces only
        "*~~~~**~~ and ~~~~a~~~~ x",  # long tilde runs within a line
        "> " * 30 + "deep quote\n\n" + "".join("  " * i + "- deep list\n" for i in range(30)),
        "> **\n*\n\npara\n-\n\n1.\n",  # empty list items
        "> <div>\n| a | b |\n|---|:-:|\n\ntext\n| c |\n|---|\n",  # tables right after text
        "*_*\x00 and \r\n*a*\r",
        "> a `x\n    b` c\n\n> - a `x\n    b`",  # indented lazy lines in quotes
        "| a | b |\n|---|:-:|\n2) *\n\n| c |\n|---|\n> q\n",  # rows that may start blocks  # NUL becomes U+FFFD, a symbol, before the tests look
        "[" * 21 + "foo]() " + "[a " * 21 + "foo" + "](u) b" * 21,  # past maxNesting
        "Dollars in `$code`, [a $b](c) and ![$x$](i.png)\n\n```sh\n$ ls\n```\n\n$$\nx\n$$\n",
    ],
)
def test_former_differences_render_the_same(body: str) -> None:
    check_all_options(body)


def test_plain_commonmark_takes_the_fast_path() -> None:
    """The fast path is not silently off (an import failure, a fallback that is too wide)."""
    body = "# Title\n\nSome *text* with [a link](x.md) and `code`.\n\n```python\nx = 1\n```\n"
    assert check_same(body, MarkdownOptions())


def test_without_markdown_it_pyrs_everything_takes_the_token_path() -> None:
    """A Python without its wheel (3.13+) renders the same, through markdown-it-py."""
    body = "# Title\n\nSome *text* with [a link](x.md).\n"
    script = (
        "import sys; sys.modules['markdown_it_pyrs'] = None\n"  # `import` now raises ImportError
        "from sitegen.markdown import MarkdownOptions, render_markdown, fast\n"
        "assert fast.markdown_it_pyrs is None\n"
        f"print(repr(render_markdown({body!r}, MarkdownOptions())))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == repr(render_markdown(body, MarkdownOptions()))
