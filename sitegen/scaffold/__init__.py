"""Starter files for `sitegen init` and new documents for `sitegen new`.

Both only ever create files: every target is checked before the first byte is written, so a
refusal leaves the disk exactly as it was. The starter site ships as package data in `starter/`
(dot-files are stored without their dot so packaging tools keep them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sitegen.errors import SitegenError
from sitegen.slugs import is_valid_slug, slugify

# starter/ file -> path in the new site; `welcome.md` is a post body that gets fresh front matter.
_STARTER_FILES = {
    "sitegen.toml": "sitegen.toml",
    "gitignore": ".gitignore",
    "env.example": ".env.example",
    "content/pages/about.md": "content/pages/about.md",
    "content/media/sitegen.svg": "content/media/sitegen.svg",
}
WELCOME_POST = "content/posts/welcome.md"
WELCOME_TITLE = "Welcome to your new site"

FOLDERS = {"post": "posts", "page": "pages"}


class _FrontMatterDumper(yaml.SafeDumper):
    """SafeDumper that writes datetimes as ISO 8601 with a `T` (`2026-01-31T09:30:00+00:00`)."""


def _represent_datetime(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_FrontMatterDumper.add_representer(dt.datetime, _represent_datetime)


def utc_now() -> dt.datetime:
    """Now, in UTC, to the second: what `date:` holds in a new post."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def document_text(front: Mapping[str, Any], body: str) -> str:
    """A Markdown file: YAML front matter between `---` lines, then the body.

    YAML is produced by a safe dumper, so any title (quotes, colons, `#`, leading `-`) round-trips.
    """
    yaml_text = yaml.dump(
        dict(front),
        Dumper=_FrontMatterDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1000,  # long titles stay on one line
    )
    return f"---\n{yaml_text}---\n\n{body}"


def new_post_front(title: str, now: dt.datetime, *, draft: bool, tags: list[str]) -> dict[str, Any]:
    """A new post's front matter: every field an author usually edits, so they are easy to find."""
    return {"title": title, "date": now, "draft": draft, "tags": tags}


def init_files(now: dt.datetime) -> dict[str, str]:
    """Every file of a new site, by path relative to the site folder."""
    starter = resources.files(__name__).joinpath("starter")
    files = {
        target: starter.joinpath(source).read_text(encoding="utf-8")
        for source, target in _STARTER_FILES.items()
    }
    front = new_post_front(WELCOME_TITLE, now, draft=False, tags=["sitegen"])
    files[WELCOME_POST] = document_text(front, starter.joinpath("welcome.md").read_text("utf-8"))
    return files


def slug_for(title: str, slug: str | None) -> str:
    """The slug of a new document: `--slug` when given (validated), else made from the title."""
    if slug is not None:
        if not is_valid_slug(slug):
            raise SitegenError(
                f"--slug {slug!r} is not a valid slug",
                field="slug",
                hint="use lower-case letters, digits and hyphens, e.g. --slug my-first-post "
                "(pages may be nested: --slug guides/install)",
            )
        return slug
    made = slugify(title)
    if not made:
        raise SitegenError(
            f"cannot make a slug from the title {title!r}: it has no letters or digits in A-Z, 0-9",
            field="slug",
            hint="pass one with --slug, e.g. --slug my-first-post",
        )
    return made


def document_path(kind: str, slug: str) -> str:
    """Where a new document goes, relative to the site folder."""
    return f"content/{FOLDERS[kind]}/{slug}.md"


def create_files(root: Path, files: Mapping[str, str], *, hint: str) -> list[Path]:
    """Write `files` under `root`, creating folders; refuse (writing nothing) if any exists.

    `hint` tells the user what to do instead when a file is in the way.
    """
    targets = {root / relative: text for relative, text in files.items()}
    existing = [str(path) for path in targets if path.exists() or path.is_symlink()]
    if existing:
        plural = "s" if len(existing) > 1 else ""
        raise SitegenError(
            f"refusing to overwrite existing file{plural}: {', '.join(sorted(existing))}; "
            "nothing was written",
            hint=hint,
        )
    for path, text in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    return list(targets)
