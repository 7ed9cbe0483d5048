"""The error overlay: names file:line, escapes everything, and is injected into pages."""

from __future__ import annotations

from sitegen.errors import BuildFailed, ContentError, ThemeError
from sitegen.serve.overlay import (
    OVERLAY_ID,
    Problem,
    inject_at_body_end,
    inject_into_head,
    overlay_html,
    problems_from,
)


def test_build_failed_is_flattened_into_one_problem_per_error() -> None:
    error = BuildFailed(
        [
            ContentError(
                "date is not a date",
                file="content/posts/a.md",
                line=3,
                field="date",
                hint="use YYYY-MM-DD",
            ),
            ThemeError("'nope' is undefined", file="templates/post.html", line=12),
        ]
    )
    assert problems_from(error, "build") == (
        Problem("build", "content/posts/a.md:3", "date: date is not a date", "use YYYY-MM-DD"),
        Problem("build", "templates/post.html:12", "'nope' is undefined", None),
    )


def test_unexpected_exception_is_shown_as_a_bug() -> None:
    [problem] = problems_from(KeyError("x"), "pull")
    assert problem.message == "KeyError: 'x'" and problem.location == ""
    assert problem.hint is not None and "bug" in problem.hint


def test_overlay_names_file_and_line() -> None:
    html = overlay_html([Problem("build", "content/posts/a.md:3", "bad date", "use YYYY-MM-DD")])
    assert f'id="{OVERLAY_ID}"' in html
    assert "content/posts/a.md:3" in html and "bad date" in html and "use YYYY-MM-DD" in html


def test_overlay_escapes_every_piece() -> None:
    attack = '<script>alert("x")</script>'
    html = overlay_html([Problem("build", f"content/{attack}.md:1", attack, attack)])
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 3


def test_no_problems_no_overlay() -> None:
    assert overlay_html([]) == ""


def test_script_goes_into_head_and_overlay_at_body_end() -> None:
    page = b"<html><HEAD><title>t</title></HEAD><body><p>x</p></BODY></html>"
    page = inject_into_head(page, "<script src=/lr.js></script>")
    page = inject_at_body_end(page, "<div>overlay</div>")
    assert page == (
        b"<html><HEAD><title>t</title><script src=/lr.js></script></HEAD>"
        b"<body><p>x</p><div>overlay</div></BODY></html>"
    )


def test_pages_without_head_or_body_get_snippets_appended() -> None:
    assert inject_into_head(b"<p>x</p>", "<s>") == b"<p>x</p><s>"
    assert inject_at_body_end(b"<p>x</p>", "<o>") == b"<p>x</p><o>"
    assert inject_into_head(b"<p>x</p></body>", "<s>") == b"<p>x</p><s></body>"


def test_empty_snippet_leaves_the_page_alone() -> None:
    assert inject_at_body_end(b"<body></body>", "") == b"<body></body>"
