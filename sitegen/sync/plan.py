"""The three-way plan: local content, the remote manifest and the sync base -> one step per key.

Pure functions over plain values, so every rule is unit-tested without a server. A key changed
locally when its content hash differs from the base; it changed remotely when its manifest
version differs from the base (or it appeared or vanished). Changes on one side only are applied.
A document changed on both sides is to be merged (`merge`: the engine merges it against the
base text, and a merge that is not clean becomes a conflict); other changes on both sides are
conflicts, never resolved silently (`force` takes one side).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from sitegen.sources.local import MEDIA_PREFIX
from sitegen.sync.state import BaseEntry

# An unreadable local file: never equal to any hash, so it always counts as locally changed.
UNREADABLE = "!unreadable"

Action = Literal[
    "create",
    "update",
    "delete-remote",  # push
    "pull",
    "delete-local",  # pull
    "merge",  # both
    "conflict",
    "refuse",  # push: the key is not ours to change; the push fails (exit 1)
    "skip",
    "forget",
]
LOCAL_CHANGE = Literal["new", "modified", "deleted", "unreadable"]
REMOTE_CHANGE = Literal["new", "modified", "deleted"]


@dataclass(frozen=True)
class RemoteEntry:
    """One manifest entry: what the caller may read of a key right now, and may they change it."""

    version: int
    updated_at: str
    author_id: str | None
    editable: bool


@dataclass(frozen=True)
class Step:
    """What to do with one key, and why. `version` is the version a write must be based on."""

    key: str
    action: Action
    reason: str
    version: int | None = None


@dataclass(frozen=True)
class Change:
    """How a key moved since the last sync on each side (None: not at all), for `status`."""

    key: str
    local: LOCAL_CHANGE | None
    remote: REMOTE_CHANGE | None


Local = Mapping[str, str]  # key -> content hash (UNREADABLE for files that do not parse)
Remote = Mapping[str, RemoteEntry]
Base = Mapping[str, BaseEntry]


def plan_pull(
    local: Local,
    remote: Remote,
    base: Base,
    *,
    viewer: str | None,
    force: bool = False,
    only: Collection[str] | None = None,
) -> list[Step]:
    """Steps bringing remote changes into the working copy, as seen by `viewer` (None: anonymous).

    A key only its author could see at the last sync (a draft, a post scheduled for later) is
    missing from the manifest of anyone else; for them it is hidden, not deleted, and is kept.
    `force` takes the remote version of every key changed locally, even when nothing changed
    remotely (it discards the local change); `only` limits the plan to those keys.
    """
    keys = set(remote) | set(base)
    steps = []
    for key in sorted(keys if only is None else keys & set(only)):
        step = _pull_step(key, local.get(key), remote.get(key), base.get(key), force, viewer)
        if step is not None:
            steps.append(step)
    return steps


def _pull_step(
    key: str,
    here: str | None,
    there: RemoteEntry | None,
    was: BaseEntry | None,
    force: bool,
    viewer: str | None,
) -> Step | None:
    if not _remote_changed(there, was):
        if force and there is not None and not _local_unchanged(here, was):
            return Step(key, "pull", "changed locally; --force takes the remote version")
        return None
    if there is not None:
        if _local_unchanged(here, was):
            return Step(key, "pull", "changed remotely" if was else "new remotely")
        if force:
            return Step(key, "pull", "changed on both sides; --force takes the remote version")
        return _both_changed(key, here, was)
    assert was is not None  # remote gone, so it was in the base
    if here is None:
        return Step(key, "forget", "deleted on both sides")
    if was.private and was.author_id != viewer:
        return Step(
            key, "skip", "a draft only its author can see; kept (log in as its author to sync it)"
        )
    if here == was.hash or force:
        return Step(key, "delete-local", "deleted or unpublished remotely")
    return Step(key, "conflict", "deleted or unpublished remotely but changed locally; kept")


def plan_push(
    local: Local,
    remote: Remote,
    base: Base,
    *,
    user_id: str,
    force: bool = False,
    prune: bool = False,
) -> list[Step]:
    """Steps sending local changes to the remote store, as `user_id`."""
    steps = []
    for key in sorted(set(local) | set(base)):
        step = _push_step(
            key, local.get(key), remote.get(key), base.get(key), user_id, force, prune
        )
        if step is not None:
            steps.append(step)
    return steps


def _push_step(
    key: str,
    here: str | None,
    there: RemoteEntry | None,
    was: BaseEntry | None,
    user_id: str,
    force: bool,
    prune: bool,
) -> Step | None:
    if _local_unchanged(here, was):
        return None
    if here == UNREADABLE:
        return Step(
            key,
            "skip",
            "not pushed: the local file has errors (listed below); fix them and push again",
        )
    if there is not None and not there.editable:
        whose = "owned by another author" if there.author_id != user_id else "no longer a draft"
        if here is None:
            return Step(key, "refuse", f"{whose}; your role does not let you delete it remotely")
        return Step(
            key,
            "refuse",
            f"{whose}, and your role does not let you change it, so your edit was not pushed; "
            f"to publish it, save it under another slug; to drop it, `sitegen pull --force {key}`",
        )
    if here is None:
        return _push_deletion(key, there, was, force, prune)
    if not _remote_changed(there, was):
        if there is None:
            return Step(key, "create", "new locally")
        return Step(key, "update", "changed locally", version=there.version)
    if force:
        if there is None:
            return Step(key, "create", "deleted remotely; --force recreates it")
        return Step(
            key, "update", "changed on both sides; --force sends yours", version=there.version
        )
    if there is None:
        return Step(key, "conflict", "changed locally but deleted or unpublished remotely")
    return _both_changed(key, here, was)


def _both_changed(key: str, here: str | None, was: BaseEntry | None) -> Step:
    """A key changed on both sides, still present on both: merge a document against its base."""
    if was is None:
        return Step(key, "conflict", "created both locally and remotely")
    if here is None:
        return Step(key, "conflict", "deleted locally but changed remotely")
    if here == UNREADABLE or key.startswith(MEDIA_PREFIX):
        return Step(key, "conflict", "changed both locally and remotely")
    return Step(key, "merge", "changed both locally and remotely")


def changes(local: Local, remote: Remote, base: Base, *, viewer: str | None) -> list[Change]:
    """Every key changed on either side since the last sync, as `viewer` sees the remote."""
    found = []
    for key in sorted(set(local) | set(remote) | set(base)):
        here, there, was = local.get(key), remote.get(key), base.get(key)
        mine = _local_change(here, was)
        theirs = _remote_change(there, was, viewer)
        if mine is not None or theirs is not None:
            found.append(Change(key, mine, theirs))
    return found


def _local_change(here: str | None, was: BaseEntry | None) -> LOCAL_CHANGE | None:
    if _local_unchanged(here, was):
        return None
    if here == UNREADABLE:
        return "unreadable"
    if was is None:
        return "new"
    return "deleted" if here is None else "modified"


def _remote_change(
    there: RemoteEntry | None, was: BaseEntry | None, viewer: str | None
) -> REMOTE_CHANGE | None:
    if not _remote_changed(there, was):
        return None
    if there is None:
        assert was is not None
        hidden = was.private and was.author_id != viewer
        return None if hidden else "deleted"
    return "new" if was is None else "modified"


def _push_deletion(
    key: str,
    there: RemoteEntry | None,
    was: BaseEntry | None,
    force: bool,
    prune: bool,
) -> Step | None:
    assert was is not None  # locally absent and locally changed: it was in the base
    if there is None:
        return Step(key, "forget", "deleted on both sides")
    if not prune:
        return Step(key, "skip", "deleted locally; `sitegen push --prune` deletes it remotely")
    if there.version == was.version or force:
        return Step(key, "delete-remote", "deleted locally", version=there.version)
    return Step(key, "conflict", "deleted locally but changed remotely")


def _remote_changed(there: RemoteEntry | None, was: BaseEntry | None) -> bool:
    if there is None or was is None:
        return (there is None) != (was is None)
    return there.version != was.version


def _local_unchanged(here: str | None, was: BaseEntry | None) -> bool:
    if was is None:
        return here is None
    return here == was.hash
