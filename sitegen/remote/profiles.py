"""Author profiles (sql/007_profiles.sql): one per account, for `sitegen profile` and pull.

A profile has a display name, a slug (the author page /authors/<slug>/), a short bio and an
avatar: the path of a row in `media` (e.g. `authors/ada.png`), so the image syncs like any other
media file. Only members may create or change their own; who may read which is the server's
policies' business. Rows come back raw: validating them is the caller's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitegen.remote.retry import request

if TYPE_CHECKING:
    from sitegen.remote.client import RemoteClient

_NOT_A_MEMBER = (
    "only members of the site can have a profile",
    "ask an owner to add you (`sitegen members add EMAIL --role ROLE`)",
)


@dataclass(frozen=True)
class Profile:
    slug: str
    name: str
    bio: str
    avatar: str | None


def my_profile(client: RemoteClient) -> Profile | None:
    """The logged-in account's profile, or None when it has none yet."""
    rows: Any = request(
        lambda: (
            client.supabase.table("profiles")
            .select("slug,name,bio,avatar")
            .eq("user_id", client.user_id)
            .execute()
        ),
        "read your profile",
    ).data
    return Profile(**rows[0]) if rows else None


def save_profile(client: RemoteClient, changes: Mapping[str, Any], *, exists: bool) -> None:
    """Create the profile (`exists=False`, `changes` holds every column) or change some fields."""
    table = client.supabase.table("profiles")
    explain = {
        "42501": _NOT_A_MEMBER,
        "23505": (
            f"the slug {changes.get('slug')!r} is taken by another author",
            "choose another one with --slug",
        ),
        "23514": (
            "a value is not allowed",
            "slugs are lower-case words and hyphens; names 1 to 200 characters; bios up to 2000",
        ),
    }
    if exists:
        request(
            lambda: table.update(dict(changes)).eq("user_id", client.user_id).execute(),
            "update your profile",
            explain=explain,
        )
    else:
        request(
            lambda: table.insert(dict(changes)).execute(),
            "create your profile",
            idempotent=False,
            explain=explain,
        )
