"""The three-way plan, rule by rule (pure: plain values in, steps out)."""

from __future__ import annotations

from sitegen.sync.plan import UNREADABLE, Change, RemoteEntry, changes, plan_pull, plan_push
from sitegen.sync.state import BaseEntry

ME, OTHER = "user-a", "user-b"
K = "posts/hello"


def remote(version: int, author: str | None = ME) -> dict[str, RemoteEntry]:
    return {K: RemoteEntry(version, "2026-01-01T00:00:00+00:00", author, author in (None, ME))}


def base(version: int, hash_: str = "h0", author: str | None = ME) -> dict[str, BaseEntry]:
    return {K: BaseEntry(version, hash_, author)}


def plan_pull_as(*args, viewer=ME, **kwargs):
    return plan_pull(*args, viewer=viewer, **kwargs)


def actions(steps):
    return [(s.key, s.action, s.version) for s in steps]


# --- pull -------------------------------------------------------------------------------------


def test_pull_nothing_changed_plans_nothing() -> None:
    assert plan_pull_as({K: "h0"}, remote(2), base(2)) == []


def test_pull_new_remote_key_is_pulled() -> None:
    assert actions(plan_pull_as({}, remote(1), {})) == [(K, "pull", None)]


def test_pull_remote_change_on_unchanged_local_is_pulled() -> None:
    assert actions(plan_pull_as({K: "h0"}, remote(3), base(2))) == [(K, "pull", None)]


def test_pull_remote_change_on_edited_local_is_merged_unless_forced() -> None:
    assert actions(plan_pull_as({K: "mine"}, remote(3), base(2))) == [(K, "merge", None)]
    assert actions(plan_pull_as({K: "mine"}, remote(3), base(2), force=True)) == [(K, "pull", None)]


def test_pull_media_or_unreadable_changed_on_both_sides_is_a_conflict() -> None:
    media = "media/cat.png"
    both = plan_pull_as(
        {media: "mine"},
        {media: RemoteEntry(3, "t", ME, True)},
        {media: BaseEntry(2, "h0", ME)},
    )
    assert actions(both) == [(media, "conflict", None)]
    assert actions(plan_pull_as({K: UNREADABLE}, remote(3), base(2))) == [(K, "conflict", None)]


def test_pull_local_edit_alone_is_left_for_push() -> None:
    assert plan_pull_as({K: "mine"}, remote(2), base(2)) == []


def test_pull_force_discards_a_local_edit_even_when_nothing_changed_remotely() -> None:
    """Bug 3: `pull --force` did nothing for a key edited locally but unchanged remotely (so
    another author's post edited here could never be restored)."""
    theirs = plan_pull_as({K: "mine"}, remote(2, OTHER), base(2, author=OTHER), force=True)
    assert actions(theirs) == [(K, "pull", None)]
    deleted = plan_pull_as({}, remote(2), base(2), force=True)
    assert actions(deleted) == [(K, "pull", None)]
    assert plan_pull_as({K: "h0"}, remote(2), base(2), force=True) == []  # nothing to discard


def test_pull_only_plans_the_keys_asked_for() -> None:
    other = "posts/other"
    local = {K: "mine", other: "mine"}
    remote_ = {**remote(2), other: RemoteEntry(2, "t", ME, True)}
    base_ = {**base(2), other: BaseEntry(2, "h0", ME)}
    steps = plan_pull_as(local, remote_, base_, force=True, only={K})
    assert actions(steps) == [(K, "pull", None)]


def test_pull_key_created_on_both_sides_is_conflict() -> None:
    assert actions(plan_pull_as({K: "mine"}, remote(1), {})) == [(K, "conflict", None)]


def test_pull_remote_deletion_deletes_unchanged_local_file() -> None:
    assert actions(plan_pull_as({K: "h0"}, {}, base(2))) == [(K, "delete-local", None)]


def test_pull_remote_deletion_keeps_edited_local_file_as_conflict() -> None:
    step = plan_pull_as({K: "mine"}, {}, base(2))[0]
    assert step.action == "conflict" and "kept" in step.reason


def test_pull_remote_deletion_with_local_deletion_forgets_the_key() -> None:
    assert actions(plan_pull_as({}, {}, base(2))) == [(K, "forget", None)]


def test_pull_keeps_drafts_that_are_only_hidden_from_this_viewer() -> None:
    private = {K: BaseEntry(2, "h0", ME, private=True)}
    assert actions(plan_pull_as({K: "h0"}, {}, private, viewer=None)) == [(K, "skip", None)]
    assert actions(plan_pull_as({K: "h0"}, {}, private, viewer=OTHER)) == [(K, "skip", None)]
    # its author no longer sees it: it was really deleted
    assert actions(plan_pull_as({K: "h0"}, {}, private, viewer=ME)) == [(K, "delete-local", None)]
    # a published key that vanished was deleted or unpublished, whoever looks
    assert actions(plan_pull_as({K: "h0"}, {}, base(2), viewer=None)) == [(K, "delete-local", None)]


def test_pull_unreadable_local_file_is_never_overwritten() -> None:
    assert actions(plan_pull_as({K: UNREADABLE}, remote(3), base(2))) == [(K, "conflict", None)]


def test_pull_local_deletion_with_remote_change_is_conflict() -> None:
    assert actions(plan_pull_as({}, remote(3), base(2))) == [(K, "conflict", None)]


# --- push -------------------------------------------------------------------------------------


def test_push_new_local_key_is_created() -> None:
    assert actions(plan_push({K: "h1"}, {}, {}, user_id=ME)) == [(K, "create", None)]


def test_push_local_edit_updates_with_base_version() -> None:
    assert actions(plan_push({K: "h1"}, remote(2), base(2), user_id=ME)) == [(K, "update", 2)]


def test_push_unchanged_local_plans_nothing_even_if_remote_moved() -> None:
    assert plan_push({K: "h0"}, remote(5), base(2), user_id=ME) == []


def test_push_both_changed_is_merged_and_force_sends_current_version() -> None:
    assert actions(plan_push({K: "h1"}, remote(3), base(2), user_id=ME)) == [(K, "merge", None)]
    forced = plan_push({K: "h1"}, remote(3), base(2), user_id=ME, force=True)
    assert actions(forced) == [(K, "update", 3)]


def test_push_created_on_both_sides_is_conflict() -> None:
    assert actions(plan_push({K: "h1"}, remote(1), {}, user_id=ME)) == [(K, "conflict", None)]


def test_push_edit_of_remotely_deleted_key_is_conflict_and_force_recreates() -> None:
    assert actions(plan_push({K: "h1"}, {}, base(2), user_id=ME)) == [(K, "conflict", None)]
    assert actions(plan_push({K: "h1"}, {}, base(2), user_id=ME, force=True)) == [
        (K, "create", None)
    ]


def test_push_local_deletion_needs_prune() -> None:
    step = plan_push({}, remote(2), base(2), user_id=ME)[0]
    assert step.action == "skip" and "--prune" in step.reason
    assert actions(plan_push({}, remote(2), base(2), user_id=ME, prune=True)) == [
        (K, "delete-remote", 2)
    ]


def test_push_prune_never_deletes_a_remotely_changed_key() -> None:
    steps = plan_push({}, remote(3), base(2), user_id=ME, prune=True)
    assert actions(steps) == [(K, "conflict", None)]


def test_push_prune_only_touches_keys_in_the_base() -> None:
    # A remote key this working copy never synced is not "deleted locally".
    assert plan_push({}, remote(2), {}, user_id=ME, prune=True) == []


def test_push_never_writes_another_authors_key() -> None:
    step = plan_push({K: "h1"}, remote(2, author=OTHER), base(2, author=OTHER), user_id=ME)[0]
    assert step.action == "refuse" and "another author" in step.reason
    assert f"sitegen pull --force {K}" in step.reason  # the way out
    pruned = plan_push({}, remote(2, author=OTHER), base(2, author=OTHER), user_id=ME, prune=True)
    assert pruned[0].action == "refuse"


def test_push_unreadable_local_file_is_skipped() -> None:
    step = plan_push({K: UNREADABLE}, remote(2), base(2), user_id=ME)[0]
    assert step.action == "skip" and "has errors" in step.reason


def test_plans_are_sorted_by_key() -> None:
    local = {"posts/b": "x", "posts/a": "y", "pages/c": "z"}
    assert [s.key for s in plan_push(local, {}, {}, user_id=ME)] == [
        "pages/c",
        "posts/a",
        "posts/b",
    ]


# --- status -----------------------------------------------------------------------------------


def test_changes_name_each_sides_change() -> None:
    local = {K: "h1", "posts/new": "n", "posts/bad": UNREADABLE}
    remote_ = {**remote(3), "posts/theirs": RemoteEntry(1, "t", OTHER, False)}
    base_ = {**base(2), "posts/bad": BaseEntry(1, "b", ME), "posts/gone": BaseEntry(1, "g", ME)}
    base_["posts/hidden"] = BaseEntry(1, "x", OTHER, private=True)
    local["posts/hidden"] = "x"
    assert changes(local, remote_, base_, viewer=ME) == [
        Change("posts/bad", "unreadable", "deleted"),
        Change("posts/gone", "deleted", "deleted"),
        Change(K, "modified", "modified"),
        Change("posts/new", "new", None),
        Change("posts/theirs", None, "new"),
    ]  # posts/hidden: another author's draft, invisible to us, not deleted
