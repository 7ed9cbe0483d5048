"""The site's members and their roles (sql/006_members.sql), for `sitegen members`.

Owners read and change the `members` table directly; PostgreSQL's policies refuse everyone else,
and the role of the caller is asked first so that a non-owner is told so in plain words rather
than with a permission error. Membership is looked up by the server on every request, so a change
made here applies on the member's next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitegen.errors import RemoteError
from sitegen.remote.retry import request

if TYPE_CHECKING:
    from sitegen.remote.client import RemoteClient

ROLES = ("owner", "editor", "author", "contributor")
_OWNERS_HINT = "ask an owner of the site (`sitegen members list` shows them to owners)"


@dataclass(frozen=True)
class Member:
    """A member, or an invitation (`pending`) until an account with that address is confirmed."""

    email: str
    role: str
    pending: bool


def my_role(client: RemoteClient) -> str | None:
    """The caller's role on this site; None for anonymous callers and non-members."""
    role = request(
        lambda: client.supabase.rpc("sitegen_my_role", {}).execute(), "read your role"
    ).data
    return role if isinstance(role, str) and role in ROLES else None


def require_owner(client: RemoteClient, action: str) -> None:
    """Raise a RemoteError saying so when the caller is not an owner."""
    role = my_role(client)
    if role != "owner":
        who = f"your role is {role}" if role else "you are not a member"
        raise RemoteError(
            f"cannot {action}: only owners manage members, and {who} ({client.email})",
            hint=_OWNERS_HINT,
        )


def list_members(client: RemoteClient) -> list[Member]:
    """Every member and invitation, by email."""
    require_owner(client, "list members")
    data: Any = request(
        lambda: client.supabase.rpc("sitegen_members", {}).execute(), "list members"
    ).data
    return [_member(item) for item in data or []]


def add_member(client: RemoteClient, email: str, role: str) -> Member:
    """Add `email` with `role`; pending until that address has a confirmed account."""
    require_owner(client, f"add {email}")
    request(
        lambda: client.supabase.table("members").insert({"email": email, "role": role}).execute(),
        f"add {email}",
        idempotent=False,
        explain={
            "23505": (
                f"{email} is already a member",
                f"change the role with `sitegen members role {email} ROLE`",
            )
        },
    )
    return next(m for m in list_members(client) if m.email == email.lower())


def remove_member(client: RemoteClient, email: str) -> None:
    """Remove a member or withdraw an invitation; their content stays, but is no longer public."""
    require_owner(client, f"remove {email}")
    removed = request(
        lambda: client.supabase.table("members").delete().eq("email", email.lower()).execute(),
        f"remove {email}",
        explain={"P0001": _LAST_OWNER},
    ).data
    if not removed:
        raise _not_a_member(email)


def set_role(client: RemoteClient, email: str, role: str) -> None:
    """Change a member's role; it applies on their next request."""
    require_owner(client, f"change the role of {email}")
    changed = request(
        lambda: (
            client.supabase.table("members").update({"role": role}).eq("email", email.lower())
        ).execute(),
        f"change the role of {email}",
        explain={"P0001": _LAST_OWNER},
    ).data
    if not changed:
        raise _not_a_member(email)


_LAST_OWNER = (
    "that would leave the site without an owner",
    "make another member owner first (`sitegen members role EMAIL owner`)",
)


def _not_a_member(email: str) -> RemoteError:
    return RemoteError(
        f"{email} is not a member", hint="`sitegen members list` shows the members and invitations"
    )


def _member(item: Any) -> Member:
    if not (
        isinstance(item, list)
        and len(item) == 3
        and all(isinstance(value, str) for value in item[:2])
        and isinstance(item[2], bool)
    ):
        raise RemoteError(
            f"the member list has a malformed entry: {item!r:.100}",
            hint="apply the sql/ migrations again (sitegen doctor checks them)",
        )
    return Member(*item)
