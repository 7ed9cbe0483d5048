"""sitegen.toml -> a validated, read-only `SiteConfig`.

pydantic with extra="forbid" everywhere, so a typo is an error naming the key (with the closest
known key as a suggestion) instead of a silently ignored setting. tomllib does not report where
keys are, so `_line_of` finds the line of a key path in the text for messages.
Supabase settings are not here: secrets live in the environment, never in the toml.
"""

from __future__ import annotations

import difflib
import re
import string
import tomllib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sitegen.errors import ConfigError, ConfigErrors

CONFIG_FILE = "sitegen.toml"
PLACEHOLDERS = {"post": {"slug", "year", "month", "day"}, "page": {"slug"}, "tag": {"slug"}}
_FORBIDDEN_OUTPUT = {"", ".", "content", "templates", "static", "themes", ".sitegen"}

_HINTS = {
    "title": 'add `title = "My site"` at the top of sitegen.toml',
    "base_url": 'use an absolute URL such as "https://example.org/" or "https://example.org/blog/"',
    "language": 'use a language tag such as "en" or "pt-BR"',
    "theme": 'name a folder under themes/ or a built-in theme, e.g. "default"',
    "output_dir": 'use a folder inside the site that holds nothing else, e.g. "public"',
    "posts_per_page": "use a whole number of 1 or more",
    "permalinks": 'use a path containing {slug}, e.g. "/posts/{year}/{slug}/" (posts may also use '
    "{year}, {month} and {day}; pages and tags only {slug})",
    "markdown.allow_html": "use true or false",
    "markdown.highlight": "use true or false",
    "markdown.toc_max_level": "use a heading level from 1 to 6",
    "feeds.enabled": "use true or false",
    "feeds.format": 'use "atom" or "rss"',
    "feeds.per_tag": "use true or false",
    "feeds.limit": "use a whole number of 1 or more",
    "sitemap.enabled": "use true or false",
    "search.enabled": "use true or false",
}


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class PermalinksConfig(_Section):
    """URL patterns; placeholders {slug} (all) and {year} {month} {day} (posts)."""

    post: str = "/posts/{slug}/"
    page: str = "/{slug}/"
    tag: str = "/tags/{slug}/"

    @field_validator("post", "page", "tag")
    @classmethod
    def _pattern(cls, value: str, info: Any) -> str:
        return validate_permalink(value, PLACEHOLDERS[info.field_name])


class MarkdownConfig(_Section):
    allow_html: bool = False
    highlight: bool = True
    toc_max_level: int = Field(default=3, ge=1, le=6)


class FeedsConfig(_Section):
    enabled: bool = True
    format: Literal["atom", "rss"] = "atom"
    per_tag: bool = True
    limit: int = Field(default=20, ge=1)


class SitemapConfig(_Section):
    enabled: bool = True


class SearchConfig(_Section):
    """The site's own search: an index built with the site, a box in the theme."""

    enabled: bool = True


class SiteConfig(_Section):
    """The whole of sitegen.toml. Only `title` is required."""

    title: str = Field(min_length=1)
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    author: str = ""
    theme: str = "default"
    output_dir: str = "public"
    posts_per_page: int = Field(default=10, ge=1)
    permalinks: PermalinksConfig = PermalinksConfig()
    markdown: MarkdownConfig = MarkdownConfig()
    feeds: FeedsConfig = FeedsConfig()
    sitemap: SitemapConfig = SitemapConfig()
    search: SearchConfig = SearchConfig()

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        return normalise_base_url(value)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", value):
            raise ValueError(f"{value!r} is not a language tag")
        return value

    @field_validator("theme")
    @classmethod
    def _theme(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_\-]+", value):
            raise ValueError(f"{value!r} is not a theme name")
        return value

    @field_validator("output_dir")
    @classmethod
    def _output_dir(cls, value: str) -> str:
        path = Path(value)
        if (
            path.is_absolute()
            or ".." in path.parts
            or path.as_posix().strip("/") in _FORBIDDEN_OUTPUT
        ):
            raise ValueError(f"{value!r} cannot be the output folder")
        return path.as_posix()

    @property
    def base_path(self) -> str:
        """The path part of base_url, always ending in `/` (`/blog/`)."""
        return urlsplit(self.base_url).path


def normalise_base_url(value: str) -> str:
    """An absolute http(s) URL ending in `/`; raises ValueError otherwise."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{value!r} is not an absolute http(s) URL")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def validate_permalink(pattern: str, allowed: set[str]) -> str:
    """Check a permalink pattern; returns it with a leading `/`."""
    fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    unknown = sorted(fields - allowed)
    if unknown:
        raise ValueError(f"{pattern!r} uses unknown placeholder {{{unknown[0]}}}")
    if "slug" not in fields:
        raise ValueError(f"{pattern!r} must contain {{slug}}")
    if not (pattern.endswith("/") or pattern.endswith(".html")):
        raise ValueError(f"{pattern!r} must end with / or .html")
    if ".." in pattern.split("/") or "//" in pattern or "\\" in pattern:
        raise ValueError(f"{pattern!r} is not a clean path")
    return pattern if pattern.startswith("/") else "/" + pattern


def find_site_dir(start: Path) -> Path:
    """The nearest folder at or above `start` holding sitegen.toml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise ConfigError(
        f"no {CONFIG_FILE} found in {start} or any folder above it",
        hint="run `sitegen init` to create a site, or pass --site DIR",
    )


def load_config(site_dir: Path) -> SiteConfig:
    """Read and validate `site_dir/sitegen.toml`; every problem is reported at once."""
    path = site_dir / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{CONFIG_FILE} is missing", file=str(path), hint="run `sitegen init` to create a site"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the file: {exc}", file=str(path)) from None
    return parse_config(text, CONFIG_FILE)


def parse_config(text: str, file: str) -> SiteConfig:
    """Validate TOML text; `file` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(
            f"invalid TOML: {message}",
            file=file,
            line=int(found.group(1)) if found else None,
            hint="check quotes around strings and the `key = value` form",
        ) from None
    try:
        return SiteConfig.model_validate(data)
    except ValidationError as exc:
        errors = [_config_error(err, text, file) for err in exc.errors()]
    if len(errors) == 1:
        raise errors[0]
    raise ConfigErrors(errors)


def _config_error(err: Any, text: str, file: str) -> ConfigError:
    loc = tuple(str(part) for part in err["loc"])
    key = ".".join(loc)
    line = _line_of(text, loc)
    if err["type"] == "extra_forbidden":
        known = list(_model_at(loc[:-1]).model_fields)
        close = difflib.get_close_matches(loc[-1], known, n=1)
        table = f"[{'.'.join(loc[:-1])}]" if len(loc) > 1 else "the top level"
        hint = (
            f"did you mean `{close[0]}`? " if close else ""
        ) + f"keys in {table}: {', '.join(known)}"
        return ConfigError("unknown key", file=file, line=line, field=key, hint=hint)
    if err["type"] == "missing":
        return ConfigError("is required", file=file, line=line, field=key, hint=_HINTS.get(key))
    value = err.get("input")
    if err["type"] == "value_error":
        message = str(err["msg"]).removeprefix("Value error, ")
    else:
        message = f"{value!r} is not allowed: {err['msg'][0].lower()}{err['msg'][1:]}"
    hint = _HINTS.get(key) or _HINTS.get(loc[0])
    return ConfigError(message, file=file, line=line, field=key, hint=hint)


def _model_at(loc: tuple[str, ...]) -> type[BaseModel]:
    model: type[BaseModel] = SiteConfig
    for part in loc:
        annotation = model.model_fields[part].annotation
        assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
        model = annotation
    return model


_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_KEY = re.compile(r"""^\s*([A-Za-z0-9_\-."' ]+?)\s*=""")


def _line_of(text: str, loc: tuple[str, ...]) -> int | None:
    """1-based line where the key path `loc` is set (or its table starts), if found."""
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _TABLE.match(line):
            table = tuple(part.strip().strip("\"'") for part in header.group(1).split("."))
            if table == loc:
                return number
        elif assignment := _KEY.match(line):
            key = tuple(part.strip().strip("\"'") for part in assignment.group(1).split("."))
            full = table + key
            if full == loc or (full == loc[: len(full)] and len(full) < len(loc) and not table):
                return number
    return None
