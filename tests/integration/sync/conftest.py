"""Fixtures for the sync integration tests: site folders wired to the stack, logged-in authors.

Authors are created with the Auth admin API (service key, test-only) and then logged in through
sitegen's own code path (`sitegen.auth.login`), so their sessions are real CLI sessions in
`<site>/.sitegen/session.json`. `stack` and `make_user` (admin-API users, deleted after the test) come from
tests/integration/conftest.py.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "correct-horse-battery"
SITE_TOML = 'title = "Sync test site"\nbase_url = "https://example.org/"\n'


@dataclass(frozen=True)
class Author:
    """A user of the stack with a logged-in site folder."""

    email: str
    password: str
    user_id: str
    site: Path


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


def make_site_dir(root: Path, url: str, anon_key: str) -> Path:
    """A minimal site whose .env points at `url` with `anon_key`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sitegen.toml").write_text(SITE_TOML)
    for folder in ("posts", "pages", "media"):
        (root / "content" / folder).mkdir(parents=True, exist_ok=True)
    (root / ".env").write_text(f"SUPABASE_URL={url}\nSUPABASE_ANON_KEY={anon_key}\n")
    return root


def unique_email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@example.org"


@pytest.fixture
def site(tmp_path: Path, stack) -> Path:
    """A site folder (not logged in) whose .env points at the stack."""
    return make_site_dir(tmp_path / "site", stack.url, stack.anon_key)


def _author(stack, make_user, root: Path, name: str) -> Author:
    from sitegen.auth import login

    user = make_user(unique_email(name), PASSWORD)
    site = make_site_dir(root, stack.url, stack.anon_key)
    session = login(site, user.email, user.password)
    assert session.user_id == user.id
    return Author(email=user.email, password=user.password, user_id=user.id, site=site)


@pytest.fixture
def author_a(tmp_path: Path, stack, make_user) -> Author:
    """Author A: a confirmed user (admin API), logged in through sitegen in their own site folder."""
    return _author(stack, make_user, tmp_path / "site-a", "author-a")


@pytest.fixture
def author_b(tmp_path: Path, stack, make_user) -> Author:
    """Author B: another confirmed, logged-in user (in a separate site folder)."""
    return _author(stack, make_user, tmp_path / "site-b", "author-b")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run `sitegen <args> --site <site>` in-process; `stdin` feeds --password-stdin."""
    from sitegen.cli import main

    def run(site: Path, *args: str, stdin: str = "") -> CliResult:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            main([*args, "--site", str(site)])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Retry with tiny pauses so failure paths (e.g. an unreachable server) finish fast."""
    from sitegen.remote import retry

    monkeypatch.setattr(retry, "DEFAULT_POLICY", retry.RetryPolicy(base_delay=0.01, max_delay=0.02))
    yield


@pytest.fixture
def unused_url() -> str:
    """An http URL on a local port nobody listens on (connections are refused at once)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
