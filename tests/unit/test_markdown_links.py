"""Internal links: which count, their placeholders, line numbers, and resolve_links."""

from __future__ import annotations

from sitegen.markdown import LinkRef, MarkdownOptions, render_markdown, resolve_links
from sitegen.markdown.links import END, SEP, START

DEFAULT = MarkdownOptions()


def links(body: str) -> list[tuple[str, int, str]]:
    return [(ref.target, ref.line, ref.kind) for ref in render_markdown(body, DEFAULT).links]


def resolved(body: str, table: dict[str, str | None]) -> str:
    return resolve_links(render_markdown(body, DEFAULT).html, table.get)


def test_relative_and_site_root_links_and_images_are_internal() -> None:
    body = "[a](../pages/about.md#team) [b](hello.md) ![c](/media/cat.jpg) ![d](media/cat.jpg) [e](/about/)"
    assert links(body) == [
        ("../pages/about.md#team", 1, "link"),
        ("hello.md", 1, "link"),
        ("/media/cat.jpg", 1, "image"),
        ("media/cat.jpg", 1, "image"),
        ("/about/", 1, "link"),
    ]


def test_external_links_fragments_and_empty_are_not_internal() -> None:
    body = (
        "[a](https://x.org) [b](mailto:me@x.org) [c](//cdn.x.org/a.js) [d](#top) "
        "[e](ftp://x.org) [f]() <https://auto.link> [g](tel:+123)"
    )
    rendered = render_markdown(body, DEFAULT)
    assert rendered.links == (LinkRef("#top", 1, "link"),)  # checked against the page's ids
    assert START not in rendered.html
    assert 'href="https://x.org"' in rendered.html and 'href="#top"' in rendered.html


def test_placeholders_are_resolved_in_one_pass() -> None:
    body = "[a](hello.md) and ![cat](/media/cat.jpg)"
    out = resolved(body, {"hello.md": "/posts/hello/", "/media/cat.jpg": "/media/cat.jpg"})
    assert (
        out == '<p><a href="/posts/hello/">a</a> and <img src="/media/cat.jpg" alt="cat" /></p>\n'
    )


def test_broken_links_keep_the_target_as_written() -> None:
    out = resolved("[a](missing.md#x) [b](<my file.md>)", {})
    assert out == '<p><a href="missing.md#x">a</a> <a href="my%20file.md">b</a></p>\n'


def test_resolved_urls_are_attribute_escaped() -> None:
    out = resolved("[a](hello.md)", {"hello.md": '/x"><script>alert(1)</script>&y'})
    assert 'href="/x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;y"' in out
    assert "<script>" not in out


def test_targets_are_decoded_so_they_name_files() -> None:
    body = "[a](<my file.md>) [b](my%20file.md) [c](caf\u00e9.md) [d](a&amp;b.md) [e](a%22b.md)"
    assert [ref.target for ref in render_markdown(body, DEFAULT).links] == [
        "my file.md",
        "my file.md",
        "caf\u00e9.md",
        "a&b.md",
        'a"b.md',
    ]
    seen: list[str] = []
    resolve_links(render_markdown(body, DEFAULT).html, lambda t: seen.append(t) or None)
    assert seen == ["my file.md", "my file.md", "caf\u00e9.md", "a&b.md", 'a"b.md']


def test_broken_link_with_decoded_target_keeps_markdown_its_href() -> None:
    out = resolved("[e](a%22b.md) [d](a&amp;b.md)", {})
    assert out == '<p><a href="a%22b.md">e</a> <a href="a&amp;b.md">d</a></p>\n'


def test_user_text_cannot_forge_a_placeholder() -> None:
    body = f"text {START}evil.md{END} and &#2; &#x1f; [x](a%02b.md) and `{SEP}`"
    rendered = render_markdown(body, DEFAULT)
    calls: list[str] = []
    out = resolve_links(rendered.html, lambda t: calls.append(t) or "/ok/")
    assert calls == ["a\ufffdb.md"]
    assert "evil.md" in out and not {START, SEP, END} & set(out)


def test_an_ascii_body_with_internal_links_renders_to_ascii() -> None:
    # A one-byte-per-character string: half the memory of one holding a non-ASCII marker.
    rendered = render_markdown(
        "[a](a.md) ![b](/media/b.png) [c](c.md#x)\n\nsee [d][] \n\n[d]: d.md", DEFAULT
    )
    assert len(rendered.links) == 4
    assert rendered.html.isascii() and rendered.summary_html.isascii()


def test_line_numbers_in_paragraphs_lists_tables_and_footnotes() -> None:
    body = (
        "first [a](a.md)\n"  # 1
        "second line [b](b.md) and ![c](c.png)\n"  # 2
        "\n"  # 3
        "- item [d](d.md)\n"  # 4
        "  - nested\n"  # 5
        "    [e](e.md)\n"  # 6
        "\n"  # 7
        "| h | [f](f.md) |\n"  # 8
        "|---|---|\n"  # 9
        "| 1 | x |\n"  # 10
        "| 2 | [g](g.md) |\n"  # 11
        "\n"  # 12
        "Note[^n] and inline ^[see [h](h.md)].\n"  # 13
        "\n"  # 14
        "> quoted\\\n"  # 15
        "> [i](i.md)\n"  # 16
        "\n"  # 17
        "[^n]: Footnote\n"  # 18
        "    with [j](j.md)\n"  # 19
    )
    assert links(body) == [
        ("a.md", 1, "link"),
        ("b.md", 2, "link"),
        ("c.png", 2, "image"),
        ("d.md", 4, "link"),
        ("e.md", 6, "link"),
        ("f.md", 8, "link"),
        ("g.md", 11, "link"),
        ("i.md", 16, "link"),
        ("j.md", 19, "link"),
        ("h.md", 13, "link"),
    ]


def test_line_numbers_after_multiline_image_text_and_raw_html() -> None:
    body = "![two\nlines](a.png) [b](b.md)\n\n<span\nclass=x> [c](c.md)\n"
    assert links(body)[1:] == [("b.md", 2, "link"), ("c.md", 5, "link")]
    assert render_markdown(body, MarkdownOptions(allow_html=True)).links[2] == LinkRef(
        "c.md", 5, "link"
    )


def test_reference_links_report_the_line_where_they_are_used() -> None:
    body = "intro\n\nsee [the page][p]\n\n[p]: ../pages/p.md\n"
    assert links(body) == [("../pages/p.md", 3, "link")]


def test_links_in_headings_and_link_around_image() -> None:
    body = "## See [x](x.md)\n\n[![alt](img.png)](page.md)"
    assert links(body) == [("x.md", 1, "link"), ("page.md", 3, "link"), ("img.png", 3, "image")]


def test_summary_carries_placeholders_too() -> None:
    rendered = render_markdown("Read [this](hello.md).\n\nMore.", DEFAULT)
    assert resolve_links(rendered.summary_html, {"hello.md": "/h/"}.get) == (
        '<p>Read <a href="/h/">this</a>.</p>\n'
    )
