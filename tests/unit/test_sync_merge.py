"""Three-way merge of documents: front matter field by field, body by lines, git-style markers."""

from __future__ import annotations

from sitegen.frontmatter import parse_document
from sitegen.markers import conflict_marker_line
from sitegen.model import Document
from sitegen.sync.merge import merge_documents, merge_text

BASE_BODY = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


def doc(front: str, body: str = BASE_BODY) -> Document:
    return parse_document(f"---\n{front}---\n{body}", source="content/posts/shared.md")


def test_edits_to_different_paragraphs_merge_cleanly() -> None:
    base = doc("title: Shared\n")
    local = doc("title: Shared\n", BASE_BODY.replace("First", "My first"))
    remote = doc("title: Shared\n", BASE_BODY.replace("Third", "Their third"))
    merged = merge_documents(base, local, remote)
    assert merged.clean and merged.document is not None
    assert (
        merged.document.body
        == "My first paragraph.\n\nSecond paragraph.\n\nTheir third paragraph.\n"
    )
    assert merged.text.startswith("---\ntitle: Shared\n---\nMy first")


def test_front_matter_fields_changed_on_one_side_take_that_side() -> None:
    base = doc("title: Shared\ntags: [a]\n")
    local = doc("title: Mine\ntags: [a]\n")
    remote = doc("title: Shared\ntags: [a, b]\nsubtitle: new\n")
    merged = merge_documents(base, local, remote)
    assert merged.clean and merged.document is not None
    front = merged.document.front
    assert (front.title, front.tags, dict(front.extra)) == ("Mine", ("a", "b"), {"subtitle": "new"})


def test_a_field_removed_on_one_side_is_removed() -> None:
    merged = merge_documents(
        doc("title: T\nsummary: old\n"), doc("title: T\n"), doc("title: T2\nsummary: old\n")
    )
    assert merged.document is not None
    assert merged.document.front.summary is None and merged.document.front.title == "T2"


def test_the_same_line_changed_differently_gets_markers() -> None:
    base = doc("title: Shared\n")
    local = doc("title: Shared\n", BASE_BODY.replace("Second", "Local second"))
    remote = doc("title: Shared\n", BASE_BODY.replace("Second", "Remote second"))
    merged = merge_documents(base, local, remote)
    assert merged.conflicts == ("body",) and merged.document is None
    assert (
        "<<<<<<< local\nLocal second paragraph.\n=======\nRemote second paragraph.\n"
        ">>>>>>> remote\n" in merged.text
    )
    assert merged.text.startswith("---\ntitle: Shared\n---\nFirst paragraph.\n")
    assert conflict_marker_line(merged.text) == 6


def test_a_front_matter_field_changed_differently_gets_markers_in_the_front_matter() -> None:
    merged = merge_documents(doc("title: Base\n"), doc("title: Mine\n"), doc("title: Theirs\n"))
    assert merged.conflicts == ("title",)
    assert merged.text.startswith(
        "---\n<<<<<<< local\ntitle: Mine\n=======\ntitle: Theirs\n>>>>>>> remote\n---\n"
    )


def test_both_sides_making_the_same_change_is_clean() -> None:
    local = doc("title: New\n", "Same edit.\n")
    merged = merge_documents(doc("title: Old\n"), local, doc("title: New\n", "Same edit.\n"))
    assert merged.clean and merged.document == local


def test_a_last_line_without_newline_never_joins_a_marker() -> None:
    text, clean = merge_text("a\nb", "a\nmine", "a\ntheirs")
    assert not clean
    assert text == "a\n<<<<<<< local\nmine\n=======\ntheirs\n>>>>>>> remote\n"
    assert merge_text("a\nb", "A\nb", "a\nb") == ("A\nb", True)


def test_marker_detection_needs_both_ends_so_a_heading_underline_is_no_marker() -> None:
    assert conflict_marker_line("Title\n=======\n\ntext\n") is None
    assert conflict_marker_line("<<<<<<< local\nx\n") is None
    assert conflict_marker_line("ok\n<<<<<<< local\nx\n=======\ny\n>>>>>>> remote\n") == 2
