"""`sitegen members`: who belongs to the site and with which role (owners manage it)."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.commands.auth import SITE_OPTION
from sitegen.config import resolve_site
from sitegen.console import say, verbosity_options

ROLE_CHOICE = click.Choice(["owner", "editor", "author", "contributor"])

MEMBERS_EPILOG = """\b
Examples:
  sitegen members list
  sitegen members add ada@example.org --role author
  sitegen members role ada@example.org editor
  sitegen members remove ada@example.org

\b
Roles: owner (also manages members), editor (edits, publishes, unpublishes and
deletes anyone's content), author (publishes their own), contributor (writes
drafts an editor publishes). A role change applies on the member's next
request. An address without an account is an invitation: it takes effect when
someone signs up with it and confirms it. Only owners run these commands.
See docs/teams.md.
"""


@click.group("members", epilog=MEMBERS_EPILOG)
def members_command() -> None:
    """List, add and remove the site's members, and change their roles (owners only)."""


@members_command.command("list", epilog="\b\nExample:\n  sitegen members list")
@SITE_OPTION
@verbosity_options
def list_command(site_dir: Path | None) -> None:
    """One line per member or invitation: email, role, and `invited` while pending."""
    from sitegen.auth import open_client
    from sitegen.remote.members import list_members

    with open_client(resolve_site(site_dir), require_login=True) as client:
        members = list_members(client)
    width = max((len(m.email) for m in members), default=0)
    for member in members:
        click.echo(
            f"{member.email:<{width}}  {member.role:<11}  {'invited' * member.pending}".rstrip()
        )


@members_command.command(
    "add", epilog="\b\nExample:\n  sitegen members add ada@example.org --role author"
)
@click.argument("email")
@click.option("--role", type=ROLE_CHOICE, required=True, help="The member's role.")
@SITE_OPTION
@verbosity_options
def add_command(email: str, role: str, site_dir: Path | None) -> None:
    """Add EMAIL as a member (an invitation until that address has a confirmed account)."""
    from sitegen.auth import open_client
    from sitegen.remote.members import add_member

    with open_client(resolve_site(site_dir), require_login=True) as client:
        member = add_member(client, _address(email), role)
    if member.pending:
        say(
            f"Invited {member.email} as {member.role}: it takes effect when they sign up "
            "(`sitegen signup`) and confirm the address."
        )
    else:
        say(f"Added {member.email} as {member.role}.")


@members_command.command("remove", epilog="\b\nExample:\n  sitegen members remove ada@example.org")
@click.argument("email")
@SITE_OPTION
@verbosity_options
def remove_command(email: str, site_dir: Path | None) -> None:
    """Remove a member or withdraw an invitation (their content stays, but is no longer public)."""
    from sitegen.auth import open_client
    from sitegen.remote.members import remove_member

    with open_client(resolve_site(site_dir), require_login=True) as client:
        remove_member(client, _address(email))
    say(f"Removed {email}.")


@members_command.command(
    "role", epilog="\b\nExample:\n  sitegen members role ada@example.org editor"
)
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
@SITE_OPTION
@verbosity_options
def role_command(email: str, role: str, site_dir: Path | None) -> None:
    """Change the role of a member; it applies on their next request."""
    from sitegen.auth import open_client
    from sitegen.remote.members import set_role

    with open_client(resolve_site(site_dir), require_login=True) as client:
        set_role(client, _address(email), role)
    say(f"{email} is now {role}.")


def _address(email: str) -> str:
    address = email.strip().lower()
    local, at, domain = address.partition("@")
    if not (local and at and domain) or any(char.isspace() for char in address):
        raise click.BadParameter(f"{email!r} is not an email address", param_hint="EMAIL")
    return address
