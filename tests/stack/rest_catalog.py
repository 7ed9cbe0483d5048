"""What PostgREST's schema cache knows, read from pg_catalog on demand and cached briefly.

Only names are validated here (does the table exist, which columns may a body name, what is the
primary key, which functions exist with which parameters); types, grants and RLS stay with
PostgreSQL, which checks them when the query runs.

Cache invalidation: entries live `ttl` seconds (default 5). A table that is not cached is always
looked up, so tables created by a test are visible at once; a cached table that lacks a column a
request names is re-read once before the request is refused, so `ALTER TABLE ... ADD COLUMN` is
seen at once too. A request failing with "undefined table/column/function" empties the cache, so
a dropped or recreated table costs at most one failed request. To forget everything at once
(PostgREST's `NOTIFY pgrst, 'reload schema'`), call `Catalog.reload()` / `rest.reload_schema()`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import psycopg


@dataclass(frozen=True)
class Column:
    name: str
    default_sql: str | None  # the column default as SQL, from the catalog (trusted text)
    generated: bool  # GENERATED ALWAYS AS (...) STORED: never written


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    is_table: bool  # a real (or partitioned) table, not a view: xmax exists
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def has_columns(self, names: Iterable[str]) -> bool:
        known = {c.name for c in self.columns}
        return all(name in known for name in names)


@dataclass(frozen=True)
class Parameter:
    name: str  # "" when unnamed
    type_sql: str  # format_type() output, e.g. "integer", "timestamp with time zone"
    has_default: bool


@dataclass(frozen=True)
class Routine:
    schema: str
    name: str
    parameters: tuple[Parameter, ...]  # input parameters only, in order
    returns_set: bool
    returns_void: bool
    returns_composite: bool  # a row type or TABLE/OUT columns, vs. a scalar
    volatile: bool

    @property
    def takes_single_json(self) -> bool:
        """One unnamed json/jsonb parameter: the whole request body is passed to it."""
        return (
            len(self.parameters) == 1
            and not self.parameters[0].name
            and self.parameters[0].type_sql in ("json", "jsonb")
        )

    def accepts(self, keys: set[str]) -> bool:
        """Every key names a parameter and every parameter without a default is given."""
        names = {p.name for p in self.parameters}
        required = {p.name for p in self.parameters if not p.has_default}
        return keys <= names and required <= keys


_TABLE_SQL = """
select c.relkind in ('r', 'p'),
       coalesce((select json_agg(json_build_array(
                   a.attname,
                   coalesce(pg_get_expr(d.adbin, d.adrelid),
                            case when a.attidentity <> '' then
                              format('nextval(%%L::regclass)',
                                     pg_get_serial_sequence(format('%%I.%%I', n.nspname, c.relname),
                                                            a.attname))
                            end),
                   a.attgenerated <> '') order by a.attnum)
                 from pg_attribute a
                 left join pg_attrdef d
                   on d.adrelid = a.attrelid and d.adnum = a.attnum and a.attgenerated = ''
                 where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]'),
       coalesce((select json_agg(a.attname order by array_position(i.indkey, a.attnum))
                 from pg_index i
                 join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                 where i.indrelid = c.oid and i.indisprimary), '[]')
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = %s and c.relname = %s and c.relkind in ('r', 'p', 'v', 'm', 'f')
"""

_ROUTINES_SQL = """
select p.proretset,
       p.prorettype = 'pg_catalog.void'::regtype,
       t.typtype = 'c' or (p.prorettype = 'pg_catalog.record'::regtype
                           and coalesce('o' = any(p.proargmodes) or 't' = any(p.proargmodes)
                                        or 'b' = any(p.proargmodes), false)),
       p.provolatile = 'v',
       coalesce((select json_agg(json_build_array(coalesce(arg.name, ''),
                                                  format_type(arg.type, null),
                                                  arg.ord > arg.total - p.pronargdefaults)
                                 order by arg.ord)
                 from (select u.name, u.type, row_number() over (order by u.ord) as ord,
                              count(*) over () as total
                       from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]),
                                   coalesce(p.proargmodes, array[]::"char"[]),
                                   coalesce(p.proargnames, array[]::text[]))
                            with ordinality as u(type, mode, name, ord)
                       where u.type is not null and coalesce(u.mode, 'i') in ('i', 'b', 'v')
                      ) arg), '[]')
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_type t on t.oid = p.prorettype
where n.nspname = %s and p.proname = %s and p.prokind = 'f'
order by p.oid
"""


class Catalog:
    """Thread-safe, briefly cached lookups of tables and functions (see module docstring)."""

    def __init__(self, ttl: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._tables: dict[tuple[str, str], tuple[float, Table]] = {}
        self._routines: dict[tuple[str, str], tuple[float, tuple[Routine, ...]]] = {}

    def reload(self) -> None:
        """Forget everything; the next request reads the catalog again."""
        with self._lock:
            self._tables.clear()
            self._routines.clear()

    def table(
        self, conn: psycopg.Connection, schema: str, name: str, needed_columns: Iterable[str] = ()
    ) -> Table | None:
        """The table or view `schema.name`, re-read when stale or missing a needed column."""
        key = (schema, name)
        needed = tuple(needed_columns)
        with self._lock:
            cached = self._tables.get(key)
        if cached and self._clock() - cached[0] < self._ttl and cached[1].has_columns(needed):
            return cached[1]
        found = _read_table(conn, schema, name)
        with self._lock:
            if found is None:
                self._tables.pop(key, None)
            else:
                self._tables[key] = (self._clock(), found)
        return found

    def routines(
        self, conn: psycopg.Connection, schema: str, name: str, refresh: bool = False
    ) -> tuple[Routine, ...]:
        """Every function `schema.name` (overloads), possibly empty."""
        key = (schema, name)
        with self._lock:
            cached = self._routines.get(key)
        if cached and not refresh and self._clock() - cached[0] < self._ttl:
            return cached[1]
        found = _read_routines(conn, schema, name)
        with self._lock:
            if found:
                self._routines[key] = (self._clock(), found)
            else:
                self._routines.pop(key, None)
        return found


def _read_table(conn: psycopg.Connection, schema: str, name: str) -> Table | None:
    row = conn.execute(_TABLE_SQL, (schema, name)).fetchone()
    if row is None:
        return None
    is_table, columns, primary_key = row
    return Table(
        schema=schema,
        name=name,
        is_table=bool(is_table),
        columns=tuple(Column(c[0], c[1], bool(c[2])) for c in columns),
        primary_key=tuple(primary_key),
    )


def _read_routines(conn: psycopg.Connection, schema: str, name: str) -> tuple[Routine, ...]:
    rows = conn.execute(_ROUTINES_SQL, (schema, name)).fetchall()
    return tuple(
        Routine(
            schema=schema,
            name=name,
            parameters=tuple(Parameter(p[0], p[1], bool(p[2])) for p in params),
            returns_set=bool(returns_set),
            returns_void=bool(returns_void),
            returns_composite=bool(composite),
            volatile=bool(volatile),
        )
        for returns_set, returns_void, composite, volatile, params in rows
    )
