"""Markdown files with YAML front matter <-> `Document` values.

`parse_document` validates front matter with pydantic and reports every problem of a file at
once, each with the file line of the offending YAML key. python-frontmatter is not used: it
hides PyYAML's nodes, and the nodes are where line numbers come from. Here the YAML is composed
once (libyaml when available) and the node tree gives both the values and the key lines.

`dump_document` is the inverse (`parse_document(dump_document(doc), ...) == doc`) with a fixed key
order, so `sitegen pull` writes stable, diff-friendly files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from sitegen.errors import ContentError, ContentErrors, quote
from sitegen.fsio import MAX_NAME_BYTES
from sitegen.model import DateValue, Document, FrontMatter, Kind, make_key
from sitegen.slugs import is_valid_slug, slugify
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
_CLOSERS = ("---", "...")
_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9_\-]+(?:/[A-Za-z0-9_\-]+)*\.html")  # fullmatch only
KNOWN_FIELDS = (
    "title",
    "slug",
    "date",
    "updated",
    "draft",
    "tags",
    "summary",
    "template",
    "cover",
    "menu",
)
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
    slug = "/".join(slugify(part) for part in (*parts[1:-1], path.stem))
    return kind, slug


def parse_document(
    text: str, *, source: str, kind: Kind | None = None, default_slug: str | None = None
) -> Document:
    """Parse a Markdown file with front matter into a Document, or raise ContentError.

    `source` names the file in messages (relative to the site dir, e.g. `content/posts/a.md`).
    `kind` and `default_slug` default to what the path says (see `document_location`, which is
    given `source` minus a leading `content/`); pass them for content that is not a local file.
    Every problem found in the file is raised at once as `ContentErrors` (a ContentError whose
    `errors` lists them all).
    """
    if kind is None or default_slug is None:
        in_content = source.removeprefix("content/")
        path_kind, path_slug = document_location(in_content)
        kind = kind or path_kind
        default_slug = default_slug if default_slug is not None else path_slug
    yaml_text, body, body_line = _split(text, source)
    raw, key_lines = _load_yaml(yaml_text, source)
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
    return Document(
        key=make_key(kind, slug),
        kind=kind,
        slug=slug,
        front=front,
        body=body,
        source=source,
        body_line=body_line,
    )


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
    yaml_text, body, _ = _split(text, source)
    raw, key_lines = _load_yaml(yaml_text, source)
    return raw, key_lines, body


def dump_document(doc: Document) -> str:
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
    }
    data.update({name: value for name, value in optional.items() if value is not None})
    data.update({name: front.extra[name] for name in sorted(front.extra)})
    return data


# --- splitting and YAML -------------------------------------------------------------------


def _split(text: str, source: str) -> tuple[str, str, int]:
    """(front matter YAML, body, 1-based body line). A file without front matter is all body."""
    text = text.removeprefix("\ufeff")
    first_end = text.find("\n")
    first_line = text if first_end < 0 else text[:first_end]
    if first_line.rstrip() != _DELIMITER:
        return "", text, 1
    position = first_end + 1
    line_number = 2
    while position <= len(text):
        end = text.find("\n", position)
        line = text[position:] if end < 0 else text[position:end]
        if line.rstrip() in _CLOSERS:
            body = "" if end < 0 else text[end + 1 :]
            return text[first_end + 1 : position], body, line_number + 1
        if end < 0:
            break
        position = end + 1
        line_number += 1
    raise ContentErrors(
        [
            ContentError(
                "the front matter is never closed",
                file=source,
                line=1,
                hint="end the front matter with a line holding only `---`",
            )
        ]
    )


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


class _FrontMatterIn(BaseModel):
    """The pydantic boundary for front matter; unknown fields are kept as `extra`."""

    model_config = ConfigDict(extra="allow", strict=False)

    title: str
    slug: str | None = None
    date: Any = None
    updated: Any = None
    draft: bool = False
    tags: Any = None
    summary: str | None = None
    template: str | None = None
    cover: str | None = None
    menu: Any = False

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("slug")
    @classmethod
    def _slug_valid(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_slug(value):
            raise ValueError(f"{quote(value)} is not a valid slug")
        if value is not None and _too_long(value):
            raise ValueError(f"{quote(value)} has a part longer than {MAX_NAME_BYTES} bytes")
        return value

    @field_validator("cover")
    @classmethod
    def _cover(cls, value: str | None) -> str | None:
        if value is not None and not is_safe_reference(value):
            raise ValueError(f"must be a site-relative path or an http(s) URL, not {quote(value)}")
        return value

    @field_validator("date", "updated")
    @classmethod
    def _date(cls, value: Any) -> DateValue | None:
        return parse_date(value)

    @field_validator("draft", mode="before")
    @classmethod
    def _strict_bool(cls, value: Any) -> Any:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {quote(value)}")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: Any) -> tuple[str, ...]:
        return _parse_tags(value)

    @field_validator("template")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        if value is not None and not _TEMPLATE_NAME.fullmatch(value):
            raise ValueError(f"{quote(value)} is not a template file name ending in .html")
        return value

    @field_validator("menu")
    @classmethod
    def _menu(cls, value: Any) -> bool | int:
        if isinstance(value, bool) or (isinstance(value, int) and value >= 0):
            return value
        raise ValueError(f"must be true, false or a number >= 0, not {quote(value)}")


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


def _parse_tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list):
        raise ValueError(f"must be a list of tags, not {quote(value)}")
    tags: list[str] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise ValueError(f"tag {quote(item)} is not a word")
        tag = str(item).strip()
        if not slugify(tag):
            raise ValueError(f"tag {quote(tag)} has no letters or digits to make its URL from")
        if _too_long(slugify(tag)):
            raise ValueError(
                f"tag {quote(tag)} makes a URL part longer than {MAX_NAME_BYTES} bytes"
            )
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


def validate_front_matter(
    raw: Mapping[str, Any], key_lines: Mapping[str, int], source: str
) -> FrontMatter:
    """Front matter values (already loaded from YAML or a database row) as a FrontMatter.

    The one validation every document goes through, whatever its origin: `parse_document` uses
    it for files, `sitegen pull` for remote rows (which have no YAML to re-parse). `key_lines`
    maps field names to file lines for messages (empty when there is no file); `source` names
    the document. Raises ContentErrors listing every invalid field at once.
    """
    try:
        model = _FrontMatterIn.model_validate(raw)
    except ValidationError as exc:
        raise ContentErrors(
            [_content_error(err, raw, key_lines, source) for err in exc.errors()]
        ) from None
    return FrontMatter(
        title=model.title,
        slug=model.slug,
        date=model.date,
        updated=model.updated,
        draft=model.draft,
        tags=model.tags or (),
        summary=model.summary,
        template=model.template,
        cover=model.cover,
        menu=model.menu,
        extra=dict(model.model_extra or {}),
    )


def _content_error(
    err: Any, raw: Mapping[str, Any], key_lines: Mapping[str, int], source: str
) -> ContentError:
    name = str(err["loc"][0]) if err["loc"] else "front matter"
    if err["type"] == "missing":
        return ContentError("is required", file=source, line=1, field=name, hint=_HINTS.get(name))
    if err["type"] == "value_error":
        message = str(err["msg"]).removeprefix("Value error, ")
    elif err["type"] == "string_type":
        message = f"must be text, not {quote(raw.get(name))} (put it in quotes)"
    else:
        message = f"{err['msg']}, not {quote(raw.get(name))}"
    return ContentError(
        message,
        file=source,
        line=key_lines.get(name, 1),
        field=name,
        hint=_HINTS.get(name),
    )
