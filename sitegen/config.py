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
from pathlib import Path, PurePosixPath
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from sitegen.errors import ConfigError, ConfigErrors, quote
from sitegen.fsio import MAX_NAME_BYTES
from sitegen.paths import CONFIG_FILE, holds_site_files

_TOML_HINT = "check quotes around strings and the `key = value` form"
PLACEHOLDERS = {
    "post": {"slug", "title", "year", "month", "day", "categories"},
    "page": {"slug", "title"},
    "tag": {"slug"},
}
_ANY_SITE = PurePosixPath("/site")  # output_dir is checked before the site folder is known

_HINTS = {
    "title": 'add `title = "My site"` at the top of sitegen.toml',
    "base_url": 'use an absolute URL such as "https://example.org/" or "https://example.org/blog/"',
    "language": 'use a language tag such as "en" or "pt-BR"',
    "theme": 'name a folder under themes/ or a built-in theme, e.g. "default"',
    "output_dir": 'use a folder inside the site that holds nothing else, e.g. "public"',
    "posts_per_page": "use a whole number of 1 or more",
    "permalinks": 'use a path containing {slug}, e.g. "/posts/{year}/{slug}/" (posts may also use '
    "{year}, {month}, {day} and {categories}; posts and pages {title}, the file name as written; "
    "tags only {slug})",
    "taxonomies": 'map a front-matter field to a URL pattern, e.g. categories = "/categories/{slug}/"',
    "redirects.netlify": "use true or false",
    "markdown.allow_html": 'use "sanitize" (keep safe raw HTML), true (trust it) or false (show it '
    "as text)",
    "markdown.iframe_hosts": 'list host names, e.g. ["www.youtube-nocookie.com", "player.vimeo.com"]',
    "markdown.highlight": "use true or false",
    "markdown.toc_max_level": "use a heading level from 1 to 6",
    "feeds.enabled": "use true or false",
    "feeds.format": 'use "atom" or "rss"',
    "feeds.per_tag": "use true or false",
    "feeds.limit": "use a whole number of 1 or more",
    "sitemap.enabled": "use true or false",
    "nav": 'list pages as `nav = ["index.md", {title = "Guides", children = ["guides/a.md"]}]`',
    "limits": "use a whole number of 1 or more",
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


# Hosts whose pages raw HTML may embed in an iframe (video players), with their subdomains.
DEFAULT_IFRAME_HOSTS = ("www.youtube-nocookie.com", "www.youtube.com", "player.vimeo.com")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")


class MarkdownConfig(_Section):
    allow_html: bool | Literal["sanitize"] = "sanitize"
    iframe_hosts: tuple[str, ...] = DEFAULT_IFRAME_HOSTS
    highlight: bool = True
    toc_max_level: int = Field(default=3, ge=1, le=6)

    @field_validator("allow_html", mode="before")
    @classmethod
    def _allow_html(cls, value: object) -> object:
        if value is True or value is False or value == "sanitize":
            return value
        raise ValueError(f'{value!r} is not one of true, false or "sanitize"')

    @field_validator("iframe_hosts", mode="before")
    @classmethod
    def _iframe_hosts(cls, value: object) -> tuple[str, ...]:
        if not isinstance(value, list | tuple) or not all(isinstance(h, str) for h in value):
            raise ValueError(f"{value!r} is not a list of host names")
        bad = [h for h in value if not _HOST.fullmatch(h)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not a host name (no scheme, path or capitals)")
        return tuple(value)


class FeedsConfig(_Section):
    enabled: bool = True
    format: Literal["atom", "rss"] = "atom"
    per_tag: bool = True
    limit: int = Field(default=20, ge=1)


class SitemapConfig(_Section):
    enabled: bool = True


class RedirectsConfig(_Section):
    """Redirect pages are always written for `aliases`; `netlify` adds a `_redirects` file
    (the format Netlify and Cloudflare Pages read) listing them as 301s."""

    netlify: bool = False


class NavEntry(_Section):
    """One entry of an explicit `nav`: a page (`page`, a file under content/pages/), an
    outside link (`url`), or a group of `children` (which may also have a page)."""

    title: str | None = None
    page: str | None = None
    url: str | None = None
    children: list[NavEntry] = []

    @model_validator(mode="before")
    @classmethod
    def _page_path(cls, value: Any) -> Any:
        """A plain string is a page: `"guides/a.md"` is `{page = "guides/a.md"}`."""
        return {"page": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_target(self) -> NavEntry:
        if self.page is not None and self.url is not None:
            raise ValueError("give `page` or `url`, not both")
        if self.page is None and self.title is None:
            raise ValueError("an entry without `page` needs a `title`")
        if self.page is None and self.url is None and not self.children:
            raise ValueError("give `page`, `url` or `children`")
        return self


class AuthorConfig(_Section):
    """An author profile for a local-only site: `[authors.<slug>]` (docs/content.md)."""

    name: str = Field(min_length=1)
    bio: str = ""
    avatar: str | None = None


class LimitsConfig(_Section):
    """Per-document limits: bounded work and output for any input. Real documents stay far
    below them; a document over one is an error naming it (raise the limit if it is meant)."""

    tags_per_document: int = Field(default=100, ge=1)  # each tag page lists every post's tags
    headings_per_document: int = Field(default=5000, ge=1)
    document_bytes: int = Field(default=10_000_000, ge=1)


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
    nav: list[NavEntry] = []  # an explicit navigation; empty: made from the folders
    authors: dict[str, AuthorConfig] = {}
    limits: LimitsConfig = LimitsConfig()
    search: SearchConfig = SearchConfig()
    redirects: RedirectsConfig = RedirectsConfig()
    # [taxonomies]: front-matter field -> URL pattern of its terms (`tags` also sets the tags').
    taxonomies: dict[str, str] = Field(default_factory=dict)
    # [params]: anything, for templates (`site.params.x`), as Hugo's site params.
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("authors")
    @classmethod
    def _author_slugs(cls, value: dict[str, AuthorConfig]) -> dict[str, AuthorConfig]:
        for slug in value:
            if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
                raise ValueError(f"[authors.{slug}]: {slug!r} is not a slug (a-z, 0-9, hyphens)")
        return value

    @field_validator("taxonomies")
    @classmethod
    def _taxonomies(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"{name!r} is not a front-matter field name")
        return {name: validate_permalink(pattern, {"slug"}) for name, pattern in value.items()}

    @property
    def term_patterns(self) -> dict[str, str]:
        """Every taxonomy (`tags` first) with the URL pattern of its terms."""
        return {"tags": self.permalinks.tag, **self.taxonomies}

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        return normalise_base_url(value)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", value):
            raise ValueError(f"{quote(value)} is not a language tag")
        return value

    @field_validator("theme")
    @classmethod
    def _theme(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_\-]+", value):
            raise ValueError(f"{quote(value)} is not a theme name")
        return value

    @field_validator("output_dir")
    @classmethod
    def _output_dir(cls, value: str) -> str:
        if _has_control(value):
            raise ValueError(f"{quote(value)} contains a control character")
        if any(len(part.encode()) > MAX_NAME_BYTES for part in Path(value).parts):
            raise ValueError(f"{quote(value)} has a folder name longer than {MAX_NAME_BYTES} bytes")
        path = Path(value)
        if (
            path.is_absolute()
            or ".." in path.parts
            or holds_site_files(_ANY_SITE, _ANY_SITE / path.as_posix())
        ):
            raise ValueError(f"{quote(value)} cannot be the output folder")
        return path.as_posix()

    @property
    def base_path(self) -> str:
        """The path part of base_url, always ending in `/` (`/blog/`)."""
        return urlsplit(self.base_url).path


def normalise_base_url(value: str) -> str:
    """An absolute http(s) URL ending in `/`; raises ValueError otherwise."""
    if _has_control(value) or any(char.isspace() for char in value):
        raise ValueError(f"{quote(value)} contains a control character or a space")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{quote(value)} is not an absolute http(s) URL")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def validate_permalink(pattern: str, allowed: set[str]) -> str:
    """Check a permalink pattern; returns it with a leading `/`. Placeholders are bare names:
    a format spec (`{slug:>10000}`) or conversion would let a pattern make any text."""
    if _has_control(pattern):
        raise ValueError(f"{quote(pattern)} contains a control character")
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:
        raise ValueError(f"{quote(pattern)} has an unmatched {{ or }}") from None
    for _, name, spec, conversion in parsed:
        if name is not None and (spec or conversion or not name.isidentifier()):
            raise ValueError(
                f"{quote(pattern)}: placeholders are bare names like {{slug}}, not "
                f"{quote('{' + name + ('!' + conversion if conversion else '') + (':' + spec if spec else '') + '}')}"
            )
    fields = {name for _, name, _, _ in parsed if name is not None}
    unknown = sorted(fields - allowed)
    if unknown:
        raise ValueError(f"{quote(pattern)} uses unknown placeholder {{{unknown[0]}}}")
    if not fields & {"slug", "title"}:
        raise ValueError(f"{quote(pattern)} must contain {{slug}}")
    if not (pattern.endswith("/") or pattern.endswith(".html")):
        raise ValueError(f"{quote(pattern)} must end with / or .html")
    if any(len(part.encode()) > MAX_NAME_BYTES for part in pattern.split("/")):
        raise ValueError(f"{quote(pattern)} has a part longer than {MAX_NAME_BYTES} bytes")
    parts = pattern.split("/")
    if ".." in parts or "." in parts or "//" in pattern or "\\" in pattern:
        raise ValueError(f"{quote(pattern)} is not a clean path")
    return pattern if pattern.startswith("/") else "/" + pattern


def _has_control(text: str) -> bool:
    return any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in text)


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


def resolve_site(site_dir: Path | None) -> Path:
    """The site folder, resolved: `--site` if given (it must hold sitegen.toml), else the nearest
    folder at or above the current one that does."""
    if site_dir is None:
        return find_site_dir(Path.cwd())
    if not (site_dir / CONFIG_FILE).is_file():
        raise ConfigError(
            f"{site_dir} has no {CONFIG_FILE}",
            field="--site",
            hint=f"pass the folder that holds {CONFIG_FILE}, or run `sitegen init`",
        )
    return site_dir.resolve()


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
    except RecursionError:
        raise ConfigError(
            "invalid TOML: arrays or tables are nested too deeply", file=file, hint=_TOML_HINT
        ) from None
    except ValueError as exc:  # tomllib's errors, and int() refusing a 5,000-digit number
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        if "integer string conversion" in message:
            message = "a number has more than 4,300 digits"
        raise ConfigError(
            f"invalid TOML: {message}",
            file=file,
            line=int(found.group(1)) if found else None,
            hint=_TOML_HINT,
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
        message = f"{quote(value)} is not allowed: {err['msg'][0].lower()}{err['msg'][1:]}"
    value_hint = _HINTS.get(key) or _HINTS.get(loc[0])
    return ConfigError(message, file=file, line=line, field=key, hint=value_hint)


def _model_at(loc: tuple[str, ...]) -> type[BaseModel]:
    model: type[BaseModel] = SiteConfig
    for part in loc:
        if part.isdigit():  # an item of a list (`nav.0.children.2`)
            continue
        annotation = model.model_fields[part].annotation
        annotation = get_args(annotation)[0] if get_args(annotation) else annotation
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
