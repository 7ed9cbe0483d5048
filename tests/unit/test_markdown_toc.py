"""Heading ids, the table of contents and its HTML."""

from __future__ import annotations

from sitegen.markdown import MarkdownOptions, TocEntry, render_markdown, toc_html

DEFAULT = MarkdownOptions()


def test_heading_ids_are_githubs_and_are_deduplicated() -> None:
    out = render_markdown("# Héllo, World!\n## Setup\n## Setup\n### Setup\n## !!!", DEFAULT).html
    assert '<h1 id="héllo-world">' in out
    assert '<h2 id="setup">' in out
    assert '<h2 id="setup-1">' in out
    assert '<h3 id="setup-2">' in out
    assert '<h2 id="section">' in out


def test_no_heading_ids_without_anchors() -> None:
    rendered = render_markdown("## One\n## Two", MarkdownOptions(anchors=False))
    assert rendered.html == "<h2>One</h2>\n<h2>Two</h2>\n"
    assert rendered.toc == ()


def test_toc_keeps_levels_in_range_with_plain_text_titles() -> None:
    body = "# Title\n## Use `pip` & *more*\n### Deep [link](x.md)\n#### Deeper\n## Last"
    assert render_markdown(body, DEFAULT).toc == (
        TocEntry(2, "use-pip--more", "Use pip & more"),  # as GitHub: `&` goes, its spaces stay
        TocEntry(3, "deep-link", "Deep link"),
        TocEntry(2, "last", "Last"),
    )
    wide = render_markdown(body, MarkdownOptions(toc_min_level=1, toc_max_level=4)).toc
    assert [entry.level for entry in wide] == [1, 2, 3, 4, 2]


def test_setext_heading_titles_join_lines() -> None:
    assert render_markdown("Two\nlines\n---", DEFAULT).toc == (
        TocEntry(2, "twolines", "Two lines"),
    )


def test_toc_html_nests_lists() -> None:
    toc = [
        TocEntry(2, "a", "A"),
        TocEntry(3, "b", "B"),
        TocEntry(3, "c", "C"),
        TocEntry(2, "d", "D"),
    ]
    assert toc_html(toc) == (
        "<ul>\n"
        '<li><a href="#a">A</a>\n<ul>\n'
        '<li><a href="#b">B</a></li>\n'
        '<li><a href="#c">C</a></li>\n'
        "</ul>\n</li>\n"
        '<li><a href="#d">D</a></li>\n'
        "</ul>\n"
    )


def test_toc_html_closes_every_list_it_opens() -> None:
    toc = [TocEntry(2, "a", "A"), TocEntry(3, "b", "B"), TocEntry(4, "c", "C")]
    out = toc_html(toc)
    assert out.count("<ul>") == out.count("</ul>") == 3
    assert out.count("<li>") == out.count("</li>") == 3
    assert out.endswith("</li>\n</ul>\n</li>\n</ul>\n</li>\n</ul>\n")


def test_toc_html_handles_a_shallower_heading_than_the_first() -> None:
    toc = [TocEntry(3, "a", "A"), TocEntry(2, "b", "B")]
    assert (
        toc_html(toc) == '<ul>\n<li><a href="#a">A</a></li>\n<li><a href="#b">B</a></li>\n</ul>\n'
    )


def test_toc_html_escapes_titles() -> None:
    toc = [TocEntry(2, "a", "<b> & co"), TocEntry(2, "b", "B")]
    assert '<a href="#a">&lt;b&gt; &amp; co</a>' in toc_html(toc)


def test_toc_html_is_empty_for_fewer_than_two_entries() -> None:
    assert toc_html([]) == ""
    assert toc_html([TocEntry(2, "a", "A")]) == ""
