"""One title per page: from the first `# Heading` (or the file name), and no second h1."""

from __future__ import annotations

from sitegen.frontmatter import parse_document
from sitegen.titles import first_heading, title_from_slug, without_title_heading


def test_first_heading_skips_fences_and_cleans_markup() -> None:
    body = "```\n# not this\n```\n\nIntro\n\n## Level two\n\n# Setting up `nav` { #setup }\n"
    assert first_heading(body) == "Setting up nav"
    assert first_heading("## Only level two\n") is None


def test_a_page_without_title_or_front_matter_takes_its_heading_then_its_file_name() -> None:
    doc = parse_document("# Installing it\n\nText.\n", source="content/pages/guides/install.md")
    assert (doc.front.title, doc.body_line, doc.slug) == ("Installing it", 1, "guides/install")
    named = parse_document("No heading.\n", source="content/pages/getting-started/index.md")
    assert named.front.title == "Getting started"
    assert parse_document("Text.\n", source="content/pages/index.md").front.title == "Home"


def test_a_title_in_front_matter_wins_over_the_heading() -> None:
    doc = parse_document("---\ntitle: Mine\n---\n# Theirs\n", source="content/pages/a.md")
    assert doc.front.title == "Mine"


def test_title_from_slug() -> None:
    assert title_from_slug("guides/getting_started") == "Getting started"
    assert title_from_slug("guides/index") == "Guides"


def test_the_leading_h1_goes_only_when_it_says_the_title() -> None:
    body = '<h1 id="a">Tips &amp; <code>tricks</code></h1>\n<p>Body.</p>'
    assert without_title_heading(body, "Tips & tricks") == "<p>Body.</p>"
    assert without_title_heading(body, "Something else") == body
    later = '<p>Intro.</p>\n<h1 id="a">Tips</h1>'
    assert without_title_heading(later, "Tips") == later


def test_mkdocs_blog_dates_and_dotted_slugs_are_read() -> None:
    text = "---\ndate:\n  created: 2026-02-18\n  updated: 2026-04-13\nslug: mkdocs-2.0\n---\n# Hi\n"
    doc = parse_document(text, source="content/pages/blog/posts/a.md")
    assert (str(doc.front.date), str(doc.front.updated), doc.slug) == (
        "2026-02-18",
        "2026-04-13",
        "mkdocs-2-0",
    )
