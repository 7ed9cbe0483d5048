"""`sitegen init` (a new site) and `sitegen new` (a new post or page)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from sitegen.console import say, verbosity_options
from sitegen.errors import SitegenError

INIT_EPILOG = """\b
Examples:
  sitegen init mysite        create the folder mysite/ and a starter site in it
  sitegen init               start a site in the current folder

\b
Nothing is ever overwritten: if any starter file already exists, init
names it and writes nothing.
"""

NEW_EPILOG = """\b
Examples:
  sitegen new post "Hello world"               content/posts/hello-world.md
  sitegen new post "Notes" --draft -t python   a draft post tagged python
  sitegen new page "About us"                  content/pages/about-us.md
  sitegen new page "Install" --slug guides/install
  sitegen new post "東京" --slug tokyo        a title without A-Z letters needs --slug
"""


def _shown(path: Path) -> str:
    """`path` relative to the current folder when it is inside it (shorter messages)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@click.command("init", epilog=INIT_EPILOG)
@click.argument("directory", default=".", type=click.Path(path_type=Path))
@verbosity_options
def init_command(directory: Path) -> None:
    """Create a new site in DIRECTORY (default: the current folder)."""
    from sitegen.scaffold import create_files, init_files, utc_now

    if directory.exists() and not directory.is_dir():
        raise SitegenError(
            f"{directory} exists and is not a folder",
            hint="pass a folder name, e.g. `sitegen init mysite`",
        )
    create_files(
        directory,
        init_files(utc_now()),
        hint="init never overwrites anything; pick a new or empty folder, "
        "e.g. `sitegen init mysite`",
    )
    here = directory.resolve() == Path.cwd().resolve()
    say(f"Created a new site in {_shown(directory)}{os.sep if not here else ''}")
    say("\nNext steps:")
    if not here:
        say(f"  cd {_shown(directory)}")
    say("  edit sitegen.toml (title, base_url, author)")
    say('  sitegen new post "My first post"')
    say("  sitegen serve        preview while you write")
    say("  sitegen build        write the site to public/")


@click.command("new", epilog=NEW_EPILOG)
@click.argument("kind", type=click.Choice(["post", "page"]))
@click.argument("title")
@click.option("--slug", help="URL name instead of one made from the title (e.g. my-post).")
@click.option(
    "--draft", is_flag=True, help="Mark it as a draft (left out of builds unless --drafts)."
)
@click.option("-t", "--tag", "tags", multiple=True, help="Add a tag to a post (repeatable).")
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder (default: the nearest folder with sitegen.toml).",
)
@verbosity_options
def new_command(
    kind: str,
    title: str,
    slug: str | None,
    draft: bool,
    tags: tuple[str, ...],
    site_dir: Path | None,
) -> None:
    """Create a new post or page from TITLE and print its path."""
    from sitegen.config import resolve_site
    from sitegen.scaffold import (
        create_files,
        document_path,
        document_text,
        new_post_front,
        slug_for,
        utc_now,
    )

    if not title.strip():
        raise click.BadParameter("the title is empty", param_hint="TITLE")
    site = resolve_site(site_dir)
    site_dir = site_dir if site_dir is not None else Path(_shown(site))
    if kind == "page" and tags:
        raise click.UsageError("--tag applies to posts only")
    document_slug = slug_for(title, slug)
    if kind == "post":
        front = new_post_front(title, utc_now(), draft=draft, tags=list(tags))
        body = "Write your post here. The first paragraph becomes the summary on the home page.\n"
    else:
        front = {"title": title, **({"draft": True} if draft else {})}
        body = "Write your page here.\n"
    relative = document_path(kind, document_slug)
    [path] = create_files(
        site_dir,
        {relative: document_text(front, body)},
        hint="choose another title, or another name with --slug",
    )
    say(_shown(path))
