"""Fence info strings as other generators write them, and unknown languages."""

from __future__ import annotations

import pytest

from sitegen.markdown import MarkdownOptions, render_markdown
from sitegen.markdown.highlight import split_info

DEFAULT = MarkdownOptions()


@pytest.mark.parametrize(
    ("info", "parts"),
    [
        ("python", ("python", "")),
        ("Python", ("python", "")),
        ("rust,ignore", ("rust", "ignore")),
        ("rust,no_run,edition2018", ("rust", "no_run,edition2018")),
        ("{.python}", ("python", "")),
        ("{.python .numberLines}", ("python", ".numberLines")),
        ("{r, echo=FALSE}", ("r", "echo=FALSE")),
        ('python title="x.py" {1,3}', ("python", 'title="x.py" {1,3}')),
        ("js{1,3}", ("js", "{1,3}")),
        (".sh", ("sh", "")),
        ("rust=", ("rust", "")),
        ('title="content.md"', ("", 'title="content.md"')),
        ('yaml title="mkdocs.yml"', ("yaml", 'title="mkdocs.yml"')),
        ("", ("", "")),
    ],
)
def test_split_info(info: str, parts: tuple[str, str]) -> None:
    assert split_info(info) == parts


@pytest.mark.parametrize(
    ("info", "css"),
    [
        ("mjs", "language-javascript"),
        ("cjs", "language-javascript"),
        ("jsx", "language-jsx"),
        ("tsx", "language-tsx"),
        ("rust,ignore", "language-rust"),
        ("{.python}", "language-python"),
        ('python title="x.py" {1,3}', "language-python"),
    ],
)
def test_aliases_and_attributes_are_highlighted(info: str, css: str) -> None:
    out = render_markdown(f"```{info}\nlet x = 1;\n```", DEFAULT)
    assert f'<pre class="highlight"><code class="{css}">' in out.html
    assert out.unknown_languages == ()


def test_unknown_languages_are_listed_with_their_lines() -> None:
    body = "```nosuch\nx\n```\n\n```text\nplain\n```\n\n```\nnone\n```\n\n```nosuch\ny\n```"
    rendered = render_markdown(body, DEFAULT)
    assert rendered.unknown_languages == (("nosuch", 1), ("nosuch", 13))
    assert '<pre><code class="language-nosuch">x\n</code></pre>' in rendered.html


def test_no_unknown_languages_without_highlighting() -> None:
    body = "```nosuch\nx\n```"
    assert render_markdown(body, MarkdownOptions(highlight=False)).unknown_languages == ()
