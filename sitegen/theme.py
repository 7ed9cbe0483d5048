"""The theme: where templates and static files come from, and the Jinja environment.

Templates are looked up in the site's `templates/` first, then in the theme's (a site folder
`themes/<name>/`, else the built-in `sitegen/themes/<name>/`). Static files are the theme's
`static/` with the site's `static/` copied over it. Jinja runs with autoescaping and
StrictUndefined; every Jinja failure becomes a ThemeError naming template:line.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.dates import format_date, isodate, rfc3339
from sitegen.errors import ConfigError, ThemeError
from sitegen.paths import CONFIG_FILE

# The built-in themes, beside this module (importlib.resources would find the same folder, at the
# cost of importing it and zipfile, ~3 ms of every build).
BUILT_IN_THEMES = Path(__file__).parent / "themes"


@dataclass(frozen=True)
class ThemePaths:
    name: str
    template_dirs: tuple[Path, ...]  # highest priority first
    static_dirs: tuple[Path, ...]  # lowest priority first: later ones win

    def input_dirs(self) -> tuple[Path, ...]:
        """Every folder whose files a build depends on, besides content/."""
        return (*self.template_dirs, *self.static_dirs)


def theme_paths(site_dir: Path, theme: str) -> ThemePaths:
    """Locate the theme `theme` for the site; ConfigError when it exists nowhere."""
    local = site_dir / "themes" / theme
    root = local if local.is_dir() else BUILT_IN_THEMES / theme
    if not (root / "templates").is_dir():
        raise ConfigError(
            f"no theme named {theme!r} (looked in themes/{theme}/ and the built-in themes)",
            file=CONFIG_FILE,
            field="theme",
            hint='use theme = "default" or add the theme folder',
        )
    return ThemePaths(
        name=theme,
        template_dirs=(site_dir / "templates", root / "templates"),
        static_dirs=(root / "static", site_dir / "static"),
    )


def iter_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(relative POSIX path, path) of every file below `folder`, sorted; nothing if it is absent."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            yield path.relative_to(folder).as_posix(), path


def template_files(paths: ThemePaths) -> dict[str, Path]:
    """Template name -> the file Jinja will load for it (site templates win)."""
    found: dict[str, Path] = {}
    for folder in paths.template_dirs:
        for name, path in iter_files(folder):
            found.setdefault(name, path)
    return found


_COLLECTION = re.compile(r"""\bsite\s*(?:\.\s*|\[\s*['"])(?:posts|pages|sections)\b""")


def uses_collections(templates: Mapping[str, Path]) -> bool:
    """True when a template reads `site.posts`, `site.pages` or `site.sections`. Only then do
    templates get them: every page then depends on every document, so one edit re-renders
    every page, a cost a theme that does not list them should not pay."""
    return any(
        _COLLECTION.search(path.read_text(encoding="utf-8", errors="replace"))
        for path in templates.values()
    )


def static_files(paths: ThemePaths) -> dict[str, Path]:
    """Static path (`style.css`) -> source file (the site's static/ wins over the theme's)."""
    found: dict[str, Path] = {}
    for folder in paths.static_dirs:
        for name, path in iter_files(folder):
            found[name] = path
    return dict(sorted(found.items()))


def make_environment(
    paths: ThemePaths, globals_: Mapping[str, Callable[..., Any]], cache_dir: Path | None = None
) -> Any:
    """The Jinja Environment for the theme, with sitegen's filters, the given globals and the
    `{% cache %}` tag (fragments.py).

    With `cache_dir`, compiled templates are kept there (keyed by their source's checksum), so
    a fresh process does not compile the theme again.
    """
    import jinja2

    bytecode_cache = None
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache_dir))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in paths.template_dirs if d.is_dir()]),
        bytecode_cache=bytecode_cache,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        cache_size=-1,
        keep_trailing_newline=True,
        extensions=["sitegen.fragments.FragmentCache"],
    )
    env.filters.update(date=format_date, isodate=isodate, rfc3339=rfc3339)
    env.globals.update(globals_)
    return env


def compiled_environment(paths: ThemePaths, cache_dir: Path) -> Any:
    """`make_environment` (globals to be added) with every template of the theme compiled.
    A template that fails to compile is left out: `load_template` reports it if it is used."""
    env = make_environment(paths, {}, cache_dir)
    for name in template_files(paths):
        with suppress(ThemeError):
            load_template(env, name, source="the theme")
    return env


def render_template(env: Any, name: str, context: Mapping[str, Any], *, source: str) -> str:
    """Render `name`; any failure becomes a ThemeError naming template:line (and `source`)."""
    with template_errors(source):
        return env.get_template(name).render(context)


def load_template(env: Any, name: str, *, source: str) -> None:
    """Compile `name` (and what it extends) now, so a syntax error is reported once, early."""
    with template_errors(source):
        env.get_template(name)


@contextmanager
def template_errors(source: str) -> Iterator[None]:
    """Turn any Jinja failure into a ThemeError naming template:line; `source` says for what."""
    import jinja2

    try:
        yield
    except jinja2.TemplateNotFound as exc:
        raise ThemeError(
            f"template {exc.name!r} not found (rendering {source})",
            field="template",
            hint="add it to the site's templates/ folder or fix the name",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise ThemeError(
            f"template syntax error: {exc.message}",
            file=_short(exc.filename or exc.name),
            line=exc.lineno,
            hint="fix the template",
        ) from None
    except ThemeError:
        raise
    except Exception as exc:
        file, line = _template_frame(exc)
        plain = isinstance(exc, (jinja2.UndefinedError, TemplateValueError))
        message = str(exc) if plain else f"{type(exc).__name__}: {exc}"
        raise ThemeError(
            f"{message} (rendering {source})",
            file=file,
            line=line,
            hint="fix the template, or the value it uses",
        ) from None


class TemplateValueError(Exception):
    """Raised by sitegen's template functions (e.g. `static()` of a missing file)."""


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file:line in the traceback (Jinja maps frames to template lines)."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            found = (_short(frame.filename), frame.lineno)
    return found


def _short(filename: str | None) -> str | None:
    """`.../themes/default/templates/post.html` -> `themes/default/templates/post.html`."""
    if filename is None:
        return None
    parts = Path(filename).parts
    for marker in ("themes", "templates"):
        if marker in parts:
            return "/".join(parts[parts.index(marker) :])
    return filename
