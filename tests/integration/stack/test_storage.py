"""/storage/v1 conformance with the official client; permissions come from storage.objects RLS.

The tests use their own bucket and policies (created with admin SQL), so they do not depend on
what sql/ sets up: an authenticated user may do everything under the folder named by their id.
"""

from __future__ import annotations

import time

import httpx
import pytest
from storage3.exceptions import StorageApiError

BUCKET = "stack-test"
PRIVATE = "stack-private"
OWN_FOLDER = (
    f"bucket_id in ('{BUCKET}', '{PRIVATE}') and (storage.foldername(name))[1] = auth.uid()::text"
)
POLICIES = "\n".join(
    f"drop policy if exists stack_test_{command} on storage.objects;\n"
    f"create policy stack_test_{command} on storage.objects for {command} to authenticated "
    f"{clause} ({OWN_FOLDER});"
    for command, clause in (
        ("select", "using"),
        ("insert", "with check"),
        ("update", "using"),
        ("delete", "using"),
    )
)


@pytest.fixture(scope="module")
def buckets(stack):
    stack.admin_sql(
        "insert into storage.buckets (id, name, public) values (%s, %s, true), (%s, %s, false) "
        "on conflict (id) do nothing",
        (BUCKET, BUCKET, PRIVATE, PRIVATE),
    )
    stack.admin_sql(POLICIES)
    return stack


@pytest.fixture
def author(buckets, clean_db, make_user, supabase_client):
    """A signed-in client and its user; their folder is `<user id>/`."""
    user = make_user()
    return supabase_client(user=user), user


def _stored_files(stack) -> set[str]:
    root = stack.root / "objects"
    return {p.name for p in root.rglob("*") if p.is_file()}


def test_upload_download_list_remove_as_owner(author):
    client, user = author
    files = client.storage.from_(BUCKET)
    uploaded = files.upload(
        f"{user.id}/notes/a.txt", b"hello", {"content-type": "text/plain", "cache-control": "60"}
    )
    assert uploaded.full_path == f"{BUCKET}/{user.id}/notes/a.txt"
    assert files.download(f"{user.id}/notes/a.txt") == b"hello"
    listing = files.list(f"{user.id}/notes")
    assert [entry["name"] for entry in listing] == ["a.txt"]
    assert listing[0]["metadata"]["size"] == 5
    assert listing[0]["metadata"]["mimetype"] == "text/plain"
    assert listing[0]["metadata"]["cacheControl"] == "max-age=60"
    removed = files.remove([f"{user.id}/notes/a.txt", f"{user.id}/never-existed.txt"])
    assert [row["name"] for row in removed] == [f"{user.id}/notes/a.txt"]
    assert files.list(f"{user.id}/notes") == []


def test_owner_is_the_jwt_subject(stack, author):
    client, user = author
    client.storage.from_(BUCKET).upload(f"{user.id}/o.txt", b"x")
    assert stack.admin_sql(
        "select owner::text, owner_id from storage.objects where name = %s", (f"{user.id}/o.txt",)
    ) == [(user.id, user.id)]


def test_duplicate_upload_without_upsert_is_409(author):
    client, user = author
    files = client.storage.from_(BUCKET)
    files.upload(f"{user.id}/d.txt", b"one")
    with pytest.raises(StorageApiError) as caught:
        files.upload(f"{user.id}/d.txt", b"two")
    assert caught.value.status == "409" and caught.value.code == "Duplicate"
    assert files.download(f"{user.id}/d.txt") == b"one"


def test_upsert_and_update_replace_bytes_and_drop_the_old_file(stack, author):
    client, user = author
    files = client.storage.from_(BUCKET)
    files.upload(f"{user.id}/u.txt", b"one")
    before = _stored_files(stack)
    files.upload(f"{user.id}/u.txt", b"two", {"upsert": "true"})
    assert files.download(f"{user.id}/u.txt") == b"two"
    files.update(f"{user.id}/u.txt", b"three")
    assert files.download(f"{user.id}/u.txt") == b"three"
    assert len(_stored_files(stack)) == len(before)  # replaced, not accumulated


def test_writing_into_someone_elses_folder_is_denied_by_rls(stack, author, make_user):
    client, _user = author
    other = make_user()
    before = _stored_files(stack)
    with pytest.raises(StorageApiError) as caught:
        client.storage.from_(BUCKET).upload(f"{other.id}/x.txt", b"intruder")
    assert caught.value.status == "403" and caught.value.code == "Unauthorized"
    assert "row-level security" in caught.value.message
    assert _stored_files(stack) == before  # the rolled-back upload left no bytes behind


def test_other_users_objects_are_invisible(author, make_user, supabase_client):
    client, user = author
    client.storage.from_(BUCKET).upload(f"{user.id}/secret.txt", b"s")
    stranger = supabase_client(user=make_user()).storage.from_(BUCKET)
    assert stranger.list(user.id) == []
    assert stranger.exists(f"{user.id}/secret.txt") is False
    with pytest.raises(StorageApiError) as caught:
        stranger.download(f"{user.id}/secret.txt")
    assert caught.value.status == "404" and caught.value.code == "not_found"
    assert stranger.remove([f"{user.id}/secret.txt"]) == []
    assert client.storage.from_(BUCKET).exists(f"{user.id}/secret.txt") is True


def test_anon_cannot_upload(buckets, clean_db, supabase_client):
    with pytest.raises(StorageApiError) as caught:
        supabase_client().storage.from_(BUCKET).upload("anon/x.txt", b"x")
    assert caught.value.status == "403"


def test_public_url_needs_no_auth_and_only_works_for_public_buckets(author, supabase_client):
    client, user = author
    client.storage.from_(BUCKET).upload(
        f"{user.id}/p.css", b"body{}", {"content-type": "text/css", "cache-control": "120"}
    )
    response = httpx.get(client.storage.from_(BUCKET).get_public_url(f"{user.id}/p.css"))
    assert response.status_code == 200 and response.content == b"body{}"
    assert response.headers["content-type"] == "text/css"
    assert response.headers["cache-control"] == "max-age=120"
    service = supabase_client("service").storage.from_(PRIVATE)
    service.upload("hidden.txt", b"h")
    hidden = httpx.get(service.get_public_url("hidden.txt"))
    assert hidden.status_code == 400 and hidden.json()["statusCode"] == "404"
    missing = httpx.get(client.storage.from_(BUCKET).get_public_url(f"{user.id}/none.css"))
    assert missing.json()["error"] == "not_found"


def test_list_returns_direct_children_with_folders(author):
    client, user = author
    files = client.storage.from_(BUCKET)
    for name in ("b.txt", "a.txt", "sub/c.txt", "sub/deeper/d.txt", "Apple.txt"):
        files.upload(f"{user.id}/{name}", name.encode())
    listing = files.list(user.id)
    assert [entry["name"] for entry in listing] == ["Apple.txt", "a.txt", "b.txt", "sub"]
    folder = listing[-1]
    assert folder["id"] is None and folder["metadata"] is None
    assert [e["name"] for e in files.list(user.id, {"search": "a"})] == ["Apple.txt", "a.txt"]
    page = files.list(
        user.id, {"limit": 2, "offset": 1, "sortBy": {"column": "name", "order": "desc"}}
    )
    assert [e["name"] for e in page] == ["b.txt", "a.txt"]
    assert [e["name"] for e in files.list(f"{user.id}/sub")] == ["c.txt", "deeper"]


def test_info_and_exists(author):
    client, user = author
    files = client.storage.from_(BUCKET)
    files.upload(f"{user.id}/i.txt", b"12345", {"content-type": "text/plain"})
    info = files.info(f"{user.id}/i.txt")
    assert info["size"] == 5 and info["content_type"] == "text/plain"
    assert files.exists(f"{user.id}/i.txt") is True
    assert files.exists(f"{user.id}/nope.txt") is False


def test_signed_url_move_and_copy(author):
    client, user = author
    files = client.storage.from_(BUCKET)
    files.upload(f"{user.id}/m.txt", b"move me")
    files.move(f"{user.id}/m.txt", f"{user.id}/moved.txt")
    assert files.exists(f"{user.id}/m.txt") is False
    files.copy(f"{user.id}/moved.txt", f"{user.id}/copy.txt")
    assert files.download(f"{user.id}/copy.txt") == b"move me"
    signed = files.create_signed_url(f"{user.id}/copy.txt", 60)["signedURL"]
    assert httpx.get(signed).content == b"move me"
    tampered = signed.replace("copy.txt", "moved.txt")
    assert httpx.get(tampered).status_code == 400


def test_bucket_limits(stack, clean_db, supabase_client):
    storage = supabase_client("service").storage
    name = f"limited-{int(time.time() * 1000)}"
    storage.create_bucket(
        name, options={"public": False, "file_size_limit": 4, "allowed_mime_types": ["text/plain"]}
    )
    bucket = storage.get_bucket(name)
    assert bucket.file_size_limit == 4 and bucket.allowed_mime_types == ["text/plain"]
    with pytest.raises(StorageApiError) as caught:
        storage.from_(name).upload("big.txt", b"12345", {"content-type": "text/plain"})
    assert caught.value.status == "413"
    with pytest.raises(StorageApiError) as caught:
        storage.from_(name).upload("x.png", b"1", {"content-type": "image/png"})
    assert caught.value.status == "415"
    storage.from_(name).upload("ok.txt", b"1234", {"content-type": "text/plain"})
    storage.update_bucket(name, {"public": True})
    assert storage.get_bucket(name).file_size_limit == 4  # options not sent are kept
    storage.update_bucket(
        name, {"public": True, "file_size_limit": None, "allowed_mime_types": None}
    )
    storage.from_(name).upload("x.png", b"12345", {"content-type": "image/png"})
    assert storage.get_bucket(name).public is True
    with pytest.raises(StorageApiError) as caught:
        storage.delete_bucket(name)
    assert caught.value.status == "409"
    storage.empty_bucket(name)
    storage.delete_bucket(name)
    with pytest.raises(StorageApiError) as caught:
        storage.get_bucket(name)
    assert caught.value.status == "404"


def test_users_cannot_create_buckets_without_a_policy(author):
    client, _user = author
    with pytest.raises(StorageApiError) as caught:
        client.storage.create_bucket("sneaky")
    assert caught.value.status == "403"
    assert all(bucket.id != "sneaky" for bucket in client.storage.list_buckets())


def test_upload_to_missing_bucket(supabase_client, clean_db):
    with pytest.raises(StorageApiError) as caught:
        supabase_client("service").storage.from_("no-such-bucket").upload("a.txt", b"a")
    assert caught.value.status == "404" and caught.value.code == "Bucket not found"


def test_expired_token_is_unauthorized(stack, buckets, clean_db, supabase_client, make_user):
    user = make_user()
    expired = stack.mint_token(
        {
            "sub": user.id,
            "role": "authenticated",
            "aud": "authenticated",
            "exp": int(time.time()) - 60,
        }
    )
    client = supabase_client(headers={"Authorization": f"Bearer {expired}"})
    with pytest.raises(StorageApiError) as caught:
        client.storage.from_(BUCKET).list(user.id)
    assert caught.value.status == "403" and "exp" in caught.value.message
