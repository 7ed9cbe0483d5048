"""docs/api.md's example runs, and prints what the page says it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _blocks(language: str) -> list[str]:
    """The fenced code blocks of docs/api.md whose info string is exactly `language`."""
    blocks: list[str] = []
    info: str | None = None  # the open block's info string, None outside a block
    for line in DOC.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("```"):
            if info is None:
                info = line[3:].strip()
                if info == language:
                    blocks.append("")
                continue
            info = None
        elif info == language:
            blocks[-1] += line
    return blocks


def test_the_example_runs_and_prints_what_the_page_shows() -> None:
    (example,) = _blocks("python")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example, str(DOC), "exec"), {"__name__": "api_example"})
    shown = next(block for block in _blocks("") if block.startswith("posts/hello "))
    assert printed.getvalue().rstrip("\n") == shown.rstrip("\n")


def test_the_public_names_it_lists_exist() -> None:
    import importlib

    text = DOC.read_text(encoding="utf-8")
    names = set(re.findall(r"`(sitegen(?:\.\w+)+)\(", text))
    assert len(names) >= 8
    for dotted in sorted(names):
        module, _, name = dotted.rpartition(".")
        assert hasattr(importlib.import_module(module), name), dotted
