"""Helpers for the sync integration tests: sites wired to the stack, authors, CLI runs, counting.

Everything talks to the real stack through sitegen itself (and so through supabase-py); the
database is inspected with admin SQL only to check what the server really holds. Fixtures built
on these (`site`, `author_a`, `cli`, ...) are in conftest.py.
"""

from __future__ import annotations

import io
import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.sync.state import BASE_FILE

REPO = Path(__file__).resolve().parents[3]
MINIMAL_TOML = 'title = "Sync test site"\nbase_url = "https://example.org/"\n'
PASSWORD = "correct-horse-battery"


@dataclass(frozen=True)
class Author:
    """A user of the stack with a logged-in site folder."""

    email: str
    password: str
    user_id: str
    site: Path


def unique_email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@example.org"


def make_site(
    root: Path, stack: object, *, example: bool = False, user: object = None, url: str | None = None
) -> Path:
    """A site folder whose .env points at the stack (or at `url`, e.g. where nobody listens).

    With `example`, the repo's example content; with `user` (a conftest `make_user` user), logged
    in as that user through sitegen's own login.
    """
    root.mkdir(parents=True, exist_ok=True)
    toml = REPO / "sitegen.toml"
    (root / "sitegen.toml").write_text(
        toml.read_text() if example and toml.is_file() else MINIMAL_TOML
    )
    if example:
        shutil.copytree(REPO / "content", root / "content")
    else:
        for folder in ("posts", "pages", "media"):
            (root / "content" / folder).mkdir(parents=True, exist_ok=True)
    (root / ".env").write_text(
        f"SUPABASE_URL={url or stack.url}\nSUPABASE_ANON_KEY={stack.anon_key}\n"
    )  # type: ignore[attr-defined]
    if user is not None:
        login_as(root, user)
    return root


def login_as(site: Path, user: object) -> str:
    """Log `user` (a conftest `make_user` user) in for `site`; returns the user id."""
    from sitegen.auth import login

    return login(site, user.email, user.password).user_id  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], site: Path, *args: str, stdin: str = "") -> CliResult:
    """Run `sitegen <args> --site <site>` in-process, as the console script does; `stdin` feeds
    --password-stdin."""
    capsys.readouterr()
    real_stdin, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        main([*args, "--site", str(site)])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.stdin = real_stdin
    captured = capsys.readouterr()
    return CliResult(code, captured.out, captured.err)


def write_post(site: Path, slug: str, title: str, body: str = "Hello.\n", **front: object) -> Path:
    """Write content/posts/<slug>.md with a title and extra front matter."""
    lines = [f"title: {title!r}"] + [f"{key}: {value}" for key, value in front.items()]
    path = site / "content" / "posts" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")
    return path


def push_post(
    capsys: pytest.CaptureFixture[str],
    site: Path,
    slug: str,
    title: str,
    body: str = "Hello.\n",
    **front: object,
) -> Path:
    """`write_post`, then `sitegen push`, which must succeed: the usual "someone published"."""
    path = write_post(site, slug, title, body, **front)
    pushed = run(capsys, site, "push")
    assert pushed.code == 0, pushed.err
    return path


def files_under(folder: Path) -> dict[str, bytes]:
    """relative path -> bytes of every file below `folder`."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def wipe_working_copy(site: Path) -> None:
    """Forget everything local: content/ and the sync base (the session stays)."""
    shutil.rmtree(site / "content")
    (site / BASE_FILE).unlink(missing_ok=True)


@contextmanager
def count_requests(stack: object, path: str = r"^/rest/v1/") -> Iterator[object]:
    """Count requests matching `path` (`.hits`) with a zero-second delay fault, removed after.

    Faults injected before the counter win over it (first match), so inject those first.
    """
    faults = stack.faults  # type: ignore[attr-defined]
    counter = faults.inject("delay", path, times=None, seconds=0.0)
    try:
        yield counter
    finally:
        faults.remove(counter)


def count_rows(stack: object, table: str) -> int:
    return stack.admin_sql(f"select count(*) from public.{table}")[0][0]  # type: ignore[attr-defined]
