"""`sitegen signup`, `login`, `logout` and `whoami`: the Supabase Auth session of a site folder."""

from __future__ import annotations

import sys
from datetime import UTC
from pathlib import Path

import click

from sitegen.config import resolve_site
from sitegen.console import say, verbosity_options, warn

SITE_OPTION = click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder (default: the nearest folder with sitegen.toml).",
)
EMAIL_OPTION = click.option("--email", help="Your email address (prompted for when left out).")
PASSWORD_STDIN_OPTION = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (for scripts and CI).",
)

SIGNUP_EPILOG = """\b
Examples:
  sitegen signup
  sitegen signup --email ada@example.org
  printf '%s\\n' "$SITEGEN_PASSWORD" | sitegen signup --email ada@example.org --password-stdin

\b
SUPABASE_URL and SUPABASE_ANON_KEY come from the environment or the site's .env file.
"""
LOGIN_EPILOG = """\b
Examples:
  sitegen login
  sitegen login --email ada@example.org
  printf '%s\\n' "$SITEGEN_PASSWORD" | sitegen login --email ada@example.org --password-stdin

\b
The session is stored in .sitegen/session.json (readable only by you) and refreshed
automatically when it expires.
"""
LOGOUT_EPILOG = """\b
Examples:
  sitegen logout
  sitegen logout --everywhere     also end your sessions on other computers
"""
WHOAMI_EPILOG = """\b
Examples:
  sitegen whoami
  sitegen whoami --site ~/blog
"""


def _ask_email(email: str | None, password_stdin: bool) -> str:
    if email is None and password_stdin:
        raise click.UsageError("--password-stdin needs --email (standard input holds the password)")
    email = (email or click.prompt("Email")).strip()
    if "@" not in email or email.startswith("@") or email.endswith("@") or " " in email:
        raise click.BadParameter(f"{email!r} is not an email address", param_hint="--email")
    return email


def _ask_password(from_stdin: bool, *, confirm: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.UsageError("--password-stdin: standard input was empty")
        return password
    return click.prompt("Password", hide_input=True, confirmation_prompt=confirm)


@click.command("signup", epilog=SIGNUP_EPILOG)
@EMAIL_OPTION
@PASSWORD_STDIN_OPTION
@SITE_OPTION
@verbosity_options
def signup_command(email: str | None, password_stdin: bool, site_dir: Path | None) -> None:
    """Create an account on the site's Supabase project (and log in)."""
    from sitegen.auth import signup

    site = resolve_site(site_dir)
    address = _ask_email(email, password_stdin)
    result = signup(site, address, _ask_password(password_stdin, confirm=True))
    if result.session is None:
        say(
            f"Account created for {address}. Open the confirmation link sent to that address, "
            "then run `sitegen login`."
        )
    else:
        say(f"Account created; logged in as {address}.")


@click.command("login", epilog=LOGIN_EPILOG)
@EMAIL_OPTION
@PASSWORD_STDIN_OPTION
@SITE_OPTION
@verbosity_options
def login_command(email: str | None, password_stdin: bool, site_dir: Path | None) -> None:
    """Log in to the site's Supabase project with email and password."""
    from sitegen.auth import login

    site = resolve_site(site_dir)
    address = _ask_email(email, password_stdin)
    session = login(site, address, _ask_password(password_stdin, confirm=False))
    say(f"Logged in as {session.email}.")


@click.command("logout", epilog=LOGOUT_EPILOG)
@click.option("--everywhere", is_flag=True, help="End all of your sessions, on every computer.")
@SITE_OPTION
@verbosity_options
def logout_command(everywhere: bool, site_dir: Path | None) -> None:
    """End the session on the server and forget it on this computer."""
    from sitegen.auth import logout

    result = logout(resolve_site(site_dir), everywhere=everywhere)
    if not result.had_session:
        say("Not logged in; nothing to do.")
        return
    if result.warning:
        warn(result.warning)
    say("Logged out.")


@click.command("whoami", epilog=WHOAMI_EPILOG)
@SITE_OPTION
@verbosity_options
def whoami_command(site_dir: Path | None) -> None:
    """Show who is logged in, to which project, with which role, and until when."""
    from datetime import datetime

    from sitegen.auth import whoami

    identity = whoami(resolve_site(site_dir))
    until = datetime.fromtimestamp(identity.expires_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    say(f"email:    {identity.email}")
    say(f"user id:  {identity.user_id}")
    say(f"project:  {identity.url}")
    say(f"role:     {identity.role or 'not a member (ask an owner: docs/teams.md)'}")
    say(f"session:  valid until {until} (refreshed automatically)")
