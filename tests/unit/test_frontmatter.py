from __future__ import annotations

import datetime as dt

import pytest

from sitegen.errors import ContentError
from sitegen.frontmatter import (
    document_location,
    dump_document,
    parse_document,
    validate_front_matter,
)
from sitegen.model import FrontMatter, SourceDocument

GOOD = """---
title: Hello
date: 2024-01-05
updated: 2024-02-01 10:30
tags: [python, Web, 2024]
cover: media/cat.jpg
menu: 2
mood: happy
---
Body line one.
"""


def _errors(text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        parse_document(text, source="content/posts/bad.md")
    return [str(e) for e in info.value.errors]


def test_parse_derives_kind_and_slug_from_the_path() -> None:
    doc = parse_document(GOOD, source="content/posts/guides/Hello World.md")
    assert (doc.key, doc.kind, doc.slug) == (
        "posts/guides/hello-world",
        "post",
        "guides/hello-world",
    )
    assert doc.front.date == dt.date(2024, 1, 5)
    assert doc.front.updated == dt.datetime(2024, 2, 1, 10, 30, tzinfo=dt.UTC)
    assert doc.front.tags == ("python", "Web", "2024")
    assert doc.front.menu == 2
    assert doc.front.extra == {"mood": "happy"}
    assert doc.body == "Body line one.\n"
    assert doc.body_line == 10


def test_explicit_slug_wins_and_iso_strings_are_dates() -> None:
    text = '---\ntitle: About\nslug: about-us\ndate: "2024-03-04T05:06:07+02:00"\n---\n'
    doc = parse_document(text, source="content/pages/about.md")
    assert doc.key == "pages/about-us"
    assert doc.front.date == dt.datetime(2024, 3, 4, 3, 6, 7, tzinfo=dt.UTC)
    assert isinstance(doc.front.date, dt.datetime)


def test_dump_round_trips_and_orders_keys() -> None:
    doc = parse_document(GOOD, source="content/posts/hello.md")
    text = dump_document(doc)
    assert text.splitlines()[1:4] == [
        "title: Hello",
        "date: 2024-01-05",
        "updated: 2024-02-01 10:30:00+00:00",
    ]
    assert parse_document(text, source="content/posts/hello.md") == doc
    assert dump_document(parse_document(text, source="content/posts/hello.md")) == text


def test_dump_round_trips_a_constructed_document() -> None:
    front = FrontMatter(
        title="yes",
        slug="x",
        date=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        draft=True,
        tags=("a",),
        summary="2024-01-01",
        extra={"n": [1, {"b": None}]},
    )
    doc = SourceDocument(
        key="pages/x", kind="page", slug="x", front=front, body="\n# Hi\n", source="remote"
    )
    assert parse_document(dump_document(doc), source="remote", kind="page", default_slug="x") == doc


def test_all_errors_of_a_file_with_lines_and_hints() -> None:
    text = "---\ntitle: 3\ndate: nope\ndraft: maybe\ntags: [ok, '!!']\n---\n"
    assert _errors(text) == [
        "content/posts/bad.md:2: title: must be text, not 3 (put it in quotes)\n"
        '  hint: add a title, e.g. `title: "My first post"`, or start the body with `# My first post`',
        "content/posts/bad.md:3: date: 'nope' is not an ISO date\n"
        "  hint: use an ISO date such as `2024-05-01` or `2024-05-01T09:30:00+02:00`",
        "content/posts/bad.md:4: draft: must be true or false, not 'maybe'\n"
        "  hint: use `draft: true` or `draft: false`",
        "content/posts/bad.md:5: tags: tag '!!' has no letters or digits to make its URL from\n"
        "  hint: use a list of words, e.g. `tags: [python, web]`",
    ]


def test_yaml_syntax_error_names_the_file_line() -> None:
    assert _errors("---\ntitle: ok\nfoo: [1, 2\n---\n")[0].startswith(
        "content/posts/bad.md:4: invalid YAML in the front matter:"
    )


def test_missing_title_missing_front_matter_and_duplicates() -> None:
    assert _errors("---\ndate: 2024-01-01\n---\n") == [
        'content/posts/bad.md:1: title: is required\n  hint: add a title, e.g. `title: "My first post"`,'
        " or start the body with `# My first post`"
    ]
    assert _errors("just markdown, no heading\n")[0].startswith(
        "content/posts/bad.md:1: title: is required"
    )
    assert _errors("---\ntitle: a\ntitle: b\n---\n") == [
        "content/posts/bad.md:3: title: is given twice (first on line 2)\n  hint: keep one of the two"
    ]
    assert _errors("---\ntitle: a\n")[0].startswith(
        "content/posts/bad.md:1: the front matter is never closed"
    )


def test_document_location_rejects_other_folders() -> None:
    assert document_location("pages/docs/Install.md") == ("page", "docs/install")
    with pytest.raises(ContentError, match="neither a post nor a page"):
        document_location("notes/x.md")


def test_validate_front_matter_takes_loaded_values_and_reports_every_field() -> None:
    front = validate_front_matter(
        {"title": "Row", "date": "2024-01-05", "tags": "a, b", "mood": "ok"}, {}, "remote post:row"
    )
    assert (front.title, front.date, front.tags, front.extra) == (
        "Row",
        dt.date(2024, 1, 5),
        ("a", "b"),
        {"mood": "ok"},
    )
    with pytest.raises(ContentError) as info:
        validate_front_matter({"title": " ", "draft": "yes"}, {"draft": 4}, "remote post:row")
    assert [(e.field, e.line) for e in info.value.errors] == [("title", 1), ("draft", 4)]
