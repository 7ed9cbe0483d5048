"""Markdown files with front matter <-> `SourceDocument` values.

Front matter is YAML between `---` lines, TOML between `+++` lines (Hugo, Zola) or a JSON object,
after an optional BOM and blank lines. `parse_document` validates it and reports every problem of
a file at once, each with the file line of the offending key. python-frontmatter is not used: it
hides PyYAML's nodes (where line numbers come from), needs the third-party `toml` package for
TOML and wants JSON braces on lines of their own. Here the YAML is composed once
(libyaml when available) and the node tree gives both the values and the key lines.

Keys other generators use for the same thing (`published`, `lastmod`, `permalink`,
`redirect_from`, `excerpt`, ...) are read as sitegen's own; a key that is a near miss of a known
one is a warning with "did you mean"; any other key is kept for templates (`page.params`).

`dump_document` is the inverse (`parse_document(dump_document(doc), ...) == doc`) with a fixed key
order, so `sitegen pull` writes stable, diff-friendly files.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import Any

import yaml

from sitegen.errors import ContentError, ContentErrors, quote
from sitegen.fsio import MAX_NAME_BYTES
from sitegen.model import DateValue, FrontMatter, Kind, SourceDocument, make_key
from sitegen.slugs import is_valid_slug, slugify, term_slug
from sitegen.titles import first_heading, title_from_slug


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML (libyaml when available) that keeps impossible dates like 2023-13-45 as text,
    so validation reports them with their line instead of YAML raising without one. A value
    its tag cannot make (`!!int abc`, `!!bool maybe`) is a YAML error at its line."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{quote(node.value)} is not a valid {node.tag.rpartition(':')[2]}",
                node.start_mark,
            ) from None


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError, AttributeError):
        return str(node.value)


_NO_ALIASES = "anchors and aliases (`&name`, `*name`) are not allowed in front matter"


def _refuse_aliases(node: yaml.Node | None) -> None:
    """Front matter may not use anchors and aliases (`&a`, `*a`): no real front matter needs
    them, and a few hundred bytes of aliases expand to gigabytes ("billion laughs")."""
    seen: set[int] = set()
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen:
            raise yaml.MarkedYAMLError(problem=_NO_ALIASES, problem_mark=current.start_mark)
        seen.add(id(current))
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(item for pair in current.value for item in pair)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_DELIMITER = "---"
_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9_\-]+(?:/[A-Za-z0-9_\-]+)*\.html")  # fullmatch only
# Other generators' names for known fields (Jekyll, Hugo, Zola): read as the known field.
ALIASES = {
    "published": "draft",
    "lastmod": "updated",
    "last_modified_at": "updated",
    "modified": "updated",
    "expirydate": "expiry_date",
    "expiryDate": "expiry_date",
    "excerpt": "summary",
    "redirect_from": "aliases",
    "permalink": "url",
    "category": "categories",
}
# Kept in `extra` and read there (sitegen.authors: bylines and author pages; sitegen.navigation:
# the order of pages): known, so never called misspelt.
READ_FROM_EXTRA = ("author", "authors", "weight", "order")
_DATED_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
_URL_PATH = re.compile(r"^/[^\s?#\\]*$")
_HINTS = {
    "title": 'add a title, e.g. `title: "My first post"`, or start the body with `# My first post`',
    "slug": "use lower-case words joined by hyphens, e.g. `slug: my-first-post`",
    "date": "use an ISO date such as `2024-05-01` or `2024-05-01T09:30:00+02:00`",
    "updated": "use an ISO date such as `2024-05-01` or `2024-05-01T09:30:00+02:00`",
    "draft": "use `draft: true` or `draft: false`",
    "tags": "use a list of words, e.g. `tags: [python, web]`",
    "summary": "use a string (Markdown is allowed)",
    "template": "name a template file of the theme or of templates/, e.g. `template: wide.html`",
    "cover": "use a media path or URL, e.g. `cover: media/cover.jpg`",
    "menu": "use `menu: true`, or a number giving the position in the menu",
    "description": "use a string, e.g. `description: What this post is about`",
    "categories": "use a list of words, e.g. `categories: [news, releases]`",
    "url": "use a site path starting with `/`, e.g. `url: /2019/05/15/Old-Name.html`",
    "aliases": "use a list of site paths, e.g. `aliases: [/old/path/, /2019/05/15/Name.html]`",
    "expiry_date": "use an ISO date such as `2024-05-01` or `2024-05-01T09:30:00+02:00`",
}


def document_location(path_in_content: str) -> tuple[Kind, str]:
    """Kind and default slug of a file under content/: `posts/a/Hello World.md` -> (post, a/hello-world).

    Raises ContentError when the file is not under posts/ or pages/ or yields no usable slug.
    """
    path = PurePosixPath(path_in_content)
    parts = path.parts
    if len(parts) < 2 or parts[0] not in ("posts", "pages"):
        raise ContentError(
            "is neither a post nor a page",
            file=path_in_content,
            hint="put posts under content/posts/ and pages under content/pages/",
        )
    kind: Kind = "post" if parts[0] == "posts" else "page"
    slug = "/".join(slugify(part) for part in (*parts[1:-1], name_date(path.stem)[1]))
    return kind, slug


def name_date(stem: str) -> tuple[dt.date | None, str]:
    """The date a file name starts with, and the rest: `2019-05-15-My-Post` -> (2019-05-15,
    `My-Post`); (None, stem) when it starts with no valid date (Jekyll's convention)."""
    found = _DATED_NAME.match(stem)
    if found is None:
        return None, stem
    try:
        return dt.date(*(int(found.group(n)) for n in (1, 2, 3))), found.group(4)
    except ValueError:
        return None, stem


def parse_document(
    text: str, *, source: str, kind: Kind | None = None, default_slug: str | None = None
) -> SourceDocument:
    """Parse a Markdown file with front matter into a SourceDocument, or raise ContentError.

    `source` names the file in messages (relative to the site dir, e.g. `content/posts/a.md`).
    `kind` and `default_slug` default to what the path says (see `document_location`, which is
    given `source` minus a leading `content/`); pass them for content that is not a local file.
    Every problem found in the file is raised at once as `ContentErrors` (a ContentError whose
    `errors` lists them all).
    """
    name_day = None
    if kind is None or default_slug is None:
        in_content = source.removeprefix("content/")
        path_kind, path_slug = document_location(in_content)
        kind = kind or path_kind
        default_slug = default_slug if default_slug is not None else path_slug
        name_day = name_date(PurePosixPath(in_content).stem)[0]
    raw, key_lines, body, body_line = load_front_matter(text, source)
    if name_day is not None and "date" not in raw:
        raw["date"] = name_day
    if "title" not in raw:  # as MkDocs: the first `# Heading`, else (pages) the file name
        title = first_heading(body) or (title_from_slug(default_slug) if kind == "page" else None)
        if title:
            raw["title"] = title
    _mkdocs_blog_fields(raw)
    front = validate_front_matter(raw, key_lines, source)
    slug = front.slug if front.slug is not None else default_slug
    if not is_valid_slug(slug) or _too_long(slug):
        raise ContentErrors(
            [
                ContentError(
                    f"cannot make a slug from the file name (got {quote(slug)})",
                    file=source,
                    line=1,
                    field="slug",
                    hint=_HINTS["slug"],
                )
            ]
        )
    return SourceDocument(
        key=make_key(kind, slug),
        kind=kind,
        slug=slug,
        front=front,
        body=body,
        source=source,
        body_line=body_line,
        notes=near_misses(front.extra, key_lines, source),
    )


def near_misses(
    extra: Mapping[str, Any], key_lines: Mapping[str, int], source: str
) -> tuple[ContentError, ...]:
    """A warning for each unknown key that looks like a misspelt known one (`draf`: `draft`)."""
    names = [*KNOWN_FIELDS, *ALIASES, *READ_FROM_EXTRA]
    notes = []
    for key in extra:
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.8)
        if close and key not in READ_FROM_EXTRA:
            meant = close[0]
            notes.append(
                ContentError(
                    f"unknown key; did you mean `{meant}`?",
                    file=source,
                    line=key_lines.get(key, 1),
                    field=key,
                    hint=f"rename it to `{meant}` (as written it is ignored by sitegen and only "
                    f"readable in templates as page.params)",
                )
            )
    return tuple(notes)


def _mkdocs_blog_fields(raw: dict[str, Any]) -> None:
    """MkDocs-Material blog posts write `date: {created: ..., updated: ...}` and slugs such as
    `mkdocs-2.0`: read them as `date`, `updated` and the slug a file name would give."""
    date = raw.get("date")
    if isinstance(date, dict) and "created" in date:
        raw["date"] = date["created"]
        if "updated" in date:
            raw.setdefault("updated", date["updated"])
    slug = raw.get("slug")
    if isinstance(slug, str) and not is_valid_slug(slug) and is_valid_slug(slugify(slug)):
        raw["slug"] = slugify(slug)


def read_front_matter(text: str, source: str) -> tuple[dict[str, Any], dict[str, int], str]:
    """The raw front-matter values of a file, the line of each key, and the body: for files
    with front matter that are not documents (author profiles). Raises ContentErrors."""
    raw, key_lines, body, _ = load_front_matter(text, source)
    return raw, key_lines, body


def dump_document(doc: SourceDocument) -> str:
    """The file text for `doc`: front matter in a fixed key order, then the body verbatim."""
    return f"{_DELIMITER}\n{dump_yaml(front_matter_data(doc.front))}{_DELIMITER}\n{doc.body}"


def dump_yaml(data: Mapping[str, Any]) -> str:
    """Front-matter values as the YAML lines `dump_document` writes, in `data`'s order."""
    return yaml.dump(
        dict(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def front_matter_data(front: FrontMatter) -> dict[str, Any]:
    """Front matter as plain YAML-ready data, known fields first, defaults left out."""
    data: dict[str, Any] = {"title": front.title}
    optional = {
        "slug": front.slug,
        "date": front.date,
        "updated": front.updated,
        "draft": front.draft or None,
        "tags": list(front.tags) or None,
        "summary": front.summary,
        "template": front.template,
        "cover": front.cover,
        "menu": None if front.menu is False else front.menu,
        "description": front.description,
        "categories": list(front.categories) or None,
        "url": front.url,
        "aliases": list(front.aliases) or None,
        "expiry_date": front.expiry_date,
    }
    data.update({name: value for name, value in optional.items() if value is not None})
    data.update({name: front.extra[name] for name in sorted(front.extra)})
    return data


# --- splitting and YAML -------------------------------------------------------------------


def load_front_matter(text: str, source: str) -> tuple[dict[str, Any], dict[str, int], str, int]:
    """(values, file line of each key, body, 1-based body line) of YAML, TOML or JSON front
    matter, which may follow a BOM and blank lines; known fields' other names are resolved."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    first = next((n for n, line in enumerate(lines) if line.strip()), len(lines))
    opener = lines[first].strip() if first < len(lines) else ""
    if re.match(r'\{\s*("|$)', opener):  # not `{{< shortcode >}}`, `{% tag %}` or `{: .class}`
        raw, key_lines, body, body_line = _json_front(text, lines, first, source)
    elif opener in ("---", "+++"):
        closers = ("---", "...") if opener == "---" else ("+++",)
        close = next(
            (n for n in range(first + 1, len(lines)) if lines[n].rstrip() in closers), None
        )
        if close is None:
            raise _one_error(
                "the front matter is never closed",
                source,
                first + 1,
                f"end the front matter with a line holding only `{opener}`",
            )
        front = "".join(lines[first + 1 : close])
        body, body_line = "".join(lines[close + 1 :]), close + 2
        if opener == "+++":
            raw, key_lines = _toml_front(front, first + 2, source)
        else:
            raw, key_lines = _shifted_yaml(front, first, source)
    else:  # no front matter: all body (MkDocs pages; the title comes from a heading)
        return {}, {}, text, 1
    return *_canonical(raw, key_lines, source), body, body_line


def _one_error(
    message: str, source: str, line: int, hint: str, field: str | None = None
) -> ContentErrors:
    return ContentErrors([ContentError(message, file=source, line=line, field=field, hint=hint)])


def _shifted_yaml(front: str, by: int, source: str) -> tuple[dict[str, Any], dict[str, int]]:
    """`_load_yaml` (which counts from a `---` on line 1) for YAML that starts `by` lines later."""
    try:
        raw, key_lines = _load_yaml(front, source)
    except ContentErrors as exc:
        for error in exc.errors:
            error.line = None if error.line is None else error.line + by
        raise ContentErrors(exc.errors) from None
    return raw, {name: line + by for name, line in key_lines.items()}


_TOML_KEY = re.compile(r"""^\s*(?:\[\s*)?("[^"]+"|'[^']+'|[A-Za-z0-9_\-]+)""")


def _toml_front(front: str, start: int, source: str) -> tuple[dict[str, Any], dict[str, int]]:
    """TOML front matter starting on file line `start`: values and top-level key lines."""
    try:
        raw = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        raise _one_error(
            "invalid TOML in the front matter: " + re.sub(r"\s*\(at line .*\)", "", str(exc)),
            source,
            start + int(found.group(1)) - 1 if found else start,
            'check the quotes around strings and the `key = value` form, e.g. `title = "Hi"`',
        ) from None
    key_lines: dict[str, int] = {}
    in_table = False
    for number, line in enumerate(front.splitlines(), start=start):
        if line.lstrip().startswith("["):
            in_table = True
        found_key = _TOML_KEY.match(line)
        if found_key and (not in_table or line.lstrip().startswith("[")):
            key_lines.setdefault(found_key.group(1).strip("\"'"), number)
    return raw, key_lines


def _json_front(
    text: str, lines: list[str], first: int, source: str
) -> tuple[dict[str, Any], dict[str, int], str, int]:
    """A JSON object opening the file (Hugo's JSON front matter), and the body after it."""
    offset = sum(len(line) for line in lines[:first])
    try:
        raw, end = json.JSONDecoder().raw_decode(text, offset)
    except json.JSONDecodeError as exc:
        raise _one_error(
            f"invalid JSON in the front matter: {exc.msg}",
            source,
            exc.lineno,
            'check the commas and quotes, e.g. `{"title": "Hi", "tags": ["a"]}`',
        ) from None
    if not isinstance(raw, dict):
        raise _one_error("the front matter must be a JSON object", source, first + 1, "use {...}")
    newline = text.find("\n", end)
    body = "" if newline < 0 else text[newline + 1 :]
    body_line = text.count("\n", 0, end) + 2
    key_lines = {}
    for key in raw:
        at = text.find(json.dumps(key), offset, end)
        key_lines[str(key)] = text.count("\n", 0, at) + 1 if at >= 0 else first + 1
    return {str(k): v for k, v in raw.items()}, key_lines, body, body_line


def _canonical(
    raw: dict[str, Any], key_lines: dict[str, int], source: str
) -> tuple[dict[str, Any], dict[str, int]]:
    """`raw` with other generators' names for known fields renamed (`published: false` is
    `draft: true`); an error when a field is given under two names."""
    errors = []
    for alias, name in ALIASES.items():
        if alias not in raw:
            continue
        line = key_lines.get(alias, 1)
        if name in raw:
            errors.append(
                ContentError(
                    f"means the same as `{name}` (line {key_lines.get(name, 1)})",
                    file=source,
                    line=line,
                    field=alias,
                    hint="keep one of the two",
                )
            )
            continue
        value = raw.pop(alias)
        if alias == "published":
            value = not value if isinstance(value, bool) else value
        raw[name] = value
        key_lines[name] = line
    if errors:
        raise ContentErrors(errors)
    return raw, key_lines


def _load_yaml(yaml_text: str, source: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Values and the file line of each top-level key (and `key[i]` for list items)."""
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        _refuse_aliases(node)
        data = loader.construct_document(node) if node is not None else {}
    except (yaml.YAMLError, RecursionError) as exc:
        line, problem, hint = _yaml_problem(exc, yaml_text)
        raise ContentErrors(
            [
                ContentError(
                    f"invalid YAML in the front matter: {problem}",
                    file=source,
                    line=line,
                    hint=hint,
                )
            ]
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ContentErrors(
            [
                ContentError(
                    "the front matter must be a mapping of `name: value` lines",
                    file=source,
                    line=2,
                    hint='write e.g. `title: "My post"` between the `---` lines',
                )
            ]
        )
    return {str(k): v for k, v in data.items()}, _key_lines(node, source)


def _yaml_problem(exc: BaseException, yaml_text: str) -> tuple[int, str, str]:
    """(file line, what is wrong, hint) for an error of the YAML reader, parser or constructor."""
    if isinstance(exc, yaml.reader.ReaderError):
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        line = yaml_text.count("\n", 0, exc.position) + 2
        return line, f"the character {character!r} is not allowed", "remove the control character"
    if isinstance(exc, RecursionError):
        return 1, "the values are nested too deeply", "write the values out flat"
    hint = "check the indentation, and quote values that contain `:` or `#`"
    if not isinstance(exc, yaml.MarkedYAMLError):
        return 1, str(exc), hint
    mark = exc.problem_mark or exc.context_mark
    if isinstance(exc, yaml.constructor.ConstructorError) or exc.problem == _NO_ALIASES:
        hint = "write the value out in full, without `!!tags`, `&anchors` or `*aliases`"
    return (mark.line + 2 if mark else 1), exc.problem or exc.context or "invalid", hint


def _key_lines(node: yaml.Node | None, source: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    errors = []
    for key_node, value_node in node.value:
        name = str(key_node.value)
        line = key_node.start_mark.line + 2
        if name in lines:
            errors.append(
                ContentError(
                    f"is given twice (first on line {lines[name]})",
                    file=source,
                    line=line,
                    field=name,
                    hint="keep one of the two",
                )
            )
        lines[name] = line
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                lines[f"{name}[{index}]"] = item.start_mark.line + 2
    if errors:
        raise ContentErrors(errors)
    return lines


# --- validation ------------------------------------------------------------------------------


def parse_date(value: Any) -> DateValue | None:
    """A front-matter date: YAML date/datetime or ISO string; naive datetimes are taken as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = (
                dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
            )
        except ValueError:
            raise ValueError(f"{quote(text)} is not an ISO date") from None
    if isinstance(value, dt.datetime):
        value = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        try:  # feeds and sorting use UTC: 0001-01-01T00:00:00+01:00 has no UTC time
            value.astimezone(dt.UTC)
        except OverflowError:
            raise ValueError(f"{value.isoformat()} is out of range in UTC") from None
        return value
    if isinstance(value, dt.date):
        return value
    raise ValueError(f"{quote(value)} is not a date")


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _too_long(slug: str) -> bool:
    return any(len(part.encode()) > MAX_NAME_BYTES for part in slug.split("/"))


def is_safe_reference(value: str) -> bool:
    """True for a site-relative path (`media/a.png`, `/media/a.png`, `../media/a.png`) or an
    absolute http(s) URL: never `javascript:`, `data:` or a `//host` URL, however spelled
    (browsers drop tabs and newlines in URLs and read `\\` as `/`)."""
    if value != value.strip() or not value or "\\" in value:
        return False
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return False
    scheme = _SCHEME.match(value)
    if scheme is None:
        return not value.startswith("//")
    return scheme.group().lower() in ("http:", "https:") and value[scheme.end() :].startswith("//")


def read_date(value: Any) -> DateValue | None:
    """A date as another generator's front matter writes it (see `_written_date`); raises
    ValueError when it is none."""
    return parse_date(_written_date(value))


def _written_date(value: Any) -> Any:
    """Dates as other generators accept them, as ISO text: `2016-05-03 9:00:00 +0900` (Jekyll,
    one-digit hour), `September 9, 2020`; anything else is returned as it was."""
    if not isinstance(value, str):
        return value
    for form in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%B %d, %Y", "%b %d, %Y"):
        try:
            return dt.datetime.strptime(value.strip(), form).isoformat()
        except ValueError:
            continue
    return value


def _site_path(value: str) -> str:
    """A URL path kept as written (`/2019/05/15/Name.html`); a site-relative `a/b/` gets its `/`."""
    path = value.strip()
    path = path if path.startswith("/") else "/" + path
    if not _URL_PATH.match(path) or ".." in path.split("/") or "//" in path:
        raise ValueError(f"{value!r} is not a clean site path")
    return path


def _parse_tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):  # `a, b` or Jekyll's space-separated `rust cargo`
        value = value.split(",") if "," in value else value.split()
    if not isinstance(value, list):
        raise ValueError(f"must be a list of tags, not {quote(value)}")
    tags: list[str] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise ValueError(f"tag {quote(item)} is not a word")
        tag = str(item).strip()
        if not term_slug(tag):
            raise ValueError(f"tag {quote(tag)} has no letters or digits to make its URL from")
        if _too_long(term_slug(tag)):
            raise ValueError(
                f"tag {quote(tag)} makes a URL part longer than {MAX_NAME_BYTES} bytes"
            )
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


# Each known field's check: the value to keep, or ValueError saying what is wrong. Every problem
# is reported, in this order. (pydantic checked these before, in its lax mode, and the messages
# are its; importing pydantic cost ~90 ms of every build.)


def _text(value: Any) -> str:
    """Text as written; bytes (YAML's `!!binary`) read as UTF-8."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        try:
            return value.decode()
        except UnicodeDecodeError:
            raise ValueError(
                "Input should be a valid string, unable to parse raw data as a unicode string, "
                f"not {quote(value)}"
            ) from None
    raise ValueError(f"must be text, not {quote(value)} (put it in quotes)")


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _title(value: Any) -> str:
    value = _text(value)
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _slug(value: Any) -> str | None:
    value = _optional_text(value)
    if value is not None and not is_valid_slug(value):
        raise ValueError(f"{quote(value)} is not a valid slug")
    if value is not None and _too_long(value):
        raise ValueError(f"{quote(value)} has a part longer than {MAX_NAME_BYTES} bytes")
    return value


def _cover(value: Any) -> str | None:
    value = _optional_text(value)
    if value is not None and not is_safe_reference(value):
        raise ValueError(f"must be a site-relative path or an http(s) URL, not {quote(value)}")
    return value


def _draft(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {quote(value)}")
    return value


def _url(value: Any) -> str | None:
    value = _optional_text(value)
    return None if value is None else _site_path(value)


def _aliases(value: Any) -> tuple[str, ...]:
    paths = [value] if isinstance(value, str) else value if value is not None else []
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise ValueError(f"must be a list of site paths, not {value!r}")
    return tuple(dict.fromkeys(_site_path(path) for path in paths))


def _template(value: Any) -> str | None:
    value = _optional_text(value)
    if value is not None and not _TEMPLATE_NAME.fullmatch(value):
        raise ValueError(f"{quote(value)} is not a template file name ending in .html")
    return value


def _menu(value: Any) -> bool | int:
    if isinstance(value, bool) or (isinstance(value, int) and value >= 0):
        return value
    raise ValueError(f"must be true, false or a number >= 0, not {quote(value)}")


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "title": _title,
    "slug": _slug,
    "date": read_date,
    "updated": read_date,
    "draft": _draft,
    "tags": _parse_tags,
    "summary": _optional_text,
    "template": _template,
    "cover": _cover,
    "menu": _menu,
    "description": _optional_text,
    "categories": _parse_tags,
    "url": _url,
    "aliases": _aliases,
    "expiry_date": read_date,
}
KNOWN_FIELDS = tuple(_CHECKS)  # sitegen's own front-matter fields; any other key is `extra`


def validate_front_matter(
    raw: Mapping[str, Any], key_lines: Mapping[str, int], source: str
) -> FrontMatter:
    """Front matter values (already loaded from YAML or a database row) as a FrontMatter.

    The one validation every document goes through, whatever its origin: `parse_document` uses
    it for files, `sitegen pull` for remote rows (which have no YAML to re-parse). `key_lines`
    maps field names to file lines for messages (empty when there is no file); `source` names
    the document. Raises ContentErrors listing every invalid field at once.
    """
    values: dict[str, Any] = {}
    errors = []
    for name, check in _CHECKS.items():
        if name not in raw:
            if name == "title":
                errors.append(_content_error(name, "is required", key_lines, source, line=1))
            continue
        try:
            values[name] = check(raw[name])
        except ValueError as exc:
            errors.append(_content_error(name, str(exc), key_lines, source))
    if errors:
        raise ContentErrors(errors)
    return FrontMatter(
        title=values["title"],
        slug=values.get("slug"),
        date=values.get("date"),
        updated=values.get("updated"),
        draft=values.get("draft", False),
        tags=values.get("tags", ()),
        summary=values.get("summary"),
        template=values.get("template"),
        cover=values.get("cover"),
        menu=values.get("menu", False),
        description=values.get("description"),
        categories=values.get("categories", ()),
        url=values.get("url"),
        aliases=values.get("aliases", ()),
        expiry_date=values.get("expiry_date"),
        extra={name: value for name, value in raw.items() if name not in _CHECKS},
    )


def _content_error(
    name: str, message: str, key_lines: Mapping[str, int], source: str, line: int | None = None
) -> ContentError:
    return ContentError(
        message,
        file=source,
        line=key_lines.get(name, 1) if line is None else line,
        field=name,
        hint=_HINTS.get(name),
    )
