"""`/rest/v1`: PostgREST semantics on real PostgreSQL, for the unmodified supabase-py client.

The gateway gives each request a connection already inside its transaction, switched to the
JWT's role with `request.jwt.claims` set (see `db.py`); this module only parses the request
(`rest_query`), checks names against the catalog (`rest_catalog`), runs one statement built by
`rest_sql`, and shapes the answer (status, `Content-Range`, `Preference-Applied`, error bodies)
as PostgREST does. Grants and RLS are decided by PostgreSQL alone; an error status (>= 400)
tells the gateway to roll the transaction back.

Not implemented: embedded resources, JSON paths into non-JSON columns, CSV and plan output.
`Prefer: count=planned|estimated` are answered with the exact count.

Use `handle(request, conn, role)` with the defaults (schema `public`, 1000-row cap), or a
`RestApi(RestConfig(...))` of your own. After DDL that drops or renames things, call
`reload_schema()` (see `rest_catalog` for what is picked up without it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import unquote, urlencode

import psycopg

from tests.stack.http import Request, Response
from tests.stack.rest_catalog import Catalog, Routine, Table
from tests.stack.rest_errors import error_response, pg_error_response
from tests.stack.rest_query import (
    Accept,
    Filter,
    Preferences,
    QueryError,
    QueryParams,
    SelectField,
    parse_accept,
    parse_prefer,
    parse_query,
)
from tests.stack.rest_sql import (
    CallArgs,
    Returning,
    Statement,
    build_call,
    build_delete,
    build_insert,
    build_read,
    build_update,
)

# Undefined table / column / function, invalid ON CONFLICT target: maybe a stale cache entry.
_STALE_CATALOG_STATES = {"42P01", "42703", "42883", "42P10"}


@dataclass(frozen=True)
class RestConfig:
    exposed_schemas: tuple[str, ...] = ("public",)
    max_rows: int | None = 1000  # Supabase's db-max-rows
    anon_role: str = "anon"


@dataclass(frozen=True)
class _Result:
    total: int | None
    rows: int
    body: str
    inserted: int | None


@dataclass(frozen=True)
class _Context:
    """Everything about one request that every operation needs."""

    request: Request
    conn: psycopg.Connection
    schema: str
    params: QueryParams
    prefs: Preferences
    accept: Accept

    @property
    def head(self) -> bool:
        return self.request.method.upper() == "HEAD"

    @property
    def profile_header(self) -> list[tuple[str, str]]:
        sent = self.request.headers.get("Accept-Profile") or self.request.headers.get(
            "Content-Profile"
        )
        return [("Content-Profile", self.schema)] if sent else []


class RestApi:
    """One PostgREST-compatible service with its own catalog cache."""

    def __init__(self, config: RestConfig | None = None, catalog: Catalog | None = None) -> None:
        self.config = config or RestConfig()
        self.catalog = catalog or Catalog()

    def reload_schema(self) -> None:
        """Forget cached table and function definitions (PostgREST's schema reload)."""
        self.catalog.reload()

    def handle(self, request: Request, conn: psycopg.Connection, role: str) -> Response:
        try:
            return self._route(request, conn)
        except QueryError as error:
            return error_response(
                error.status, error.code, error.message, error.details, error.hint
            )
        except psycopg.Error as error:
            if error.sqlstate is None and not isinstance(
                error, (psycopg.OperationalError, psycopg.InterfaceError)
            ):
                raise
            if error.sqlstate in _STALE_CATALOG_STATES:
                self.catalog.reload()  # a dropped or altered table: re-read it next time
            return pg_error_response(error, authenticated=role != self.config.anon_role)

    # ------------------------------------------------------------------ routing

    def _route(self, request: Request, conn: psycopg.Connection) -> Response:
        method = request.method.upper()
        parts = unquote(request.path).strip("/").split("/")
        ctx = _Context(
            request=request,
            conn=conn,
            schema=self._schema(request, method),
            params=parse_query(request.query),
            prefs=parse_prefer(request.headers.get_all("Prefer")),
            accept=parse_accept(request.headers.get("Accept")),
        )
        if ctx.prefs.handling == "strict" and ctx.prefs.invalid:
            raise QueryError(
                400,
                "PGRST122",
                "Invalid preferences given with handling=strict",
                "Invalid preferences: " + ", ".join(ctx.prefs.invalid),
            )
        if len(parts) == 2 and parts[0] == "rpc" and parts[1]:
            if method == "OPTIONS":
                return _allow("OPTIONS,GET,HEAD,POST")
            if method not in ("GET", "HEAD", "POST"):
                raise QueryError(405, "PGRST101", f"Cannot use the {method} method on RPC")
            return self._call(ctx, parts[1])
        if len(parts) != 1 or not parts[0]:
            raise QueryError(404, "PGRST125", "Invalid path specified in request URL")
        name = parts[0]
        if method == "OPTIONS":
            self._table(ctx, name)
            return _allow("OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE")
        if method in ("GET", "HEAD"):
            return self._read(ctx, self._table(ctx, name))
        if method == "POST":
            return self._insert(ctx, name)
        if method == "PATCH":
            return self._update(ctx, name)
        if method == "PUT":
            return self._put(ctx, name)
        if method == "DELETE":
            return self._delete(ctx, self._table(ctx, name))
        raise QueryError(405, "PGRST117", f"Unsupported HTTP method: {method}")

    def _schema(self, request: Request, method: str) -> str:
        header = "Accept-Profile" if method in ("GET", "HEAD") else "Content-Profile"
        schema = request.headers.get(header) or self.config.exposed_schemas[0]
        if schema not in self.config.exposed_schemas:
            raise QueryError(
                406,
                "PGRST106",
                f"Invalid schema: {schema}",
                hint="Only the following schemas are exposed: "
                + ", ".join(self.config.exposed_schemas),
            )
        return schema

    def _table(self, ctx: _Context, name: str, needed_columns: tuple[str, ...] = ()) -> Table:
        table = self.catalog.table(ctx.conn, ctx.schema, name.split("\x00", 1)[0], needed_columns)
        if table is None:
            raise QueryError(
                404,
                "PGRST205",
                f"Could not find the table '{ctx.schema}.{name}' in the schema cache",
            )
        return table

    def _page(self, ctx: _Context) -> int | None:
        limits = [n for n in (ctx.params.limit, self.config.max_rows) if n is not None]
        return min(limits) if limits else None

    # ------------------------------------------------------------------ reads

    def _read(self, ctx: _Context, table: Table) -> Response:
        counting = ctx.prefs.count is not None
        statement = build_read(
            table,
            ctx.params.select,
            ctx.params.conditions,
            ctx.params.order,
            self._page(ctx),
            ctx.params.offset,
            count=counting,
            accept=ctx.accept,
        )
        result = _run(ctx.conn, statement)
        return self._range_response(ctx, result, "/" + table.name, counting)

    def _range_response(
        self, ctx: _Context, result: _Result, location: str, counting: bool, void: bool = False
    ) -> Response:
        """GET and RPC answers: 200/206/416 from the range and count, as `rangeStatusHeader`."""
        _check_single(ctx.accept, result.rows)
        lower = ctx.params.offset
        upper = lower + result.rows - 1
        total = result.total if counting else None
        status = range_status(lower, upper, total)
        headers = [("Content-Range", content_range(lower, upper, total))]
        applied = ctx.prefs.applied("count", "handling")
        if applied:
            headers.append(("Preference-Applied", applied))
        if status == 416:
            return error_response(
                416,
                "PGRST103",
                "Requested range not satisfiable",
                f"An offset of {lower} was requested, but there are only {total} rows.",
                None,
                headers,
            )
        if void:
            return Response(204, headers)
        headers.insert(0, ("Content-Type", ctx.accept.content_type))
        headers.append(("Content-Location", _content_location(location, ctx.request.query)))
        headers.extend(ctx.profile_header)
        return Response(status, headers, b"" if ctx.head else result.body.encode())

    # ------------------------------------------------------------------ writes

    def _insert(self, ctx: _Context, name: str) -> Response:
        payload = _json_body(ctx.request.body)
        rows = payload if isinstance(payload, list) else [payload]
        if not all(isinstance(row, dict) for row in rows):
            raise QueryError(400, "PGRST102", "Empty or invalid json")
        columns = ctx.params.columns or _uniform_keys(rows)
        table = self._table(ctx, name, columns)
        _check_columns(table, columns)
        conflict = ctx.params.on_conflict or table.primary_key
        resolution = ctx.prefs.resolution if conflict else None
        returning = self._returning(ctx, table)
        statement = build_insert(
            table,
            ctx.request.body.decode(),
            columns,
            returning,
            resolution=resolution,
            conflict_columns=conflict,
            apply_defaults=ctx.prefs.missing == "default",
        )
        result = _run(ctx.conn, statement)
        status = 200 if resolution == "merge-duplicates" and result.inserted == 0 else 201
        headers = [("Content-Range", content_range(1, 0, self._count(ctx, result)))]
        if ctx.prefs.representation == "headers-only" and table.primary_key:
            headers.insert(0, ("Location", _location(table, result.body)))
        kinds = ["missing", "representation", "count", "handling"]
        if resolution:
            kinds.append("resolution")
        return self._write_response(ctx, result, status, headers, kinds)

    def _update(self, ctx: _Context, name: str) -> Response:
        payload = _json_body(ctx.request.body)
        first = payload[0] if isinstance(payload, list) and payload else payload
        if not isinstance(first, dict):
            raise QueryError(400, "PGRST102", "Empty or invalid json")
        columns = ctx.params.columns or tuple(first)
        table = self._table(ctx, name, columns)
        _check_columns(table, columns)
        if not columns:  # `{}`: nothing to change, as PostgREST answers it
            result = _Result(None, 0, "[]", None)
        else:
            statement = build_update(
                table,
                ctx.request.body.decode(),
                columns,
                ctx.params.conditions,
                self._returning(ctx, table),
            )
            result = _run(ctx.conn, statement)
        self._check_max_affected(ctx, result)
        total = self._count(ctx, result)
        headers = [("Content-Range", content_range(0, result.rows - 1, total))]
        status = 200 if ctx.prefs.representation == "representation" else 204
        return self._write_response(
            ctx,
            result,
            status,
            headers,
            ["missing", "representation", "count", "handling", "max-affected"],
        )

    def _put(self, ctx: _Context, name: str) -> Response:
        """PUT: upsert the one row named by `pk=eq.value` filters (PostgREST's single upsert)."""
        payload = _json_body(ctx.request.body)
        row = payload[0] if isinstance(payload, list) and len(payload) == 1 else payload
        if not isinstance(row, dict):
            raise QueryError(400, "PGRST102", "Empty or invalid json")
        columns = ctx.params.columns or tuple(row)
        table = self._table(ctx, name, columns)
        _check_columns(table, columns)
        if ctx.params.limit is not None or ctx.params.offset:
            raise QueryError(
                400, "PGRST114", "limit/offset querystring parameters are not allowed for PUT"
            )
        keys = {
            c.column: c.value
            for c in ctx.params.conditions
            if isinstance(c, Filter) and c.operator == "eq" and not c.negated and not c.json_path
        }
        if (
            not table.primary_key
            or len(keys) != len(ctx.params.conditions)
            or set(keys) != set(table.primary_key)
        ):
            raise QueryError(
                405,
                "PGRST105",
                "Filters must include all and only primary key columns with 'eq' operators",
            )
        if any(
            column not in row or _as_text(row[column]) != keys[column]
            for column in table.primary_key
        ):
            raise QueryError(
                400, "PGRST115", "Payload values do not match URL in primary key column(s)"
            )
        statement = build_insert(
            table,
            ctx.request.body.decode(),
            columns,
            self._returning(ctx, table),
            resolution="merge-duplicates",
            conflict_columns=table.primary_key,
            apply_defaults=ctx.prefs.missing == "default",
        )
        result = _run(ctx.conn, statement)
        if ctx.prefs.representation == "representation":
            status = 201 if result.inserted else 200
        else:
            status = 204
        return self._write_response(
            ctx, result, status, [], ["representation", "count", "handling"]
        )

    def _delete(self, ctx: _Context, table: Table) -> Response:
        statement = build_delete(table, ctx.params.conditions, self._returning(ctx, table))
        result = _run(ctx.conn, statement)
        self._check_max_affected(ctx, result)
        headers = [("Content-Range", content_range(1, 0, self._count(ctx, result)))]
        status = 200 if ctx.prefs.representation == "representation" else 204
        return self._write_response(
            ctx, result, status, headers, ["representation", "count", "handling", "max-affected"]
        )

    def _returning(self, ctx: _Context, table: Table) -> Returning:
        if ctx.prefs.representation == "representation":
            return Returning(ctx.params.select, ctx.accept)
        if ctx.prefs.representation == "headers-only" and table.primary_key:
            return Returning(tuple(SelectField(c) for c in table.primary_key), Accept())
        return Returning(None, ctx.accept)

    @staticmethod
    def _count(ctx: _Context, result: _Result) -> int | None:
        return result.rows if ctx.prefs.count is not None else None

    @staticmethod
    def _check_max_affected(ctx: _Context, result: _Result) -> None:
        limit = ctx.prefs.max_affected
        if ctx.prefs.handling == "strict" and limit is not None and result.rows > limit:
            raise QueryError(
                400,
                "PGRST124",
                "Query result exceeds max-affected preference constraint",
                f"The query affects {result.rows} rows",
            )

    def _write_response(
        self,
        ctx: _Context,
        result: _Result,
        status: int,
        headers: list[tuple[str, str]],
        kinds: list[str],
    ) -> Response:
        applied = ctx.prefs.applied(*kinds)
        if applied:
            headers.append(("Preference-Applied", applied))
        if ctx.prefs.representation != "representation":
            return Response(status, headers)
        _check_single(ctx.accept, result.rows)
        headers.insert(0, ("Content-Type", ctx.accept.content_type))
        headers.extend(ctx.profile_header)
        return Response(status, headers, result.body.encode())

    # ------------------------------------------------------------------ functions

    def _call(self, ctx: _Context, name: str) -> Response:
        method = ctx.request.method.upper()
        if method == "POST":
            text = ctx.request.body.decode() if ctx.request.body.strip() else "{}"
            payload = _json_body(text.encode())
            if not isinstance(payload, dict):
                raise QueryError(400, "PGRST102", "Empty or invalid json")
            keys = tuple(payload)
        else:
            query_args = dict(ctx.params.rpc_args)
            keys = tuple(query_args)
        routine, whole_body = self._find_routine(ctx, name, keys, method == "POST")
        args = (
            CallArgs(json_body=text, whole_body=whole_body)
            if method == "POST"
            else CallArgs(text=query_args)
        )
        counting = ctx.prefs.count is not None
        statement = build_call(
            routine,
            args,
            select=ctx.params.select,
            conditions=ctx.params.conditions,
            order=ctx.params.order,
            limit=self._page(ctx),
            offset=ctx.params.offset,
            count=counting,
            accept=ctx.accept,
        )
        result = _run(ctx.conn, statement)
        return self._range_response(
            ctx, result, "/rpc/" + name, counting, void=routine.returns_void
        )

    def _find_routine(
        self, ctx: _Context, name: str, keys: tuple[str, ...], post: bool
    ) -> tuple[Routine, bool]:
        """The overload whose parameters match the given keys (PostgREST's rules, simplified)."""
        for refresh in (False, True):
            routines = self.catalog.routines(ctx.conn, ctx.schema, name, refresh=refresh)
            matching = [r for r in routines if r.accepts(set(keys))]
            if matching:
                return matching[0], False
            single = [r for r in routines if r.takes_single_json]
            if post and single:
                return single[0], True
        raise _no_function(ctx.schema, name, sorted(keys), post)


# ---------------------------------------------------------------------------- helpers


def range_status(lower: int, upper: int, total: int | None) -> int:
    """PostgREST's `rangeStatus`: 416 past the end, 206 for a partial page, else 200."""
    if total is None:
        return 200
    if lower > total:
        return 416
    if (1 + upper - lower) < total:
        return 206
    return 200


def content_range(lower: int, upper: int, total: int | None) -> str:
    """PostgREST's `contentRangeH`: `0-9/42`, `*/0`, `0-999/*`, `*/*`."""
    shown = f"{lower}-{upper}" if total != 0 and lower <= upper else "*"
    return f"{shown}/{'*' if total is None else total}"


def _allow(methods: str) -> Response:
    """OPTIONS, as PostgREST answers it."""
    return Response(200, [("Allow", methods), ("Access-Control-Allow-Origin", "*")])


def _check_single(accept: Accept, rows: int) -> None:
    if accept.single_object and rows != 1:
        raise QueryError(
            406,
            "PGRST116",
            "Cannot coerce the result to a single JSON object",
            f"The result contains {rows} rows",
        )


def _run(conn: psycopg.Connection, statement: Statement) -> _Result:
    row = conn.execute(statement.query, statement.params).fetchone()
    assert row is not None  # every statement aggregates to exactly one row
    total, rows, body, inserted = row
    return _Result(total, rows, body, inserted)


def _json_body(raw: bytes) -> object:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise QueryError(400, "PGRST102", "Empty or invalid json") from None


def _as_text(value: object) -> str:
    """A JSON value as it would appear in a query string (`1`, `true`, `abc`)."""
    return value if isinstance(value, str) else json.dumps(value)


def _uniform_keys(rows: list[dict]) -> tuple[str, ...]:
    """Without `columns=`, every object must have the same keys (PostgREST's payload rule)."""
    if not rows:
        return ()
    keys = tuple(rows[0])
    if any(set(row) != set(keys) for row in rows[1:]):
        raise QueryError(400, "PGRST102", "All object keys must match")
    return keys


def _check_columns(table: Table, columns: tuple[str, ...]) -> None:
    for column in columns:
        if table.column(column) is None:
            raise QueryError(
                400,
                "PGRST204",
                f"Could not find the '{column}' column of '{table.name}' in the schema cache",
            )


def _content_location(path: str, query: list[tuple[str, str]]) -> str:
    canonical = urlencode(sorted(query))
    return path + ("?" + canonical if canonical else "")


def _location(table: Table, body: str) -> str:
    """`Location: /t?id=eq.1` for `return=headers-only`, from the first inserted row's key."""
    rows = json.loads(body) if body else []
    if not rows:
        return "/" + table.name
    first = rows[0]
    pairs = [
        (key, "is.null" if first.get(key) is None else f"eq.{first[key]}")
        for key in table.primary_key
    ]
    return "/" + table.name + "?" + urlencode(pairs)


def _no_function(schema: str, name: str, keys: list[str], post: bool) -> QueryError:
    """PGRST202 worded as PostgREST's `NoRpc` error."""
    function = f"{schema}.{name}"
    listed = ", ".join(keys)
    if keys:
        message = f"Could not find the function {function}({listed}) in the schema cache"
        searched = f" with parameter{'s' if len(keys) > 1 else ''} {listed}"
    else:
        message = f"Could not find the function {function} without parameters in the schema cache"
        searched = " without parameters"
    if post:
        searched += " or with a single unnamed json/jsonb parameter"
    details = (
        f"Searched for the function {function}{searched}, "
        "but no matches were found in the schema cache."
    )
    return QueryError(404, "PGRST202", message, details)


_default_api = RestApi()


def handle(request: Request, conn: psycopg.Connection, role: str) -> Response:
    """Answer one `/rest/v1` request (path relative to `/rest/v1`) with the default config."""
    return _default_api.handle(request, conn, role)


def reload_schema() -> None:
    """Forget the default service's cached catalog (after DROP/ALTER/RENAME in tests)."""
    _default_api.reload_schema()
