"""Authors as people: their profiles, and the authors each post names (docs/content.md).

Profiles come from `content/authors/<slug>.md` (front matter `name`, `bio`, `avatar`; the
format `sitegen pull` writes for Supabase profiles) and from `[authors.<slug>]` tables in
sitegen.toml (local-only sites); one slug declared in both is an error naming both. A post
names its authors with `authors: [slug, ...]` or `author: slug-or-name` (a list too). A value
that is a profile's slug (or its name) is that person, with a page at `/authors/<slug>/` and a
feed; any other value renders as the name it is, and one that looks like a slug while the site
has profiles is a warning with the closest slug. Pure, except `read_profiles`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from sitegen.config import SiteConfig
from sitegen.errors import BuildFailed, ContentError, SitegenError
from sitegen.frontmatter import read_front_matter
from sitegen.model import Document
from sitegen.paths import CONFIG_FILE
from sitegen.routing import Route, route_of_path
from sitegen.sources.local import MEDIA_PREFIX
from sitegen.views import Author

PROFILES_DIR = "content/authors"
FIELDS = ("authors", "author")  # the front-matter fields naming a document's authors
_PROFILE_FIELDS = ("name", "bio", "avatar")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Profile:
    """An author profile as written: `avatar` is a media path or an absolute URL."""

    slug: str
    name: str
    bio: str
    avatar: str | None
    source: str  # the file, or `sitegen.toml [authors.<slug>]`


def author_route(slug: str) -> Route:
    """`/authors/<slug>/`: fixed, like the main feed, so links and feeds can rely on it."""
    return route_of_path(f"authors/{slug}/")


def profile_paths(paths: Iterable[str]) -> list[str]:
    """The profile files among site-relative input paths: `content/authors/<slug>.md`. The
    paths are clean (as scans name them), so string operations do: a PurePosixPath for each
    of every build's ~1000 paths cost ~3 ms."""
    return sorted(
        path for path in paths if path.rpartition("/")[0] == PROFILES_DIR and path.endswith(".md")
    )


def read_profiles(
    site_dir: Path, paths: Iterable[str], config: SiteConfig
) -> tuple[dict[str, Profile], list[SitegenError]]:
    """Profiles from sitegen.toml and the profile files `paths`, and warnings (unknown fields).
    Raises BuildFailed listing every invalid profile and every slug declared twice."""
    profiles = {
        slug: Profile(slug, table.name, table.bio, table.avatar, f"{CONFIG_FILE} [authors.{slug}]")
        for slug, table in config.authors.items()
    }
    errors: list[SitegenError] = []
    warnings: list[SitegenError] = []
    for path in profile_paths(paths):
        try:
            profile = parse_profile((site_dir / path).read_text(encoding="utf-8"), path, warnings)
        except ContentError as exc:
            errors.append(exc)
            continue
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(ContentError(f"cannot read the file: {exc}", file=path))
            continue
        other = profiles.get(profile.slug)
        if other is not None:
            errors.append(
                ContentError(
                    f"author {profile.slug!r} is declared here and in {other.source}",
                    file=path,
                    hint="keep one of the two (the file is what Supabase profiles sync to)",
                )
            )
            continue
        profiles[profile.slug] = profile
    if errors:
        raise BuildFailed(errors)
    return dict(sorted(profiles.items())), warnings


def parse_profile(text: str, source: str, warnings: list[SitegenError]) -> Profile:
    """A profile file: its slug is the file name; `name` is required. Raises ContentError."""
    slug = PurePosixPath(source).stem
    if not _SLUG.fullmatch(slug):
        raise ContentError(
            f"{slug!r} is not an author slug",
            file=source,
            hint="name the file after the author's slug: lower-case words and hyphens, e.g. "
            "content/authors/ada-lovelace.md",
        )
    raw, lines, _ = read_front_matter(text, source)
    for name in raw:
        if name not in _PROFILE_FIELDS:
            close = difflib.get_close_matches(name, _PROFILE_FIELDS, n=1, cutoff=0.5)
            warnings.append(
                ContentError(
                    "unknown profile field, ignored",
                    file=source,
                    line=lines.get(name),
                    field=name,
                    hint=(f"did you mean `{close[0]}`? " if close else "")
                    + "profile fields: name, bio, avatar",
                )
            )
    values = {name: _text(raw, name, lines, source) for name in _PROFILE_FIELDS}
    if not values["name"]:
        raise ContentError(
            "is required",
            file=source,
            line=lines.get("name", 1),
            field="name",
            hint='add the name shown on the site, e.g. `name: "Ada Lovelace"`',
        )
    return Profile(slug, values["name"], values["bio"] or "", values["avatar"] or None, source)


def _text(raw: Mapping[str, Any], name: str, lines: Mapping[str, int], source: str) -> str | None:
    value = raw.get(name)
    if value is None or isinstance(value, str):
        return value.strip() if isinstance(value, str) else None
    raise ContentError(
        f"must be text, not {value!r}",
        file=source,
        line=lines.get(name),
        field=name,
        hint="quote the value",
    )


@dataclass(frozen=True)
class People:
    """The site's authors with profiles, as template views, and problems found with them."""

    by_slug: Mapping[str, Author]
    warnings: tuple[SitegenError, ...]

    def named_by(self, doc: Document) -> tuple[tuple[Author, ...], list[SitegenError]]:
        """The authors `doc` names, in order, and a warning for each value that is not one."""
        found: list[Author] = []
        problems: list[SitegenError] = []
        by_name = {author.name: author for author in self.by_slug.values()}
        for field, value in _named(doc, problems):
            author = self.by_slug.get(value) or by_name.get(value)
            if author is None:
                author = Author("", value, "", None, None, None)
                if self.by_slug and _SLUG.fullmatch(value):
                    problems.append(_unknown(doc, field, value, self.by_slug))
            if author not in found:
                found.append(author)
        return tuple(found), problems


def people(profiles: Mapping[str, Profile], config: SiteConfig, media: Collection[str]) -> People:
    """Template views of `profiles` (`media`: the site's media paths, for avatars)."""
    views: dict[str, Author] = {}
    warnings: list[SitegenError] = []
    for slug, profile in profiles.items():
        path = author_route(slug).path
        feed = config.base_url + path + "feed.xml" if config.feeds.enabled else None
        avatar = _avatar(profile, config.base_path, media, warnings)
        views[slug] = Author(slug, profile.name, profile.bio, avatar, config.base_path + path, feed)
    return People(views, tuple(warnings))


def _avatar(
    profile: Profile, base_path: str, media: Collection[str], warnings: list[SitegenError]
) -> str | None:
    """The avatar's URL: an absolute URL as it is, a media path (`ada.png`, `media/ada.png`)
    under the site's media folder; a missing media file is a warning."""
    value = profile.avatar
    if value is None or "://" in value:
        return value
    path = value.lstrip("/").removeprefix(MEDIA_PREFIX)
    if path not in media:
        warnings.append(
            ContentError(
                f"missing media file {value!r}",
                file=profile.source,
                field="avatar",
                hint="put the image under content/media/ and name it relative to that folder, "
                "e.g. `avatar: authors/ada.png`",
            )
        )
        return None
    return base_path + MEDIA_PREFIX + path


def _named(doc: Document, problems: list[SitegenError]) -> list[tuple[str, str]]:
    """(field, value) for every author `doc` names in `authors` and `author` (text or lists)."""
    named = []
    for field in FIELDS:
        raw = doc.front.extra.get(field)
        for item in raw if isinstance(raw, list) else [] if raw is None else [raw]:
            if isinstance(item, str) and item.strip():
                named.append((field, item.strip()))
            else:
                problems.append(
                    ContentError(
                        f"{item!r} is not an author's slug or name, ignored",
                        file=doc.source,
                        line=1,
                        field=field,
                        hint="use `authors: [slug, ...]` or `author: Name`",
                    )
                )
    return named


def _unknown(doc: Document, field: str, value: str, known: Mapping[str, Author]) -> ContentError:
    close = difflib.get_close_matches(value, list(known), n=1)
    return ContentError(
        f"no author profile has the slug {value!r}; shown as a plain name",
        file=doc.source,
        line=1,
        field=field,
        hint=(f"did you mean `{close[0]}`? " if close else "")
        + f"add content/authors/{value}.md or an [authors.{value}] table in sitegen.toml",
    )
