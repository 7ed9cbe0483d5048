"""`sitegen status` text: git-status-like groups, one line per key, with what to do."""

from __future__ import annotations

from sitegen.errors import ContentError
from sitegen.sync.plan import Change
from sitegen.sync.status import KeyStatus, Status, status_lines


def test_status_groups_keys_by_side_and_says_how_both_sided_changes_merge() -> None:
    found = Status(
        keys=[
            KeyStatus(Change("posts/mine", "modified", None)),
            KeyStatus(Change("posts/gone", "deleted", None)),
            KeyStatus(Change("posts/alices", "modified", None), theirs=True),
            KeyStatus(Change("posts/news", None, "new")),
            KeyStatus(Change("posts/shared", "modified", "modified"), "clean"),
            KeyStatus(Change("posts/clash", "modified", "modified"), "conflict", ("title", "body")),
        ],
        errors=[
            ContentError("has unresolved merge conflict markers", file="content/posts/x.md", line=7)
        ],
        email="ada@example.org",
    )
    assert status_lines(found) == [
        "Logged in as ada@example.org.",
        "Local changes (`sitegen push` sends them):",
        "  modified:        posts/mine",
        "  deleted:         posts/gone  (`sitegen push --prune` deletes it remotely)",
        "  modified:        posts/alices  (another author's: not pushed; "
        "`sitegen pull --force posts/alices` drops it)",
        "Remote changes (`sitegen pull` brings them):",
        "  new:             posts/news",
        "Changed on both sides:",
        "  merges cleanly:  posts/shared  (`sitegen pull` or `sitegen push` merges it)",
        "  conflict:        posts/clash  (both changed title, body; `sitegen diff posts/clash`)",
        "Files that are not pushed until fixed:",
        "  content/posts/x.md:7: has unresolved merge conflict markers",
    ]


def test_nothing_changed_says_up_to_date() -> None:
    assert status_lines(Status()) == [
        "Not logged in (`sitegen login`).",
        "Up to date: nothing to push or pull.",
    ]
