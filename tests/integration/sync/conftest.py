"""Fixtures for the sync integration tests: site folders wired to the stack, logged-in authors.

Authors are created with the Auth admin API (service key, test-only) and then logged in through
sitegen's own code path (`sitegen.auth.login`), so their sessions are real CLI sessions in
`<site>/.sitegen/session.json`. `stack` and `make_user` (admin-API users, deleted after the test) come from
tests/integration/conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.sync.sync_helpers import (
    PASSWORD,
    Author,
    CliResult,
    login_as,
    make_site,
    run,
    unique_email,
)


@pytest.fixture
def make_user(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """The sync tests' users are members with the `author` role unless a test says otherwise
    (`role=None`: not a member)."""

    def make(*args: Any, role: str | None = "author", **kwargs: Any) -> Any:
        return make_user(*args, role=role, **kwargs)

    return make


@pytest.fixture
def site(tmp_path: Path, stack) -> Path:
    """A site folder (not logged in) whose .env points at the stack."""
    return make_site(tmp_path / "site", stack)


def _author(stack, make_user, root: Path, name: str) -> Author:
    user = make_user(unique_email(name), PASSWORD)
    site = make_site(root, stack)
    assert login_as(site, user) == user.id
    return Author(email=user.email, password=user.password, user_id=user.id, site=site)


@pytest.fixture
def author_a(tmp_path: Path, stack, make_user, clean_db) -> Author:
    """Author A: a confirmed user (admin API) and a member with the `author` role, logged in
    through sitegen in their own site folder. Requests `clean_db` so that a test's clean-up runs
    before, not after, the membership is made."""
    return _author(stack, make_user, tmp_path / "site-a", "author-a")


@pytest.fixture
def author_b(tmp_path: Path, stack, make_user, clean_db) -> Author:
    """Author B: another confirmed, logged-in user (in a separate site folder)."""
    return _author(stack, make_user, tmp_path / "site-b", "author-b")


@pytest.fixture
def clients(tmp_path: Path, stack, author_a: Author, author_b: Author) -> Iterator[dict[str, Any]]:
    """Open `RemoteClient`s by role: "anonymous" (no login), "a" (author A), "b" (author B)."""
    from sitegen.auth import open_client

    opened = {
        "anonymous": open_client(make_site(tmp_path / "anonymous", stack), require_login=False),
        "a": open_client(author_a.site, require_login=True),
        "b": open_client(author_b.site, require_login=True),
    }
    yield opened
    for client in opened.values():
        client.close()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """`cli(site, *args, stdin="")`: run `sitegen <args> --site <site>` in-process."""

    def run_in(site: Path, *args: str, stdin: str = "") -> CliResult:
        return run(capsys, site, *args, stdin=stdin)

    return run_in


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
