"""`sitegen doctor`: the command; the checks themselves are in `sync/doctor.py`."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.commands.auth import SITE_OPTION
from sitegen.config import resolve_site
from sitegen.console import say, verbosity_options
from sitegen.errors import SitegenError
from sitegen.sync.doctor import run_checks

DOCTOR_EPILOG = """\b
Examples:
  sitegen doctor
  sitegen doctor --site ~/blog -v     also log every request

\b
Checks: sitegen.toml, SUPABASE_URL / SUPABASE_ANON_KEY, the server answers, you are logged
in (and your role on the site), the schema from sql/ is applied, anonymous visitors (without
your login) can read published rows but cannot write, you can write and read your own
drafts, and the public `media` bucket accepts your uploads.
"""


@click.command("doctor", epilog=DOCTOR_EPILOG)
@SITE_OPTION
@verbosity_options
def doctor_command(site_dir: Path | None) -> None:
    """Check the site's Supabase set-up: settings, server, login, schema, policies and bucket."""
    failures = run_checks(resolve_site(site_dir))
    if failures:
        raise SitegenError(
            f"{failures} check(s) failed",
            hint="fix the FAIL lines above, then run `sitegen doctor` again",
        )
    say("All checks passed.")
