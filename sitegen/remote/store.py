"""SupabaseStore: the rows and files sync reads and writes, in as few requests as possible.

Everything goes through the official client (PostgREST for rows, Storage for files) and
`with_retries`. Row reads are idempotent; writes are safe to repeat too, because the database
guards every write with the row version (a replayed write is a version conflict, which the engine
resolves by comparing content), so every call here may be retried on transient failures.
Rows come back raw: validating them is the caller's job (`sitegen.sync.mapping`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitegen.errors import RemoteError
from sitegen.remote.failures import OWN_ROWS_HINT, as_remote_error
from sitegen.remote.retry import with_retries

if TYPE_CHECKING:
    from sitegen.remote.client import RemoteClient

PAGE_SIZE = 1000  # PostgREST's default max-rows: a larger page would be cut silently
WRITE_BATCH_ROWS = 1000
WRITE_BATCH_BYTES = 8_000_000
URL_BUDGET = 6000  # characters of names per `in.(...)` filter, well below common URL limits
BUCKET = "media"
TABLES = ("posts", "pages", "media")


@dataclass(frozen=True)
class ManifestEntry:
    """One row the caller may read: name (slug or path), version, last change, owner, and whether
    the caller's role lets them change it (decided by the server's policies)."""

    name: str
    version: int
    updated_at: str
    author_id: str | None
    editable: bool


class VersionConflict(Exception):
    """The database refused a write: a row's version moved since the plan was made."""

    def __init__(self, table: str, details: Mapping[str, Any]) -> None:
        super().__init__(f"version conflict in {table}: {details.get('key', '?')}")
        self.table = table
        self.details = dict(details)


class RowsRefused(RemoteError):
    """Row-level security refused a write batch: some row belongs to someone else."""


def name_column(table: str) -> str:
    """The column naming a row: `path` for media, `slug` for posts and pages."""
    return "path" if table == "media" else "slug"


class SupabaseStore:
    """Rows of posts/pages/media and objects of the `media` bucket, for one logged-in client."""

    def __init__(self, client: RemoteClient) -> None:
        self._client = client
        self._supabase = client.supabase

    @property
    def user_id(self) -> str | None:
        return self._client.user_id

    # --- rows ---------------------------------------------------------------------------------

    def manifest(self, table: str) -> list[ManifestEntry]:
        """Every row of `table` the caller may read: [name, version, updated_at, author, editable]."""
        response = self._run(
            lambda: self._supabase.rpc("sitegen_manifest", {"kind": table}).execute(),
            f"read the {table} manifest",
        )
        return parse_manifest(table, response.data)

    def fetch(self, table: str, names: Collection[str] | None = None) -> list[dict[str, Any]]:
        """Full rows for `names` (all readable rows when None), however many there are."""
        if names is None:
            return list(self._fetch_all(table))
        rows: list[dict[str, Any]] = []
        column = name_column(table)
        for chunk in _chunks_by_length(sorted(names), URL_BUDGET):
            response = self._run(
                lambda chunk=chunk: (
                    self._supabase.table(table)
                    .select("*")
                    .in_(column, chunk)
                    .limit(PAGE_SIZE)
                    .execute()
                ),
                f"read {len(chunk)} {table} rows",
            )
            rows.extend(response.data)
        return rows

    def _fetch_all(self, table: str) -> Iterator[dict[str, Any]]:
        """Keyset pagination by name; the first page's exact count detects silent truncation."""
        from postgrest.types import CountMethod

        column = name_column(table)
        total: int | None = None
        seen = 0
        last: str | None = None
        while total is None or seen < total:

            def page(last: str | None = last, first: bool = total is None) -> Any:
                query = self._supabase.table(table).select(
                    "*", count=CountMethod.exact if first else None
                )
                if last is not None:
                    query = query.gt(column, last)
                return query.order(column).limit(PAGE_SIZE).execute()

            response = self._run(page, f"read {table} rows after {last or 'the start'}")
            if total is None:
                total = response.count if response.count is not None else -1
            if not response.data:
                break
            seen += len(response.data)
            last = response.data[-1][column]
            yield from response.data
            if total < 0 and len(response.data) < PAGE_SIZE:
                break

    def write(
        self,
        table: str,
        rows: Sequence[Mapping[str, Any]],
        confirmed: Callable[[Sequence[Mapping[str, Any]]], None] = lambda batch: None,
    ) -> None:
        """Create or update full rows in batches (upsert on slug/path, version-guarded).

        Every row of a call must carry the same keys. `default_to_null=False` does not protect a
        key that only some rows lack: postgrest-py sends `columns=` as the union of all rows'
        keys, so PostgREST gives a row without one of them the column default (NULL, or e.g.
        `''`), and the merge then overwrites the stored value. That is why push always sends
        full rows built by one function per table (mapping.document_to_row / media_to_row), never
        just the fields that changed. A column that no row carries (media `alt`, edited remotely)
        is outside `columns=` and keeps its stored value.
        `confirmed(batch)` runs after each batch the server accepted. Raises VersionConflict when
        any row of a batch was changed meanwhile; that batch is not applied at all (one
        statement), earlier batches are.
        """
        from postgrest.types import ReturnMethod

        column = name_column(table)
        _check_same_columns(rows)
        for batch in _batches(rows):
            self._run(
                lambda batch=batch: (
                    self._supabase.table(table)
                    .upsert(
                        list(batch),
                        on_conflict=column,
                        default_to_null=False,
                        returning=ReturnMethod.minimal,
                    )
                    .execute()
                ),
                f"write {len(batch)} {table} rows",
                table=table,
            )
            confirmed(batch)

    def delete(self, table: str, versions: Mapping[str, int]) -> set[str]:
        """Delete rows whose version is still the given one; returns the names deleted."""
        column = name_column(table)
        deleted: set[str] = set()
        for chunk in _chunks_by_length(sorted(versions), URL_BUDGET // 2):
            condition = ",".join(
                f"and({column}.eq.{_quote(name)},version.eq.{versions[name]})" for name in chunk
            )
            response = self._run(
                lambda condition=condition: (
                    self._supabase.table(table).delete().or_(condition).execute()
                ),
                f"delete {len(chunk)} {table} rows",
            )
            deleted.update(row[column] for row in response.data)
        return deleted

    def authors(self) -> list[Any]:
        """[slug, name, bio, avatar] of the profile of every author of what the caller may read
        (owners of documents and the co-authors they name); raw, for sync to validate."""
        data = self._run(
            lambda: self._supabase.rpc("sitegen_authors", {}).execute(), "read the author profiles"
        ).data
        if not isinstance(data, list):
            raise RemoteError(
                "the author profiles are not a list",
                hint="apply the sql/ migrations again (sitegen doctor checks them)",
            )
        return data

    # --- files --------------------------------------------------------------------------------

    def upload_media(self, object_name: str, data: bytes, content_type: str) -> None:
        """Store bytes under a content-addressed name (re-uploading the same name is harmless)."""
        bucket = self._supabase.storage.from_(BUCKET)
        self._run(
            lambda: bucket.upload(
                object_name, data, {"content-type": content_type, "upsert": "true"}
            ),
            f"upload {object_name}",
        )

    def download_media(self, object_name: str) -> bytes:
        """The bytes of a public object (through the public route: anonymous pulls work too)."""
        url = self._supabase.storage.from_(BUCKET).get_public_url(object_name).rstrip("?")

        def get() -> bytes:
            response = self._client.http.get(url)
            if response.status_code != 200:
                raise RemoteError(
                    f"could not download {object_name}: HTTP {response.status_code}",
                    hint="the author should push the file again",
                )
            return response.content

        return self._run(get, f"download {object_name}")

    def list_folder(self, prefix: str) -> list[str]:
        """Names of the direct children (files and folders) of `prefix` in the bucket, all pages."""
        bucket = self._supabase.storage.from_(BUCKET)
        names: list[str] = []
        offset = 0
        while True:
            entries = self._run(
                lambda offset=offset: bucket.list(prefix, {"limit": PAGE_SIZE, "offset": offset}),
                f"list {prefix}/ in the media bucket",
            )
            names.extend(entry["name"] for entry in entries if isinstance(entry.get("name"), str))
            offset += len(entries)
            if len(entries) < PAGE_SIZE:
                return names

    def remove_objects(self, object_names: Sequence[str]) -> None:
        """Remove objects of one's own (Storage policies refuse anyone else's)."""
        if object_names:
            bucket = self._supabase.storage.from_(BUCKET)
            self._run(
                lambda: bucket.remove(list(object_names)), f"remove {len(object_names)} objects"
            )

    # --- plumbing -----------------------------------------------------------------------------

    def _run(self, operation: Any, describe: str, *, table: str | None = None) -> Any:
        """Run with retries; a version conflict becomes VersionConflict, an RLS refusal of a
        write RowsRefused (push bisects the batch), anything else a RemoteError explaining it."""
        from postgrest.exceptions import APIError
        from storage3.exceptions import StorageApiError

        def attempt() -> Any:
            try:
                return operation()
            except APIError as exc:
                if exc.code == "P0001" and "version conflict" in (exc.message or ""):
                    raise VersionConflict(table or "?", _details(exc.details)) from None
                raise

        try:
            return with_retries(attempt, idempotent=True, describe=describe)
        except VersionConflict:
            raise
        except APIError as exc:
            if exc.code == "42501" and table is not None:
                raise RowsRefused(
                    f"{describe} failed: row-level security refused a row", hint=OWN_ROWS_HINT
                ) from None
            raise as_remote_error(exc, describe) from None
        except StorageApiError as exc:
            raise as_remote_error(exc, describe) from None


def parse_manifest(table: str, data: Any) -> list[ManifestEntry]:
    """Validate the manifest shape (it is remote data); raises RemoteError on nonsense."""
    if not isinstance(data, list):
        raise RemoteError(
            f"the {table} manifest is not a list",
            hint="apply the sql/ migrations again (sitegen doctor checks them)",
        )
    entries = []
    for item in data:
        if not (
            isinstance(item, list)
            and len(item) == 5
            and isinstance(item[0], str)
            and isinstance(item[1], int)
            and not isinstance(item[1], bool)
            and isinstance(item[2], str)
            and (item[3] is None or isinstance(item[3], str))
            and isinstance(item[4], bool)
        ):
            raise RemoteError(
                f"the {table} manifest has a malformed entry: {item!r:.100}",
                hint="apply the sql/ migrations again (sitegen doctor checks them)",
            )
        entries.append(ManifestEntry(*item))
    return entries


def _details(raw: Any) -> dict[str, Any]:
    import json

    try:
        parsed = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _quote(value: str) -> str:
    """A value inside a PostgREST logic tree, double-quoted so `.,:()` in it are literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _chunks_by_length(names: Sequence[str], budget: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    used = 0
    for name in names:
        cost = len(name) + 40
        if chunk and (used + cost > budget or len(chunk) >= PAGE_SIZE):
            yield chunk
            chunk, used = [], 0
        chunk.append(name)
        used += cost
    if chunk:
        yield chunk


def _check_same_columns(rows: Sequence[Mapping[str, Any]]) -> None:
    """Refuse rows with differing keys: PostgREST would blank the missing ones (see `write`)."""
    if rows:
        columns = rows[0].keys()
        for row in rows:
            if row.keys() != columns:
                raise ValueError(
                    f"rows of one write must carry the same columns; "
                    f"{sorted(columns ^ row.keys())} differ"
                )


def _batches(rows: Sequence[Mapping[str, Any]]) -> Iterator[Sequence[Mapping[str, Any]]]:
    start, size = 0, 0
    for index, row in enumerate(rows):
        row_size = sum(len(str(value)) for value in row.values()) + 64
        full = index - start >= WRITE_BATCH_ROWS or size + row_size > WRITE_BATCH_BYTES
        if index > start and full:
            yield rows[start:index]
            start, size = index, 0
        size += row_size
    if start < len(rows):
        yield rows[start:]
