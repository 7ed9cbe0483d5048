"""Docs-grade Markdown: admonitions, alerts, math, definition lists, fence titles and
highlighted lines, Mermaid, search terms; and that each plugin is left out only where it
cannot change a token."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build_site
from sitegen.errors import BuildFailed
from sitegen.markdown import MarkdownOptions, render_markdown
from sitegen.markdown.codeblocks import line_numbers, read_info
from sitegen.markdown.highlight import split_info
from sitegen.markdown.math import MathError, to_mathml
from sitegen.markdown.parser import markdown_parser, plugins_for
from sitegen.markdown.terms import fold, term_counts, terms
from sitegen.render.renders import pack_body, unpack_body
from sitegen.site import PageBody
from tests.golden.trees import EPOCH, FIXTURE_SITES

DEFAULT = MarkdownOptions()


def html(body: str) -> str:
    return render_markdown(body, DEFAULT).html


# Admonitions -----------------------------------------------------------------------------------


def test_mkdocs_admonition_keeps_its_title_and_kind() -> None:
    out = html('!!! note "Read *this*"\n    Body with **bold**.\n')
    assert out == (
        '<div class="admonition note">\n<p class="admonition-title">Read <em>this</em></p>\n'
        "<p>Body with <strong>bold</strong>.</p>\n</div>\n"
    )


def test_admonition_without_title_is_titled_by_its_kind_and_empty_quotes_mean_none() -> None:
    assert '<p class="admonition-title">Warning</p>' in html("!!! warning\n    Careful.\n")
    assert "admonition-title" not in html('!!! warning ""\n    Careful.\n')


def test_collapsible_admonitions_are_details_open_with_a_plus() -> None:
    closed = html('??? tip "More"\n    Hidden.\n')
    assert closed == (
        '<details class="admonition tip">\n<summary class="admonition-title">More</summary>\n'
        "<p>Hidden.</p>\n</details>\n"
    )
    assert html("???+ tip\n    Shown.\n").startswith('<details class="admonition tip" open>\n')


@pytest.mark.parametrize("kind", ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"])
def test_github_alerts_are_admonitions_of_their_kind(kind: str) -> None:
    out = html(f"> [!{kind}]\n> Some *text*.\n")
    assert out == (
        f'<div class="admonition {kind.lower()}">\n'
        f'<p class="admonition-title">{kind.capitalize()}</p>\n'
        "<p>Some <em>text</em>.</p>\n</div>\n"
    )


def test_alert_title_after_the_mark_and_a_body_of_several_blocks() -> None:
    out = html("> [!warning] Mind the gap\n>\n> One.\n>\n> - two\n")
    assert out.startswith('<div class="admonition warning">\n<p class="admonition-title">Mind')
    assert "<p>One.</p>\n<ul>\n<li>two</li>\n</ul>\n</div>" in out


def test_ordinary_blockquotes_and_unknown_marks_stay_blockquotes() -> None:
    assert html("> Just a quote.\n").startswith("<blockquote>")
    assert html("> [!FOO]\n> text\n").startswith("<blockquote>")


def test_links_inside_alerts_keep_their_line_numbers() -> None:
    rendered = render_markdown("Intro.\n\n> [!NOTE]\n> See [a](a.md)\n> and [b](b.md).\n", DEFAULT)
    assert [(ref.target, ref.line) for ref in rendered.links] == [("a.md", 4), ("b.md", 5)]


# Math ------------------------------------------------------------------------------------------


def test_inline_math_becomes_mathml_and_is_never_parsed_as_markdown() -> None:
    out = html("So $a*b*c$ holds.")
    assert "<em>" not in out and "$" not in out
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in out
    assert "<mi>a</mi><mo>&#x0002A;</mo><mi>b</mi>" in out


def test_display_math_is_a_block_of_mathml() -> None:
    out = html("$$\n\\frac{1}{2}\n$$\n")
    assert out.startswith('<div class="math-display"><math xmlns=')
    assert 'display="block"' in out and "<mfrac>" in out


def test_a_labelled_formula_is_a_fragment_target() -> None:
    rendered = render_markdown("$$\n\\frac{1}{2}\n$$ (half)\n\nSee [it](#eq-half).\n", DEFAULT)
    assert '<div class="math-display" id="eq-half">' in rendered.html
    assert "eq-half" in rendered.ids


@pytest.mark.parametrize(
    "prose",
    ["Prices are $5 and $10.", "From $5 to $20 dollars.", "US$5 and US$6", "Pay $ 5 or $ 6."],
)
def test_dollars_in_prose_stay_text(prose: str) -> None:
    assert html(prose) == f"<p>{prose}</p>\n"


def test_text_in_a_formula_is_escaped() -> None:
    out = html("$\\text{<script>&}$")
    assert "<script>" not in out and "<mtext>&lt;script&gt;&amp;</mtext>" in out


def test_a_bad_formula_is_shown_as_code_with_a_warning_on_its_line() -> None:
    rendered = render_markdown(
        "Intro.\n\nFirst line\nthen $x^$ here.\n\n$$\n\\left( x\n$$\n", DEFAULT
    )
    assert '<code class="math-error">x^</code>' in rendered.html
    assert (
        '<pre class="math-error"><code class="math-error">\\left( x</code></pre>' in rendered.html
    )
    assert [line for line, _ in rendered.warnings] == [4, 6]
    assert "cannot read the formula" in rendered.warnings[0][1]


def test_unknown_commands_are_errors_not_text() -> None:
    with pytest.raises(MathError, match=r"unknown command \\foo"):
        to_mathml("\\foo{x}", False)


@pytest.mark.parametrize(
    "formula", ["\\href{javascript:alert(1)}{x}", "\\style{position:fixed}{x}", "\\class{a}{x}"]
)
def test_formulas_cannot_link_style_or_class(formula: str) -> None:
    rendered = render_markdown(f"See ${formula}$.", DEFAULT)
    assert "<math" not in rendered.html and "href=" not in rendered.html
    assert "style=" not in rendered.html and 'class="a"' not in rendered.html
    assert rendered.warnings and "formulas cannot set" in rendered.warnings[0][1]


def test_an_escaped_dollar_is_a_dollar() -> None:
    assert html("It costs \\$5 and $x$.").startswith("<p>It costs $5 and <math")


# Definition lists --------------------------------------------------------------------------------


def test_definition_lists() -> None:
    assert html("Term\n: The definition.\n") == (
        "<dl>\n<dt>Term</dt>\n<dd>The definition.</dd>\n</dl>\n"
    )


# Code blocks -------------------------------------------------------------------------------------


def test_info_strings_of_mkdocs_docusaurus_and_hugo() -> None:
    assert read_info('python title="app.py" hl_lines="1 3-4"') == read_info(
        'python title="app.py" {1,3-4}'
    )
    info = read_info('go {hl_lines=[1,"3-4"], title="main.go"}')
    assert (info.language, info.title, sorted(info.lines)) == ("go", "main.go", [1, 3, 4])
    assert read_info("python{2}").lines == frozenset({2})
    assert split_info("python  linenums=1") == ("python", "linenums=1")
    assert line_numbers("2-1") == set() and line_numbers("7") == {7}


def test_a_fence_with_a_title_is_a_figure_and_marked_lines_are_hll() -> None:
    out = html('```python title="app.py" hl_lines="2"\nx = 1\ny = 2\n```\n')
    assert out.startswith('<figure class="code-block">\n<figcaption>app.py</figcaption>\n<pre')
    assert out.endswith("</code></pre>\n</figure>\n")
    assert '<span class="hll"><span class="n">y</span>' in out
    assert out.count('class="hll"') == 1


def test_marked_lines_of_unknown_languages_and_titles_are_escaped() -> None:
    out = html('```nosuchlang title="<b>" {1}\n<a>\nb\n```\n')
    assert "<figcaption>&lt;b&gt;</figcaption>" in out
    assert '<code class="language-nosuchlang"><span class="hll">&lt;a&gt;\n</span>b\n</code>' in out


def test_plain_fences_render_as_before() -> None:
    assert html("```\nx\n```\n") == "<pre><code>x\n</code></pre>\n"


def test_mermaid_is_escaped_source_and_flags_the_document() -> None:
    rendered = render_markdown("```mermaid\ngraph TD; A-->B<br>;\n```\n", DEFAULT)
    assert rendered.html == '<pre class="mermaid">graph TD; A--&gt;B&lt;br&gt;;\n</pre>\n'
    assert rendered.mermaid
    assert not render_markdown("```python\nx\n```\n", DEFAULT).mermaid


# Search terms ------------------------------------------------------------------------------------


def test_terms_are_folded_words_with_counts_and_code_counts_too() -> None:
    assert fold("Café ÜBER") == "cafe uber"
    assert terms("A b-tree's x2 café") == ["tree", "x2", "cafe"]
    assert terms("ok " + "x" * 41 + " Ünïcode_wörds 日本語") == ["ok", "unicode_words", "日本語"]
    assert term_counts("go go GO stop") == "go 3 stop 1"
    options = MarkdownOptions(search_terms=True)
    rendered = render_markdown("Deploy **now**.\n\n```\nkubectl apply\n```\n", options)
    assert rendered.terms == "deploy 1 now 1 kubectl 1 apply 1"
    assert render_markdown("Deploy now.", DEFAULT).terms == ""


# Plugins only where they can apply ----------------------------------------------------------------

SOURCES = [
    '!!! note "T"\n    body\n',
    "??? tip\n    body\n",
    "Not an admonition: !!! wow ???\n",
    "> [!NOTE]\n> body\n",
    "[!NOTE] not in a quote\n",
    "Math $x$ and $$y$$ and prices $5.\n",
    "Term\n: def\n",
    "> Term\n> : def\n",
    "- item\n\n  Term\n  : def\n",
    "Term\n~ def\n",
    "Time: 10:30\n",
    "Term\n:\n",
]


@pytest.mark.parametrize("source", SOURCES)
def test_leaving_out_plugins_a_source_cannot_use_changes_no_token(source: str) -> None:
    options = {"allow_html": False, "highlight": True}
    every = markdown_parser(**options).parse(source)
    chosen = markdown_parser(**options, **plugins_for(source)).parse(source)
    assert [t.as_dict() for t in chosen] == [t.as_dict() for t in every]


def test_each_plugin_is_chosen_by_its_mark() -> None:
    def chosen(source: str) -> set[str]:
        return {name for name, used in plugins_for(source).items() if used}

    assert chosen("Plain text: no marks.\n") == set()
    assert chosen(SOURCES[0]) == {"admonitions"}
    assert chosen(SOURCES[3]) == {"alerts"}
    assert chosen(SOURCES[5]) == {"math"}
    assert chosen(SOURCES[6]) == chosen(SOURCES[7]) == chosen(SOURCES[9]) == {"deflists"}


# In a build -------------------------------------------------------------------------------------


def test_a_build_reports_a_bad_formula_with_file_and_line_and_marks_diagram_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITES / "docs-markdown", site)
    result = build_site(site, BuildOptions())
    assert [(w.file, w.line) for w in result.warnings] == [("content/pages/math.md", 14)]
    assert "cannot read the formula" in str(result.warnings[0])
    with pytest.raises(BuildFailed):
        build_site(site, BuildOptions(strict=True))
    public = site / "public"
    assert "mermaid.min.js" in (public / "code/index.html").read_text()
    assert "mermaid.min.js" not in (public / "math/index.html").read_text()
    (site / "content/pages/code.md").write_text("---\ntitle: Code blocks\n---\nNo diagram now.\n")
    build_site(site, BuildOptions())  # the page is made again without the script
    assert "mermaid.min.js" not in (public / "code/index.html").read_text()


def test_the_diagram_flag_survives_the_build_cache() -> None:
    body = PageBody('<pre class="mermaid">a</pre>', (), "", mermaid=True)
    assert unpack_body(pack_body(body)) == body
