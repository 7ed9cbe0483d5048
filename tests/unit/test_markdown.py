"""render_markdown: Markdown features, raw HTML, code highlighting, purity."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest

from sitegen.markdown import MarkdownOptions, Rendered, render_markdown
from sitegen.markdown.parser import markdown_parser, plugins_for
from tests.golden.markup import markup_events

DEFAULT = MarkdownOptions()


def html(body: str, options: MarkdownOptions = DEFAULT) -> str:
    return render_markdown(body, options).html


def test_empty_body_renders_nothing() -> None:
    assert render_markdown("", DEFAULT) == Rendered(
        html="", summary_html="", toc=(), word_count=0, links=()
    )


def test_commonmark_basics() -> None:
    assert (
        html("Hello *world* and **you**")
        == "<p>Hello <em>world</em> and <strong>you</strong></p>\n"
    )
    assert html("> quote") == "<blockquote>\n<p>quote</p>\n</blockquote>\n"


def test_tables() -> None:
    out = html("| a | b |\n|---|--:|\n| 1 | 2 |")
    assert "<table>" in out
    assert "<th>a</th>" in out
    assert '<td style="text-align:right">2</td>' in out


def test_strikethrough() -> None:
    assert html("~~gone~~") == "<p><s>gone</s></p>\n"


def test_task_lists_render_disabled_checkboxes() -> None:
    out = html("- [ ] todo\n- [x] done")
    assert 'class="task-list-item"' in out
    assert out.count('type="checkbox"') == 2
    assert out.count('checked="checked"') == 1
    assert out.count('disabled="disabled"') == 2


def test_footnotes() -> None:
    out = html("Text[^a].\n\n[^a]: The note.")
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>' in out
    assert '<li id="fn1" class="footnote-item"><p>The note.' in out


def test_no_linkify() -> None:
    assert html("see https://example.com now") == "<p>see https://example.com now</p>\n"


def test_raw_html_is_escaped_when_off() -> None:
    out = html("<script>alert(1)</script>\n\ntext <b>bold</b>", MarkdownOptions(allow_html=False))
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "text &lt;b&gt;bold&lt;/b&gt;" in out


def test_raw_html_passes_through_when_allowed() -> None:
    out = html('<div class="x">\nhi\n</div>\n\ntext <b>bold</b>', MarkdownOptions(allow_html=True))
    assert '<div class="x">\nhi\n</div>' in out
    assert "text <b>bold</b>" in out


def test_javascript_urls_are_never_links_in_either_mode() -> None:
    attacks = [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java&#115;cript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "<javascript:alert(1)>",
        "![x](javascript:alert(1))",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    ]
    for allow_html in (False, True, "sanitize"):
        for attack in attacks:
            rendered = render_markdown(attack, MarkdownOptions(allow_html=allow_html))
            assert "href=" not in rendered.html and "src=" not in rendered.html, attack
            assert rendered.links == (), attack


def test_safe_data_images_are_kept() -> None:
    assert 'src="data:image/png;base64,AAAA"' in html("![x](data:image/png;base64,AAAA)")


def test_fenced_code_is_highlighted_with_classes() -> None:
    out = html('```python\nx = "<y>"\n```')
    # Compared parsed: Pygments 2.20 and later write `"` where 2.19 wrote `&quot;`, the same HTML.
    assert markup_events(out) == markup_events(
        '<pre class="highlight"><code class="language-python">'
        '<span class="n">x</span> <span class="o">=</span> '
        '<span class="s2">&quot;&lt;y&gt;&quot;</span>\n</code></pre>\n'
    )
    assert "style=" not in out


def test_unknown_language_is_escaped_plain_code() -> None:
    assert html("```nosuchlang\nx <y>\n```") == (
        '<pre><code class="language-nosuchlang">x &lt;y&gt;\n</code></pre>\n'
    )


def test_code_without_language_is_plain() -> None:
    assert html("```\na <b>\n```") == "<pre><code>a &lt;b&gt;\n</code></pre>\n"
    assert html("    a <b>") == "<pre><code>a &lt;b&gt;\n</code></pre>\n"


def test_language_name_is_escaped_in_the_class() -> None:
    out = html('```python"onclick=x\nx\n```')
    assert '<code class="language-python&quot;onclick=x">' in out


def test_highlight_off_gives_plain_code() -> None:
    out = html("```python\nx = 1\n```", MarkdownOptions(highlight=False))
    assert out == '<pre><code class="language-python">x = 1\n</code></pre>\n'


def test_output_equals_plain_markdown_it_when_links_resolve_to_themselves() -> None:
    """Without heading ids, the walk changes nothing but the internal URLs."""
    from sitegen.markdown import resolve_links

    body = REALISTIC_BODY
    for options in (
        MarkdownOptions(anchors=False, allow_html=True),
        MarkdownOptions(allow_html=True, highlight=False, anchors=False),
    ):
        rendered = render_markdown(body, options)
        md = markdown_parser(allow_html=True, highlight=options.highlight)
        assert resolve_links(rendered.html, lambda target: target) == md.render(body)


def test_rendering_is_deterministic_across_processes() -> None:
    first = render_markdown(REALISTIC_BODY, DEFAULT)
    assert render_markdown(REALISTIC_BODY, DEFAULT) == first
    script = (
        "import pickle, sys\n"
        "from sitegen.markdown import MarkdownOptions, render_markdown\n"
        "sys.stdout.buffer.write(pickle.dumps(render_markdown(sys.stdin.read(), MarkdownOptions())))\n"
    )
    for hash_seed in ("1", "2"):  # set and dict orders that depend on str hashes must not leak
        out = subprocess.run(
            [sys.executable, "-c", script],
            input=REALISTIC_BODY.encode(),
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        ).stdout
        assert pickle.loads(out) == first


def test_rendered_pickles() -> None:
    rendered = render_markdown(REALISTIC_BODY, DEFAULT)
    assert rendered.toc and rendered.links
    assert pickle.loads(pickle.dumps(rendered)) == rendered


def test_options_are_hashable_cache_keys() -> None:
    assert hash(MarkdownOptions()) == hash(MarkdownOptions())
    assert MarkdownOptions(allow_html=True) != MarkdownOptions()


REALISTIC_BODY = """\
Intro with [a link](hello.md) and ![an image](media/cat.jpg).

<!--more-->

## Setup

- step [one](../pages/one.md#top)
- step two[^n]

| col | link |
|-----|------|
| a   | [b](/about/) |

```python
def f(x):
    return x
```

### Details

<span>inline html</span> and [external](https://example.com) and [anchor](#setup).

[^n]: A note with [a link](notes.md).
"""


PLUGIN_SOURCES = [
    REALISTIC_BODY,
    "Plain text with a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- a list\n- [link](x.md)\n",
    "A note.[^1] And ^[an inline one].\n\n[^1]: The note.\n",
    "- [ ] to do\n- [x] done\n- [X]\tdone too\n\n> - [ ] quoted\n",
    "Only an inline note^[like this] here.\n",  # each kind of mark alone
    "[^1]: A definition nobody refers to.\n",
    "- [X] done\n",
    "- [x]\n  done\n",
    "Text with ^ and [ brackets ] and [x]y and ^^[ but no footnote.\n",
    "```\n[^not a note] - [ ] not a task\n```\n",
]


@pytest.mark.parametrize("source", PLUGIN_SOURCES)
def test_leaving_out_plugins_a_source_cannot_use_changes_no_token(source: str) -> None:
    options = {"allow_html": False, "highlight": True}
    every = markdown_parser(**options).parse(source)
    chosen = markdown_parser(**options, **plugins_for(source)).parse(source)
    assert [t.as_dict() for t in chosen] == [t.as_dict() for t in every]


def test_plain_documents_are_parsed_without_the_footnote_and_task_plugins() -> None:
    def chosen(source: str) -> set[str]:
        return {name for name, used in plugins_for(source).items() if used}

    assert chosen(PLUGIN_SOURCES[1]) == set()
    assert chosen(PLUGIN_SOURCES[2]) == {"footnotes"}
    assert chosen(PLUGIN_SOURCES[3]) == {"task_lists"}
