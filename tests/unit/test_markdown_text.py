"""Summary, word count and reading time."""

from __future__ import annotations

import pytest

from sitegen.markdown import MarkdownOptions, reading_time, render_markdown

DEFAULT = MarkdownOptions()


def test_summary_is_the_first_paragraph_without_a_more_line() -> None:
    rendered = render_markdown("# Title\n\nFirst *para*.\n\nSecond.", DEFAULT)
    assert rendered.summary_html == "<p>First <em>para</em>.</p>\n"


def test_summary_is_everything_before_a_more_line() -> None:
    body = "First.\n\n- a\n- b\n\n<!--more-->\n\nRest."
    for allow_html in (False, True):
        rendered = render_markdown(body, MarkdownOptions(allow_html=allow_html))
        assert rendered.summary_html == "<p>First.</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        assert rendered.html == rendered.summary_html + "<p>Rest.</p>\n"
        assert "more" not in rendered.html


def test_more_line_may_have_spaces_inside_the_comment() -> None:
    for marker in ("<!-- more -->", "<!--  more\t-->  ", "<!-- more-->"):
        for allow_html in (False, True):
            options = MarkdownOptions(allow_html=allow_html)
            rendered = render_markdown(f"First.\n\n{marker}\n\nRest.", options)
            assert rendered.summary_html == "<p>First.</p>\n", marker
            assert rendered.html == "<p>First.</p>\n<p>Rest.</p>\n", marker
    escaped = MarkdownOptions(allow_html=False)
    not_a_marker = render_markdown("First.\n\n<!-- more text -->\n\nRest.", escaped)
    assert not_a_marker.summary_html == "<p>First.</p>\n"
    assert "&lt;!-- more text --&gt;" in not_a_marker.html


def test_more_line_ends_a_paragraph_like_an_html_comment() -> None:
    rendered = render_markdown("One\n<!--more-->\nTwo", DEFAULT)
    assert rendered.summary_html == "<p>One</p>\n"
    assert rendered.html == "<p>One</p>\n<p>Two</p>\n"


def test_more_inside_code_or_nested_blocks_is_not_a_split() -> None:
    fenced = render_markdown("```\n<!--more-->\n```\n\nPara.", DEFAULT)
    assert "&lt;!--more--&gt;" in fenced.html
    assert fenced.summary_html == "<p>Para.</p>\n"
    nested = render_markdown("- a\n\n  <!--more-->\n\nPara.", DEFAULT)
    assert nested.summary_html == "<p>Para.</p>\n"
    inline = render_markdown("Text <!--more--> here.", MarkdownOptions(allow_html=False))
    assert inline.summary_html == "<p>Text &lt;!--more--&gt; here.</p>\n"


def test_summary_is_empty_without_any_paragraph() -> None:
    assert render_markdown("## Only a heading", DEFAULT).summary_html == ""
    assert render_markdown("Para[^n]\n\n[^n]: Note.", DEFAULT).summary_html == "<p>Para</p>\n"
    assert render_markdown("| a |\n|---|\n\n[^n]: Note.", DEFAULT).summary_html == ""


def test_word_count_counts_prose_not_code_blocks_or_html() -> None:
    body = (
        "# Two words\n\n"
        "Some *emph*asis and `inline code` here.\n\n"  # 6 words
        "```python\nnot counted at all\n```\n\n"
        "    indented not counted\n\n"
        "| cell one | two |\n|---|---|\n\n"  # 3 words
        "![alt text not counted](x.png) [link text](x.md)\n"  # 2 words
    )
    assert render_markdown(body, DEFAULT).word_count == 2 + 6 + 3 + 2
    assert (
        render_markdown("<div>raw words</div>\n\nOne", MarkdownOptions(allow_html=True)).word_count
        == 1
    )


@pytest.mark.parametrize(
    ("words", "minutes"),
    [(0, 1), (1, 1), (299, 1), (300, 2), (499, 2), (500, 3), (2000, 10)],
)
def test_reading_time_rounds_to_whole_minutes_at_200_wpm(words: int, minutes: int) -> None:
    assert reading_time(words) == minutes
