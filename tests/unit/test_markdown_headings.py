"""Heading ids as GitHub makes them, unique in linear time; self-links; plain summaries."""

from __future__ import annotations

import pytest

from sitegen.markdown import MarkdownOptions, render_markdown
from sitegen.markdown.headings import github_slug, unique_id

DEFAULT = MarkdownOptions()


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("What's next?", "whats-next"),
        ("Node.js", "nodejs"),
        ("--run", "--run"),
        ("日本語", "日本語"),
        ("Привет, мир", "привет-мир"),
        ("snake_case and `code`", "snake_case-and-code"),
        ("C++ & Rust: 2024", "c--rust-2024"),
        ("हिन्दी", "हिन्दी"),  # vowel signs are marks: kept
        ("Ünïcödé Straße", "ünïcödé-straße"),
        ("x² ½ 🎉 done", "x---done"),  # other numbers and symbols go, spaces stay
    ],
)
def test_github_slugs(title: str, slug: str) -> None:
    assert github_slug(title) == slug


def test_repeats_get_counters_and_a_literal_counter_heading_is_skipped() -> None:
    body = "## a\n## a\n## a-1\n## a\n## A\n"
    ids = render_markdown(body, DEFAULT).ids
    assert ids == ("a", "a-1", "a-1-1", "a-2", "a-3")  # github-slugger gives the same


def test_ids_are_unique_for_any_mix_of_titles() -> None:
    titles = ["a", "a-1", "a", "a-2", "a", "a-1", "a-1-1", "b", "a"]
    taken: dict[str, int] = {}
    ids = [unique_id(github_slug(t), taken) for t in titles]
    assert len(set(ids)) == len(ids)


class _CountingDict(dict[str, int]):
    lookups = 0

    def __contains__(self, key: object) -> bool:
        _CountingDict.lookups += 1
        return super().__contains__(key)


def test_unique_ids_cost_constant_lookups_per_heading() -> None:
    """Issue 17: 20,000 identical headings took 53 s (a search from -1 upwards per repeat)."""
    taken = _CountingDict()
    ids = [unique_id("a", taken) for _ in range(20_000)]
    assert ids == ["a", *(f"a-{n}" for n in range(1, 20_000))]
    assert _CountingDict.lookups <= 2 * 20_000


def test_twenty_thousand_identical_headings_render_with_distinct_ids() -> None:
    rendered = render_markdown("## a\n" * 20_000, DEFAULT)
    assert len(set(rendered.ids)) == 20_000
    assert rendered.ids[-1] == "a-19999"
    assert '<h2 id="a-19999">' in rendered.html


def test_each_heading_links_to_itself_hidden_from_assistive_technology() -> None:
    assert render_markdown("## What's next?", DEFAULT).html == (
        '<h2 id="whats-next">What\'s next?'
        '<a class="header-anchor" href="#whats-next" aria-hidden="true" tabindex="-1"></a></h2>\n'
    )


def test_heading_ids_do_not_count_as_words_or_toc_titles() -> None:
    rendered = render_markdown("## One two\n\nthree", DEFAULT)
    assert rendered.word_count == 3
    assert rendered.toc[0].title == "One two"


def test_summaries_carry_no_ids_self_links_or_footnote_references() -> None:
    """Issue 14: list pages repeated `fnref1` ids and `#fn1` links that pointed nowhere."""
    body = "## Intro\n\nText[^1] and more.\n\n<!--more-->\n\nRest.\n\n[^1]: A note."
    rendered = render_markdown(body, DEFAULT)
    assert rendered.summary_html == "<h2>Intro</h2>\n<p>Text and more.</p>\n"
    assert 'id="fnref1"' in rendered.html and 'id="intro"' in rendered.html
    first = render_markdown("Text[^1] here.\n\n[^1]: A note.", DEFAULT)
    assert first.summary_html == "<p>Text here.</p>\n"


def test_front_matter_summaries_are_plain_too() -> None:
    from sitegen.markdown import render_summary

    html = render_summary("Short ^[inline note] with [a link](x.md).", DEFAULT).html
    assert "fnref" not in html and "footnote" not in html and "#fn" not in html
    assert "a link" in html


def test_page_ids_list_headings_footnotes_and_raw_html_ids() -> None:
    body = '## Top\n\nSee[^n].\n\n<a name="old-anchor"></a>\n<div id="box">x</div>\n\n[^n]: N.'
    assert render_markdown(body, DEFAULT).ids == ("top", "fnref1", "old-anchor", "box", "fn1")


@pytest.mark.parametrize(
    "heading",
    [
        "## Install it {#setup}",
        "## Install it {: #setup}",
        "## Install it { #setup .wide }",
        "## Install it {.wide #setup data-x=1}",
    ],
)
def test_explicit_ids_as_hugo_kramdown_and_mkdocs_write_them(heading: str) -> None:
    rendered = render_markdown(f"{heading}\n\n## Setup\n", DEFAULT)
    assert rendered.ids == ("setup", "setup-1")
    assert rendered.html.startswith('<h2 id="setup">Install it<a ')
    assert rendered.toc[0].title == "Install it"


def test_braces_that_are_not_an_id_stay_in_the_heading() -> None:
    rendered = render_markdown("## Sets {a, b}\n\n## Code `{#x}`\n", DEFAULT)
    assert rendered.ids == ("sets-a-b", "code-x")
    assert "{a, b}" in rendered.html
