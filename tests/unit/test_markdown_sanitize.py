"""allow_html = "sanitize" (the default): raw HTML kept where safe, through nh3."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sitegen.markdown import MarkdownOptions, render_markdown, resolve_links
from sitegen.markdown.links import START

DEFAULT = MarkdownOptions()


def html(body: str, options: MarkdownOptions = DEFAULT) -> str:
    return render_markdown(body, options).html


def test_sanitize_is_the_default() -> None:
    assert DEFAULT.allow_html == "sanitize"


@pytest.mark.parametrize(
    "kept",
    [
        "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
        '<img src="https://example.org/a.png" alt="A" width="20">',
        '<div class="note">x</div>',
        "<figure><figcaption>cap</figcaption></figure>",
        '<video src="/media/a.mp4" controls=""></video>',
        '<audio controls=""><source src="a.ogg" type="audio/ogg"></audio>',
        "<kbd>Ctrl</kbd> x<sup>2</sup> H<sub>2</sub>O",
        '<iframe src="https://www.youtube-nocookie.com/embed/xyz" allowfullscreen=""></iframe>',
        '<iframe src="https://player.vimeo.com/video/1"></iframe>',
    ],
)
def test_safe_html_survives(kept: str) -> None:
    assert kept in html(kept + "\n")


def test_details_opened_and_closed_around_markdown_keep_their_markdown_inside() -> None:
    out = html("<details>\n<summary>More</summary>\n\n**Bold** text.\n\n</details>\n\nAfter.")
    assert out.index("<summary>More</summary>") < out.index("<strong>Bold</strong>")
    assert out.index("<strong>Bold</strong>") < out.index("</details>") < out.index("After.")


@pytest.mark.parametrize(
    ("attack", "gone"),
    [
        ("<script>alert(1)</script>", "alert"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript"),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', "alert"),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "data:"),
        ('<div style="position:fixed;top:0">x</div>', "position"),
        ("<style>body{display:none}</style>", "display"),
        ('<iframe src="https://evil.example/"></iframe>', "evil"),
        ('<iframe src="http://www.youtube.com/embed/x"></iframe>', "youtube"),  # not https
        ('<iframe src="https://www.youtube.com.evil.example/"></iframe>', "evil"),
        ('<form action="https://x.org"><input type="text" name="q"></form>', 'type="text"'),
        ('<svg onload="alert(1)"></svg>', "onload"),
        ("<object data='x.swf'></object>", "object"),
        ("<base href='https://evil.example/'>", "base"),
        ("<meta http-equiv='refresh' content='0;url=https://evil.example/'>", "refresh"),
    ],
)
def test_unsafe_html_does_not(attack: str, gone: str) -> None:
    out = html(f"Text {attack} and\n\n{attack}\n")
    assert gone not in out.lower()


def test_sizes_and_alignment_survive_in_styles_and_nothing_else_does() -> None:
    body = (
        '<img src="a.jpg" style="width: 75px; position: fixed; background: url(x); margin: -9em">\n'
    )
    assert '<img src="a.jpg" style="width:75px">' in html(body)


def test_iframe_hosts_are_configurable() -> None:
    frame = '<iframe src="https://www.youtube.com/embed/x"></iframe>\n'
    assert "youtube" not in html(frame, MarkdownOptions(iframe_hosts=("player.vimeo.com",)))
    assert 'src="https://www.youtube.com/embed/x"' in html(frame)


def test_markdown_output_keeps_its_attributes_and_link_placeholders() -> None:
    body = (
        "<div>raw</div>\n\n## Title\n\n[a](other.md) ![i](/media/i.png)\n\n"
        "| a |\n|--:|\n| 1 |\n\n- [x] done\n\nNote[^1].\n\n```python\nx = 1\n```\n\n[^1]: N."
    )
    rendered = render_markdown(body, DEFAULT)
    out = rendered.html
    assert out.count(START) == 2
    assert '<h2 id="title">' in out and 'class="header-anchor"' in out
    assert 'style="text-align:right"' in out
    assert 'type="checkbox"' in out and "checked" in out
    assert 'id="fnref1"' in out and 'class="footnote-ref"' in out
    assert '<span class="n">x</span>' in out
    resolved = resolve_links(out, {"other.md": "/other/", "/media/i.png": "/media/i.png"}.get)
    assert '<a href="/other/">a</a>' in resolved and 'src="/media/i.png"' in resolved


def test_documents_without_raw_html_are_not_sanitized() -> None:
    """They pay nothing: the output is markdown-it's own, byte for byte."""
    body = "## T\n\n- [x] a\n\n<br> is not here; `<b>` is code.\n"
    assert html(body.replace("<br>", "br")) == html(
        body.replace("<br>", "br"), MarkdownOptions(allow_html=True)
    )


def test_true_trusts_and_false_escapes() -> None:
    attack = '<div onclick="x()">a</div>\n'
    assert 'onclick="x()"' in html(attack, MarkdownOptions(allow_html=True))
    assert "&lt;div onclick" in html(attack, MarkdownOptions(allow_html=False))


def test_the_line_of_raw_html_shown_as_text_is_found() -> None:
    body = "Para.\n\nMore text\nwith <b>bold</b>.\n\n<div>x</div>\n"
    escaped = MarkdownOptions(allow_html=False)
    assert render_markdown(body, escaped).escaped_html_line == 4
    assert render_markdown(body, DEFAULT).escaped_html_line == 0  # nothing shown as text
    assert render_markdown("`<b>` and\n\n```\n<b>\n```", escaped).escaped_html_line == 0


def test_forged_placeholder_markers_from_entities_resolve_to_nothing_harmful() -> None:
    out = html('<span title="&#2;x&#3;">&#2;<script>&#3;</span>\n')
    resolved = resolve_links(out, lambda target: None)
    assert "<script" not in resolved


def test_raw_html_in_a_task_item_is_sanitized() -> None:
    out = html('- [x] <img src="x" onerror="alert(1)">\n')
    assert "onerror" not in out and 'type="checkbox"' in out


def test_sitegens_own_markup_survives_sanitizing_beside_raw_html() -> None:
    """A document with raw HTML is sanitized as a whole: the docs-grade Markdown in it (math,
    admonitions, code titles and highlighted lines, Mermaid, definition lists) must come out
    as it does in a document without raw HTML, while the raw HTML's script goes."""
    markdown = (
        "Inline $x^2 + \\frac{a}{b}$ here.\n\n"
        "$$\n\\left\\{ \\begin{matrix} a & b \\\\ c & d \\end{matrix} \\right.\n$$ (cases)\n\n"
        '!!! warning "Careful"\n    Body.\n\n'
        '???+ tip "Open"\n    Hidden.\n\n'
        '```python title="app.py" hl_lines="2"\nimport os\nprint(os)\n```\n\n'
        "```mermaid\ngraph TD; A-->B;\n```\n\n"
        "Term\n: Definition.\n"
    )
    raw = '<div class="box">raw</div>\n\n<script>alert(1)</script>\n\n'
    trusted = html(markdown, MarkdownOptions(allow_html=True))
    sanitized = html(raw + markdown)
    assert "<script" not in sanitized and "alert" not in sanitized
    assert '<div class="box">raw</div>' in sanitized
    for kept in (
        '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow><msup>',
        '<div class="math-display" id="eq-cases"><math',
        '<mo stretchy="true" fence="true" form="prefix">{</mo><mtable><mtr><mtd><mi>a</mi>',
        '<div class="admonition warning">\n<p class="admonition-title">Careful</p>',
        '<details class="admonition tip" open="">\n<summary class="admonition-title">Open',
        '<figure class="code-block">\n<figcaption>app.py</figcaption>\n<pre class="highlight">',
        '</span>\n<span class="hll"><span class="nb">print</span>',
        '<pre class="mermaid">graph TD; A--&gt;B;\n</pre>',
        "<dl>\n<dt>Term</dt>\n<dd>Definition.</dd>\n</dl>",
    ):
        assert kept in sanitized, kept
    # Nothing else differs from the same Markdown without raw HTML (nh3 writes `open=""`
    # for `open`, and characters for the formulas' character references).
    assert sanitized.count("<math") == trusted.count("<math") == 2
    assert sanitized.count("<m") == trusted.count("<m")


def test_checkboxes_come_out_the_same_in_every_process() -> None:
    """nh3 adds an input's forced `type` and `disabled` in its hash map's order, which changes
    from one process to the next: a build and a rebuild gave different bytes (found on a real
    Hugo blog with a PayPal form). Each fresh process must write the one order."""
    code = (
        "from sitegen.markdown import MarkdownOptions, render_markdown\n"
        'body = \'- [x] done\\n\\n<input type="hidden" name="a" value="b">\\n\'\n'
        "print(render_markdown(body, MarkdownOptions()).html)\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(8)
    }
    assert len(outputs) == 1
    (html,) = outputs
    assert 'checked="checked" disabled="disabled" type="checkbox"> done' in html
    assert '<input disabled="disabled" type="checkbox">' in html
