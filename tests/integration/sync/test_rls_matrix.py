"""Row Level Security, enforced by PostgreSQL and reached through the official client.

The matrix: anonymous / the author / another author x read / create / update / delete x a draft,
a published and a scheduled row, for posts and pages. Each case asserts the exact outcome - the
row comes back or not, the write happens or fails with 42501 (or silently matches no row, which
is how PostgREST reports an UPDATE/DELETE that RLS filters out) - and checks with admin SQL that a
denied write changed nothing.
"""

from __future__ import annotations

import uuid

import pytest

TABLES = ["posts", "pages"]
STATES = ["draft", "published", "scheduled"]
ACTORS = ["anonymous", "author", "other"]
STATE_SQL = {
    "draft": "true, null",
    "published": "false, now() - interval '1 day'",
    "scheduled": "false, now() + interval '1 day'",
}
STATE_ROW = {
    "draft": {"draft": True, "publish_at": None},
    "published": {"draft": False, "publish_at": "2020-01-01T00:00:00Z"},
    "scheduled": {"draft": False, "publish_at": "2999-01-01T00:00:00Z"},
}
# Who may do what to a row owned by "author". Reads of published rows are public.
ALLOWED = {
    ("read", "anonymous"): {"published"},
    ("read", "author"): set(STATES),
    ("read", "other"): {"published"},
    ("create", "author"): set(STATES),
    ("update", "author"): set(STATES),
    ("delete", "author"): set(STATES),
}


@pytest.fixture
def actors(clients):
    """The clients under the actor names of the matrix."""
    return {"anonymous": clients["anonymous"], "author": clients["a"], "other": clients["b"]}


def insert_as_admin(stack, table: str, state: str, owner: str) -> str:
    slug = f"{state}-{uuid.uuid4().hex[:12]}"
    stack.admin_sql(
        f"insert into public.{table} (slug, title, draft, publish_at, author_id) "
        f"values (%s, 'Original', {STATE_SQL[state]}, %s)",
        (slug, owner),
    )
    return slug


def stored(stack, table: str, slug: str) -> list[tuple]:
    return stack.admin_sql(
        f"select title, version, author_id::text from public.{table} where slug = %s", (slug,)
    )


def assert_refused(error: BaseException) -> None:
    from postgrest.exceptions import APIError

    assert isinstance(error, APIError), repr(error)
    assert error.code == "42501", error


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("actor", ACTORS)
def test_read(stack, actors, author_a, table, state, actor):
    slug = insert_as_admin(stack, table, state, author_a.user_id)
    rows = actors[actor].supabase.table(table).select("slug").eq("slug", slug).execute().data
    visible = state in ALLOWED.get(("read", actor), set())
    assert rows == ([{"slug": slug}] if visible else [])


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("actor", ACTORS)
def test_create_a_row_owned_by_the_author(stack, actors, author_a, table, state, actor):
    slug = f"new-{uuid.uuid4().hex[:12]}"
    row = {"slug": slug, "title": "New", "author_id": author_a.user_id, **STATE_ROW[state]}
    if state in ALLOWED.get(("create", actor), set()):
        actors[actor].supabase.table(table).insert(row).execute()
        assert stored(stack, table, slug) == [("New", 1, author_a.user_id)]
    else:
        with pytest.raises(Exception) as caught:
            actors[actor].supabase.table(table).insert(row).execute()
        assert_refused(caught.value)
        assert stored(stack, table, slug) == []


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("actor", ACTORS)
def test_update(stack, actors, author_a, table, state, actor):
    slug = insert_as_admin(stack, table, state, author_a.user_id)
    query = (
        actors[actor]
        .supabase.table(table)
        .update({"title": "Changed", "version": 2})
        .eq("slug", slug)
    )
    if state in ALLOWED.get(("update", actor), set()):
        assert [r["title"] for r in query.execute().data] == ["Changed"]
        assert stored(stack, table, slug) == [("Changed", 2, author_a.user_id)]
        return
    if actor == "anonymous":
        with pytest.raises(Exception) as caught:
            query.execute()
        assert_refused(caught.value)
    else:
        assert query.execute().data == []  # RLS hides the row from the UPDATE
    assert stored(stack, table, slug) == [("Original", 1, author_a.user_id)]


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("actor", ACTORS)
def test_delete(stack, actors, author_a, table, state, actor):
    slug = insert_as_admin(stack, table, state, author_a.user_id)
    query = actors[actor].supabase.table(table).delete().eq("slug", slug)
    if state in ALLOWED.get(("delete", actor), set()):
        assert [r["slug"] for r in query.execute().data] == [slug]
        assert stored(stack, table, slug) == []
        return
    if actor == "anonymous":
        with pytest.raises(Exception) as caught:
            query.execute()
        assert_refused(caught.value)
    else:
        assert query.execute().data == []
    assert stored(stack, table, slug) == [("Original", 1, author_a.user_id)]


@pytest.mark.parametrize("table", TABLES)
def test_an_author_creates_their_own_rows_and_author_id_defaults_to_them(
    stack, actors, author_b, table
):
    slug = f"own-{uuid.uuid4().hex[:12]}"
    actors["other"].supabase.table(table).insert({"slug": slug, "title": "Mine"}).execute()
    assert stored(stack, table, slug) == [("Mine", 1, author_b.user_id)]


@pytest.mark.parametrize("table", TABLES)
def test_manifest_lists_what_each_caller_may_read(stack, actors, author_a, author_b, table):
    mine = {state: insert_as_admin(stack, table, state, author_a.user_id) for state in STATES}
    theirs = insert_as_admin(stack, table, "draft", author_b.user_id)

    def keys(actor: str) -> set[str]:
        manifest = actors[actor].supabase.rpc("sitegen_manifest", {"kind": table}).execute().data
        for _slug, version, updated_at, author_id in manifest:
            assert isinstance(version, int) and "T" in updated_at and len(author_id) == 36
        return {entry[0] for entry in manifest}

    assert mine["published"] in keys("anonymous")
    assert not {mine["draft"], mine["scheduled"], theirs} & keys("anonymous")
    assert set(mine.values()) <= keys("author") and theirs not in keys("author")
    assert theirs in keys("other") and not {mine["draft"], mine["scheduled"]} & keys("other")
    # a scheduled row appears by itself once its time has come
    stack.admin_sql(
        f"update public.{table} set publish_at = now() - interval '1 second', "
        "version = version + 1 where slug = %s",
        (mine["scheduled"],),
    )
    assert mine["scheduled"] in keys("anonymous")


def test_manifest_rejects_an_unknown_kind(actors):
    from postgrest.exceptions import APIError

    with pytest.raises(APIError) as caught:
        actors["anonymous"].supabase.rpc("sitegen_manifest", {"kind": "users"}).execute()
    assert "unknown manifest kind" in caught.value.message
