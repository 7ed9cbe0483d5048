"""Front matter as people write it: YAML, TOML and JSON, other generators' key names,
misspelt keys, dates in file names (issue #14, item 2 and 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen.errors import ContentError
from sitegen.frontmatter import dump_document, parse_document


def _parse(text: str, path: str = "posts/x.md"):
    return parse_document(text, source=f"content/{path}")


def _error(text: str, path: str = "posts/x.md") -> str:
    with pytest.raises(ContentError) as info:
        _parse(text, path)
    return str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff---\ntitle: Hi\ndate: 2024-01-02\n---\nBody\n",
        "\n\n---\ntitle: Hi\ndate: 2024-01-02\n---\nBody\n",
        '+++\ntitle = "Hi"\ndate = 2024-01-02\n+++\nBody\n',
        '\n{\n  "title": "Hi",\n  "date": "2024-01-02"\n}\nBody\n',
        '{"title": "Hi", "date": "2024-01-02"}\nBody\n',
    ],
    ids=["bom", "blank-lines", "toml", "json", "json-one-line"],
)
def test_yaml_toml_and_json_front_matter_give_the_same_document(text: str) -> None:
    doc = _parse(text)
    assert (doc.front.title, doc.front.date, doc.body) == ("Hi", dt.date(2024, 1, 2), "Body\n")


def test_lines_count_from_the_file_start_after_blank_lines_and_in_toml_and_json() -> None:
    assert _error("\n\n---\ntitle: Hi\ndate: 2024-13-45\n---\n").startswith(
        "content/posts/x.md:5: date:"
    )
    assert _error('+++\ntitle = "Hi"\n\ndate = "soon"\n+++\n').startswith(
        "content/posts/x.md:4: date:"
    )
    assert _error('+++\ntitle = "Hi\n+++\n').startswith("content/posts/x.md:2: invalid TOML")
    assert _error('{\n"title": "Hi",\n"draft": "no"\n}\n').startswith(
        "content/posts/x.md:3: draft:"
    )
    assert _error('{"title": "Hi",}\n').startswith("content/posts/x.md:1: invalid JSON")
    assert _parse("\n\n---\ntitle: Hi\n---\nBody\n").body_line == 6


def test_a_body_opening_with_a_shortcode_or_liquid_is_not_json_front_matter() -> None:
    for opening in ("{{< figure >}}", "{% include x.html %}", "{: .note}"):
        doc = _parse(f"\n{opening}\n\n# Title\n", "pages/x.md")
        assert (doc.front.title, doc.body) == ("Title", f"\n{opening}\n\n# Title\n")


def test_other_generators_key_names_are_read_as_sitegen_fields() -> None:
    doc = _parse(
        "---\ntitle: T\npublished: false\nlastmod: 2024-02-01\nexcerpt: Short.\n"
        "author: Ada\nredirect_from: [/old/, /2019/05/15/Old.html]\npermalink: /Keep/Me.html\n"
        "categories: news releases\nexpiryDate: 2030-01-01\nweight: 3\n"
        "description: About it\n---\n"
    )
    front = doc.front
    assert front.draft is True
    assert front.updated == dt.date(2024, 2, 1)
    assert front.summary == "Short."
    assert front.aliases == ("/old/", "/2019/05/15/Old.html")
    assert front.url == "/Keep/Me.html"
    assert front.categories == ("news", "releases")
    assert front.expiry_date == dt.date(2030, 1, 1)
    assert front.description == "About it"
    assert front.extra == {"author": "Ada", "weight": 3}  # read from extra, never "misspelt"
    assert doc.notes == ()
    assert _parse(dump_document(doc)) == doc


def test_a_field_under_two_names_is_an_error() -> None:
    assert "means the same as `draft`" in _error(
        "---\ntitle: T\ndraft: true\npublished: true\n---\n"
    )


def test_a_misspelt_key_is_a_warning_with_did_you_mean_and_other_keys_are_kept() -> None:
    doc = _parse("---\ntitle: T\ndraf: true\nmood: happy\n---\n")
    assert doc.front.draft is False
    assert doc.front.extra == {"draf": True, "mood": "happy"}
    assert [str(n).splitlines()[0] for n in doc.notes] == [
        "content/posts/x.md:3: draf: unknown key; did you mean `draft`?"
    ]


def test_tags_from_a_space_separated_string_and_unicode_tags() -> None:
    assert _parse("---\ntitle: T\ntags: rust cargo\n---\n").front.tags == ("rust", "cargo")
    assert _parse("---\ntitle: T\ntags: a b, c\n---\n").front.tags == ("a b", "c")
    assert _parse("---\ntitle: T\ntags: [日本語]\n---\n").front.tags == ("日本語",)


def test_date_and_slug_from_a_dated_file_name() -> None:
    doc = _parse("---\ntitle: T\n---\n", "posts/2019-05-15-My-Post.markdown")
    assert (doc.slug, doc.front.date) == ("my-post", dt.date(2019, 5, 15))
    dated = _parse("---\ntitle: T\ndate: 2019-05-16 09:00:00 +0900\n---\n", "posts/2019-05-15-a.md")
    assert dated.front.date == dt.datetime(2019, 5, 16, 0, 0, tzinfo=dt.UTC)
    assert _parse("---\ntitle: T\n---\n", "posts/2019-13-15-a.md").slug == "2019-13-15-a"


def test_jekyll_and_written_out_dates() -> None:
    doc = _parse("---\ntitle: T\ndate: 2016-05-03 9:00:00 +0900\n---\n")
    assert doc.front.date == dt.datetime(2016, 5, 3, 0, 0, tzinfo=dt.UTC)
    assert _parse("---\ntitle: T\ndate: September 9, 2020\n---\n").front.date == dt.datetime(
        2020, 9, 9, tzinfo=dt.UTC
    )


@pytest.mark.parametrize("url", ["/a/../b/", "/a b/", "//host/x"])
def test_unsafe_urls_are_errors(url: str) -> None:
    assert "url:" in _error(f"---\ntitle: T\nurl: '{url}'\n---\n")
