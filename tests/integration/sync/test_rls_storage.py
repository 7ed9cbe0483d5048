"""Storage policies on the public `media` bucket, and the media table's ownership rules.

Authors write only under their own folder `<user id>/...`; anonymous users cannot write at all;
anyone can read objects through the public URL.
"""

from __future__ import annotations

import hashlib
import uuid

import httpx
import pytest

from tests.integration.sync.sync_helpers import Author

PNG = b"\x89PNG\r\n\x1a\n" + b"pixels" * 10
SHA = hashlib.sha256(PNG).hexdigest()


def object_name(owner: Author) -> str:
    return f"{owner.user_id}/{SHA}/cat-{uuid.uuid4().hex[:8]}.png"


def upload(client, name: str) -> None:
    client.supabase.storage.from_("media").upload(name, PNG, {"content-type": "image/png"})


def stored_objects(stack, name: str) -> int:
    return stack.admin_sql(
        "select count(*) from storage.objects where bucket_id = 'media' and name = %s", (name,)
    )[0][0]


def test_an_author_uploads_into_their_own_folder_and_anyone_reads_it_publicly(
    stack, clients, author_a
):
    name = object_name(author_a)
    upload(clients["a"], name)
    assert stored_objects(stack, name) == 1
    response = httpx.get(f"{stack.url}/storage/v1/object/public/media/{name}")
    assert response.status_code == 200 and response.content == PNG


def test_an_author_cannot_upload_into_another_authors_folder(stack, clients, author_b):
    from storage3.exceptions import StorageApiError

    name = object_name(author_b)
    with pytest.raises(StorageApiError) as caught:
        upload(clients["a"], name)
    assert caught.value.status in ("403", 403)
    assert "row-level security" in caught.value.message
    assert stored_objects(stack, name) == 0


def test_anonymous_users_cannot_upload(stack, clients, author_a):
    from storage3.exceptions import StorageApiError

    name = object_name(author_a)
    with pytest.raises(StorageApiError):
        upload(clients["anonymous"], name)
    assert stored_objects(stack, name) == 0


def test_an_author_cannot_replace_or_delete_another_authors_object(stack, clients, author_b):
    from storage3.exceptions import StorageApiError

    name = object_name(author_b)
    upload(clients["b"], name)
    with pytest.raises(StorageApiError):
        clients["a"].supabase.storage.from_("media").update(
            name, b"defaced", {"content-type": "image/png"}
        )
    assert clients["a"].supabase.storage.from_("media").remove([name]) == []
    assert stored_objects(stack, name) == 1
    assert httpx.get(f"{stack.url}/storage/v1/object/public/media/{name}").content == PNG


def test_an_author_replaces_and_deletes_their_own_object(stack, clients, author_a):
    name = object_name(author_a)
    upload(clients["a"], name)
    bucket = clients["a"].supabase.storage.from_("media")
    bucket.upload(name, b"new bytes", {"content-type": "image/png", "upsert": "true"})
    assert httpx.get(f"{stack.url}/storage/v1/object/public/media/{name}").content == b"new bytes"
    assert [entry["name"] for entry in bucket.remove([name])] == [name]
    assert stored_objects(stack, name) == 0


def test_the_media_bucket_is_public(stack):
    assert stack.admin_sql("select public from storage.buckets where id = 'media'") == [(True,)]


def media_row(owner: Author, **changes: object) -> dict:
    return {
        "path": f"img/cat-{uuid.uuid4().hex[:8]}.png",
        "object_name": object_name(owner),
        "sha256": SHA,
        "size": len(PNG),
        "content_type": "image/png",
        **changes,
    }


def test_media_rows_are_public_but_only_their_author_writes_them(stack, clients, author_a):
    from postgrest.exceptions import APIError

    row = media_row(author_a)
    clients["a"].supabase.table("media").insert(row).execute()
    read = (
        clients["anonymous"]
        .supabase.table("media")
        .select("path")
        .eq("path", row["path"])
        .execute()
    )
    assert read.data == [{"path": row["path"]}]
    assert (
        clients["b"]
        .supabase.table("media")
        .update({"alt": "x", "version": 2})
        .eq("path", row["path"])
        .execute()
        .data
        == []
    )
    with pytest.raises(APIError) as caught:
        clients["anonymous"].supabase.table("media").delete().eq("path", row["path"]).execute()
    assert caught.value.code == "42501"
    assert stack.admin_sql(
        "select alt, version from public.media where path = %s", (row["path"],)
    ) == [("", 1)]


@pytest.mark.parametrize(
    "changes",
    [
        {"path": "../escape.png"},
        {"path": "/etc/passwd"},
        {"path": "img/.hidden"},
        {"path": "img//double.png"},
        {"path": "img\\win.png"},
        {"path": "img/ok.png/"},
        {"sha256": "ABC"},
        {"size": -1},
    ],
)
def test_media_rows_with_unsafe_values_are_rejected(clients, author_a, changes):
    from postgrest.exceptions import APIError

    with pytest.raises(APIError) as caught:
        clients["a"].supabase.table("media").insert(media_row(author_a, **changes)).execute()
    assert caught.value.code == "23514"


def test_a_media_row_cannot_point_into_another_authors_folder(clients, author_a, author_b):
    from postgrest.exceptions import APIError

    with pytest.raises(APIError) as caught:
        clients["a"].supabase.table("media").insert(
            media_row(author_a, object_name=object_name(author_b))
        ).execute()
    assert caught.value.code == "23514"
    assert "media_object_in_author_folder" in caught.value.message
