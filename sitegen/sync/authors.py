"""Authors as people, on the sync side: profiles -> content/authors/<slug>.md, and avatars.

`sitegen pull` writes the profile of every author of what the caller may read (the server picks
them: sitegen_authors() in sql/007_profiles.sql) to `content/authors/<slug>.md`:

    ---
    name: Ada Lovelace
    bio: Writes about engines.
    avatar: /media/authors/ada.png
    ---

`bio` and `avatar` are left out when empty. `avatar` is a site-relative media path: the image is
a row of `media` (uploaded by `sitegen profile --avatar`) and comes with the pull like any other
media file. These files are the build's interface to authors (author pages and feeds); they are
derived from the server, so a pull rewrites them when the profile changed.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from sitegen.errors import ContentError, RemoteError, SitegenError
from sitegen.fsio import write_atomic
from sitegen.model import Media
from sitegen.paths import CONTENT_DIR
from sitegen.remote.store import SupabaseStore, VersionConflict
from sitegen.sync.mapping import (
    MAX_MEDIA_BYTES,
    check_media_path,
    is_profile_slug,
    media_to_row,
    object_name_for,
    validate_row,
)

if TYPE_CHECKING:
    from sitegen.remote.client import RemoteClient

AUTHORS_DIR = "authors"
AVATAR_FOLDER = "authors"  # under content/media
AVATAR_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})


class RemoteProfile(BaseModel):
    """A profile as the server sends it (untrusted, like every remote row)."""

    model_config = ConfigDict(strict=True)

    slug: str
    name: str = Field(min_length=1, max_length=200)
    bio: str = Field(max_length=2000)
    avatar: str | None

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not is_profile_slug(value):
            raise ValueError(f"{value!r} is not a profile slug (lower-case words and hyphens)")
        return value

    @field_validator("avatar")
    @classmethod
    def _avatar(cls, value: str | None) -> str | None:
        return None if value is None else check_media_path(value)


def author_file_text(profile: RemoteProfile) -> str:
    """The content/authors/<slug>.md of a profile."""
    data: dict[str, Any] = {"name": profile.name}
    if profile.bio:
        data["bio"] = profile.bio
    if profile.avatar:
        data["avatar"] = f"/media/{profile.avatar}"
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{text}---\n"


def pull_authors(
    site_dir: Path, store: SupabaseStore, notify: Callable[[str], None]
) -> list[SitegenError]:
    """Write the author files that changed; returns the profiles rejected (each named)."""
    folder = site_dir / CONTENT_DIR / AUTHORS_DIR
    written, errors = 0, list[SitegenError]()
    for item in store.authors():
        if not (isinstance(item, list) and len(item) == 4):
            errors.append(ContentError(f"malformed entry {item!r:.100}", file="remote profiles"))
            continue
        fields = dict(zip(("slug", "name", "bio", "avatar"), item, strict=True))
        source = f"remote profiles/{fields['slug']!s:.100}"
        try:
            profile = validate_row(RemoteProfile, fields, source)
        except ContentError as exc:
            errors.append(exc)
            continue
        target = folder / f"{profile.slug}.md"
        data = author_file_text(profile).encode("utf-8")
        if not target.is_file() or target.read_bytes() != data:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
            written += 1
    if written:
        notify(f"  wrote {written} author profile(s) to {CONTENT_DIR}/{AUTHORS_DIR}/")
    return errors


def upload_avatar(client: RemoteClient, file: Path, slug: str) -> str:
    """Upload `file` as media `authors/<slug><suffix>` (a media row of one's own); returns that
    path, which the profile's `avatar` names."""
    suffix = file.suffix.lower()
    if suffix not in AVATAR_SUFFIXES:
        raise ContentError(
            f"is not an image sitegen takes as an avatar ({', '.join(sorted(AVATAR_SUFFIXES))})",
            file=str(file),
            field="--avatar",
        )
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ContentError(f"cannot read the file: {exc.strerror}", file=str(file)) from None
    if len(data) > MAX_MEDIA_BYTES:
        raise ContentError(f"is larger than {MAX_MEDIA_BYTES} bytes", file=str(file))
    path = str(PurePosixPath(AVATAR_FOLDER) / f"{slug}{suffix}")
    store = SupabaseStore(client)
    existing = store.fetch("media", [path])
    if existing and existing[0].get("author_id") != client.user_id:
        raise RemoteError(
            f"media/{path} belongs to another author",
            hint="choose another slug for your profile (--slug)",
        )
    media = Media(path, hashlib.sha256(data).hexdigest(), len(data))
    object_name = object_name_for(client.user_id or "", media)
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    store.upload_media(object_name, data, content_type)
    row = media_to_row(media, object_name, content_type)
    row["version"] = existing[0]["version"] + 1 if existing else 1
    try:
        store.write("media", [row])
    except VersionConflict:
        raise RemoteError(
            f"media/{path} changed while uploading", hint="run `sitegen profile --avatar` again"
        ) from None
    return path
