"""The triggers: optimistic versions, ownership that never changes, server-kept timestamps.

A write sends `version = <the version it is based on> + 1` (a new key sends 1); anything else is a
conflict (SQLSTATE P0001, DETAIL = JSON naming the remote version, time and editor) and the whole
statement - a whole batch - changes nothing.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from sitegen.auth import open_client
from tests.integration.sync.sync_helpers import Author


@pytest.fixture
def client_a(author_a: Author):
    with open_client(author_a.site, require_login=True) as client:
        yield client


@pytest.fixture
def client_b(author_b: Author):
    with open_client(author_b.site, require_login=True) as client:
        yield client


def new_slug() -> str:
    return f"post-{uuid.uuid4().hex[:12]}"


def row(stack, slug: str) -> dict:
    [(data,)] = stack.admin_sql(
        "select to_jsonb(p) - 'body' - 'front' from public.posts p where slug = %s", (slug,)
    )
    return data


def conflict(call) -> dict:
    from postgrest.exceptions import APIError

    with pytest.raises(APIError) as caught:
        call()
    assert caught.value.code == "P0001", caught.value
    assert caught.value.message.startswith("sitegen: version conflict on posts/")
    return json.loads(caught.value.details)


def test_an_update_based_on_the_current_version_advances_it(stack, client_a, author_a):
    slug = new_slug()
    client_a.supabase.table("posts").insert({"slug": slug, "title": "One"}).execute()
    created = row(stack, slug)
    client_a.supabase.table("posts").update({"title": "Two", "version": 2}).eq(
        "slug", slug
    ).execute()
    updated = row(stack, slug)
    assert (updated["title"], updated["version"]) == ("Two", 2)
    assert updated["updated_at"] > created["updated_at"]
    assert updated["created_at"] == created["created_at"]
    assert (updated["updated_by"], updated["updated_by_email"]) == (
        author_a.user_id,
        author_a.email,
    )


def test_a_stale_version_is_a_conflict_that_names_the_remote_edit(stack, client_a, author_a):
    slug = new_slug()
    table = client_a.supabase.table
    table("posts").insert({"slug": slug, "title": "One"}).execute()
    table("posts").update({"title": "Two", "version": 2}).eq("slug", slug).execute()
    detail = conflict(
        lambda: table("posts").update({"title": "Stale", "version": 2}).eq("slug", slug).execute()
    )
    assert detail["key"] == f"posts/{slug}"
    assert (detail["remote_version"], detail["sent_version"]) == (2, 2)
    assert detail["updated_by_email"] == author_a.email
    assert datetime.fromisoformat(detail["updated_at"]) > datetime.now(UTC) - timedelta(minutes=5)
    assert row(stack, slug)["title"] == "Two"


def test_an_update_without_a_version_is_a_conflict(stack, client_a):
    slug = new_slug()
    client_a.supabase.table("posts").insert({"slug": slug, "title": "One"}).execute()
    conflict(
        lambda: (
            client_a.supabase.table("posts")
            .update({"title": "No version"})
            .eq("slug", slug)
            .execute()
        )
    )
    assert row(stack, slug)["title"] == "One"


def test_upserting_a_new_key_that_already_exists_is_a_conflict(stack, client_a):
    slug = new_slug()
    client_a.supabase.table("posts").insert({"slug": slug, "title": "First"}).execute()
    conflict(
        lambda: (
            client_a.supabase.table("posts")
            .upsert(
                {"slug": slug, "title": "Second machine", "version": 1},
                on_conflict="slug",
                default_to_null=False,
            )
            .execute()
        )
    )
    assert row(stack, slug)["title"] == "First"


def test_a_batch_with_one_stale_row_changes_nothing(stack, client_a):
    slugs = [new_slug() for _ in range(3)]
    table = client_a.supabase.table
    table("posts").insert([{"slug": s, "title": "v1"} for s in slugs]).execute()
    table("posts").update({"title": "v2", "version": 2}).eq("slug", slugs[1]).execute()
    batch = [{"slug": s, "title": "batch", "version": 2} for s in slugs]  # slugs[1] is stale
    conflict(
        lambda: table("posts").upsert(batch, on_conflict="slug", default_to_null=False).execute()
    )
    assert [row(stack, s)["title"] for s in slugs] == ["v1", "v2", "v1"]


def test_a_correct_upsert_batch_creates_and_updates(stack, client_a):
    old, new = new_slug(), new_slug()
    table = client_a.supabase.table
    table("posts").insert({"slug": old, "title": "v1", "draft": True}).execute()
    table("posts").upsert(
        [{"slug": old, "title": "v2", "version": 2}, {"slug": new, "title": "n1", "version": 1}],
        on_conflict="slug",
        default_to_null=False,
    ).execute()
    assert (row(stack, old)["title"], row(stack, old)["version"]) == ("v2", 2)
    assert row(stack, old)["draft"] is True  # a column the upsert did not send is kept
    assert (row(stack, new)["title"], row(stack, new)["version"]) == ("n1", 1)


def test_ownership_cannot_change(stack, client_a, author_a, author_b):
    slug = new_slug()
    client_a.supabase.table("posts").insert({"slug": slug, "title": "Mine"}).execute()
    client_a.supabase.table("posts").update({"author_id": author_b.user_id, "version": 2}).eq(
        "slug", slug
    ).execute()
    assert row(stack, slug)["author_id"] == author_a.user_id


def test_timestamps_and_editor_cannot_be_forged(stack, client_a, author_a, author_b):
    slug = new_slug()
    forged = {
        "created_at": "2000-01-01T00:00:00Z",
        "updated_at": "2000-01-01T00:00:00Z",
        "updated_by": author_b.user_id,
        "updated_by_email": author_b.email,
    }
    client_a.supabase.table("posts").insert({"slug": slug, "title": "T", **forged}).execute()
    client_a.supabase.table("posts").update({"version": 2, **forged}).eq("slug", slug).execute()
    stored = row(stack, slug)
    recent = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    assert stored["created_at"] > recent and stored["updated_at"] > recent
    assert (stored["updated_by"], stored["updated_by_email"]) == (author_a.user_id, author_a.email)


def test_upserting_onto_another_authors_hidden_draft_is_refused(stack, client_a, client_b):
    from postgrest.exceptions import APIError

    slug = new_slug()
    client_b.supabase.table("posts").insert(
        {"slug": slug, "title": "B's draft", "draft": True}
    ).execute()
    with pytest.raises(APIError) as caught:
        client_a.supabase.table("posts").upsert(
            {"slug": slug, "title": "A", "version": 1}, on_conflict="slug", default_to_null=False
        ).execute()
    assert caught.value.code == "42501"
    with pytest.raises(APIError) as caught:
        client_a.supabase.table("posts").insert({"slug": slug, "title": "A"}).execute()
    assert caught.value.code == "23505"
    assert row(stack, slug)["title"] == "B's draft"


@pytest.mark.parametrize("slug", ["../etc", "Upper", "a//b", "/abs", "trailing-", "a b"])
def test_unsafe_slugs_are_rejected(client_a, slug):
    from postgrest.exceptions import APIError

    with pytest.raises(APIError) as caught:
        client_a.supabase.table("posts").insert({"slug": slug, "title": "T"}).execute()
    assert caught.value.code == "23514"
