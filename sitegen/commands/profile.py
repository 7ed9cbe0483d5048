"""`sitegen profile`: your author profile (name, slug, bio, avatar) on the site's project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sitegen.commands.auth import SITE_OPTION
from sitegen.config import resolve_site
from sitegen.console import say, verbosity_options

PROFILE_EPILOG = """\b
Examples:
  sitegen profile                                   show yours
  sitegen profile --name "Ada Lovelace" --slug ada  create it (slug from the name if left out)
  sitegen profile --bio "Writes about engines."
  sitegen profile --avatar ~/ada.png                upload to media/authors/<slug>.png

\b
Posts name their authors by profile slug in front matter: `authors: [ada, bob]`.
`sitegen pull` writes the profiles to content/authors/<slug>.md, from which the
build makes author pages /authors/<slug>/. Only members can have a profile;
anyone can read the profiles of people with published content.
"""


@click.command("profile", epilog=PROFILE_EPILOG)
@click.option("--name", help="Your name as the site shows it.")
@click.option("--slug", help="Your author page: /authors/<slug>/ (lower-case words and hyphens).")
@click.option("--bio", help="A short bio (up to 2000 characters).")
@click.option(
    "--avatar",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An image file to upload as your avatar (png, jpg, gif, webp, avif).",
)
@SITE_OPTION
@verbosity_options
def profile_command(
    name: str | None, slug: str | None, bio: str | None, avatar: Path | None, site_dir: Path | None
) -> None:
    """Show your author profile, or create or change it."""
    from sitegen.auth import open_client
    from sitegen.remote.profiles import my_profile, save_profile
    from sitegen.slugs import slugify
    from sitegen.sync.authors import upload_avatar
    from sitegen.sync.mapping import is_profile_slug

    if slug is not None and not is_profile_slug(slug):
        raise click.BadParameter(
            f"{slug!r} is not a profile slug (lower-case words and hyphens)", param_hint="--slug"
        )
    with open_client(resolve_site(site_dir), require_login=True) as client:
        current = my_profile(client)
        changes: dict[str, Any] = {
            field: value
            for field, value in (("name", name), ("slug", slug), ("bio", bio))
            if value is not None
        }
        if changes or avatar is not None:
            if current is None:
                if name is None:
                    raise click.UsageError("you have no profile yet: give at least --name")
                changes.setdefault("slug", slugify(name))
                if not changes["slug"]:
                    raise click.UsageError(f"no slug can be made from {name!r}: give --slug")
            if avatar is not None:
                profile_slug = changes.get("slug") or (current.slug if current else "")
                changes["avatar"] = upload_avatar(client, avatar, profile_slug)
            save_profile(client, changes, exists=current is not None)
            current = my_profile(client)
    if current is None:
        say('You have no profile yet: `sitegen profile --name "Your Name"` creates one.')
        return
    click.echo(f"name:    {current.name}")
    click.echo(f"slug:    {current.slug}  (/authors/{current.slug}/)")
    click.echo(f"bio:     {current.bio or '-'}")
    click.echo(f"avatar:  {'/media/' + current.avatar if current.avatar else '-'}")
