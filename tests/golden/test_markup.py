"""The golden comparison forgives how a character is spelled, and nothing else."""

from __future__ import annotations

import pytest

from tests.golden.markup import same_markup

PYGMENTS_2_19 = '<pre><code><span class="s2">&quot;&lt;y&gt;&quot;</span>\n</code></pre>\n'
PYGMENTS_2_21 = '<pre><code><span class="s2">"&lt;y&gt;"</span>\n</code></pre>\n'
FEED = '<feed><content type="html">{}</content><title>A &amp; B</title></feed>'


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (PYGMENTS_2_21, PYGMENTS_2_19),
        (PYGMENTS_2_21.replace('"&lt;', "&#34;&lt;"), PYGMENTS_2_19),
        ('<a title="&quot;x&quot;">y</a>', "<a title='\"x\"'>y</a>"),
        ("<p>caf&eacute; &#x27;x&#39;</p>", "<p>café 'x'</p>"),
        (
            FEED.format(PYGMENTS_2_21.replace("&", "&amp;").replace("<", "&lt;")),
            FEED.format(PYGMENTS_2_19.replace("&", "&amp;").replace("<", "&lt;")),
        ),
    ],
)
def test_spellings_of_the_same_markup_are_the_same(actual: str, expected: str) -> None:
    assert same_markup("index.html", actual.encode(), expected.encode())
    assert same_markup("feed.xml", actual.encode(), expected.encode())


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (PYGMENTS_2_21.replace('"&lt;', "'&lt;"), PYGMENTS_2_19),  # another character
        (PYGMENTS_2_21.replace('class="s2"', 'class="s"'), PYGMENTS_2_19),  # another attribute
        (PYGMENTS_2_21.replace("</span>", "</span> "), PYGMENTS_2_19),  # more text
        ("<p>a</p><p>b</p>", "<p>a<p>b</p>"),  # other tags
        ("<br/>", "<br>"),
        ("<!-- a -->", "<!-- b -->"),
        (
            FEED.format(PYGMENTS_2_21.replace("<", "&lt;").replace("s2", "s1")),
            FEED.format(PYGMENTS_2_19.replace("&", "&amp;").replace("<", "&lt;")),
        ),
    ],
)
def test_other_markup_differs(actual: str, expected: str) -> None:
    assert not same_markup("index.html", actual.encode(), expected.encode())


def test_other_files_must_be_identical() -> None:
    assert not same_markup("robots.txt", b"&quot;", b'"')
    assert same_markup("robots.txt", b"same", b"same")
