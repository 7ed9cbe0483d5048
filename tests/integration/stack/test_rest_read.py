"""Reads through `/rest/v1` with the official client: filters, ordering, ranges, counts, shapes.

Header-level facts the client does not surface (status 206, Content-Range) are checked with
httpx, the HTTP library the client itself uses.
"""

from __future__ import annotations

import httpx
import pytest
from postgrest import APIError

from tests.stack.rest_testing import scratch_table

ITEMS = "rest_read_items"
MANY = "rest_read_many"


@pytest.fixture(scope="module")
def items_table(stack):
    columns = """
        id int primary key,
        name text,
        qty int,
        price numeric,
        tags text[],
        active boolean,
        made_at timestamptz,
        ref uuid,
        meta jsonb
    """
    with scratch_table(stack, ITEMS, columns):
        stack.admin_sql(f"""insert into public.{ITEMS} values
            (1, 'apple',  3,    1.10, '{{red,fruit}}', true,  '2026-01-01 00:00:00+00',
             '00000000-0000-4000-8000-000000000001', '{{"k": 1}}'),
            (2, 'Banana', null, 0.25, '{{yellow}}',    false, '2026-01-02 12:30:00+02',
             null, null),
            (3, 'a,b',    7,    10,   null,            null,  null, null, '[]'),
            (4, 'cherry', 3,    123456789.123456789, '{{red}}', true, '2025-06-01 00:00:00+00',
             null, null),
            (5, null,     0,    0,    '{{}}',          false, null, null, null)""")
        yield ITEMS


@pytest.fixture(scope="module")
def many_table(stack):
    with scratch_table(stack, MANY, "id int primary key, bucket int"):
        stack.admin_sql(
            f"insert into public.{MANY} select g, g % 3 from generate_series(1, 1500) g"
        )
        yield MANY


@pytest.fixture
def items(items_table, supabase_client):
    """An anonymous official client; the items table exists for the whole module."""
    return supabase_client("anon")


@pytest.fixture
def many(many_table, supabase_client):
    return supabase_client("anon")


def ids(response) -> list[int]:
    return [row["id"] for row in response.data]


def test_select_star_returns_postgres_json_types(items) -> None:
    row = items.table(ITEMS).select("*").eq("id", 1).execute().data[0]
    assert row == {
        "id": 1,
        "name": "apple",
        "qty": 3,
        "price": 1.10,
        "tags": ["red", "fruit"],
        "active": True,
        "made_at": "2026-01-01T00:00:00+00:00",
        "ref": "00000000-0000-4000-8000-000000000001",
        "meta": {"k": 1},
    }


def test_numeric_is_exact_and_timestamps_carry_offsets(stack, items) -> None:
    response = httpx.get(
        f"{stack.url}/rest/v1/{ITEMS}?select=price,made_at&id=eq.4",
        headers={"apikey": stack.anon_key, "Authorization": f"Bearer {stack.anon_key}"},
    )
    assert response.text == '[{"price":123456789.123456789,"made_at":"2025-06-01T00:00:00+00:00"}]'


def test_select_columns_aliases_and_casts(items) -> None:
    data = items.table(ITEMS).select("id, label:name, qty::text").eq("id", 1).execute().data
    assert data == [{"id": 1, "label": "apple", "qty": "3"}]


def test_json_paths_in_select_filters_and_order(items) -> None:
    data = (
        items.table(ITEMS).select("id,meta->k,v:meta->>k,first:meta->0").eq("id", 1).execute().data
    )
    assert data == [{"id": 1, "k": 1, "v": "1", "first": None}]
    assert ids(items.table(ITEMS).select("id").eq("meta->>k", "1").execute()) == [1]
    assert ids(
        items.table(ITEMS)
        .select("id")
        .or_("meta->>k.eq.1,meta->0.is.null")
        .not_.is_("meta", None)
        .order("id")
        .execute()
    ) == [1, 3]
    assert ids(
        items.table(ITEMS)
        .select("id")
        .not_.is_("meta", None)
        .order("meta->k", desc=True, nullsfirst=False)
        .order("id")
        .execute()
    ) == [1, 3]


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda q: q.eq("name", "apple"), [1]),
        (lambda q: q.neq("name", "apple"), [2, 3, 4]),
        (lambda q: q.gt("qty", 3), [3]),
        (lambda q: q.gte("qty", 3), [1, 3, 4]),
        (lambda q: q.lt("qty", 3), [5]),
        (lambda q: q.lte("qty", 3), [1, 4, 5]),
        (lambda q: q.like("name", "%an%"), [2]),
        (lambda q: q.like("name", "*e*"), [1, 4]),
        (lambda q: q.ilike("name", "b%"), [2]),
        (lambda q: q.is_("qty", None), [2]),
        (lambda q: q.is_("active", True), [1, 4]),
        (lambda q: q.is_("active", False), [2, 5]),
        (lambda q: q.in_("name", ["apple", "a,b", "nope"]), [1, 3]),
        (lambda q: q.in_("id", []), []),
        (lambda q: q.not_.in_("id", [1, 2]), [3, 4, 5]),
        (lambda q: q.not_.is_("name", None), [1, 2, 3, 4]),
        (lambda q: q.not_.eq("active", True), [2, 5]),
        (lambda q: q.eq("active", True).gte("qty", 3), [1, 4]),
        (lambda q: q.gte("made_at", "2026-01-01T00:00:00+00:00"), [1, 2]),
        (lambda q: q.contains("tags", ["red"]), [1, 4]),
        (lambda q: q.or_("qty.is.null,name.eq.apple"), [1, 2]),
        (lambda q: q.or_("id.eq.5,and(qty.gte.3,price.lt.5)"), [1, 5]),
        (lambda q: q.not_.or_("qty.is.null,qty.gt.2"), [5]),
        (lambda q: q.or_('name.eq."a,b",and(active.is.false,qty.not.is.null)'), [3, 5]),
        (lambda q: q.or_("id.in.(1,2),name.ilike.CH*"), [1, 2, 4]),
        (lambda q: q.filter("name", "imatch", "^b"), [2]),
        (lambda q: q.filter("name", "match", "^[ac]"), [1, 3, 4]),
        (lambda q: q.filter("name", "isdistinct", "apple"), [2, 3, 4, 5]),
        (lambda q: q.like_any_of("name", "ap*,ch*"), [1, 4]),
        (lambda q: q.fts("name", "cherry"), [4]),
        (lambda q: q.text_search("name", "Banana", {"type": "plain", "config": "english"}), [2]),
        (lambda q: q.overlaps("tags", ["yellow", "red"]), [1, 2, 4]),
        (lambda q: q.contained_by("tags", ["red", "fruit", "x"]), [1, 4, 5]),
    ],
)
def test_filters(items, build, expected: list[int]) -> None:
    assert ids(build(items.table(ITEMS).select("id")).order("id").execute()) == expected


def test_order_on_several_keys_with_nulls(items) -> None:
    query = items.table(ITEMS).select("id")
    assert ids(query.order("qty", desc=True, nullsfirst=True).order("id").execute()) == [
        2,
        3,
        1,
        4,
        5,
    ]
    query = items.table(ITEMS).select("id")
    assert ids(query.order("qty", nullsfirst=False).order("id", desc=True).execute()) == [
        5,
        4,
        1,
        3,
        2,
    ]


def test_limit_offset_and_range(items) -> None:
    assert ids(items.table(ITEMS).select("id").order("id").limit(2).execute()) == [1, 2]
    assert ids(items.table(ITEMS).select("id").order("id").limit(2).offset(3).execute()) == [4, 5]
    assert ids(items.table(ITEMS).select("id").order("id").range(1, 3).execute()) == [2, 3, 4]


def test_exact_count_with_a_page(items) -> None:
    response = items.table(ITEMS).select("id", count="exact").order("id").range(0, 1).execute()
    assert (ids(response), response.count) == ([1, 2], 5)


def test_head_count_returns_no_rows(items) -> None:
    response = items.table(ITEMS).select("*", count="exact", head=True).gt("id", 2).execute()
    assert (response.data, response.count) == ([], 3)


def test_content_range_and_partial_status(stack, items) -> None:
    headers = {"apikey": stack.anon_key, "Authorization": f"Bearer {stack.anon_key}"}
    url = f"{stack.url}/rest/v1/{ITEMS}?select=id&order=id"
    partial = httpx.get(url + "&limit=2&offset=1", headers={**headers, "Prefer": "count=exact"})
    assert (partial.status_code, partial.headers["content-range"]) == (206, "1-2/5")
    full = httpx.get(url, headers={**headers, "Prefer": "count=exact"})
    assert (full.status_code, full.headers["content-range"]) == (200, "0-4/5")
    uncounted = httpx.get(url + "&limit=2", headers=headers)
    assert (uncounted.status_code, uncounted.headers["content-range"]) == (200, "0-1/*")
    empty = httpx.get(url + "&id=gt.100", headers={**headers, "Prefer": "count=exact"})
    assert (empty.status_code, empty.headers["content-range"], empty.json()) == (200, "*/0", [])


def test_offset_past_the_end_is_416(items) -> None:
    with pytest.raises(APIError) as caught:
        items.table(ITEMS).select("id", count="exact").range(10, 20).execute()
    assert caught.value.code == "PGRST103"
    assert caught.value.details == "An offset of 10 was requested, but there are only 5 rows."


def test_max_rows_caps_every_response_at_1000(stack, many) -> None:
    assert len(many.table(MANY).select("id").execute().data) == 1000
    assert len(many.table(MANY).select("id").limit(1200).execute().data) == 1000
    counted = many.table(MANY).select("id", count="exact").execute()
    assert (len(counted.data), counted.count) == (1000, 1500)
    tail = many.table(MANY).select("id").order("id").range(1400, 1600).execute()
    assert ids(tail) == list(range(1401, 1501))
    response = httpx.get(
        f"{stack.url}/rest/v1/{MANY}?select=id",
        headers={
            "apikey": stack.anon_key,
            "Prefer": "count=exact",
            "Authorization": f"Bearer {stack.anon_key}",
        },
    )
    assert (response.status_code, response.headers["content-range"]) == (206, "0-999/1500")


def test_single_returns_an_object(items) -> None:
    assert items.table(ITEMS).select("id,name").eq("id", 1).single().execute().data == {
        "id": 1,
        "name": "apple",
    }


def test_single_with_no_rows_is_pgrst116(items) -> None:
    with pytest.raises(APIError) as caught:
        items.table(ITEMS).select("id").eq("id", 999).single().execute()
    error = caught.value
    assert (error.code, error.message, error.details) == (
        "PGRST116",
        "Cannot coerce the result to a single JSON object",
        "The result contains 0 rows",
    )


def test_single_with_many_rows_is_pgrst116(items) -> None:
    with pytest.raises(APIError) as caught:
        items.table(ITEMS).select("id").gt("id", 1).single().execute()
    assert (caught.value.code, caught.value.details) == ("PGRST116", "The result contains 4 rows")


def test_maybe_single(items) -> None:
    assert items.table(ITEMS).select("id").eq("id", 999).maybe_single().execute() is None
    found = items.table(ITEMS).select("id").eq("id", 2).maybe_single().execute()
    assert found is not None and found.data == {"id": 2}


def test_unknown_table_is_pgrst205(items) -> None:
    with pytest.raises(APIError) as caught:
        items.table("no_such_table").select("*").execute()
    assert caught.value.code == "PGRST205"
    assert caught.value.message == (
        "Could not find the table 'public.no_such_table' in the schema cache"
    )


def test_unknown_column_in_select_or_filter_is_42703(items) -> None:
    with pytest.raises(APIError) as caught:
        items.table(ITEMS).select("id,nope").execute()
    assert (caught.value.code, caught.value.message) == (
        "42703",
        f"column {ITEMS}.nope does not exist",
    )
    with pytest.raises(APIError) as caught:
        items.table(ITEMS).select("id").eq("nope", 1).execute()
    assert caught.value.code == "42703"


def test_bad_filter_syntax_is_pgrst100(items) -> None:
    with pytest.raises(APIError) as caught:
        items.table(ITEMS).select("id").filter("qty", "not.between", "1").execute()
    assert caught.value.code == "PGRST100"
    with pytest.raises(APIError) as caught:
        items.table(ITEMS).select("id").or_("qty.eq.1,(").execute()
    assert caught.value.code == "PGRST100"


def test_value_of_the_wrong_type_is_22p02(items) -> None:
    with pytest.raises(APIError) as caught:
        items.table(ITEMS).select("id").eq("ref", "not-a-uuid").execute()
    assert caught.value.code == "22P02"


def test_schema_not_exposed_is_pgrst106(stack, items) -> None:
    with pytest.raises(APIError) as caught:
        items.schema("auth").table("users").select("*").execute()
    assert (caught.value.code, caught.value.message) == ("PGRST106", "Invalid schema: auth")
