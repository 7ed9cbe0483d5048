"""sitegen.toml -> a validated, read-only `SiteConfig`.

Every table is checked strictly: a value of the wrong type is an error (no coercion), and an
unknown key is an error naming it (with the closest known key as a suggestion) instead of a
silently ignored setting. The checks are plain functions (see `_FIELDS`), not pydantic: importing
pydantic cost ~90 ms of every build, more than a whole no-op build's own work. tomllib does not
report where keys are, so `_line_of` finds the line of a key path in the text for messages.
Supabase settings are not here: secrets live in the environment, never in the toml.
"""

from __future__ import annotations

import difflib
import re
import string
import tomllib
from collections.abc import Callable
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any, Literal, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

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


# --- the values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Section:
    """A table of sitegen.toml, validated by `_section` (strict types, unknown keys refused)."""

    def as_json(self) -> str:
        """Every value as JSON text: part of the build cache's key."""
        import json  # here: a build that finds nothing changed never asks, and skips the import

        return json.dumps(asdict(self), default=str, sort_keys=True)


@dataclass(frozen=True)
class PermalinksConfig(_Section):
    """URL patterns; placeholders {slug} (all) and {year} {month} {day} (posts)."""

    post: str = "/posts/{slug}/"
    page: str = "/{slug}/"
    tag: str = "/tags/{slug}/"


# Hosts whose pages raw HTML may embed in an iframe (video players), with their subdomains.
DEFAULT_IFRAME_HOSTS = ("www.youtube-nocookie.com", "www.youtube.com", "player.vimeo.com")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")


@dataclass(frozen=True)
class MarkdownConfig(_Section):
    allow_html: bool | Literal["sanitize"] = "sanitize"
    iframe_hosts: tuple[str, ...] = DEFAULT_IFRAME_HOSTS
    highlight: bool = True
    toc_max_level: int = 3


@dataclass(frozen=True)
class FeedsConfig(_Section):
    enabled: bool = True
    format: Literal["atom", "rss"] = "atom"
    per_tag: bool = True
    limit: int = 20


@dataclass(frozen=True)
class SitemapConfig(_Section):
    enabled: bool = True


@dataclass(frozen=True)
class RedirectsConfig(_Section):
    """Redirect pages are always written for `aliases`; `netlify` adds a `_redirects` file
    (the format Netlify and Cloudflare Pages read) listing them as 301s."""

    netlify: bool = False


@dataclass(frozen=True)
class NavEntry(_Section):
    """One entry of an explicit `nav`: a page (`page`, a file under content/pages/), an
    outside link (`url`), or a group of `children` (which may also have a page)."""

    title: str | None = None
    page: str | None = None
    url: str | None = None
    children: list[NavEntry] = field(default_factory=list)


@dataclass(frozen=True)
class AuthorConfig(_Section):
    """An author profile for a local-only site: `[authors.<slug>]` (docs/content.md)."""

    name: str
    bio: str = ""
    avatar: str | None = None


@dataclass(frozen=True)
class LimitsConfig(_Section):
    """Per-document limits: bounded work and output for any input. Real documents stay far
    below them; a document over one is an error naming it (raise the limit if it is meant)."""

    tags_per_document: int = 100  # each tag page lists every post's tags
    headings_per_document: int = 5000
    document_bytes: int = 10_000_000


@dataclass(frozen=True)
class SearchConfig(_Section):
    """The site's own search: an index built with the site, a box in the theme."""

    enabled: bool = True


@dataclass(frozen=True)
class SiteConfig(_Section):
    """The whole of sitegen.toml. Only `title` is required."""

    title: str
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    author: str = ""
    theme: str = "default"
    output_dir: str = "public"
    posts_per_page: int = 10
    permalinks: PermalinksConfig = PermalinksConfig()
    markdown: MarkdownConfig = MarkdownConfig()
    feeds: FeedsConfig = FeedsConfig()
    sitemap: SitemapConfig = SitemapConfig()
    nav: list[NavEntry] = field(default_factory=list)  # explicit navigation; empty: the folders
    authors: dict[str, AuthorConfig] = field(default_factory=dict)
    limits: LimitsConfig = LimitsConfig()
    search: SearchConfig = SearchConfig()
    redirects: RedirectsConfig = RedirectsConfig()
    # [taxonomies]: front-matter field -> URL pattern of its terms (`tags` also sets the tags').
    taxonomies: dict[str, str] = field(default_factory=dict)
    # [params]: anything, for templates (`site.params.x`), as Hugo's site params; `[extra]`,
    # Zola's and MkDocs' name for the same, is read as [params].
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def term_patterns(self) -> dict[str, str]:
        """Every taxonomy (`tags` first) with the URL pattern of its terms."""
        return {"tags": self.permalinks.tag, **self.taxonomies}

    @property
    def base_path(self) -> str:
        """The path part of base_url, always ending in `/` (`/blog/`)."""
        return urlsplit(self.base_url).path


# --- checking the values a table gives ----------------------------------------------------------
#
# A rule checks one value at `loc` (its key path): it returns the value to keep, or _BAD after
# appending a problem to `problems`. Problems have the kinds and texts of pydantic's strict mode,
# which checked sitegen.toml before, so messages stay as they were; `_config_error` words them.

Loc = tuple[str | int, ...]
Problem = dict[str, Any]  # type, loc, msg, input
Rule = Callable[[Any, Loc, list[Problem]], Any]
_BAD = object()


def _problem(problems: list[Problem], kind: str, loc: Loc, message: str, value: Any) -> object:
    problems.append({"type": kind, "loc": loc, "msg": message, "input": value})
    return _BAD


def _typed(kind: str, message: str, test: Callable[[Any], bool]) -> Rule:
    def rule(value: Any, loc: Loc, problems: list[Problem]) -> Any:
        return value if test(value) else _problem(problems, kind, loc, message, value)

    return rule


_TEXT = _typed("string_type", "Input should be a valid string", lambda v: isinstance(v, str))
_TEXT_OR_NONE = _typed(
    "string_type", "Input should be a valid string", lambda v: v is None or isinstance(v, str)
)
_BOOL = _typed("bool_type", "Input should be a valid boolean", lambda v: isinstance(v, bool))
_INT = _typed(
    "int_type",
    "Input should be a valid integer",
    lambda v: isinstance(v, int) and not isinstance(v, bool),
)
_NONEMPTY = _typed("string_too_short", "String should have at least 1 character", bool)


def _at_least(low: int) -> Rule:
    return _typed(
        "greater_than_equal", f"Input should be greater than or equal to {low}", lambda v: v >= low
    )


def _at_most(high: int) -> Rule:
    return _typed(
        "less_than_equal", f"Input should be less than or equal to {high}", lambda v: v <= high
    )


def _one_of(*choices: str) -> Rule:
    listed = [repr(choice) for choice in choices]
    text = f"{', '.join(listed[:-1])} or {listed[-1]}"
    return _typed("literal_error", f"Input should be {text}", lambda v: v in choices)


def _value(check: Callable[[Any], Any]) -> Rule:
    """A rule from a function that returns the value to keep or raises ValueError."""

    def rule(value: Any, loc: Loc, problems: list[Problem]) -> Any:
        try:
            return check(value)
        except ValueError as exc:
            return _problem(problems, "value_error", loc, str(exc), value)

    return rule


def _all(*rules: Rule) -> Rule:
    """Each rule on what the one before kept, stopping at the first problem."""

    def rule(value: Any, loc: Loc, problems: list[Problem]) -> Any:
        for each in rules:
            value = each(value, loc, problems)
            if value is _BAD:
                break
        return value

    return rule


def _list_of(item: Rule) -> Rule:
    def rule(value: Any, loc: Loc, problems: list[Problem]) -> Any:
        if not isinstance(value, list):
            return _problem(problems, "list_type", loc, "Input should be a valid list", value)
        start = len(problems)
        kept = [item(each, (*loc, index), problems) for index, each in enumerate(value)]
        return _BAD if len(problems) > start else kept

    return rule


def _dict_of(item: Rule | None) -> Rule:
    """A table of any keys; with `item`, each value checked by it."""

    def rule(value: Any, loc: Loc, problems: list[Problem]) -> Any:
        if not isinstance(value, dict):
            return _problem(problems, "dict_type", loc, "Input should be a valid dictionary", value)
        if item is None:
            return value
        start = len(problems)
        kept = {key: item(each, (*loc, key), problems) for key, each in value.items()}
        return _BAD if len(problems) > start else kept

    return rule


def _section(
    cls: type[_Section],
    before: Callable[[Any], Any] | None = None,
    after: Callable[[Any], None] | None = None,
) -> Rule:
    """A table checked field by field with `_FIELDS[cls]`: a missing required field, a bad value
    and an unknown key are each a problem, all reported; `after` (raising ValueError) checks
    the whole once every field is good."""

    def rule(value: Any, loc: Loc, problems: list[Problem]) -> Any:
        value = before(value) if before is not None else value
        if isinstance(value, cls):
            return value
        if not isinstance(value, dict):
            message = f"Input should be a valid dictionary or instance of {cls.__name__}"
            return _problem(problems, "model_type", loc, message, value)
        start = len(problems)
        kept: dict[str, Any] = {}
        used = set()
        for each in fields(cls):
            keys = _KEYS.get((cls, each.name), (each.name,))
            key = next((k for k in keys if k in value), None)
            if key is None:
                if each.default is MISSING and each.default_factory is MISSING:
                    _problem(problems, "missing", (*loc, each.name), "Field required", value)
                continue
            used.add(key)
            kept[each.name] = _FIELDS[cls][each.name](value[key], (*loc, key), problems)
        for key, each in value.items():
            if key not in used:
                _problem(
                    problems, "extra_forbidden", (*loc, key), "Extra inputs are not permitted", each
                )
        if len(problems) > start:
            return _BAD
        made = cls(**kept)
        if after is not None:
            try:
                after(made)
            except ValueError as exc:
                return _problem(problems, "value_error", loc, str(exc), value)
        return made

    return rule


def _permalink(kind: str) -> Rule:
    return _all(_TEXT, _value(lambda pattern: validate_permalink(pattern, PLACEHOLDERS[kind])))


def _allow_html(value: object) -> object:
    if value is True or value is False or value == "sanitize":
        return value
    raise ValueError(f'{value!r} is not one of true, false or "sanitize"')


def _iframe_hosts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(h, str) for h in value):
        raise ValueError(f"{value!r} is not a list of host names")
    bad = [h for h in value if not _HOST.fullmatch(h)]
    if bad:
        raise ValueError(f"{bad[0]!r} is not a host name (no scheme, path or capitals)")
    return tuple(value)


def _page_path(value: Any) -> Any:
    """A plain string is a page: `"guides/a.md"` is `{page = "guides/a.md"}`."""
    return {"page": value} if isinstance(value, str) else value


def _one_target(entry: NavEntry) -> None:
    if entry.page is not None and entry.url is not None:
        raise ValueError("give `page` or `url`, not both")
    if entry.page is None and entry.title is None:
        raise ValueError("an entry without `page` needs a `title`")
    if entry.page is None and entry.url is None and not entry.children:
        raise ValueError("give `page`, `url` or `children`")


def _author_slugs(value: dict[str, AuthorConfig]) -> dict[str, AuthorConfig]:
    for slug in value:
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
            raise ValueError(f"[authors.{slug}]: {slug!r} is not a slug (a-z, 0-9, hyphens)")
    return value


def _taxonomies(value: dict[str, str]) -> dict[str, str]:
    for name in value:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise ValueError(f"{name!r} is not a front-matter field name")
    return {name: validate_permalink(pattern, {"slug"}) for name, pattern in value.items()}


def _language(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", value):
        raise ValueError(f"{quote(value)} is not a language tag")
    return value


def _theme(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_\-]+", value):
        raise ValueError(f"{quote(value)} is not a theme name")
    return value


def _output_dir(value: str) -> str:
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


_NAV_ENTRY = _section(NavEntry, before=_page_path, after=_one_target)
_AT_LEAST_ONE = _all(_INT, _at_least(1))
# Each table's rules, by field; a field missing here has no rule (and cannot be set).
_FIELDS: dict[type[_Section], dict[str, Rule]] = {
    PermalinksConfig: {kind: _permalink(kind) for kind in ("post", "page", "tag")},
    MarkdownConfig: {
        "allow_html": _value(_allow_html),
        "iframe_hosts": _value(_iframe_hosts),
        "highlight": _BOOL,
        "toc_max_level": _all(_INT, _at_least(1), _at_most(6)),
    },
    FeedsConfig: {
        "enabled": _BOOL,
        "format": _one_of("atom", "rss"),
        "per_tag": _BOOL,
        "limit": _AT_LEAST_ONE,
    },
    SitemapConfig: {"enabled": _BOOL},
    RedirectsConfig: {"netlify": _BOOL},
    NavEntry: {
        "title": _TEXT_OR_NONE,
        "page": _TEXT_OR_NONE,
        "url": _TEXT_OR_NONE,
        "children": _list_of(_NAV_ENTRY),
    },
    AuthorConfig: {"name": _all(_TEXT, _NONEMPTY), "bio": _TEXT, "avatar": _TEXT_OR_NONE},
    LimitsConfig: {
        "tags_per_document": _AT_LEAST_ONE,
        "headings_per_document": _AT_LEAST_ONE,
        "document_bytes": _AT_LEAST_ONE,
    },
    SearchConfig: {"enabled": _BOOL},
    SiteConfig: {
        "title": _all(_TEXT, _NONEMPTY),
        "description": _TEXT,
        "base_url": _all(_TEXT, _value(lambda url: normalise_base_url(url))),
        "language": _all(_TEXT, _value(_language)),
        "author": _TEXT,
        "theme": _all(_TEXT, _value(_theme)),
        "output_dir": _all(_TEXT, _value(_output_dir)),
        "posts_per_page": _AT_LEAST_ONE,
        "permalinks": _section(PermalinksConfig),
        "markdown": _section(MarkdownConfig),
        "feeds": _section(FeedsConfig),
        "sitemap": _section(SitemapConfig),
        "nav": _list_of(_NAV_ENTRY),
        "authors": _all(_dict_of(_section(AuthorConfig)), _value(_author_slugs)),
        "limits": _section(LimitsConfig),
        "search": _section(SearchConfig),
        "redirects": _section(RedirectsConfig),
        "taxonomies": _all(_dict_of(_TEXT), _value(_taxonomies)),
        "params": _dict_of(None),
    },
}
# Fields read from other keys too, first found wins: `[extra]` (Zola, MkDocs) is [params].
_KEYS: dict[tuple[type[_Section], str], tuple[str, ...]] = {
    (SiteConfig, "params"): ("params", "extra")
}
_SITE_CONFIG = _section(SiteConfig)


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
    problems: list[Problem] = []
    config = _SITE_CONFIG(data, (), problems)
    if not problems:
        return config
    errors = [_config_error(problem, text, file) for problem in problems]
    if len(errors) == 1:
        raise errors[0]
    raise ConfigErrors(errors)


def _config_error(err: Problem, text: str, file: str) -> ConfigError:
    loc = tuple(str(part) for part in err["loc"])
    key = ".".join(loc)
    line = _line_of(text, loc)
    if err["type"] == "extra_forbidden":
        known = [each.name for each in fields(_section_at(loc[:-1]))]
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
        message = err["msg"]
    else:
        message = f"{quote(value)} is not allowed: {err['msg'][0].lower()}{err['msg'][1:]}"
    value_hint = _HINTS.get(key) or _HINTS.get(loc[0])
    return ConfigError(message, file=file, line=line, field=key, hint=value_hint)


def _section_at(loc: tuple[str, ...]) -> type[_Section]:
    """The table type at key path `loc` (`nav.0.children.2`, `authors.jane`)."""
    section: type[_Section] = SiteConfig
    parts = iter(loc)
    for part in parts:
        kind = get_type_hints(section)[part]
        if get_origin(kind) in (list, dict):
            next(parts, None)  # the item's index or key
            kind = get_args(kind)[-1]
        section = kind
    return section


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
