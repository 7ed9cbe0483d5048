"""Fail when pyproject.toml asks for something requirements-test.txt does not provide.

`scripts/test.sh` installs the lock, then sitegen with `--no-deps`, then runs this: a dependency
added to (or raised in) pyproject.toml but not locked is named here, with the command that
refreshes the lock, instead of being installed unlocked or failing as an ImportError later.
"""

from __future__ import annotations

import sys
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT = "sitegen"
EXTRAS = ("test",)


def unmet(project: str, extras: tuple[str, ...]) -> list[str]:
    """Every requirement of `project[extras]` and of its dependencies, recursively, that the
    installed distributions do not satisfy, as 'requirement (why)'."""
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    todo = [(project, extra) for extra in ("", *extras)]
    while todo:
        name, extra = todo.pop()
        if (canonicalize_name(name), extra) in seen:
            continue
        seen.add((canonicalize_name(name), extra))
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
                continue
            try:
                version = metadata.version(requirement.name)
            except metadata.PackageNotFoundError:
                problems.append(f"{requirement} (needed by {name}; not in the lock)")
                continue
            if not requirement.specifier.contains(version, prereleases=True):
                problems.append(f"{requirement} (needed by {name}; the lock has {version})")
                continue
            todo += [(requirement.name, "")] + [(requirement.name, e) for e in requirement.extras]
    return sorted(set(problems))


def main() -> int:
    problems = unmet(PROJECT, EXTRAS)
    for problem in problems:
        print(f"requirements-test.txt does not satisfy {problem}", file=sys.stderr)
    if problems:
        print(
            "refresh the lock: bash scripts/lock.sh (then commit requirements-test.txt)",
            file=sys.stderr,
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
