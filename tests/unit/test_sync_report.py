"""What push and pull say at the end, and the error a conflict becomes."""

from __future__ import annotations

import pytest

from sitegen.errors import ContentError, SyncConflict
from sitegen.sync.plan import Step
from sitegen.sync.report import Conflict, SyncErrors, SyncReport


def test_summary_counts_per_table_with_singulars() -> None:
    report = SyncReport(seconds=2.14)
    for key in ["posts/a", "posts/b", "pages/c", "media/x.png"]:
        report.count("pull", key)
    report.count("delete-local", "posts/z")
    assert report.summary("Pulled") == (
        "Pulled 2 posts, 1 page, 1 media in 2.1 s; deleted 1 local file"
    )
    pushed = SyncReport(seconds=0.5)
    pushed.count("create", "posts/a")
    pushed.count("update", "posts/b")
    assert pushed.summary("Pushed") == "Pushed 2 posts, 0 pages, 0 media in 0.5 s"
    pushed.count("delete-remote", "pages/c")
    pushed.count("delete-remote", "pages/d")
    assert (
        pushed.summary("Pushed") == "Pushed 2 posts, 0 pages, 0 media in 0.5 s; deleted 2 remotely"
    )


def test_summary_says_when_there_was_nothing_to_do() -> None:
    assert SyncReport(seconds=0.2).summary("Pulled") == (
        "Pulled 0 posts, 0 pages, 0 media in 0.2 s: already up to date"
    )
    assert SyncReport(seconds=0.4).summary("Pushed") == (
        "Pushed 0 posts, 0 pages, 0 media in 0.4 s: nothing to push"
    )
    failed = SyncReport(errors=[ContentError("bad", file="content/posts/x.md")])
    assert "nothing to push" not in failed.summary("Pushed")  # not "fine" when something failed
    skipped = SyncReport(skipped=[Step("posts/theirs", "skip", "owned by another author")])
    assert "nothing to push" not in skipped.summary("Pushed")  # something was left out


def test_dry_run_plan_ends_with_totals() -> None:
    report = SyncReport(
        steps=[
            Step("posts/a", "create", "new locally"),
            Step("posts/b", "create", "new locally"),
            Step("pages/c", "update", "changed locally", version=2),
        ]
    )
    assert report.plan_lines() == [
        "  create        posts/a  (new locally)",
        "  create        posts/b  (new locally)",
        "  update        pages/c  (changed locally)",
        "2 create, 1 update; run without --dry-run to apply",
    ]


def test_conflicts_become_one_error_naming_both_sides() -> None:
    report = SyncReport()
    report.conflicts.append(
        Conflict(
            key="posts/a",
            reason="changed both locally and remotely",
            local_file="content/posts/a.md",
            local_time="2026-01-02T10:00:00+00:00",
            local_author="me@example.org",
            remote_version=4,
            remote_time="2026-01-02T12:00:00.161576+01:00",
            remote_author="them@example.org",
        )
    )
    with pytest.raises(SyncConflict) as info:
        report.raise_for_problems()
    text = str(info.value)
    assert info.value.keys == ["posts/a"]
    assert "content/posts/a.md (changed 2026-01-02 10:00:00 UTC, by you (me@example.org))" in text
    assert "remote version 4 (changed 2026-01-02 11:00:00 UTC, by them@example.org)" in text
    assert info.value.hint == (  # says how to see the remote version: a plain pull keeps yours
        "to merge: copy your file aside, `sitegen pull --force KEY` (takes the remote version), "
        "merge your copy into it, then `sitegen push`; to keep yours as it is: "
        "`sitegen push --force`"
    )


def test_a_conflict_on_another_authors_key_says_force_cannot_help() -> None:
    report = SyncReport(
        conflicts=[
            Conflict(
                key="posts/theirs",
                reason="changed both locally and remotely",
                local_file="content/posts/theirs.md",
                local_time=None,
                local_author=None,
                remote_version=3,
                remote_time=None,
                remote_author="them@example.org",
                read_only=True,
            )
        ]
    )
    with pytest.raises(SyncConflict) as info:
        report.raise_for_problems()
    assert str(info.value).splitlines()[1:5] == [
        "  posts/theirs: changed both locally and remotely",
        "      local content/posts/theirs.md (changed at an unknown time, by you)",
        "      remote version 3 (changed at an unknown time, by them@example.org)",
        "      another author's key: only they can change it; to publish your version, save it "
        "under another slug",
    ]


def test_errors_are_raised_after_conflicts_are_ruled_out() -> None:
    report = SyncReport()
    report.raise_for_problems()  # nothing wrong: no exception
    report.errors = [ContentError("bad", file="remote posts/x")]
    with pytest.raises(ContentError):
        report.raise_for_problems()
    report.errors.append(ContentError("worse", file="remote posts/y"))
    with pytest.raises(SyncErrors) as info:
        report.raise_for_problems()
    assert "remote posts/x" in str(info.value) and "remote posts/y" in str(info.value)
