"""Site data: `data/*.toml|yaml|yml|json` as `site.data` for templates (as Hugo and Jekyll have).

`data/authors.yaml` is `site.data.authors`; a subfolder is a nested table
(`data/team/leads.json` is `site.data.team.leads`). Parsing is a pure function of a file's
text; a syntax error names the file and line.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from sitegen.errors import BuildFailed, ContentError

DATA_DIR = "data"
SUFFIXES = (".toml", ".yaml", ".yml", ".json")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TOML_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)")
_TOML_END = " (at end of document)"


def parse_data(name: str, text: str) -> Any:
    """The value a data file holds; `name` (`data/authors.yaml`) names it in messages and its
    suffix says the format. Raises ContentError with the line of a syntax error."""
    suffix = PurePosixPath(name).suffix
    try:
        if suffix == ".toml":
            return tomllib.loads(text)
        if suffix == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_Loader)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        line = int(found.group(1)) if found else text.count("\n") + 1  # at the end of the text
        raise _error(
            name, line, f"invalid TOML: {_TOML_LINE.sub('', str(exc)).removesuffix(_TOML_END)}"
        ) from None
    except json.JSONDecodeError as exc:
        raise _error(name, exc.lineno, f"invalid JSON: {exc.msg}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = mark.line + 1 if mark is not None else None
        raise _error(name, at, f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise _error(name, None, f"invalid YAML: {exc}") from None


def _error(name: str, line: int | None, message: str) -> ContentError:
    return ContentError(message, file=name, line=line, hint="fix the syntax of the data file")


def read_data(site_dir: Path) -> dict[str, Any]:
    """Every data file under `site_dir/data/`, by path without suffix; every error at once."""
    data: dict[str, Any] = {}
    owners: dict[tuple[str, ...], str] = {}
    errors: list[ContentError] = []
    root = site_dir / DATA_DIR
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    for path in files:
        relative = path.relative_to(site_dir).as_posix()
        parts = PurePosixPath(path.relative_to(root).as_posix()).with_suffix("").parts
        if path.suffix not in SUFFIXES or any(p.startswith(".") for p in parts):
            continue
        try:
            value = parse_data(relative, path.read_text(encoding="utf-8"))
        except ContentError as exc:
            errors.append(exc)
            continue
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(ContentError(f"cannot read the file: {exc}", file=relative))
            continue
        if parts in owners:
            errors.append(
                ContentError(
                    f"`site.data.{'.'.join(parts)}` is also given by {owners[parts]}",
                    file=relative,
                    hint="keep one of the two files",
                )
            )
            continue
        owners[parts] = relative
        _put(data, parts, value)
    if errors:
        raise BuildFailed(errors)
    return data


def _put(data: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    """Set `data[a][b]... = value`, making the tables of subfolders on the way."""
    for part in parts[:-1]:
        table = data.get(part)
        if not isinstance(table, Mapping):
            table = data[part] = {}
        data = table  # type: ignore[assignment]
    data[parts[-1]] = value
