"""The PostgREST query-string, Prefer and Accept parser of the local stack (pure, no database)."""

from __future__ import annotations

import pytest

from tests.stack.rest_query import (
    Filter,
    JsonStep,
    LogicTree,
    OrderTerm,
    QueryError,
    SelectField,
    parse_accept,
    parse_columns,
    parse_filter,
    parse_order,
    parse_prefer,
    parse_query,
    parse_select,
)

# ---------------------------------------------------------------------------- select


def test_select_star_plain_alias_and_cast() -> None:
    assert parse_select("*,id, title:name ,n:qty::text,created_at::date") == (
        SelectField("*"),
        SelectField("id"),
        SelectField("name", alias="title"),
        SelectField("qty", alias="n", cast="text"),
        SelectField("created_at", cast="date"),
    )


def test_select_quoted_names_keep_reserved_characters() -> None:
    assert parse_select('"a,b","x:y":"q\\""') == (
        SelectField("a,b"),
        SelectField('q"', alias="x:y"),
    )


def test_select_multiword_cast_is_allowed() -> None:
    assert parse_select("price::double precision")[0].cast == "double precision"


@pytest.mark.parametrize("hostile", ["id::text);drop table x;--", "id::$x$", "id::'a'"])
def test_select_cast_cannot_carry_sql(hostile: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_select(hostile)
    assert caught.value.code == "PGRST100"
    assert caught.value.status == 400


def test_select_json_paths_with_keys_indexes_alias_and_cast() -> None:
    assert parse_select("data->a->>b,first:data->0,data->>-1::int") == (
        SelectField("data", json_path=(JsonStep("->", "a"), JsonStep("->>", "b"))),
        SelectField("data", alias="first", json_path=(JsonStep("->", "0", is_index=True),)),
        SelectField("data", cast="int", json_path=(JsonStep("->>", "-1", is_index=True),)),
    )
    assert parse_select("data->a->>b")[0].output_name == "b"


def test_select_embedding_is_refused_with_a_relationship_error() -> None:
    with pytest.raises(QueryError) as caught:
        parse_select("id,author:profiles(name)")
    assert caught.value.code == "PGRST200"
    assert "profiles" in caught.value.message


def test_select_trailing_garbage_is_a_parse_error_worded_like_postgrest() -> None:
    with pytest.raises(QueryError) as caught:
        parse_select("id,,name")
    assert caught.value.message.startswith('"failed to parse select parameter (id,,name)"')


# ---------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("eq.1", Filter("c", "eq", "1")),
        ("neq.a.b", Filter("c", "neq", "a.b")),
        ("gt.2024-01-01 00:00:00+00:00", Filter("c", "gt", "2024-01-01 00:00:00+00:00")),
        ("gte.0", Filter("c", "gte", "0")),
        ("lt.x", Filter("c", "lt", "x")),
        ("lte.x", Filter("c", "lte", "x")),
        ("like.*ab%", Filter("c", "like", "*ab%")),
        ("ilike.AB*", Filter("c", "ilike", "AB*")),
        ("is.NULL", Filter("c", "is", "null")),
        ("is.true", Filter("c", "is", "true")),
        ("not.is.null", Filter("c", "is", "null", negated=True)),
        ("not.eq.", Filter("c", "eq", "", negated=True)),
        ("cs.{a,b}", Filter("c", "cs", "{a,b}")),
        ("like(any).{a*,b*}", Filter("c", "like", "{a*,b*}", quantifier="any")),
        ("fts(english).cat & dog", Filter("c", "fts", "cat & dog", language="english")),
        ("isdistinct.x", Filter("c", "isdistinct", "x")),
    ],
)
def test_filter_operators(value: str, expected: Filter) -> None:
    assert parse_filter("c", value) == expected


def test_in_list_with_quoted_items_and_escapes() -> None:
    found = parse_filter("c", r'in.(1,"two,three","say \"hi\"",back\slash, sp ace)')
    assert found.value == ("1", "two,three", 'say "hi"', "back\\slash", " sp ace")


def test_empty_in_list_is_one_empty_item() -> None:
    assert parse_filter("c", "in.()").value == ("",)


@pytest.mark.parametrize("value", ["nope.1", "eq", "is.maybe", "in.1,2", "in.(1,2", "eq(some).1"])
def test_bad_filters_are_pgrst100(value: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_filter("c", value)
    assert (caught.value.status, caught.value.code) == (400, "PGRST100")
    assert f"failed to parse filter ({value})" in caught.value.message


def test_unknown_operator_is_named_in_details() -> None:
    with pytest.raises(QueryError) as caught:
        parse_filter("c", "not.foo.1")
    assert caught.value.details == "unknown single value operator foo"


def test_hostile_values_stay_values() -> None:
    hostile = "x'); drop table posts; --"
    assert parse_filter("c", "eq." + hostile).value == hostile
    assert parse_filter("c", "in.(" + '"' + hostile.replace('"', '\\"') + '")').value == (hostile,)


def test_json_path_filters_in_keys_and_logic_trees() -> None:
    path = (JsonStep("->>", "lang"),)
    assert parse_filter("meta->>lang", "eq.en") == Filter("meta", "eq", "en", json_path=path)
    tree = parse_query([("or", "(meta->>lang.eq.en,meta->n.gt.1)")]).conditions[0]
    assert isinstance(tree, LogicTree)
    assert tree.children[0] == Filter("meta", "eq", "en", json_path=path)
    assert tree.children[1].json_path == (JsonStep("->", "n"),)


@pytest.mark.parametrize("key", ["na;me", "meta->", "a b)c"])
def test_filter_keys_must_be_field_names(key: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query([(key, "eq.1")])
    assert caught.value.code == "PGRST100"


# ---------------------------------------------------------------------------- logic trees


def test_or_with_nested_and() -> None:
    query = parse_query([("or", "(a.eq.1,and(b.gt.2,c.lt.3))")])
    assert query.conditions == (
        LogicTree(
            "or",
            (
                Filter("a", "eq", "1"),
                LogicTree("and", (Filter("b", "gt", "2"), Filter("c", "lt", "3"))),
            ),
        ),
    )


def test_negated_logic_keys_and_children() -> None:
    query = parse_query([("not.or", "(a.eq.1,not.and(b.is.null,c.not.in.(1,2)))")])
    tree = query.conditions[0]
    assert isinstance(tree, LogicTree) and tree.negated and tree.operator == "or"
    inner = tree.children[1]
    assert inner == LogicTree(
        "and",
        (Filter("b", "is", "null"), Filter("c", "in", ("1", "2"), negated=True)),
        negated=True,
    )


def test_logic_values_may_be_quoted_or_arrays() -> None:
    tree = parse_query(
        [("and", '(name.eq."a,b)",tags.cs.{x,y},t.gte.2024-01-01T00:00:00+00:00)')]
    ).conditions[0]
    assert isinstance(tree, LogicTree)
    assert [c.value for c in tree.children] == ["a,b)", "{x,y}", "2024-01-01T00:00:00+00:00"]


@pytest.mark.parametrize("value", ["(a.eq.1", "()", "(a.eq.1,)", "a.eq.1", "(a.zz.1)"])
def test_malformed_logic_trees(value: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query([("or", value)])
    assert caught.value.code == "PGRST100"


def test_embedded_logic_and_filters_are_refused() -> None:
    for key, value in (
        ("author.or", "(a.eq.1)"),
        ("author.name", "eq.x"),
        ("author.order", "name"),
    ):
        with pytest.raises(QueryError) as caught:
            parse_query([(key, value)])
        assert caught.value.code == "PGRST108"


# ---------------------------------------------------------------------------- order, range


def test_order_terms() -> None:
    assert parse_order('updated_at.asc,id.desc.nullsfirst,name.nullslast,"a b"') == [
        OrderTerm("updated_at", False),
        OrderTerm("id", True, True),
        OrderTerm("name", None, False),
        OrderTerm("a b"),
    ]


def test_order_on_a_json_path() -> None:
    assert parse_order("meta->>rank.desc") == [
        OrderTerm("meta", True, None, (JsonStep("->>", "rank"),))
    ]


@pytest.mark.parametrize("value", ["id.ac", "id.descc", "id.asc.nlsfst", "id,", "rel(col)"])
def test_bad_order(value: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_order(value)
    assert caught.value.code == "PGRST100"


def test_query_splits_select_filters_order_range_and_rpc_args() -> None:
    query = parse_query(
        [
            ("select", "*"),
            ("updated_at", "gt.2024-01-01"),
            ("updated_at", "lt.2025-01-01"),
            ("order", "updated_at.asc,id.asc"),
            ("limit", "500"),
            ("offset", "0"),
            ("name", "plain"),
            ("columns", '"a","b"'),
            ("on_conflict", "slug,kind"),
        ]
    )
    assert query.select == (SelectField("*"),)
    assert query.conditions == (
        Filter("updated_at", "gt", "2024-01-01"),
        Filter("updated_at", "lt", "2025-01-01"),
    )
    assert query.order == (OrderTerm("updated_at", False), OrderTerm("id", False))
    assert (query.limit, query.offset) == (500, 0)
    assert query.rpc_args == (("name", "plain"),)
    assert query.columns == ("a", "b")
    assert query.on_conflict == ("slug", "kind")


def test_repeated_limit_last_wins_and_junk_limit_is_ignored() -> None:
    assert parse_query([("limit", "5"), ("limit", "7")]).limit == 7
    assert parse_query([("limit", "abc")]).limit is None


def test_negative_limit_is_416() -> None:
    with pytest.raises(QueryError) as caught:
        parse_query([("limit", "-1")])
    assert (caught.value.status, caught.value.code) == (416, "PGRST103")


def test_columns_parameter_strips_quotes() -> None:
    assert parse_columns('"qty","name","we\\"ird"', "columns") == ("qty", "name", 'we"ird')


# ---------------------------------------------------------------------------- headers


def test_prefer_first_wins_across_headers_and_unknown_are_kept() -> None:
    prefs = parse_prefer(
        [
            "return=representation,count=exact",
            "return=minimal, bogus",
            "resolution=merge-duplicates,missing=default,handling=strict",
            "max-affected=5",
        ]
    )
    assert prefs.representation == "representation"
    assert prefs.count == "exact"
    assert prefs.resolution == "merge-duplicates"
    assert prefs.missing == "default"
    assert prefs.max_affected == 5
    assert prefs.invalid == ("bogus",)
    assert prefs.applied("resolution", "missing", "representation", "count") == (
        "resolution=merge-duplicates, missing=default, return=representation, count=exact"
    )


def test_accept_negotiation() -> None:
    assert not parse_accept(None).single_object
    assert not parse_accept("*/*").single_object
    assert parse_accept("application/vnd.pgrst.object+json").single_object
    stripped = parse_accept("application/vnd.pgrst.array+json;nulls=stripped")
    assert stripped.strip_nulls and not stripped.single_object
    with pytest.raises(QueryError) as caught:
        parse_accept("text/csv")
    assert (caught.value.status, caught.value.code) == (406, "PGRST107")
