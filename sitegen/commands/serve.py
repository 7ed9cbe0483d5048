"""`sitegen serve`: preview the site, rebuilding on change and reloading the browser once."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType

import click

from sitegen.console import say, verbosity_options

SERVE_EPILOG = """\b
Examples:
  sitegen serve                     build, then serve http://127.0.0.1:8000/
  sitegen serve --drafts --open     include drafts and open the browser
  sitegen serve --port 8080 --host 0.0.0.0
  sitegen serve --pull-every 30     also pull from Supabase every 30 seconds

\b
Edit anything in content/, templates/, static/, your theme or sitegen.toml
and the browser reloads by itself, once per rebuild. The preview is built
into .sitegen/serve/public; your public/ folder is never touched.
Stop with Ctrl-C.
"""


@click.command("serve", epilog=SERVE_EPILOG)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 for every network interface).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0 picks a free one).",
)
@click.option("--drafts", is_flag=True, help="Include drafts.")
@click.option("--future", is_flag=True, help="Include posts dated in the future.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a web browser.")
@click.option(
    "--pull-every",
    type=click.IntRange(min=5),
    metavar="SECONDS",
    help="Pull remote content from Supabase every SECONDS (at least 5).",
)
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder (default: the nearest folder with sitegen.toml).",
)
@verbosity_options
def serve_command(
    host: str,
    port: int,
    drafts: bool,
    future: bool,
    open_browser: bool,
    pull_every: int | None,
    site_dir: Path | None,
) -> None:
    """Build the site, serve it locally and rebuild whenever a source changes."""
    from sitegen.config import resolve_site
    from sitegen.serve.session import ServeOptions, ServeSession

    options = ServeOptions(
        host=host, port=port, drafts=drafts, future=future, pull_every=pull_every
    )
    session = ServeSession(resolve_site(site_dir), options)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops as cleanly as Ctrl-C
    try:
        session.start()
        say(f"Serving {session.url} (Ctrl-C to stop)")
        if open_browser:
            import webbrowser

            webbrowser.open(session.url)
        threading.Event().wait()  # until Ctrl-C; every piece of work runs on session threads
    except KeyboardInterrupt:
        pass
    finally:
        session.close()
    say("Stopped.")


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
