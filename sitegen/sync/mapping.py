"""Documents and media <-> database rows, and the validation of untrusted remote rows.

Remote rows are untrusted: anyone with a login can write odd values into their own rows. Every
row is validated with pydantic here, before it gets near the file system, and a document row's
front matter goes through the same validation as a local file's (frontmatter.py), so remote
content can never be more than a local file could be. Errors name the remote key and field.

Front matter that is not a column (`date`, `tags`, extra fields, ...) travels in the `front` JSON
column; `authors` (profile slugs, co-authors in order) has a column of its own, which the
server's profile policies read. JSON has no dates, so `date`/`updated` travel as ISO strings
(which the front-matter parser accepts) and dates nested in extra fields as `{"$date": ...}` / `{"$datetime": ...}`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sitegen.errors import ContentError
from sitegen.frontmatter import front_matter_data, validate_front_matter
from sitegen.model import Kind, Media, SourceDocument, make_key
from sitegen.slugs import is_valid_slug
from sitegen.sources.local import MEDIA_PREFIX

MAX_SLUG_LENGTH = 200
MAX_BODY_BYTES = 2_000_000
MAX_FRONT_CHARS = 100_000
MAX_MEDIA_PATH_LENGTH = 255
MAX_MEDIA_BYTES = 50 * 1024 * 1024
MAX_AUTHORS = 20
# Whole-string patterns: always used with fullmatch (`$` would also match before a final "\n").
_SHA256 = re.compile(r"[0-9a-f]{64}")
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_OBJECT_NAME = re.compile(rf"{_UUID}/[0-9a-f]{{64}}/[^/\\\x00-\x1f\x7f]+")
_PROFILE_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DRIVE = re.compile(r"^[A-Za-z]:")
# Media the browser would run as a page or script of the site itself: never taken from remote.
ACTIVE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml", ".js", ".mjs"})
_COLUMN_FIELDS = ("title", "draft")  # front-matter fields stored as their own columns


def table_of(kind: Kind) -> str:
    """The table holding documents of `kind`: `posts` or `pages`."""
    return f"{kind}s"


def media_key(path: str) -> str:
    """The sync key of a media file: `media/img/cat.png`."""
    return MEDIA_PREFIX + path


# --- documents -----------------------------------------------------------------------------


def document_to_row(doc: SourceDocument) -> dict[str, Any]:
    """The full row content for `doc` (no version: the engine adds the one it based its edit on).

    Raises ContentError when a front-matter value cannot travel as JSON.
    """
    data = front_matter_data(doc.front)
    try:
        authors = check_authors(data.pop("authors", []))
    except ValueError as exc:
        raise ContentError(
            str(exc),
            file=doc.source,
            field="authors",
            hint="list the authors by profile slug: `authors: [ada, bob]` "
            "(`sitegen profile` shows yours)",
        ) from None
    front = {name: value for name, value in data.items() if name not in _COLUMN_FIELDS}
    for name in ("date", "updated"):
        if name in front:
            front[name] = front[name].isoformat()
    try:
        front = {name: _encode(value) for name, value in front.items()}
    except ValueError as exc:
        raise ContentError(
            str(exc),
            file=doc.source,
            field="front matter",
            hint="use text, numbers, dates, lists and mappings with text keys",
        ) from None
    return {
        "slug": doc.slug,
        "title": doc.front.title,
        "body": doc.body,
        "draft": doc.front.draft,
        "publish_at": _publish_at(doc),
        "front": front,
        "authors": authors,
    }


def content_hash(doc: SourceDocument) -> str:
    """A hash of what a document says (not of its file bytes): equal hashes, equal content."""
    row = document_to_row(doc)
    named = ("slug", "title", "body", "draft", "front") + (("authors",) if row["authors"] else ())
    return _hash_json({name: row[name] for name in named})


def check_authors(value: Any) -> list[str]:
    """Front matter `authors` as the column holds it: a list of profile slugs (one slug alone is
    a list of one). Raises ValueError saying what is wrong."""
    items = (
        [value] if isinstance(value, str) else list(value) if isinstance(value, tuple) else value
    )
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError(f"must be a list of profile slugs, not {value!r:.80}")
    bad = [item for item in items if not is_profile_slug(item)]
    if bad:
        raise ValueError(f"{bad[0]!r} is not a profile slug (lower-case words and hyphens)")
    if len(items) > MAX_AUTHORS:
        raise ValueError(f"names {len(items)} authors; at most {MAX_AUTHORS}")
    return items


def is_profile_slug(value: str) -> bool:
    """An author's profile slug: lower-case words and hyphens, no folders, at most 100 chars."""
    return len(value) <= 100 and _PROFILE_SLUG.fullmatch(value) is not None


class RemoteDocumentRow(BaseModel):
    """A `posts`/`pages` row as read from PostgREST; only the columns sync relies on."""

    model_config = ConfigDict(extra="ignore", strict=True)

    slug: str = Field(max_length=MAX_SLUG_LENGTH)
    title: str
    body: str
    draft: bool
    front: dict[str, Any]
    publish_at: str | None = None
    version: int = Field(ge=0)
    updated_at: str
    author_id: str | None = None
    updated_by_email: str | None = None
    authors: list[str] = []

    @property
    def private(self) -> bool:
        """Only its author can read it now (a draft, or scheduled for later)."""
        return is_private(self.draft, self.publish_at)

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not is_valid_slug(value):
            raise ValueError(f"{value!r} is not a valid slug (lower-case words and hyphens only)")
        return value

    @field_validator("authors")
    @classmethod
    def _authors(cls, value: list[str]) -> list[str]:
        return check_authors(value)

    @field_validator("body")
    @classmethod
    def _body(cls, value: str) -> str:
        if len(value.encode("utf-8", "surrogatepass")) > MAX_BODY_BYTES:
            raise ValueError(f"is larger than {MAX_BODY_BYTES} bytes")
        return value

    @field_validator("front")
    @classmethod
    def _front(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(json.dumps(value, ensure_ascii=False)) > MAX_FRONT_CHARS:
            raise ValueError(f"is larger than {MAX_FRONT_CHARS} characters of JSON")
        return value


def row_to_document(kind: Kind, row: Mapping[str, Any]) -> tuple[SourceDocument, RemoteDocumentRow]:
    """Validate a remote row and turn it into the SourceDocument a pull writes.

    Raises ContentError naming the remote key (`remote posts/<slug>`) and the field.
    """
    checked = validate_row(RemoteDocumentRow, row, _remote_name(kind, row.get("slug")))
    key = make_key(kind, checked.slug)
    source = f"remote {key}"
    front = {
        name: _decode(value) for name, value in checked.front.items() if name not in _COLUMN_FIELDS
    }
    if front.get("slug", checked.slug) != checked.slug:
        raise ContentError(
            f"front matter slug {front['slug']!r} differs from the row's slug",
            file=source,
            field="front.slug",
            hint="fix the row in Supabase so both agree",
        )
    if checked.authors:  # else a front-matter `authors` written by an older sitegen stays
        front["authors"] = checked.authors
    data: dict[str, Any] = {"title": checked.title, **front, "draft": checked.draft}
    # The same validation a local file's front matter gets, minus the YAML text (building and
    # re-parsing YAML for every row was most of a large pull's time).
    validated = validate_front_matter(data, {}, source)
    doc = SourceDocument(
        key=key, kind=kind, slug=checked.slug, front=validated, body=checked.body, source=source
    )
    return doc, checked


def is_private(draft: bool, publish_at: str | None) -> bool:
    """True for a draft or a row whose publish time has not come yet (RLS hides it from others)."""
    if draft:
        return True
    if publish_at is None:
        return False
    try:
        moment = dt.datetime.fromisoformat(publish_at)
    except ValueError:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment > dt.datetime.now(dt.UTC)


def _publish_at(doc: SourceDocument) -> str | None:
    """Posts are visible from their `date` on (a day means midnight UTC); pages at once."""
    date = doc.front.date
    if doc.kind != "post" or date is None:
        return None
    if not isinstance(date, dt.datetime):
        date = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    return date.isoformat()


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Mapping):
        if not all(isinstance(name, str) for name in value):
            raise ValueError(f"mapping keys must be text, not {list(value)!r}")
        return {name: _encode(item) for name, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float) and value == value and value not in (float("inf"), float("-inf")):
        return value
    raise ValueError(f"{value!r} cannot be stored in Supabase")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("$date"), str):
            return _parse_iso(dt.date.fromisoformat, value["$date"])
        if len(value) == 1 and isinstance(value.get("$datetime"), str):
            return _parse_iso(dt.datetime.fromisoformat, value["$datetime"])
        return {name: _decode(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def _parse_iso(parse: Any, text: str) -> Any:
    try:
        return parse(text)
    except ValueError:
        return text  # an odd value stays text rather than failing the whole pull


def _hash_json(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- media ---------------------------------------------------------------------------------


def check_media_path(path: str) -> str:
    """Return `path` if it is a safe relative path under content/media, else raise ValueError."""
    if not path or len(path) > MAX_MEDIA_PATH_LENGTH:
        raise ValueError(f"must be 1 to {MAX_MEDIA_PATH_LENGTH} characters long")
    if unicodedata.normalize("NFC", path) != path:
        raise ValueError(f"{path!r} is not NFC-normalised")
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        raise ValueError(f"{path!r} contains control characters")
    if "\\" in path or _DRIVE.match(path) or path.startswith("/"):
        raise ValueError(f"{path!r} is not a relative path with forward slashes")
    parts = path.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        raise ValueError(f"{path!r} has an empty, hidden or parent (`..`) part")
    return path


def media_target(media_root: Path, path: str) -> Path:
    """The file for media `path`, guaranteed to stay inside `media_root` (symlinks included)."""
    check_media_path(path)
    root = media_root.resolve()
    target = (root / PurePosixPath(path)).resolve()
    if not target.is_relative_to(root):
        raise ValueError(f"{path!r} resolves outside the media folder")
    return target


def object_name_for(author_id: str, media: Media) -> str:
    """Content-addressed Storage object name: `<author_id>/<sha256>/<basename>`."""
    return f"{author_id}/{media.sha256}/{PurePosixPath(media.path).name}"


def media_to_row(media: Media, object_name: str, content_type: str) -> dict[str, Any]:
    """The media row (without `alt`, which is edited remotely and must not be blanked)."""
    return {
        "path": media.path,
        "object_name": object_name,
        "sha256": media.sha256,
        "size": media.size,
        "content_type": content_type,
    }


class RemoteMediaRow(BaseModel):
    """A `media` row as read from PostgREST."""

    model_config = ConfigDict(extra="ignore", strict=True)

    path: str
    object_name: str
    sha256: str
    size: int = Field(ge=0, le=MAX_MEDIA_BYTES)
    content_type: str = Field(max_length=200)
    version: int = Field(ge=0)
    updated_at: str
    author_id: str | None = None
    updated_by_email: str | None = None

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        check_media_path(value)
        if PurePosixPath(value).suffix.lower() in ACTIVE_SUFFIXES:
            raise ValueError(
                f"{value!r} would be a live page or script on the site; "
                "such files belong in static/, not in synced media"
            )
        return value

    @field_validator("sha256")
    @classmethod
    def _sha256(cls, value: str) -> str:
        if not _SHA256.fullmatch(value):
            raise ValueError("is not a lower-case hex SHA-256")
        return value

    @field_validator("object_name")
    @classmethod
    def _object_name(cls, value: str) -> str:
        if not _OBJECT_NAME.fullmatch(value):
            raise ValueError(f"{value!r} is not `<author id>/<sha256>/<file name>`")
        return value


def row_to_media(row: Mapping[str, Any]) -> RemoteMediaRow:
    """Validate a remote media row; raises ContentError naming `remote media/<path>`."""
    return validate_row(RemoteMediaRow, row, f"remote {MEDIA_PREFIX}{_printable(row.get('path'))}")


def validate_row(model: type[Any], row: Mapping[str, Any], source: str) -> Any:
    """Validate `row` with pydantic `model`; the first problem becomes a ContentError."""
    try:
        return model.model_validate(dict(row))
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(part) for part in err["loc"]) or "row"
        message = str(err["msg"]).removeprefix("Value error, ")
        raise ContentError(
            f"rejected remote row: {message}",
            file=source,
            field=field,
            hint="fix or delete the row in Supabase; nothing was written",
        ) from None


def _remote_name(kind: Kind, slug: Any) -> str:
    return f"remote {table_of(kind)}/{_printable(slug)}"


def _printable(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return "".join(char if char.isprintable() else "?" for char in text)[:120]
