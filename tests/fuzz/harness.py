"""Running the real `sitegen` command in-process, and small sites to run it on.

Shared by the property-based suite (tests/fuzz/) and the regression tests for hostile input
(tests/unit/test_hostile_*.py). `run` calls `sitegen.cli.main` as the `sitegen` script does,
so an exception that escapes it is a traceback a user would see: it fails the test.
"""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from sitegen.cli import main

MINIMAL_TOML = 'title = "Test"\nbase_url = "https://example.org/"\n'
POST = "---\ntitle: Hello\ndate: 2024-01-02\ntags: [news]\n---\nHello *world*.\n"


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def run(*args: str) -> Outcome:
    """`sitegen ARGS...` in this process: its exit code and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return Outcome(code, out.getvalue(), err.getvalue())


def build(site: Path, *args: str) -> Outcome:
    return run("build", "--site", str(site), "-q", *args)


def make_site(
    root: Path, files: dict[str, str | bytes] | None = None, toml: str = MINIMAL_TOML
) -> Path:
    """A site folder with sitegen.toml, one post and `files` (site-relative path -> content)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sitegen.toml").write_text(toml, encoding="utf-8")
    for rel, content in {"content/posts/hello.md": POST, **(files or {})}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def snapshot(folder: Path) -> dict[str, tuple[str, bytes]]:
    """Everything below `folder` (dot files, links and folders too): what "unchanged" compares."""
    found: dict[str, tuple[str, bytes]] = {}
    if not os.path.lexists(folder):
        return found
    for root, folders, files in os.walk(folder):
        for name in [*folders, *files]:
            path = Path(root, name)
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = ("link", os.readlink(path).encode())
            elif path.is_dir():
                found[rel] = ("dir", b"")
            else:
                found[rel] = ("file", path.read_bytes())
    return found
