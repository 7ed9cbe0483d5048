"""Earlier versions of posts and pages (sql/008_history.sql), for `sitegen history` and `restore`.

The server keeps every version an update or delete replaced, append-only; who may read them is
decided by its policies (whoever may edit the row). Restoring writes a stored version back as a
new version through the same policies and version check as any edit, so a later pull brings it to
every working copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitegen.errors import RemoteError
from sitegen.remote.retry import request

if TYPE_CHECKING:
    from sitegen.remote.client import RemoteClient


@dataclass(frozen=True)
class Version:
    """One version of a key: its number, when and by whom it was written, and whether it is the
    one on the server now (`current`) or was replaced by an update or a delete (`replaced_by`)."""

    number: int
    written_at: str
    email: str | None
    current: bool
    replaced_by: str = ""


def history(client: RemoteClient, table: str, slug: str) -> list[Version]:
    """The versions of `table/slug` the caller may read, newest first."""
    key = f"{table}/{slug}"
    current: Any = request(
        lambda: (
            client.supabase.table(table)
            .select("version,updated_at,updated_by_email")
            .eq("slug", slug)
            .execute()
        ),
        f"read {key}",
    ).data
    earlier: Any = request(
        lambda: (
            client.supabase.table("revisions")
            .select("version,updated_at,updated_by_email,operation")
            .eq("kind", table)
            .eq("slug", slug)
            .order("id", desc=True)
            .execute()
        ),
        f"read the history of {key}",
    ).data
    versions = [_version(row, current=True) for row in current]
    versions += [_version(row, current=False) for row in earlier]
    if not versions:
        raise RemoteError(
            f"{key} has no history you may read",
            hint="check the key (posts/<slug> or pages/<slug>); a history is readable by "
            "whoever may edit the document: its author, editors and owners",
        )
    return versions


def restore(client: RemoteClient, table: str, slug: str, version: int) -> int:
    """Write version `version` of `table/slug` back as a new version; returns its number."""
    key = f"{table}/{slug}"
    written = request(
        lambda: client.supabase.rpc(
            "sitegen_restore", {"kind": table, "slug": slug, "version_number": version}
        ).execute(),
        f"restore {key} version {version}",
        idempotent=False,
        explain={
            "P0002": (
                f"{key} has no earlier version {version} you may read",
                f"`sitegen history {key}` lists the versions there are",
            ),
            "42501": (
                f"your role does not let you change {key}",
                "ask its author or an editor to restore it",
            ),
        },
    ).data
    if not isinstance(written, int):
        raise RemoteError(
            f"restore {key}: the server answered {written!r:.80}", hint="apply sql/ again"
        )
    return written


def _version(row: dict[str, Any], *, current: bool) -> Version:
    replaced = "" if current else ("deleted" if row.get("operation") == "delete" else "replaced")
    return Version(
        number=int(row["version"]),
        written_at=str(row["updated_at"]),
        email=row.get("updated_by_email"),
        current=current,
        replaced_by=replaced,
    )
