"""Turn parsed PostgREST requests into one SQL statement each, shaped like PostgREST's own.

Identifiers are always `psycopg.sql.Identifier` (quoted, NUL-trimmed like PostgREST) and every
value from the request is a bound parameter, mostly sent with the *unknown* type so PostgreSQL
coerces it to the column's type exactly as PostgREST's queries do. The only raw SQL that does not
come from this module is catalog text (column defaults, parameter types), never request text;
`::cast` names are limited by the parser to letters, digits, `_` and spaces.

Every statement returns one row: (total or NULL, rows in this page, body text, rows inserted or
NULL). The body is built by PostgreSQL (`json_agg`), so timestamps, numerics and json columns
come out byte for byte as PostgREST would send them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from psycopg import sql

from tests.stack.rest_catalog import Routine, Table
from tests.stack.rest_query import (
    FTS_OPERATORS,
    IS_VALUES,
    QUANTIFIABLE_OPERATORS,
    SIMPLE_OPERATORS,
    Accept,
    Condition,
    Filter,
    JsonPath,
    OrderTerm,
    QueryError,
    SelectField,
)


@dataclass(frozen=True)
class Statement:
    query: sql.Composed
    params: dict[str, object]


class Binder:
    """Collects bound parameters under generated names (`%(p0)s`, ...)."""

    def __init__(self) -> None:
        self.params: dict[str, object] = {}

    def bind(self, value: object) -> sql.Placeholder:
        if isinstance(value, str) and "\x00" in value:
            # What PostgreSQL itself answers when PostgREST forwards a NUL byte.
            raise QueryError(400, "22021", 'invalid byte sequence for encoding "UTF8": 0x00')
        name = f"p{len(self.params)}"
        self.params[name] = value
        return sql.Placeholder(name)


def ident(*names: str) -> sql.Identifier:
    """A quoted (possibly qualified) identifier; PostgREST drops everything after a NUL."""
    return sql.Identifier(*(name.split("\x00", 1)[0] for name in names))


def _catalog_sql(text: str) -> sql.SQL:
    """Trusted catalog text (defaults, types) embedded verbatim; `%` escaped for psycopg."""
    return sql.SQL(text.replace("%", "%%"))


# ---------------------------------------------------------------------------- fragments


def column_ref(
    target: sql.Composable | None, column: str, path: JsonPath, b: Binder
) -> sql.Composable:
    """`"schema"."table"."col"` (or a bare `"col"`), then `->'key'` / `->>0` steps (bound)."""
    expr: sql.Composable = (
        sql.SQL("{}.{}").format(target, ident(column)) if target is not None else ident(column)
    )
    for step in path:
        key = sql.SQL("{}::int").format(b.bind(step.key)) if step.is_index else b.bind(step.key)
        expr = sql.SQL("{}{}{}").format(expr, sql.SQL(step.arrow), key)
    return expr


def select_list(items: Sequence[SelectField], target: sql.Composable, b: Binder) -> sql.Composable:
    parts: list[sql.Composable] = []
    for item in items:
        if item.is_star:
            parts.append(sql.SQL("{}.*").format(target))
            continue
        expr = column_ref(target, item.name, item.json_path, b)
        if item.cast:
            expr = sql.SQL("CAST({} AS {})").format(expr, sql.SQL(item.cast))
        if item.alias or item.cast or item.json_path:
            expr = sql.SQL("{} AS {}").format(expr, ident(item.output_name))
        parts.append(expr)
    return sql.SQL(", ").join(parts)


def output_names(items: Sequence[SelectField], table: Table) -> list[str]:
    """Column names a select list produces (star expanded from the catalog)."""
    names: list[str] = []
    for item in items:
        names.extend([c.name for c in table.columns] if item.is_star else [item.output_name])
    return names


def where_clause(
    conditions: Sequence[Condition], target: sql.Composable, b: Binder
) -> sql.Composable:
    if not conditions:
        return sql.SQL("")
    joined = sql.SQL(" AND ").join(condition_sql(c, target, b) for c in conditions)
    return sql.SQL(" WHERE {}").format(joined)


def condition_sql(condition: Condition, target: sql.Composable, b: Binder) -> sql.Composable:
    if isinstance(condition, Filter):
        expr = _filter_sql(condition, target, b)
    else:
        glue = sql.SQL(" AND " if condition.operator == "and" else " OR ")
        expr = sql.SQL("({})").format(
            glue.join(condition_sql(c, target, b) for c in condition.children)
        )
    return sql.SQL("NOT {}").format(expr) if condition.negated else expr


def _filter_sql(f: Filter, target: sql.Composable, b: Binder) -> sql.Composable:
    column = column_ref(target, f.column, f.json_path, b)
    if f.operator == "is":
        return sql.SQL("({} IS {})").format(column, sql.SQL(IS_VALUES[str(f.value)]))
    if f.operator == "in":
        items = tuple(f.value or ())
        if items == ("",):
            return sql.SQL("({} = ANY('{{}}'))").format(column)
        return sql.SQL("({} = ANY({}))").format(column, b.bind(pg_array_literal(items)))
    value = str(f.value)
    if f.operator in FTS_OPERATORS:
        function = sql.SQL(FTS_OPERATORS[f.operator])
        if f.language:
            return sql.SQL("({} @@ {}({}, {}))").format(
                column, function, b.bind(f.language), b.bind(value)
            )
        return sql.SQL("({} @@ {}({}))").format(column, function, b.bind(value))
    if f.operator == "isdistinct":
        return sql.SQL("({} IS DISTINCT FROM {})").format(column, b.bind(value))
    if f.operator in ("like", "ilike"):
        value = value.replace("*", "%")
    if f.operator in SIMPLE_OPERATORS:
        return sql.SQL("({} {} {})").format(
            column, sql.SQL(SIMPLE_OPERATORS[f.operator]), b.bind(value)
        )
    operand: sql.Composable = b.bind(value)
    if f.quantifier:
        operand = sql.SQL("{}({})").format(sql.SQL(f.quantifier.upper()), operand)
    return sql.SQL("({} {} {})").format(
        column, sql.SQL(QUANTIFIABLE_OPERATORS[f.operator]), operand
    )


def pg_array_literal(items: Sequence[str]) -> str:
    """`{"a","b,c"}`: every element quoted, as PostgREST builds `in.(...)` arrays."""
    quoted = ('"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items)
    return "{" + ",".join(quoted) + "}"


def order_clause(
    terms: Sequence[OrderTerm], target: sql.Composable | None, b: Binder
) -> sql.Composable:
    if not terms:
        return sql.SQL("")
    parts = []
    for term in terms:
        expr = column_ref(target, term.column, term.json_path, b)
        if term.descending is not None:
            expr = sql.SQL("{} {}").format(expr, sql.SQL("DESC" if term.descending else "ASC"))
        if term.nulls_first is not None:
            expr = sql.SQL("{} {}").format(
                expr, sql.SQL("NULLS FIRST" if term.nulls_first else "NULLS LAST")
            )
        parts.append(expr)
    return sql.SQL(" ORDER BY {}").format(sql.SQL(", ").join(parts))


def limit_clause(limit: int | None, offset: int, b: Binder) -> sql.Composable:
    if limit is None and not offset:
        return sql.SQL("")
    limit_sql = sql.SQL("ALL") if limit is None else b.bind(limit)
    return sql.SQL(" LIMIT {} OFFSET {}").format(limit_sql, b.bind(offset))


def body_sql(accept: Accept, scalar: bool = False, set_returning: bool = True) -> sql.Composable:
    """The json_agg expression PostgREST uses for the response body (`asJsonF`)."""
    rows = sql.SQL("_postgrest_t.pgrst_scalar" if scalar else "_postgrest_t")
    agg: sql.Composable = sql.SQL("json_agg({})").format(rows)
    if accept.strip_nulls:
        agg = sql.SQL("json_strip_nulls({})").format(agg)
    if accept.single_object or not set_returning:
        return sql.SQL("coalesce(({})->0, 'null')::text").format(agg)
    return sql.SQL("coalesce({}, '[]')::text").format(agg)


# ---------------------------------------------------------------------------- reads


def build_read(
    table: Table,
    select: Sequence[SelectField],
    conditions: Sequence[Condition],
    order: Sequence[OrderTerm],
    limit: int | None,
    offset: int,
    *,
    count: bool,
    accept: Accept,
) -> Statement:
    b = Binder()
    target = ident(table.schema, table.name)
    where = where_clause(conditions, target, b)
    total = (
        sql.SQL("(SELECT pg_catalog.count(*) FROM {}{})").format(target, where)
        if count
        else sql.SQL("NULL::bigint")
    )
    query = sql.SQL(
        "WITH pgrst_source AS (SELECT {select} FROM {target}{where}{order}{limit}) "
        "SELECT {total}, pg_catalog.count(_postgrest_t), {body}, NULL::bigint "
        "FROM (SELECT * FROM pgrst_source) _postgrest_t"
    ).format(
        select=select_list(select, target, b),
        target=target,
        where=where,
        order=order_clause(order, target, b),
        limit=limit_clause(limit, offset, b),
        total=total,
        body=body_sql(accept),
    )
    return Statement(query, b.params)


# ---------------------------------------------------------------------------- writes


@dataclass(frozen=True)
class Returning:
    """What a write sends back: nothing (`minimal`) or the select list."""

    select: Sequence[SelectField] | None  # None: return=minimal / headers-only
    accept: Accept


def _returning_clause(
    table: Table, returning: Returning, with_inserted: bool, b: Binder
) -> sql.Composable:
    target = ident(table.schema, table.name)
    items: sql.Composable = (
        select_list(returning.select, target, b) if returning.select is not None else sql.SQL("1")
    )
    if with_inserted:
        items = sql.SQL("{}, ({}.xmax = 0) AS pgrst_inserted").format(items, target)
    return sql.SQL(" RETURNING {}").format(items)


def _mutation_result(table: Table, returning: Returning, with_inserted: bool) -> sql.Composable:
    """The outer SELECT over the data-modifying CTE `pgrst_source`."""
    if returning.select is None:
        body: sql.Composable = sql.SQL("''")
        rows: sql.Composable = sql.SQL("SELECT 1 FROM pgrst_source")
    else:
        body = body_sql(returning.accept)
        if with_inserted:
            names = sql.SQL(", ").join(ident(n) for n in output_names(returning.select, table))
            rows = sql.SQL("SELECT {} FROM pgrst_source").format(names)
        else:
            rows = sql.SQL("SELECT * FROM pgrst_source")
    inserted = (
        sql.SQL("(SELECT pg_catalog.count(*) FROM pgrst_source WHERE pgrst_inserted)")
        if with_inserted
        else sql.SQL("NULL::bigint")
    )
    return sql.SQL(
        "SELECT NULL::bigint, pg_catalog.count(*), {body}, {inserted} FROM ({rows}) _postgrest_t"
    ).format(body=body, inserted=inserted, rows=rows)


def build_insert(
    table: Table,
    body: str,
    columns: Sequence[str],
    returning: Returning,
    *,
    resolution: str | None,
    conflict_columns: Sequence[str],
    apply_defaults: bool,
) -> Statement:
    """INSERT ... SELECT from the JSON body (an object or an array), PostgREST style.

    Rows missing a listed column get NULL, or the column default under `missing=default` (each
    row is merged over a `jsonb_build_object(col, default...)`, as PostgREST does).
    """
    b = Binder()
    target = ident(table.schema, table.name)
    rows = sql.SQL(
        "(SELECT CASE WHEN json_typeof(j) = 'array' THEN j ELSE json_build_array(j) END "
        "FROM (SELECT {}::json AS j) pgrst_payload)"
    ).format(b.bind(body))
    if apply_defaults:
        defaults = [
            sql.SQL("{}::text, {}").format(b.bind(c.name), _catalog_sql(c.default_sql))
            for name in columns
            if (c := table.column(name)) is not None and c.default_sql
        ]
        recordset = sql.SQL(
            "jsonb_populate_recordset(NULL::{t}, (SELECT jsonb_agg(jsonb_build_object({d}) || e) "
            "FROM jsonb_array_elements({rows}::jsonb) e))"
        ).format(t=target, d=sql.SQL(", ").join(defaults), rows=rows)
    else:
        recordset = sql.SQL("json_populate_recordset(NULL::{}, {})").format(target, rows)
    names = sql.SQL(", ").join(ident(c) for c in columns)
    conflict = sql.SQL("")
    if resolution and conflict_columns:
        on = sql.SQL(", ").join(ident(c) for c in conflict_columns)
        if resolution == "ignore-duplicates":
            conflict = sql.SQL(" ON CONFLICT ({}) DO NOTHING").format(on)
        else:
            sets = sql.SQL(", ").join(
                sql.SQL("{0} = EXCLUDED.{0}").format(ident(c)) for c in columns
            )
            conflict = sql.SQL(" ON CONFLICT ({}) DO UPDATE SET {}").format(on, sets)
    with_inserted = (
        resolution == "merge-duplicates"
        and bool(conflict_columns)
        and bool(columns)
        and table.is_table
    )
    column_list = sql.SQL("({})").format(names) if columns else sql.SQL("")
    query = sql.SQL(
        "WITH pgrst_source AS (INSERT INTO {target}{column_list} SELECT {names} "
        "FROM {recordset} pgrst_body{conflict}{returning}) {result}"
    ).format(
        target=target,
        column_list=column_list,
        names=names,
        recordset=recordset,
        conflict=conflict if columns else sql.SQL(""),
        returning=_returning_clause(table, returning, with_inserted, b),
        result=_mutation_result(table, returning, with_inserted),
    )
    return Statement(query, b.params)


def build_update(
    table: Table,
    body: str,
    columns: Sequence[str],
    conditions: Sequence[Condition],
    returning: Returning,
) -> Statement:
    """UPDATE ... SET (cols) = (SELECT cols FROM json_populate_record(NULL::t, body))."""
    b = Binder()
    target = ident(table.schema, table.name)
    names = sql.SQL(", ").join(ident(c) for c in columns)
    payload = sql.SQL(
        "(SELECT CASE WHEN json_typeof(j) = 'array' THEN j->0 ELSE j END "
        "FROM (SELECT {}::json AS j) pgrst_payload)"
    ).format(b.bind(body))
    query = sql.SQL(
        "WITH pgrst_source AS (UPDATE {target} SET ({names}) = "
        "(SELECT {names} FROM json_populate_record(NULL::{target}, {payload}) pgrst_body)"
        "{where}{returning}) {result}"
    ).format(
        target=target,
        names=names,
        payload=payload,
        where=where_clause(conditions, target, b),
        returning=_returning_clause(table, returning, False, b),
        result=_mutation_result(table, returning, False),
    )
    return Statement(query, b.params)


def build_delete(table: Table, conditions: Sequence[Condition], returning: Returning) -> Statement:
    b = Binder()
    target = ident(table.schema, table.name)
    query = sql.SQL(
        "WITH pgrst_source AS (DELETE FROM {target}{where}{returning}) {result}"
    ).format(
        target=target,
        where=where_clause(conditions, target, b),
        returning=_returning_clause(table, returning, False, b),
        result=_mutation_result(table, returning, False),
    )
    return Statement(query, b.params)


# ---------------------------------------------------------------------------- functions


@dataclass(frozen=True)
class CallArgs:
    """How a request passes function arguments."""

    json_body: str | None = None  # POST: a JSON object (named args) or any JSON (whole body)
    whole_body: bool = False  # the body goes to the single unnamed json/jsonb parameter
    text: Mapping[str, str] | None = None  # GET/HEAD: query-string values, cast from text


def _call_expression(
    routine: Routine, args: CallArgs, b: Binder
) -> tuple[sql.Composable, sql.Composable]:
    """(FROM prefix, call): JSON args decoded with json_to_record and the declared types, as
    PostgREST does; query-string args cast from text (so `{1,2}` and `{"a":1}` parse)."""
    function = ident(routine.schema, routine.name)
    if args.whole_body:
        param_type = _catalog_sql(routine.parameters[0].type_sql)
        return sql.SQL(""), sql.SQL("{}({}::{})").format(
            function, b.bind(args.json_body), param_type
        )
    if args.text is not None:
        typed = [p for p in routine.parameters if p.name in args.text]
        named = (
            sql.SQL("{} := {}::{}").format(
                ident(p.name), b.bind(args.text[p.name]), _catalog_sql(p.type_sql)
            )
            for p in typed
        )
        return sql.SQL(""), sql.SQL("{}({})").format(function, sql.SQL(", ").join(named))
    payload = json.loads(args.json_body or "{}")
    typed = [p for p in routine.parameters if p.name in payload]
    if not typed:
        return sql.SQL(""), sql.SQL("{}()").format(function)
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(ident(p.name), _catalog_sql(p.type_sql)) for p in typed
    )
    from_args = sql.SQL("json_to_record({}::json) AS pgrst_args({}), LATERAL ").format(
        b.bind(args.json_body), columns
    )
    call = sql.SQL("{}({})").format(
        function,
        sql.SQL(", ").join(sql.SQL("{0} := pgrst_args.{0}").format(ident(p.name)) for p in typed),
    )
    return from_args, call


def build_call(
    routine: Routine,
    args: CallArgs,
    *,
    select: Sequence[SelectField],
    conditions: Sequence[Condition],
    order: Sequence[OrderTerm],
    limit: int | None,
    offset: int,
    count: bool,
    accept: Accept,
) -> Statement:
    """SELECT from the function; the result is materialized once (`pgrst_all`), so counting
    never calls the function twice."""
    b = Binder()
    from_args, call = _call_expression(routine, args, b)
    call_target = sql.Identifier("pgrst_call")
    scalar = not routine.returns_composite
    if routine.returns_void:
        source = sql.SQL("SELECT 1 FROM {}{} AS pgrst_call").format(from_args, call)
    elif scalar:
        source = sql.SQL(
            "SELECT pgrst_call.pgrst_scalar FROM {}{} AS pgrst_call(pgrst_scalar)"
        ).format(from_args, call)
    else:
        source = sql.SQL("SELECT {} FROM {}{} AS pgrst_call").format(
            select_list(select, call_target, b), from_args, call
        )
    filtered = sql.SQL("{} {}").format(source, where_clause(conditions, call_target, b))
    total = (
        sql.SQL("(SELECT pg_catalog.count(*) FROM pgrst_all)") if count else sql.SQL("NULL::bigint")
    )
    body = (
        sql.SQL("''")
        if routine.returns_void
        else body_sql(accept, scalar=scalar, set_returning=routine.returns_set)
    )
    query = sql.SQL(
        "WITH pgrst_all AS MATERIALIZED ({filtered}), "
        "pgrst_source AS (SELECT * FROM pgrst_all{order}{limit}) "
        "SELECT {total}, pg_catalog.count(*), {body}, NULL::bigint "
        "FROM (SELECT * FROM pgrst_source) _postgrest_t"
    ).format(
        filtered=filtered,
        order=order_clause(order, None, b),
        limit=limit_clause(limit, offset, b),
        total=total,
        body=body,
    )
    return Statement(query, b.params)
