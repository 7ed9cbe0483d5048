"""Document/media <-> row mapping and the validation of untrusted remote rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen.errors import ContentError
from sitegen.frontmatter import dump_document, parse_document
from sitegen.model import Media
from sitegen.sync.mapping import (
    check_media_path,
    content_hash,
    document_to_row,
    media_target,
    object_name_for,
    row_to_document,
    row_to_media,
)

RICH = """\
---
title: "Hello: world"
date: 2024-05-01
updated: 2024-05-02T09:30:00+02:00
draft: true
tags: [python, web]
summary: A *short* one
template: wide.html
cover: media/cover.jpg
menu: 3
event:
  when: 2024-06-01
  at: 2024-06-01T10:00:00+00:00
  where: [Lisbon, 12, 1.5, null, true]
---
Body with <b>html</b>

and a second paragraph.
"""
SHA = "a" * 64
USER = "12345678-1234-1234-1234-123456789abc"


def remote_row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "slug": "hello",
        "title": "Hello",
        "body": "Hi\n",
        "draft": False,
        "front": {},
        "version": 1,
        "updated_at": "2026-01-01T00:00:00+00:00",
        "author_id": USER,
        "updated_by_email": "a@example.org",
        "publish_at": None,
    }
    row.update(changes)
    return row


def test_document_round_trips_through_a_row() -> None:
    doc = parse_document(RICH, source="content/posts/hello.md")
    row = document_to_row(doc)
    row.update(version=2, updated_at="2026-01-01T00:00:00+00:00")
    back, checked = row_to_document("post", row)
    assert back == doc
    assert checked.version == 2
    assert parse_document(dump_document(back), source="content/posts/hello.md") == doc


def test_row_columns_and_publish_time() -> None:
    doc = parse_document(RICH, source="content/posts/hello.md")
    row = document_to_row(doc)
    assert row["slug"] == "hello" and row["title"] == "Hello: world" and row["draft"] is True
    assert row["publish_at"] == "2024-05-01T00:00:00+00:00"
    assert row["front"]["date"] == "2024-05-01"
    assert row["front"]["event"]["when"] == {"$date": "2024-06-01"}
    assert "title" not in row["front"] and "draft" not in row["front"]


def test_pages_are_published_at_once() -> None:
    doc = parse_document(
        "---\ntitle: About\ndate: 2030-01-01\n---\n", source="content/pages/about.md"
    )
    assert document_to_row(doc)["publish_at"] is None


def test_content_hash_ignores_formatting_but_not_content() -> None:
    one = parse_document("---\ntitle: A\ntags: [x]\n---\nbody", source="content/posts/a.md")
    two = parse_document("---\ntags:\n  - x\ntitle: 'A'\n---\nbody", source="content/posts/a.md")
    three = parse_document("---\ntitle: A\ntags: [x]\n---\nbody!", source="content/posts/a.md")
    assert content_hash(one) == content_hash(two) != content_hash(three)


@pytest.mark.parametrize(
    "slug", ["../../etc/passwd", "/etc/passwd", "a\\b", "A", "", "a//b", "a/../b"]
)
def test_hostile_slugs_are_rejected_naming_key_and_field(slug: str) -> None:
    with pytest.raises(ContentError) as info:
        row_to_document("post", remote_row(slug=slug))
    assert info.value.field == "slug"
    assert info.value.file is not None and info.value.file.startswith("remote posts/")


def test_front_matter_slug_must_match_row_slug() -> None:
    with pytest.raises(ContentError) as info:
        row_to_document("post", remote_row(front={"slug": "other"}))
    assert info.value.field == "front.slug"


def test_invalid_front_matter_in_a_row_is_reported_like_a_file() -> None:
    with pytest.raises(ContentError) as info:
        row_to_document("page", remote_row(front={"template": "../../evil.html"}))
    assert info.value.field == "template" and info.value.file == "remote pages/hello"


def test_oversized_rows_are_rejected() -> None:
    with pytest.raises(ContentError) as info:
        row_to_document("post", remote_row(body="x" * 2_000_001))
    assert info.value.field == "body"
    with pytest.raises(ContentError) as info:
        row_to_document("post", remote_row(front={"blob": "x" * 100_001}))
    assert info.value.field == "front"


def test_wrong_types_are_rejected() -> None:
    with pytest.raises(ContentError) as info:
        row_to_document("post", remote_row(draft="yes"))
    assert info.value.field == "draft"


def test_unencodable_front_matter_is_a_content_error() -> None:
    doc = parse_document("---\ntitle: A\nodd: {1: x}\n---\n", source="content/posts/a.md")
    with pytest.raises(ContentError) as info:
        document_to_row(doc)
    assert info.value.file == "content/posts/a.md"


@pytest.mark.parametrize(
    "path",
    [
        "../x.png",
        "/etc/x",
        "a/../../x",
        "a\\b.png",
        "C:/x.png",
        "c:x",
        "",
        "a//b",
        ".hidden",
        "a/./b",
        "bad\x00name",
        "bad\nname",
        "x" * 300,
    ],
)
def test_unsafe_media_paths_are_rejected(path: str) -> None:
    with pytest.raises(ValueError):
        check_media_path(path)


def test_safe_media_paths_pass() -> None:
    assert check_media_path("img/cat.png") == "img/cat.png"
    assert check_media_path("ünï/çødé.jpg") == "ünï/çødé.jpg"


def test_media_target_stays_inside_even_through_symlinks(tmp_path: Path) -> None:
    root = tmp_path / "media"
    root.mkdir()
    (root / "link").symlink_to(tmp_path)
    assert media_target(root, "img/a.png") == root.resolve() / "img" / "a.png"
    with pytest.raises(ValueError):
        media_target(root, "link/escape.png")


def test_remote_media_rows_are_validated() -> None:
    good = {
        "path": "img/a.png",
        "object_name": f"{USER}/{SHA}/a.png",
        "sha256": SHA,
        "size": 3,
        "content_type": "image/png",
        "version": 1,
        "updated_at": "2026-01-01T00:00:00Z",
    }
    assert row_to_media(good).path == "img/a.png"
    for field, value in [
        ("path", "/etc/x"),
        ("path", "../x"),
        ("path", "evil/page.HTML"),
        ("path", "a.js"),
        ("sha256", "nothex"),
        ("object_name", f"{USER}/{SHA}/../x"),
        ("size", -1),
    ]:
        with pytest.raises(ContentError) as info:
            row_to_media({**good, field: value})
        assert info.value.field == field


def test_object_names_are_content_addressed() -> None:
    assert object_name_for(USER, Media("img/cat.png", SHA, 3)) == f"{USER}/{SHA}/cat.png"


def test_datetime_front_values_keep_their_offset() -> None:
    doc = parse_document(
        "---\ntitle: A\ndate: 2024-05-01T09:30:00+02:00\n---\n", source="content/posts/a.md"
    )
    row = document_to_row(doc)
    assert row["publish_at"] == "2024-05-01T09:30:00+02:00"
    back, _ = row_to_document("post", {**row, "version": 1, "updated_at": "x"})
    assert back.front.date == dt.datetime(
        2024, 5, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))
    )


@pytest.mark.parametrize("slug", ["name\n", "a/b\n", "ok-slug\r\n"])
def test_a_remote_slug_ending_in_a_newline_is_rejected(slug):
    row = {
        "slug": slug,
        "title": "T",
        "body": "",
        "draft": False,
        "front": {},
        "version": 1,
        "updated_at": "2026-01-01T00:00:00+00:00",
    }
    with pytest.raises(ContentError) as caught:
        row_to_document("post", row)
    assert caught.value.field == "slug"


@pytest.mark.parametrize(
    "changes",
    [
        {"sha256": "a" * 64 + "\n"},
        {"object_name": "00000000-0000-0000-0000-000000000000/" + "a" * 64 + "/cat.png\n"},
    ],
)
def test_checksums_and_object_names_ending_in_a_newline_are_rejected(changes):
    row = {
        "path": "cat.png",
        "object_name": "00000000-0000-0000-0000-000000000000/" + "a" * 64 + "/cat.png",
        "sha256": "a" * 64,
        "size": 1,
        "content_type": "image/png",
        "version": 1,
        "updated_at": "2026-01-01T00:00:00+00:00",
        **changes,
    }
    with pytest.raises(ContentError) as caught:
        row_to_media(row)
    assert caught.value.field == next(iter(changes))


def test_authors_travel_in_their_own_column_as_profile_slugs():
    doc = parse_document(
        "---\ntitle: X\nauthors: [ada, bob]\n---\nBody\n", source="content/posts/x.md"
    )
    row = document_to_row(doc)
    assert row["authors"] == ["ada", "bob"] and "authors" not in row["front"]
    back, _ = row_to_document("post", {**row, "version": 1, "updated_at": "2026-01-01T00:00:00Z"})
    assert back.front.extra["authors"] == ["ada", "bob"]
    assert content_hash(back) == content_hash(doc)
    single = parse_document("---\ntitle: Y\nauthors: ada\n---\n", source="content/posts/y.md")
    assert document_to_row(single)["authors"] == ["ada"]
    plain = parse_document("---\ntitle: Z\n---\n", source="content/posts/z.md")
    assert document_to_row(plain)["authors"] == []


@pytest.mark.parametrize("value", ["[Ada Lovelace]", "[ada, 3]", "{a: b}", "[ada\\n]"])
def test_authors_that_are_not_profile_slugs_are_a_content_error(value):
    doc = parse_document(f"---\ntitle: X\nauthors: {value}\n---\n", source="content/posts/x.md")
    with pytest.raises(ContentError) as caught:
        document_to_row(doc)
    assert caught.value.field == "authors" and caught.value.file == "content/posts/x.md"


def test_remote_authors_are_validated():
    row = {
        "slug": "x",
        "title": "T",
        "body": "",
        "draft": False,
        "front": {},
        "version": 1,
        "updated_at": "2026-01-01T00:00:00+00:00",
        "authors": ["ada", "../etc"],
    }
    with pytest.raises(ContentError) as caught:
        row_to_document("post", row)
    assert caught.value.field == "authors"
