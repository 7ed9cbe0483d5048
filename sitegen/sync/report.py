"""What a push or pull did (or, with --dry-run, would do), in words a user can act on."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sitegen.errors import SitegenError, SyncConflict
from sitegen.sync.plan import Step

MERGE_HINT = (
    "to merge: copy your file aside, `sitegen pull --force KEY` (takes the remote version), "
    "merge your copy into it, then `sitegen push`; to keep yours as it is: "
    "`sitegen push --force`"
)
MARKERS_HINT = (
    "edit each file: keep what you want between `<<<<<<< local` and `>>>>>>> remote`, delete "
    "the marker lines, then `sitegen push`; `sitegen diff KEY` shows both sides, "
    "`sitegen pull --force KEY` takes the remote version"
)


@dataclass(frozen=True)
class Conflict:
    """A key changed on both sides: both versions' times and authors, so the user can decide."""

    key: str
    reason: str
    local_file: str | None
    local_time: str | None
    local_author: str | None
    remote_version: int | None
    remote_time: str | None
    remote_author: str | None
    read_only: bool = False  # the remote row is another author's: --force cannot push over it
    markers: str | None = None  # `file:line` of the conflict markers a merge wrote
    parts: tuple[str, ...] = ()  # what both sides changed differently (front-matter fields, body)

    def describe(self) -> str:
        you = f"you ({self.local_author})" if self.local_author else "you"
        local = (
            f"local {self.local_file} (changed {moment(self.local_time)}, by {you})"
            if self.local_file
            else "local: deleted"
        )
        if self.remote_version is None:
            remote = "remote: deleted or unpublished"
        else:
            remote = (
                f"remote version {self.remote_version} (changed {moment(self.remote_time)}, "
                f"by {self.remote_author or 'unknown'})"
            )
        text = f"  {self.key}: {self.reason}\n      {local}\n      {remote}"
        if self.markers:
            text += (
                f"\n      merge conflict in {', '.join(self.parts)}: "
                f"markers written to {self.markers}"
            )
        if self.read_only:
            text += (
                "\n      another author's key: only they can change it; to publish your "
                "version, save it under another slug"
            )
        return text


@dataclass
class SyncReport:
    """Counts per action and table, conflicts, skipped keys and errors of one run."""

    steps: list[Step] = field(default_factory=list)
    done: Counter[tuple[str, str]] = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[Step] = field(default_factory=list)
    refused: list[Step] = field(default_factory=list)
    errors: list[SitegenError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, action: str, key: str) -> None:
        self.done[(action, key.split("/", 1)[0])] += 1

    def summary(self, verb: str) -> str:
        """`Pulled 5000 posts, 12 pages, 3 media in 2.1 s`, plus deletions when there were any,
        or a word that nothing needed doing (so a zero count does not look like a failure)."""
        pulling = verb == "Pulled"
        actions = ("pull",) if pulling else ("create", "update")
        parts = [
            count_of(sum(self.done[(action, table)] for action in actions), table)
            for table in ("posts", "pages", "media")
        ]
        text = f"{verb} {', '.join(parts)} in {self.seconds:.1f} s"
        deleted = sum(n for (action, _), n in self.done.items() if action.startswith("delete"))
        merged = sum(n for (action, _), n in self.done.items() if action == "merge")
        if merged:
            text += f"; merged {merged} changed on both sides"
            text += " (`sitegen push` sends the merge)" if pulling else ""
        if deleted:
            where = f"local file{'s' if deleted != 1 else ''}" if pulling else "remotely"
            text += f"; deleted {deleted} {where}"
        elif not (self.done or self.conflicts or self.errors or self.skipped or self.refused):
            text += ": already up to date" if pulling else ": nothing to push"
        return text

    def plan_lines(self) -> list[str]:
        """One line per planned step, then what they add up to, for --dry-run."""
        lines = [f"  {step.action:<13} {step.key}  ({step.reason})" for step in self.steps]
        totals = Counter(step.action for step in self.steps)
        if totals:
            lines.append(
                ", ".join(f"{n} {action}" for action, n in sorted(totals.items()))
                + "; run without --dry-run to apply"
            )
        return lines

    def raise_for_problems(self) -> None:
        """Turn conflicts, refusals and errors into the error the CLI reports (exit code 1)."""
        if self.conflicts:
            keys = [conflict.key for conflict in self.conflicts]
            details = "\n".join(
                [conflict.describe() for conflict in self.conflicts]
                + [f"  {step.key}: {step.reason}" for step in self.refused]
            )
            marked = [conflict for conflict in self.conflicts if conflict.markers]
            what = "could not be merged" if marked else "left untouched"
            raise SyncConflict(
                f"{len(keys)} key{'s' if len(keys) != 1 else ''} changed on both sides; "
                f"{what}:\n{details}",
                keys=keys,
                hint=MARKERS_HINT if marked else MERGE_HINT,
            )
        errors = [*self.errors, *(SyncRefused(step) for step in self.refused)]
        if errors:
            raise errors[0] if len(errors) == 1 else SyncErrors(errors)


def moment(text: str | None) -> str:
    """An ISO timestamp from either side as `2026-11-22 03:47:34 UTC`, so both read alike."""
    if not text:
        return "at an unknown time"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return text
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def count_of(number: int, table: str) -> str:
    """`1 post`, `2 posts`, `3 media`."""
    noun = table if number != 1 or table == "media" else table.removesuffix("s")
    return f"{number} {noun}"


class SyncRefused(SitegenError):
    """A key the policies do not let this user change: reported, and the run fails (exit 1)."""

    def __init__(self, step: Step) -> None:
        super().__init__(f"{step.key}: {step.reason}")


class SyncErrors(SitegenError):
    """Several keys could not be synced; every other key was."""

    def __init__(self, errors: list[SitegenError]) -> None:
        super().__init__(f"{len(errors)} keys could not be synced; all others were")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join([*(str(error) for error in self.errors), self.message])
