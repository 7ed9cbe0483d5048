"""Helpers for the sync engine's integration tests: sites wired to the stack, CLI runs, counting.

Everything talks to the real stack through sitegen itself (and so through supabase-py); the
database is inspected with admin SQL only to check what the server really holds.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.sync.state import BASE_FILE

REPO = Path(__file__).resolve().parents[3]
MINIMAL_TOML = 'title = "Sync test site"\nbase_url = "https://example.org/"\n'


def make_site(root: Path, stack: object, *, example: bool = False) -> Path:
    """A site folder whose .env points at the stack; with `example`, the repo's example content."""
    root.mkdir(parents=True, exist_ok=True)
    toml = REPO / "sitegen.toml"
    (root / "sitegen.toml").write_text(toml.read_text() if example and toml.is_file() else MINIMAL_TOML)
    if example:
        shutil.copytree(REPO / "content", root / "content")
    else:
        for folder in ("posts", "pages", "media"):
            (root / "content" / folder).mkdir(parents=True, exist_ok=True)
    (root / ".env").write_text(
        f"SUPABASE_URL={stack.url}\nSUPABASE_ANON_KEY={stack.anon_key}\n")  # type: ignore[attr-defined]
    return root


def login_as(site: Path, user: object) -> str:
    """Log `user` (a conftest `make_user` user) in for `site`; returns the user id."""
    from sitegen.auth import login

    return login(site, user.email, user.password).user_id  # type: ignore[attr-defined]


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], site: Path, *args: str) -> CliResult:
    """Run `sitegen <args> --site <site>` in-process, as the console script does."""
    capsys.readouterr()
    try:
        main([*args, "--site", str(site)])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return CliResult(code, captured.out, captured.err)


def write_post(site: Path, slug: str, title: str, body: str = "Hello.\n", **front: object) -> Path:
    """Write content/posts/<slug>.md with a title and extra front matter."""
    lines = [f"title: {title!r}"] + [f"{key}: {value}" for key, value in front.items()]
    path = site / "content" / "posts" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")
    return path


def files_under(folder: Path) -> dict[str, bytes]:
    """relative path -> bytes of every file below `folder`."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def wipe_working_copy(site: Path) -> None:
    """Forget everything local: content/ and the sync base (the session stays)."""
    shutil.rmtree(site / "content")
    (site / BASE_FILE).unlink(missing_ok=True)


@contextmanager
def count_requests(stack: object, path: str = r"^/rest/v1/") -> Iterator[object]:
    """Count requests matching `path` with a zero-second delay fault; clears all faults after.

    Faults injected before the counter win over it (first match), so inject those first.
    """
    faults = stack.faults  # type: ignore[attr-defined]
    counter = faults.inject("delay", path, times=None, seconds=0.0)
    try:
        yield counter
    finally:
        faults.clear()


def count_rows(stack: object, table: str) -> int:
    return stack.admin_sql(f"select count(*) from public.{table}")[0][0]  # type: ignore[attr-defined]
