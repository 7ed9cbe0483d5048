"""Concurrent edits against the stack: conflicts are detected, reported, and nothing is lost."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.sync.state import TEXTS_FILE
from tests.integration.sync.sync_helpers import make_site, push_post, run, write_post

pytestmark = pytest.mark.usefixtures("clean_db")
User = Callable[..., object]


def remote_post(stack: object, slug: str) -> tuple[str, str, int, str]:
    rows = stack.admin_sql(  # type: ignore[attr-defined]
        "select title, body, version, updated_by_email from public.posts where slug = %s", (slug,)
    )
    return rows[0]


def test_same_post_edited_on_two_machines_without_a_base_text_is_a_conflict_and_force_resolves_it(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no earlier text kept (a base written before texts were kept), nothing can be
    merged: the key is reported and left untouched, as before merging existed."""
    user = make_user()
    laptop = make_site(tmp_path / "laptop", stack, user=user)
    desktop = make_site(tmp_path / "desktop", stack, user=user)
    push_post(capsys, laptop, "shared", "Shared", "First draft.\n")
    assert run(capsys, desktop, "pull").code == 0
    (desktop / TEXTS_FILE).unlink()

    write_post(laptop, "shared", "Shared", "Laptop words.\n")
    desktop_file = write_post(desktop, "shared", "Shared", "Desktop words.\n")
    assert run(capsys, laptop, "push").code == 0
    assert remote_post(stack, "shared")[1:3] == ("Laptop words.\n", 2)

    pushed = run(capsys, desktop, "push")
    assert pushed.code == 1
    assert "posts/shared: changed both locally and remotely" in pushed.err
    assert "no earlier version kept to merge" in pushed.err
    assert "remote version 2" in pushed.err and user.email in pushed.err  # type: ignore[attr-defined]
    assert re.search(
        r"local content/posts/shared\.md \(changed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, "
        r"by you \(",
        pushed.err,
    )  # local file and time
    assert re.search(
        r"remote version 2 \(changed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, by ", pushed.err
    )
    assert "copy your file aside, `sitegen pull --force KEY`" in pushed.err  # how to see theirs
    assert remote_post(stack, "shared")[1:3] == ("Laptop words.\n", 2)  # left untouched
    pulled = run(capsys, desktop, "pull")
    assert pulled.code == 1 and "posts/shared" in pulled.err
    assert desktop_file.read_text(encoding="utf-8").endswith("Desktop words.\n")  # not lost

    dry = run(capsys, desktop, "push", "--force", "--dry-run")
    assert dry.code == 0 and "update" in dry.out and "posts/shared" in dry.out
    assert remote_post(stack, "shared")[1:3] == ("Laptop words.\n", 2)
    forced = run(capsys, desktop, "push", "--force")
    assert forced.code == 0, forced.err
    assert remote_post(stack, "shared")[1:3] == ("Desktop words.\n", 3)

    assert run(capsys, laptop, "pull").code == 0  # the laptop had not edited since: it follows
    assert (
        (laptop / "content/posts/shared.md")
        .read_text(encoding="utf-8")
        .endswith("Desktop words.\n")
    )


def test_pull_force_takes_the_remote_version(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = make_user()
    one = make_site(tmp_path / "one", stack, user=user)
    two = make_site(tmp_path / "two", stack)
    push_post(capsys, one, "p", "P", "v1\n")
    assert run(capsys, two, "pull").code == 0
    push_post(capsys, one, "p", "P", "v2\n")
    local = write_post(two, "p", "P", "mine\n")
    assert run(capsys, two, "pull").code == 1
    assert run(capsys, two, "pull", "--force").code == 0
    assert local.read_text(encoding="utf-8").endswith("v2\n")


def test_another_authors_post_is_never_written(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alice, bob = make_user(), make_user()
    site_a = make_site(tmp_path / "a", stack, user=alice)
    site_b = make_site(tmp_path / "b", stack, user=bob)
    push_post(capsys, site_a, "alices", "Alice's", "Alice wrote this.\n")
    assert run(capsys, site_b, "pull").code == 0

    write_post(site_b, "alices", "Alice's", "Bob scribbled here.\n")
    edited = run(capsys, site_b, "push")
    assert edited.code == 1  # bug 5: a refused edit exited 0, so CI could not tell
    assert "posts/alices: owned by another author" in edited.err
    assert "so your edit was not pushed" in edited.err
    assert "`sitegen pull --force posts/alices`" in edited.err
    (site_b / "content/posts/alices.md").unlink()
    deleted = run(capsys, site_b, "push", "--prune")
    assert deleted.code == 1 and "posts/alices: owned by another author" in deleted.err
    assert remote_post(stack, "alices")[1:3] == ("Alice wrote this.\n", 1)

    write_post(site_b, "alices", "Alice's", "Bob scribbled again.\n")
    push_post(capsys, site_a, "alices", "Alice's", "Alice's second thoughts.\n")
    pulled = run(capsys, site_b, "pull")
    assert pulled.code == 1 and "posts/alices: changed both locally and remotely" in pulled.err
    assert "another author's key: only they can change it" in pulled.err  # --force cannot help


def test_two_machines_creating_the_same_key_conflict_unless_identical(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = make_user()
    one = make_site(tmp_path / "one", stack, user=user)
    two = make_site(tmp_path / "two", stack, user=user)
    write_post(one, "same", "Same", "identical\n")
    write_post(one, "differs", "Differs", "one\n")
    write_post(two, "same", "Same", "identical\n")
    write_post(two, "differs", "Differs", "two\n")
    assert run(capsys, one, "push").code == 0
    result = run(capsys, two, "push")
    assert result.code == 1
    assert "posts/differs: created both locally and remotely" in result.err
    assert "posts/same" not in result.err  # equal content: recorded as in sync
    assert remote_post(stack, "differs")[1:3] == ("one\n", 1)


def test_dry_run_prints_the_plan_and_changes_nothing(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site", stack, user=make_user())
    write_post(site, "old", "Old")
    push_post(capsys, site, "kept", "Kept")
    (site / "content/posts/old.md").unlink()
    write_post(site, "kept", "Kept", "changed\n")
    write_post(site, "new", "New")
    base_before = (site / ".sitegen/sync/base.json").read_bytes()

    result = run(capsys, site, "push", "--dry-run", "--prune")
    assert result.code == 0
    lines = [line.split()[:2] for line in result.out.splitlines() if line.startswith("  ")]
    assert lines == [
        ["update", "posts/kept"],
        ["create", "posts/new"],
        ["delete-remote", "posts/old"],
    ]
    assert sorted(r[0] for r in stack.admin_sql("select slug from public.posts")) == ["kept", "old"]  # type: ignore[attr-defined]
    assert (site / ".sitegen/sync/base.json").read_bytes() == base_before


def test_a_slug_taken_by_another_authors_hidden_draft_is_refused_alone(
    stack: object, make_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alice, bob = make_user(), make_user()
    site_a = make_site(tmp_path / "a", stack, user=alice)
    site_b = make_site(tmp_path / "b", stack, user=bob)
    push_post(capsys, site_a, "taken", "Alice's secret", draft="true")
    for slug in ("aaa", "taken", "zzz"):
        write_post(site_b, slug, f"Bob's {slug}")
    result = run(capsys, site_b, "push")
    assert result.code == 1
    assert "posts/taken" in result.err and "another author" in result.err
    assert stack.admin_sql(  # type: ignore[attr-defined]
        "select slug, title from public.posts order by slug"
    ) == [("aaa", "Bob's aaa"), ("taken", "Alice's secret"), ("zzz", "Bob's zzz")]
