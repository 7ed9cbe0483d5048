"""Merging instead of refusing, against the stack: clean merges land, overlapping edits get
git-style markers (exit 1) that push refuses, `status` and `diff` tell what is what, and
`pull --force KEY` discards a local change (bug 3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.sync.state import BASE_FILE
from tests.integration.sync.sync_helpers import make_site, push_post, run, write_post

pytestmark = pytest.mark.usefixtures("clean_db")
User = Callable[..., object]
BODY = "Intro by the first author.\n\nMiddle paragraph.\n\nClosing paragraph.\n"


def remote_body(stack: object, slug: str) -> tuple[str, int]:
    rows = stack.admin_sql(  # type: ignore[attr-defined]
        "select body, version from public.posts where slug = %s", (slug,)
    )
    return rows[0]


def two_machines(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, Path]:
    """One author's laptop and desktop, both in sync with posts/shared (BODY, version 1)."""
    user = make_user()
    laptop = make_site(tmp_path / "laptop", stack, user=user)
    desktop = make_site(tmp_path / "desktop", stack, user=user)
    push_post(capsys, laptop, "shared", "Shared", BODY, tags="[one]")
    assert run(capsys, desktop, "pull").code == 0
    return laptop, desktop


def test_edits_to_different_paragraphs_on_two_machines_both_land(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, desktop = two_machines(stack, make_user, tmp_path, capsys)
    push_post(capsys, laptop, "shared", "Shared", BODY.replace("Intro", "New intro"), tags="[one]")
    write_post(
        desktop, "shared", "Shared title", BODY.replace("Closing", "Better closing"), tags="[one]"
    )

    status = run(capsys, desktop, "status")
    assert status.code == 0
    assert "merges cleanly:  posts/shared" in status.out

    dry = run(capsys, desktop, "push", "--dry-run")
    assert dry.code == 0 and "update" in dry.out and "merges cleanly" in dry.out
    assert remote_body(stack, "shared")[1] == 2  # a dry run sends nothing

    pushed = run(capsys, desktop, "push")
    assert pushed.code == 0, pushed.err
    assert "merged 1 changed on both sides" in pushed.out
    merged = "New intro by the first author.\n\nMiddle paragraph.\n\nBetter closing paragraph.\n"
    assert remote_body(stack, "shared") == (merged, 3)  # sent with the version check
    title = stack.admin_sql("select title from public.posts where slug = 'shared'")  # type: ignore[attr-defined]
    assert title == [("Shared title",)]
    assert (desktop / "content/posts/shared.md").read_text(encoding="utf-8").endswith(merged)

    assert run(capsys, laptop, "pull").code == 0
    assert (laptop / "content/posts/shared.md").read_text(encoding="utf-8").endswith(merged)
    assert "Up to date" in run(capsys, laptop, "status").out


def test_pull_merges_into_the_local_file_and_push_sends_it(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, desktop = two_machines(stack, make_user, tmp_path, capsys)
    push_post(capsys, laptop, "shared", "Shared", BODY.replace("Intro", "New intro"), tags="[one]")
    write_post(desktop, "shared", "Shared", BODY, tags="[one, two]")

    pulled = run(capsys, desktop, "pull")
    assert pulled.code == 0, pulled.err
    assert "merged 1" in pulled.out and "`sitegen push` sends the merge" in pulled.out
    text = (desktop / "content/posts/shared.md").read_text(encoding="utf-8")
    assert "New intro" in text and "- two" in text
    assert "Local changes" in run(capsys, desktop, "status").out  # the merge is yet to be pushed

    assert run(capsys, desktop, "push").code == 0
    assert remote_body(stack, "shared")[1] == 3
    tags = stack.admin_sql("select front->'tags' from public.posts where slug = 'shared'")  # type: ignore[attr-defined]
    assert tags == [(["one", "two"],)]


def test_overlapping_edits_get_markers_and_push_refuses_the_file_until_resolved(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, desktop = two_machines(stack, make_user, tmp_path, capsys)
    push_post(
        capsys, laptop, "shared", "Shared", BODY.replace("Middle", "Laptop middle"), tags="[one]"
    )
    local = write_post(
        desktop, "shared", "Shared", BODY.replace("Middle", "Desktop middle"), tags="[one]"
    )

    status = run(capsys, desktop, "status")
    assert "conflict:" in status.out and "both changed body" in status.out
    diff = run(capsys, desktop, "diff", "posts/shared")
    assert diff.code == 0
    assert "--- remote posts/shared (version 2)" in diff.out
    assert "+++ local content/posts/shared.md" in diff.out
    assert "-Laptop middle paragraph." in diff.out and "+Desktop middle paragraph." in diff.out

    pushed = run(capsys, desktop, "push")
    assert pushed.code == 1
    assert "merge conflict in body: markers written to content/posts/shared.md:8" in pushed.err
    assert remote_body(stack, "shared")[1] == 2  # nothing sent
    text = local.read_text(encoding="utf-8")
    assert (
        "Intro by the first author.\n\n<<<<<<< local\nDesktop middle paragraph.\n=======\n"
        "Laptop middle paragraph.\n>>>>>>> remote\n\nClosing paragraph.\n"
    ) in text

    again = run(capsys, desktop, "push")
    assert again.code == 1
    assert "content/posts/shared.md:8: has unresolved merge conflict markers" in again.err
    assert remote_body(stack, "shared")[1] == 2
    assert "content/posts/shared.md:8" in run(capsys, desktop, "status").out
    assert run(capsys, desktop, "pull").code == 0  # nothing new remotely: the file is kept
    assert local.read_text(encoding="utf-8") == text

    resolved = BODY.replace("Middle", "Desktop and laptop middle")
    write_post(desktop, "shared", "Shared", resolved, tags="[one]")
    assert run(capsys, desktop, "push").code == 0
    assert remote_body(stack, "shared") == (resolved, 3)
    assert run(capsys, laptop, "pull").code == 0
    assert (laptop / "content/posts/shared.md").read_text(encoding="utf-8").endswith(resolved)


def test_a_front_matter_field_changed_on_both_sides_gets_markers_in_the_front_matter(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, desktop = two_machines(stack, make_user, tmp_path, capsys)
    push_post(capsys, laptop, "shared", "Laptop title", BODY, tags="[one]")
    local = write_post(desktop, "shared", "Desktop title", BODY, tags="[one]")
    pulled = run(capsys, desktop, "pull")
    assert pulled.code == 1 and "merge conflict in title" in pulled.err
    assert local.read_text(encoding="utf-8").startswith(
        "---\n<<<<<<< local\ntitle: Desktop title\n=======\ntitle: Laptop title\n"
        ">>>>>>> remote\ntags:\n- one\n---\n"
    )
    forced = run(capsys, desktop, "pull", "--force", "content/posts/shared.md")
    assert forced.code == 0, forced.err
    assert local.read_text(encoding="utf-8").startswith("---\ntitle: Laptop title\n")
    assert "Up to date" in run(capsys, desktop, "status").out


def test_pull_force_key_discards_only_that_local_change(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site", stack, user=make_user())
    first = push_post(capsys, site, "first", "First", "one\n")
    second = push_post(capsys, site, "second", "Second", "two\n")
    write_post(site, "first", "First", "edited one\n")
    write_post(site, "second", "Second", "edited two\n")

    assert "-one\n+edited one\n" in run(capsys, site, "diff").out
    result = run(capsys, site, "pull", "--force", "posts/first")
    assert result.code == 0, result.err
    assert first.read_text(encoding="utf-8").endswith("\none\n")
    assert second.read_text(encoding="utf-8").endswith("edited two\n")  # not asked for: kept

    unknown = run(capsys, site, "pull", "--force", "posts/frist")
    assert unknown.code == 1 and "did you mean `posts/first`" in unknown.err


def test_pull_force_restores_another_authors_post_edited_here(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bug 3: `pull --force` left the local edit of another author's post in place, so every
    later push repeated the warning; only deleting base.json got out of it."""
    site_a = make_site(tmp_path / "a", stack, user=make_user())
    site_b = make_site(tmp_path / "b", stack, user=make_user())
    push_post(capsys, site_a, "alices", "Alice's", "Alice wrote this.\n")
    assert run(capsys, site_b, "pull").code == 0
    mine = write_post(site_b, "alices", "Alice's", "Bob scribbled here.\n")
    refused = run(capsys, site_b, "push")
    assert refused.code == 1 and "owned by another author" in refused.err
    assert "another author's: not pushed" in run(capsys, site_b, "status").out

    restored = run(capsys, site_b, "pull", "--force")
    assert restored.code == 0, restored.err
    assert mine.read_text(encoding="utf-8").endswith("Alice wrote this.\n")
    assert (site_b / BASE_FILE).is_file()
    quiet = run(capsys, site_b, "push")
    assert quiet.code == 0 and "another author" not in quiet.err
    assert "nothing to push" in quiet.out


def test_status_and_diff_without_login_show_remote_changes(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    author = make_site(tmp_path / "author", stack, user=make_user())
    reader = make_site(tmp_path / "reader", stack)
    push_post(capsys, author, "news", "News", "Fresh.\n")
    status = run(capsys, reader, "status")
    assert status.code == 0
    assert "Not logged in" in status.out
    assert "Remote changes (`sitegen pull` brings them):" in status.out
    assert "new:" in status.out and "posts/news" in status.out
    diff = run(capsys, reader, "diff")
    assert "--- remote posts/news (version 1)" in diff.out and "+++ local: none" in diff.out
    assert "-Fresh." in diff.out
    assert not (reader / "content/posts/news.md").exists()  # read-only
    assert not (reader / BASE_FILE).exists()


def test_two_people_editing_different_paragraphs_of_one_post_both_land(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An author and an editor edit one post at once; both edits land, with no conflict."""
    ada = make_site(tmp_path / "ada", stack, user=make_user(role="author"))
    eve = make_site(tmp_path / "eve", stack, user=make_user(role="editor"))
    push_post(capsys, ada, "shared", "Shared", BODY)
    assert run(capsys, eve, "pull").code == 0

    push_post(capsys, ada, "shared", "Shared", BODY.replace("Intro", "Ada's intro"))
    write_post(eve, "shared", "Shared", BODY.replace("Closing", "Eve's closing"))
    pushed = run(capsys, eve, "push")
    assert pushed.code == 0, pushed.err
    merged = "Ada's intro by the first author.\n\nMiddle paragraph.\n\nEve's closing paragraph.\n"
    assert remote_body(stack, "shared") == (merged, 3)
    assert run(capsys, ada, "pull").code == 0
    assert (ada / "content/posts/shared.md").read_text(encoding="utf-8").endswith(merged)
