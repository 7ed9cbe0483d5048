"""Parse a PostgREST request (query string, Prefer, Accept) into plain values, without SQL.

The grammar follows PostgREST's own parser (`ApiRequest/QueryParams.hs`) closely enough that
supabase-py's requests parse the same way and malformed ones fail with the same error code
(`PGRST100`, "failed to parse ..."). Nothing here touches the database: identifiers stay
strings, values stay strings, and `rest_sql` turns them into quoted identifiers and bound
parameters. JSON paths (`data->key->>leaf`, `data->0`) work in select, filters and order on
json/jsonb columns (PostgREST also converts arrays and composites with to_jsonb; this stack does
not); embedded resources (`rel(cols)`) are not supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Operators taking one value, mapped to their SQL operator. The first group accepts the
# `(any)`/`(all)` quantifiers of PostgREST v12 (`like(any).{a*,b*}`).
QUANTIFIABLE_OPERATORS = {
    "eq": "=",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "like": "LIKE",
    "ilike": "ILIKE",
    "match": "~",
    "imatch": "~*",
}
SIMPLE_OPERATORS = {
    "neq": "<>",
    "cs": "@>",
    "cd": "<@",
    "ov": "&&",
    "sl": "<<",
    "sr": ">>",
    "nxr": "&<",
    "nxl": "&>",
    "adj": "-|-",
}
FTS_OPERATORS = {
    "fts": "to_tsquery",
    "plfts": "plainto_tsquery",
    "phfts": "phraseto_tsquery",
    "wfts": "websearch_to_tsquery",
}
IS_VALUES = {"null": "NULL", "true": "TRUE", "false": "FALSE", "unknown": "UNKNOWN"}

_IDENTIFIER_EXTRA = "_ $"
# Casts are spliced into SQL as type names, so they may hold only these (PostgREST also allows
# `$`, dropped here so that no cast can open a dollar-quoted string).
_CAST_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ ")

OBJECT_MEDIA_TYPE = "application/vnd.pgrst.object+json"
ARRAY_MEDIA_TYPE = "application/vnd.pgrst.array+json"


class QueryError(Exception):
    """A request PostgREST would refuse before touching the database (status, code, text)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.hint = hint


def parse_error(what: str, text: str, position: int, details: str) -> QueryError:
    """PGRST100 worded like PostgREST's parsec errors: `"failed to parse X (v)" (line 1, column n)`."""
    message = f'"failed to parse {what} ({text})" (line 1, column {position + 1})'
    return QueryError(400, "PGRST100", message, details)


_JSON_INDEX = re.compile(r"-?[0-9]+(?=->|::|\.|,|\)|$)")


# ---------------------------------------------------------------------------- values


@dataclass(frozen=True)
class JsonStep:
    """One `->key` / `->>key` / `->0` step into a json(b) column."""

    arrow: str  # "->" (json) or "->>" (text)
    key: str
    is_index: bool = False


JsonPath = tuple[JsonStep, ...]


@dataclass(frozen=True)
class SelectField:
    """One `select=` item: a column (or `*`), with an optional JSON path, alias and cast."""

    name: str
    alias: str | None = None
    cast: str | None = None
    json_path: JsonPath = ()

    @property
    def is_star(self) -> bool:
        return self.name == "*"

    @property
    def output_name(self) -> str:
        """The JSON key: the alias, else the last JSON path key, else the column."""
        return self.alias or (self.json_path[-1].key if self.json_path else self.name)


@dataclass(frozen=True)
class Filter:
    """`column=[not.]operator.value`; `value` is a tuple for `in`, None for `is`."""

    column: str
    operator: str
    value: str | tuple[str, ...] | None
    negated: bool = False
    quantifier: str | None = None  # "any" / "all"
    language: str | None = None  # full-text search configuration
    json_path: JsonPath = ()


@dataclass(frozen=True)
class LogicTree:
    """`or=(...)` / `and=(...)`, possibly negated and nested."""

    operator: str  # "and" / "or"
    children: tuple[Condition, ...]
    negated: bool = False


Condition = Filter | LogicTree


@dataclass(frozen=True)
class OrderTerm:
    column: str
    descending: bool | None = None
    nulls_first: bool | None = None
    json_path: JsonPath = ()


@dataclass(frozen=True)
class Preferences:
    """The `Prefer` header; the first occurrence of each kind wins, as in PostgREST."""

    representation: str | None = None  # "representation" / "minimal" / "headers-only"
    count: str | None = None  # "exact" / "planned" / "estimated"
    resolution: str | None = None  # "merge-duplicates" / "ignore-duplicates"
    missing: str | None = None  # "default" / "null"
    handling: str | None = None  # "strict" / "lenient"
    max_affected: int | None = None
    invalid: tuple[str, ...] = ()

    def applied(self, *kinds: str) -> str | None:
        """`Preference-Applied` for the given kinds, in PostgREST's order and format."""
        order = ("resolution", "missing", "representation", "count", "handling")
        names = {"representation": "return"}
        values = [
            f"{names.get(kind, kind)}={getattr(self, kind)}"
            for kind in order
            if kind in kinds and getattr(self, kind) is not None
        ]
        if self.handling == "strict" and self.max_affected is not None and "max-affected" in kinds:
            values.append(f"max-affected={self.max_affected}")
        return ", ".join(values) or None


@dataclass(frozen=True)
class Accept:
    """Negotiated response shape: JSON array (default) or one object; optional null stripping."""

    single_object: bool = False
    strip_nulls: bool = False

    @property
    def content_type(self) -> str:
        base = OBJECT_MEDIA_TYPE if self.single_object else "application/json"
        if self.strip_nulls:
            base = (
                OBJECT_MEDIA_TYPE if self.single_object else ARRAY_MEDIA_TYPE
            ) + ";nulls=stripped"
        return base + "; charset=utf-8"


@dataclass(frozen=True)
class QueryParams:
    """Everything the query string says, parsed."""

    select: tuple[SelectField, ...] = (SelectField("*"),)
    conditions: tuple[Condition, ...] = ()
    order: tuple[OrderTerm, ...] = ()
    limit: int | None = None
    offset: int = 0
    columns: tuple[str, ...] | None = None
    on_conflict: tuple[str, ...] | None = None
    rpc_args: tuple[tuple[str, str], ...] = ()


# ---------------------------------------------------------------------------- query string


def parse_query(pairs: list[tuple[str, str]]) -> QueryParams:
    """Split the form-decoded query string into select, filters, order, range and the rest."""
    conditions: list[Condition] = []
    order: list[OrderTerm] = []
    rpc_args: list[tuple[str, str]] = []
    limit: int | None = None
    offset = 0
    for key, value in pairs:
        last_word = key.rsplit(".", 1)[-1]
        if key in ("select", "columns", "on_conflict"):
            continue
        if last_word in ("and", "or"):
            conditions.append(_parse_logic_param(key, value))
        elif last_word == "order":
            _reject_embed_path(key)
            order.extend(parse_order(value))
        elif last_word == "limit":
            _reject_embed_path(key)
            limit = _parse_int(value, limit)
        elif last_word == "offset":
            _reject_embed_path(key)
            offset = _parse_int(value, offset) or 0
        elif "." in key or _looks_like_filter(value):
            _reject_embed_path(key)
            conditions.append(parse_filter(key, value))
        else:
            rpc_args.append((key, value))
    if limit is not None and limit < 0:
        raise QueryError(
            416,
            "PGRST103",
            "Requested range not satisfiable",
            "Limit should be greater than or equal to zero.",
        )
    select_text = _first(pairs, "select")
    columns = _first(pairs, "columns")
    on_conflict = _first(pairs, "on_conflict")
    return QueryParams(
        select=parse_select(select_text) if select_text is not None else (SelectField("*"),),
        conditions=tuple(conditions),
        order=tuple(order),
        limit=limit,
        offset=offset,
        columns=parse_columns(columns, "columns") if columns is not None else None,
        on_conflict=parse_columns(on_conflict, "on_conflict") if on_conflict is not None else None,
        rpc_args=tuple(rpc_args),
    )


def _first(pairs: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in pairs if key == name), None)


def _parse_int(text: str, fallback: int | None) -> int | None:
    """PostgREST ignores a limit/offset that is not an integer (`readMaybe`)."""
    try:
        return int(text.strip())
    except ValueError:
        return fallback


def _reject_embed_path(key: str) -> None:
    """`rel.order=`, `rel.col=eq.1`: only meaningful with embedding, which this stack omits."""
    path = _split_unquoted(key, ".")
    if len(path) > 1:
        resource = _strip_quotes(path[0])
        raise QueryError(
            400,
            "PGRST108",
            f"'{resource}' is not an embedded resource in this request",
            hint=f"Verify that '{resource}' is included in the 'select' query parameter.",
        )


def _looks_like_filter(value: str) -> bool:
    """PostgREST's `hasOperator`: which non-reserved params are filters rather than RPC args."""
    parts = value.split(".")
    head = parts[0]
    if (head == "not" and len(parts) >= 2) or head in ("is", "in"):
        return True
    base = head.split("(", 1)[0]
    return (
        base in QUANTIFIABLE_OPERATORS
        or base in SIMPLE_OPERATORS
        or base in FTS_OPERATORS
        or base == "isdistinct"
    )


def _strip_quotes(name: str) -> str:
    if len(name) >= 2 and name[0] == name[-1] == '"':
        return _unescape(name[1:-1])
    return name


def _unescape(text: str) -> str:
    out: list[str] = []
    chars = iter(text)
    for char in chars:
        out.append(next(chars, "") if char == "\\" else char)
    return "".join(out)


def _split_unquoted(text: str, separator: str) -> list[str]:
    """Split on `separator` outside double quotes and parentheses."""
    parts: list[str] = []
    depth = 0
    quoted = False
    start = 0
    i = 0
    while i < len(text):
        char = text[i]
        if quoted and char == "\\":
            i += 2
            continue
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        elif not quoted and depth == 0 and char == separator:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


# ---------------------------------------------------------------------------- field names


class _Cursor:
    """A position in one parameter value, with PostgREST-worded failures."""

    def __init__(self, text: str, what: str) -> None:
        self.text = text
        self.what = what
        self.pos = 0

    def peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def take(self, literal: str) -> bool:
        if self.text.startswith(literal, self.pos):
            self.pos += len(literal)
            return True
        return False

    def expect(self, literal: str, expecting: str) -> None:
        if not self.take(literal):
            self.fail(expecting)

    def skip_spaces(self) -> None:
        while self.peek() in (" ", "\t") and not self.at_end():
            self.pos += 1

    def fail(self, expecting: str) -> QueryError:
        found = f'unexpected "{self.peek()}"' if not self.at_end() else "unexpected end of input"
        raise parse_error(self.what, self.text, self.pos, f"{found} expecting {expecting}")

    def field_name(self) -> str:
        """A quoted name (`"a,b"`) or identifier parts `[a-z0-9_ $]` joined by `-`."""
        if self.peek() == '"':
            return self.quoted()
        start = self.pos
        while not self.at_end():
            char = self.peek()
            if (
                char.isalnum()
                or char in _IDENTIFIER_EXTRA
                or (char == "-" and self.peek(2) != "->" and self.pos > start)
            ):
                self.pos += 1
            else:
                break
        name = self.text[start : self.pos].strip()
        if not name:
            self.pos = start
            self.fail("field name (* or [a..z0..9_$])")
        return name

    def json_path(self) -> JsonPath:
        """Any `->key`, `->>key`, `->0` steps after a field name."""
        steps: list[JsonStep] = []
        while self.peek(2) == "->":
            arrow = "->>" if self.peek(3) == "->>" else "->"
            self.pos += len(arrow)
            index = _JSON_INDEX.match(self.text, self.pos)
            if index:
                self.pos = index.end()
                steps.append(JsonStep(arrow, index.group(), is_index=True))
            else:
                steps.append(JsonStep(arrow, self.field_name()))
        return tuple(steps)

    def quoted(self) -> str:
        """`"..."` with backslash escapes."""
        start = self.pos
        self.expect('"', '"\\""')
        out: list[str] = []
        while not self.at_end():
            char = self.peek()
            self.pos += 1
            if char == "\\" and not self.at_end():
                out.append(self.peek())
                self.pos += 1
            elif char == '"':
                return "".join(out)
            else:
                out.append(char)
        self.pos = start
        self.fail('closing quote "\\""')
        return ""  # unreachable; fail() raises

    def until(self, stops: str) -> str:
        start = self.pos
        while not self.at_end() and self.peek() not in stops:
            self.pos += 1
        return self.text[start : self.pos]


def parse_columns(text: str, what: str) -> tuple[str, ...]:
    """`columns=` and `on_conflict=`: comma-separated field names, quotes stripped."""
    cursor = _Cursor(text, f"{what} parameter")
    names: list[str] = []
    while True:
        cursor.skip_spaces()
        names.append(cursor.field_name())
        cursor.skip_spaces()
        if cursor.at_end():
            return tuple(names)
        cursor.expect(",", '"," or end of input')


# ---------------------------------------------------------------------------- select


def parse_select(text: str) -> tuple[SelectField, ...]:
    """`select=` items: `*`, `col`, `alias:col`, `col::cast`, `alias:col::cast`."""
    cursor = _Cursor(text, "select parameter")
    items: list[SelectField] = []
    while True:
        cursor.skip_spaces()
        items.append(_select_item(cursor))
        cursor.skip_spaces()
        if cursor.at_end():
            return tuple(items)
        if cursor.peek() == "(":
            raise _embedding_error(items[-1].name)
        cursor.expect(",", '"," or end of input')


def _select_item(cursor: _Cursor) -> SelectField:
    if cursor.take("*"):
        return SelectField("*")
    if cursor.peek(2) == "..":
        cursor.pos += 2
        raise _embedding_error(cursor.field_name())
    name = cursor.field_name()
    alias = None
    if cursor.peek() == ":" and cursor.peek(2) != "::":
        cursor.pos += 1
        alias, name = name, cursor.field_name()
    path = cursor.json_path()
    if cursor.peek() in ("(", "!"):
        raise _embedding_error(name)
    cast = None
    if cursor.take("::"):
        start = cursor.pos
        while not cursor.at_end() and cursor.peek() in _CAST_CHARS:
            cursor.pos += 1
        cast = cursor.text[start : cursor.pos].strip()
        if not cast:
            cursor.fail("letter or digit")
    return SelectField(name, alias, cast, path)


def _embedding_error(resource: str) -> QueryError:
    return QueryError(
        400,
        "PGRST200",
        f"Could not find a relationship for '{resource}' in the schema cache",
        "Embedded resources are not supported by the local test stack.",
    )


# ---------------------------------------------------------------------------- order


def parse_order(text: str) -> list[OrderTerm]:
    """`order=a.desc.nullslast,b` (direction and nulls are optional)."""
    cursor = _Cursor(text, "order")
    terms: list[OrderTerm] = []
    while True:
        cursor.skip_spaces()
        column = cursor.field_name()
        path = cursor.json_path()
        if cursor.peek() == "(":
            cursor.fail('delimiter (.), "," or end of input')
        descending = None
        nulls_first = None
        if cursor.take(".asc"):
            descending = False
        elif cursor.take(".desc"):
            descending = True
        if cursor.take(".nullsfirst"):
            nulls_first = True
        elif cursor.take(".nullslast"):
            nulls_first = False
        cursor.skip_spaces()
        terms.append(OrderTerm(column, descending, nulls_first, path))
        if cursor.at_end():
            return terms
        if cursor.peek() == ".":
            cursor.pos += 1
            cursor.fail('"asc", "desc", "nullsfirst" or "nullslast"')
        cursor.expect(",", '"," or end of input')


# ---------------------------------------------------------------------------- filters


def parse_filter(key: str, value: str) -> Filter:
    """A top-level filter `key=value`: the key is a field with an optional JSON path, and the
    value after the operator is taken verbatim."""
    field_cursor = _Cursor(key, "tree path")
    column = field_cursor.field_name()
    path = field_cursor.json_path()
    if not field_cursor.at_end():
        field_cursor.fail('"->", "->>" or end of input')
    cursor = _Cursor(value, "filter")
    found = _operation(cursor, column, path, logic=False)
    if not cursor.at_end():
        cursor.fail("end of input")
    return found


def _operation(cursor: _Cursor, column: str, path: JsonPath, *, logic: bool) -> Filter:
    negated = cursor.take("not.")
    start = cursor.pos
    name = cursor.until(".(")
    quantifier = None
    language = None
    if cursor.peek() == "(":
        inner_start = cursor.pos
        cursor.pos += 1
        inner = cursor.until(")")
        cursor.expect(")", '")"')
        if name in FTS_OPERATORS:
            if not inner or any(c not in _CAST_CHARS for c in inner):
                cursor.pos = inner_start
                cursor.fail("language identifier")
            language = inner
        elif name in QUANTIFIABLE_OPERATORS and inner in ("any", "all"):
            quantifier = inner
        elif name == "in":
            cursor.pos = start
            cursor.fail("delimiter (.)")
        else:
            cursor.pos = start
            raise parse_error(
                cursor.what, cursor.text, start, f"unknown single value operator {name}({inner})"
            )
    if name in ("in", "is"):
        cursor.expect(".", "delimiter (.)")
        if name == "in":
            return Filter(column, "in", _list_value(cursor), negated, json_path=path)
        word = _logic_value(cursor) if logic else cursor.text[cursor.pos :]
        if not logic:
            cursor.pos = len(cursor.text)
        if word.lower() not in IS_VALUES:
            raise parse_error(
                cursor.what,
                cursor.text,
                cursor.pos - len(word),
                'unexpected "' + word[:1] + '" expecting null or trilean value '
                "(unknown, true, false)",
            )
        return Filter(column, "is", word.lower(), negated, json_path=path)
    known = (
        name in QUANTIFIABLE_OPERATORS
        or name in SIMPLE_OPERATORS
        or name in FTS_OPERATORS
        or name == "isdistinct"
    )
    if not known:
        raise parse_error(cursor.what, cursor.text, start, f"unknown single value operator {name}")
    cursor.expect(".", "delimiter (.)")
    if logic:
        operand = _logic_value(cursor)
    else:
        operand = cursor.text[cursor.pos :]
        cursor.pos = len(cursor.text)
    return Filter(column, name, operand, negated, quantifier, language, path)


def _list_value(cursor: _Cursor) -> tuple[str, ...]:
    """`(a,"b,c",d)`: items may be double-quoted with backslash escapes."""
    cursor.skip_spaces()
    cursor.expect("(", '"("')
    items: list[str] = []
    while True:
        if cursor.peek() == '"':
            items.append(cursor.quoted())
        else:
            items.append(cursor.until(",)"))
        if cursor.take(","):
            continue
        cursor.expect(")", '"," or ")"')
        cursor.skip_spaces()
        return tuple(items)


def _logic_value(cursor: _Cursor) -> str:
    """A value inside `or=(...)`: quoted, a `{...}` array literal, or text up to `,` / `)`."""
    if cursor.peek() == '"':
        return cursor.quoted()
    if cursor.peek() == "{":
        start = cursor.pos
        cursor.until("}")
        cursor.expect("}", '"}"')
        return cursor.text[start : cursor.pos]
    return cursor.until(",)")


# ---------------------------------------------------------------------------- logic trees


def _parse_logic_param(key: str, value: str) -> LogicTree:
    """`or=(...)`, `and=(...)`, `not.or=(...)`; `rel.or=` needs embedding (refused)."""
    path = key.split(".")
    negated = "not" in path[:-1]
    rest = [part for part in path[:-1] if part != "not"]
    if rest:
        _reject_embed_path(key)
    cursor = _Cursor(path[-1] + value, "logic tree")
    tree = _logic_tree(cursor, negated=negated)
    if not cursor.at_end():
        cursor.fail("end of input")
    assert isinstance(tree, LogicTree)
    return tree


def _logic_tree(cursor: _Cursor, *, negated: bool = False) -> Condition:
    start = cursor.pos
    if not negated:
        negated = cursor.take("not.")
    for operator in ("and", "or"):
        if cursor.take(operator + "("):
            children: list[Condition] = []
            while True:
                cursor.skip_spaces()
                children.append(_logic_child(cursor))
                cursor.skip_spaces()
                if cursor.take(","):
                    continue
                cursor.expect(")", '"," or ")"')
                return LogicTree(operator, tuple(children), negated)
    cursor.pos = start
    cursor.fail('"(" after logic operator (and, or)')
    raise AssertionError("unreachable")


def _logic_child(cursor: _Cursor) -> Condition:
    """A nested tree (`and(...)`, `not.or(...)`) or a filter `field.[not.]op.value`."""
    rest = cursor.text[cursor.pos :]
    for prefix in ("and(", "or(", "not.and(", "not.or("):
        if rest.startswith(prefix):
            return _logic_tree(cursor)
    if cursor.at_end() or cursor.peek() in ",)":
        cursor.fail(
            "field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)"
        )
    column = cursor.field_name()
    path = cursor.json_path()
    cursor.expect(".", "delimiter (.)")
    return _operation(cursor, column, path, logic=True)


# ---------------------------------------------------------------------------- headers


def parse_prefer(values: list[str]) -> Preferences:
    """Every `Prefer` header, comma-split and trimmed; unknown ones are kept as `invalid`."""
    kinds = {
        "return": ("representation", {"representation", "minimal", "headers-only"}),
        "count": ("count", {"exact", "planned", "estimated"}),
        "resolution": ("resolution", {"merge-duplicates", "ignore-duplicates"}),
        "missing": ("missing", {"default", "null"}),
        "handling": ("handling", {"strict", "lenient"}),
    }
    found: dict[str, object] = {}
    invalid: list[str] = []
    for header in values:
        for item in header.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, value = item.partition("=")
            if name in kinds and value in kinds[name][1]:
                found.setdefault(kinds[name][0], value)
            elif name == "max-affected" and value.lstrip("-").isdigit():
                found.setdefault("max_affected", int(value))
            elif name in ("tx", "params", "timezone"):
                continue  # accepted by PostgREST, irrelevant here
            else:
                invalid.append(item)
    return Preferences(invalid=tuple(invalid), **found)  # type: ignore[arg-type]


def parse_accept(value: str | None) -> Accept:
    """Pick the first acceptable media type, as PostgREST's content negotiation does."""
    if not value:
        return Accept()
    offered: list[str] = []
    for item in value.split(","):
        media, *params = [part.strip() for part in item.split(";")]
        media = media.lower()
        strip = "nulls=stripped" in [p.replace(" ", "").lower() for p in params]
        offered.append(media)
        if media in ("*/*", "application/json", "application/*"):
            return Accept()
        if media in (OBJECT_MEDIA_TYPE, "application/vnd.pgrst.object"):
            return Accept(single_object=True, strip_nulls=strip)
        if media == ARRAY_MEDIA_TYPE:
            return Accept(strip_nulls=strip)
    raise QueryError(
        406, "PGRST107", "None of these media types are available: " + ", ".join(offered)
    )
