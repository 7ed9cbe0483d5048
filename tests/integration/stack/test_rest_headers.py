"""Wire details of `/rest/v1` the client does not surface, checked with raw httpx requests:
Preference-Applied, Location, Content-Range on writes, nulls stripping, max-affected, HEAD."""

from __future__ import annotations

import httpx
import pytest

from tests.stack.rest_testing import scratch_table

TABLE = "rest_headers_items"


@pytest.fixture
def api(stack):
    """`api(method, query, prefer=None, **kwargs)` -> httpx.Response, as the service role."""
    with scratch_table(stack, TABLE, "id int primary key, name text, note text"):
        stack.admin_sql(f"insert into public.{TABLE} values (1, 'a', null), (2, 'b', 'x')")
        with httpx.Client(base_url=f"{stack.url}/rest/v1") as http:

            def call(
                method: str, query: str = "", prefer: str | None = None, **kwargs
            ) -> httpx.Response:
                headers = {
                    "apikey": stack.service_key,
                    "Authorization": f"Bearer {stack.service_key}",
                    "Accept-Profile": "public",
                    "Content-Profile": "public",
                    **kwargs.pop("headers", {}),
                }
                if prefer:
                    headers["Prefer"] = prefer
                return http.request(method, f"/{TABLE}{query}", headers=headers, **kwargs)

            yield call


def test_read_headers(api) -> None:
    response = api("GET", "?select=id&order=id", prefer="count=exact")
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["preference-applied"] == "count=exact"
    assert response.headers["content-location"] == f"/{TABLE}?order=id&select=id"
    assert response.headers["content-profile"] == "public"


def test_head_has_headers_and_no_body(api) -> None:
    response = api("HEAD", "?select=id", prefer="count=exact")
    assert (response.status_code, response.content, response.headers["content-range"]) == (
        200,
        b"",
        "0-1/2",
    )


def test_insert_content_range_and_applied_preferences(api) -> None:
    response = api(
        "POST", "", prefer="return=minimal,count=exact,missing=default", json=[{"id": 3}, {"id": 4}]
    )
    assert response.status_code == 201
    assert response.content == b""
    assert response.headers["content-range"] == "*/2"
    assert response.headers["preference-applied"] == "missing=default, return=minimal, count=exact"


def test_headers_only_insert_sends_location(api) -> None:
    response = api("POST", "", prefer="return=headers-only", json={"id": 7, "name": "n"})
    assert (response.status_code, response.headers["location"]) == (201, f"/{TABLE}?id=eq.7")


def test_update_and_delete_content_ranges(api) -> None:
    updated = api("PATCH", "?id=gte.1", prefer="return=minimal,count=exact", json={"note": "y"})
    assert (updated.status_code, updated.headers["content-range"]) == (204, "0-1/2")
    deleted = api("DELETE", "?id=eq.2", prefer="return=representation,count=exact", json={})
    assert (deleted.status_code, deleted.headers["content-range"]) == (200, "*/1")
    assert deleted.json() == [{"id": 2, "name": "b", "note": "y"}]


def test_strip_nulls(api) -> None:
    response = api(
        "GET",
        "?select=id,note&order=id",
        headers={"Accept": "application/vnd.pgrst.array+json;nulls=stripped"},
    )
    assert response.json() == [{"id": 1}, {"id": 2, "note": "x"}]


def test_max_affected_with_strict_handling_rolls_back(stack, api) -> None:
    response = api("DELETE", "?id=gte.1", prefer="handling=strict,max-affected=1")
    assert (response.status_code, response.json()["code"]) == (400, "PGRST124")
    assert stack.admin_sql(f"select count(*) from public.{TABLE}") == [(2,)]


def test_unknown_preferences_fail_only_with_strict_handling(api) -> None:
    assert api("GET", "?select=id", prefer="frobnicate").status_code == 200
    strict = api("GET", "?select=id", prefer="handling=strict, frobnicate")
    assert (strict.status_code, strict.json()["code"]) == (400, "PGRST122")


def test_unsupported_media_type_is_406(api) -> None:
    response = api("GET", "?select=id", headers={"Accept": "text/csv"})
    assert (response.status_code, response.json()["code"]) == (406, "PGRST107")


def test_errors_carry_proxy_status(api) -> None:
    response = api("POST", "", json={"id": 1})
    assert response.status_code == 409
    assert response.headers["proxy-status"] == "PostgREST; error=23505"


def test_options_lists_the_allowed_methods(api) -> None:
    response = api("OPTIONS")
    assert (response.status_code, response.headers["allow"]) == (
        200,
        "OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE",
    )


def test_put_upserts_the_row_named_by_its_primary_key(stack, api) -> None:
    created = api("PUT", "?id=eq.5", prefer="return=representation", json={"id": 5, "name": "e"})
    assert (created.status_code, created.json()) == (201, [{"id": 5, "name": "e", "note": None}])
    replaced = api(
        "PUT", "?id=eq.5", prefer="return=representation", json={"id": 5, "name": "E", "note": "n"}
    )
    assert (replaced.status_code, replaced.json()[0]["name"]) == (200, "E")
    assert api("PUT", "?id=eq.1", json={"id": 1, "name": "A"}).status_code == 204
    assert stack.admin_sql(f"select id, name from public.{TABLE} order by id") == [
        (1, "A"),
        (2, "b"),
        (5, "E"),
    ]


@pytest.mark.parametrize(
    ("query", "body", "status", "code"),
    [
        ("?id=eq.6", {"id": 7}, 400, "PGRST115"),
        ("?id=eq.6", {"name": "no key"}, 400, "PGRST115"),
        ("?id=gt.6", {"id": 6}, 405, "PGRST105"),
        ("?name=eq.x", {"id": 6}, 405, "PGRST105"),
        ("?id=eq.6&limit=1", {"id": 6}, 400, "PGRST114"),
    ],
)
def test_put_refuses_anything_but_one_row_by_primary_key(
    api, query: str, body: dict, status: int, code: str
) -> None:
    response = api("PUT", query, json=body)
    assert (response.status_code, response.json()["code"]) == (status, code)
