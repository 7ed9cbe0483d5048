"""Teams end to end against the stack, through the `sitegen` command line: members and
invitations, the first owner, strangers, contributors, editors, history and profiles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.integration.sync.sync_helpers import (
    PASSWORD,
    make_site,
    push_post,
    unique_email,
    write_post,
)

pytestmark = pytest.mark.usefixtures("clean_db")
REPO = Path(__file__).resolve().parents[3]


def remote(stack, slug: str) -> list[tuple]:
    return stack.admin_sql(
        "select title, body, draft, version from public.posts where slug = %s", (slug,)
    )


def first_owner_statement() -> str:
    """The one SQL statement docs/teams.md gives the admin to name the first owner."""
    text = (REPO / "docs" / "teams.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, re.S)
    assert len(blocks) == 1 and blocks[0].count(";") == 1 and "'owner@example.com'" in blocks[0]
    return blocks[0]


def test_the_documented_statement_names_the_first_owner_who_then_manages_members(
    stack, make_user, tmp_path, cli
):
    user = make_user(role=None)
    owner = make_site(tmp_path / "owner", stack, user=user)
    refused = cli(owner, "members", "list")
    assert refused.code == 1
    assert "only owners manage members, and you are not a member" in refused.err

    statement = first_owner_statement().replace("owner@example.com", user.email.upper())
    stack.admin_sql(statement)
    stack.admin_sql(statement)  # running it again is harmless
    listed = cli(owner, "members", "list")
    assert listed.code == 0, listed.err
    assert listed.out.split() == [user.email, "owner"]

    editor = unique_email("editor")
    added = cli(owner, "members", "add", editor, "--role", "editor")
    assert added.code == 0, added.err
    assert f"Invited {editor} as editor" in added.out
    assert f"{editor}  editor       invited" in cli(owner, "members", "list").out
    assert cli(owner, "members", "add", editor, "--role", "author").err.count("already a member")
    assert cli(owner, "members", "role", editor, "author").code == 0
    assert f"{editor}  author       invited" in cli(owner, "members", "list").out

    last = cli(owner, "members", "role", user.email, "editor")
    assert last.code == 1 and "that would leave the site without an owner" in last.err
    assert cli(owner, "members", "remove", editor).code == 0
    gone = cli(owner, "members", "remove", editor)
    assert gone.code == 1 and f"{editor} is not a member" in gone.err
    assert cli(owner, "members", "list").out.split() == [user.email, "owner"]


def test_nobody_but_the_admin_can_make_the_first_owner(stack, make_user, supabase_client):
    from postgrest.exceptions import APIError

    user = make_user(role=None)
    client = supabase_client(user=user)
    with pytest.raises(APIError) as caught:
        client.table("members").insert({"email": user.email, "role": "owner"}).execute()
    assert caught.value.code == "42501"
    assert stack.admin_sql("select count(*) from public.members") == [(0,)]


def test_a_non_owner_is_told_so(author_a, cli):
    result = cli(author_a.site, "members", "add", "x@example.org", "--role", "author")
    assert result.code == 1
    assert "only owners manage members, and your role is author" in result.err
    assert "ask an owner" in result.err


def test_an_invitation_applies_when_the_address_signs_up_and_is_confirmed(
    stack, make_user, tmp_path, cli
):
    from supabase_auth import SyncGoTrueAdminAPI

    owner = make_site(tmp_path / "owner", stack, user=make_user(role="owner"))
    email = unique_email("newcomer")
    assert cli(owner, "members", "add", email, "--role", "author").code == 0
    site = make_site(tmp_path / "newcomer", stack)
    with stack.auth_configured(autoconfirm=False):
        signed = cli(site, "signup", "--email", email, "--password-stdin", stdin=PASSWORD + "\n")
    assert signed.code == 0, signed.err
    user_id = stack.admin_sql("select id::text from auth.users where email = %s", (email,))[0][0]
    # signed up but not confirmed: still only an invitation, and no rights at all
    assert f"{email}  author       invited" in cli(owner, "members", "list").out
    assert stack.admin_sql(
        "select set_config('request.jwt.claims', %s, true) is not null, sitegen_private.role()",
        (f'{{"sub": "{user_id}", "role": "authenticated"}}',),
    ) == [(True, None)]

    admin = SyncGoTrueAdminAPI(
        url=f"{stack.url}/auth/v1",
        headers={"apiKey": stack.service_key, "Authorization": f"Bearer {stack.service_key}"},
    )
    admin.update_user_by_id(user_id, {"email_confirm": True})
    assert cli(site, "login", "--email", email, "--password-stdin", stdin=PASSWORD + "\n").code == 0
    assert cli(owner, "members", "list").out.count("invited") == 0
    write_post(site, "hello", "Hello")
    pushed = cli(site, "push")
    assert pushed.code == 0, pushed.err
    assert remote(stack, "hello") == [("Hello", "Hello.\n", False, 1)]


def test_a_role_change_applies_on_the_next_request_without_logging_in_again(
    stack, make_user, tmp_path, cli
):
    owner = make_site(tmp_path / "owner", stack, user=make_user(role="owner"))
    user = make_user(role="author")
    site = make_site(tmp_path / "member", stack, user=user)
    write_post(site, "one", "One")
    assert cli(site, "push").code == 0
    assert cli(owner, "members", "role", user.email, "contributor").code == 0
    write_post(site, "two", "Two")  # published: a contributor may not
    pushed = cli(site, "push")
    assert pushed.code == 1 and "posts/two" in pushed.err
    assert remote(stack, "two") == []
    assert cli(owner, "members", "remove", user.email).code == 0
    anonymous = make_site(tmp_path / "anonymous", stack)
    assert cli(anonymous, "pull").code == 0
    assert not (anonymous / "content" / "posts" / "one.md").exists()  # a non-member's rows


def test_a_stranger_who_signs_up_can_put_nothing_on_the_site(stack, tmp_path, cli):
    site = make_site(tmp_path / "stranger", stack)
    email = unique_email("stranger")
    assert (
        cli(site, "signup", "--email", email, "--password-stdin", stdin=PASSWORD + "\n").code == 0
    )
    write_post(site, "spam", "Buy now")
    (site / "content" / "media" / "spam.png").write_bytes(b"\x89PNG\r\n\x1a\nspam")
    pushed = cli(site, "push")
    assert pushed.code == 1
    assert cli(site, "profile", "--name", "Spammer").code == 1
    counts = stack.admin_sql(
        "select (select count(*) from public.posts), (select count(*) from public.media), "
        "(select count(*) from public.profiles), (select count(*) from storage.objects)"
    )
    assert counts == [(0, 0, 0, 0)]
    reader = make_site(tmp_path / "reader", stack)
    assert cli(reader, "pull").code == 0
    assert list((reader / "content").rglob("*.*")) == []


def test_a_contributors_draft_is_published_by_an_editor(stack, make_user, tmp_path, cli):
    contributor = make_site(tmp_path / "contributor", stack, user=make_user(role="contributor"))
    editor = make_site(tmp_path / "editor", stack, user=make_user(role="editor"))
    write_post(contributor, "first-light", "First light", draft="true")
    assert cli(contributor, "push").code == 0
    write_post(contributor, "first-light", "First light", draft="false")
    write_post(contributor, "later", "Later", date="2999-01-01")  # scheduling is publishing
    refused = cli(contributor, "push")
    assert refused.code == 1
    for key in ("posts/first-light", "posts/later"):
        assert f"{key}: refused by the server: your role does not allow it" in refused.err
    assert remote(stack, "first-light") == [("First light", "Hello.\n", True, 1)]
    assert remote(stack, "later") == []

    assert cli(editor, "pull").code == 0  # editors see everyone's drafts
    draft = editor / "content" / "posts" / "first-light.md"
    draft.write_text(draft.read_text().replace("draft: true", "draft: false"))
    published = cli(editor, "push")
    assert published.code == 0, published.err
    assert remote(stack, "first-light") == [("First light", "Hello.\n", False, 2)]
    reader = make_site(tmp_path / "reader", stack)
    assert cli(reader, "pull").code == 0
    assert (reader / "content" / "posts" / "first-light.md").is_file()


def test_an_editors_fix_reaches_the_authors_next_pull(stack, make_user, tmp_path, cli, capsys):
    writer = make_user(role="author")
    author = make_site(tmp_path / "author", stack, user=writer)
    editor = make_site(tmp_path / "editor", stack, user=make_user(role="editor"))
    mine = push_post(capsys, author, "engines", "Engines", "Teh engine.\n")
    assert cli(editor, "pull").code == 0
    theirs = editor / "content" / "posts" / "engines.md"
    theirs.write_text(theirs.read_text().replace("Teh", "The"))
    fixed = cli(editor, "push")
    assert fixed.code == 0, fixed.err
    assert "skip" not in fixed.err
    assert remote(stack, "engines") == [("Engines", "The engine.\n", False, 2)]
    assert cli(author, "pull").code == 0
    assert mine.read_text().endswith("The engine.\n")
    assert stack.admin_sql(  # the post stays the author's
        "select author_id::text from public.posts where slug = 'engines'"
    ) == [(writer.id,)]


def test_a_forced_push_leaves_the_overwritten_version_in_history(
    stack, make_user, tmp_path, cli, capsys
):
    user = make_user(role="author")
    laptop = make_site(tmp_path / "laptop", stack, user=user)
    desktop = make_site(tmp_path / "desktop", stack, user=user)
    push_post(capsys, laptop, "notes", "Notes", "Laptop words.\n")
    assert cli(desktop, "pull").code == 0
    push_post(capsys, laptop, "notes", "Notes", "Second laptop words.\n")
    write_post(desktop, "notes", "Notes", "Desktop words.\n")
    assert cli(desktop, "push", "--force").code == 0
    assert remote(stack, "notes")[0][1:] == ("Desktop words.\n", False, 3)

    history = cli(desktop, "history", "posts/notes")
    assert history.code == 0, history.err
    lines = history.out.splitlines()
    assert [line.split()[0] for line in lines] == ["3", "2", "1"]
    assert all(user.email in line for line in lines)
    assert lines[0].endswith("current")
    assert re.fullmatch(r"\s*2  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC  \S+@\S+", lines[1])

    restored = cli(desktop, "restore", "posts/notes", "--version", "2")
    assert restored.code == 0, restored.err
    assert "as version 4" in restored.out
    assert remote(stack, "notes")[0][1:] == ("Second laptop words.\n", False, 4)
    assert cli(laptop, "pull").code == 0
    assert (
        (laptop / "content" / "posts" / "notes.md").read_text().endswith("Second laptop words.\n")
    )
    missing = cli(desktop, "restore", "posts/notes", "--version", "9")
    assert missing.code == 1 and "has no earlier version 9" in missing.err
    bad_key = cli(desktop, "history", "notes")
    assert bad_key.code == 2 and "use posts/<slug> or pages/<slug>" in bad_key.err


def test_a_deleted_post_can_be_restored(stack, make_user, tmp_path, cli, capsys):
    site = make_site(tmp_path / "site", stack, user=make_user(role="author"))
    post = push_post(capsys, site, "gone", "Gone", "Still here.\n")
    post.unlink()
    assert cli(site, "push", "--prune").code == 0
    assert remote(stack, "gone") == []
    lines = cli(site, "history", "posts/gone").out.splitlines()
    assert len(lines) == 1 and lines[0].split()[0] == "1" and lines[0].endswith("deleted")
    assert cli(site, "restore", "posts/gone", "--version", "1").code == 0
    assert remote(stack, "gone") == [("Gone", "Still here.\n", False, 2)]


def test_profiles_and_co_authors_reach_every_pull_as_author_files(stack, make_user, tmp_path, cli):
    ada_user, bob_user = make_user(role="author"), make_user(role="author")
    ada = make_site(tmp_path / "ada", stack, user=ada_user)
    bob = make_site(tmp_path / "bob", stack, user=bob_user)
    avatar = tmp_path / "Ada.PNG"
    avatar.write_bytes(b"\x89PNG\r\n\x1a\n" + b"ada" * 20)
    made = cli(ada, "profile", "--name", "Ada Lovelace", "--bio", "Writes about engines.")
    assert made.code == 0, made.err
    assert "slug:    ada-lovelace" in made.out
    assert cli(ada, "profile", "--slug", "ada", "--avatar", str(avatar)).code == 0
    assert cli(bob, "profile", "--name", "Bob").code == 0
    taken = cli(bob, "profile", "--slug", "ada")
    assert taken.code == 1 and "the slug 'ada' is taken" in taken.err

    write_post(ada, "engines", "Engines", authors="[ada, bob]")
    assert cli(ada, "push").code == 0, "push"
    assert stack.admin_sql("select authors from public.posts where slug = 'engines'") == [
        (["ada", "bob"],)
    ]
    reader = make_site(tmp_path / "reader", stack)
    pulled = cli(reader, "pull")
    assert pulled.code == 0, pulled.err
    authors = reader / "content" / "authors"
    assert (authors / "ada.md").read_text() == (
        "---\nname: Ada Lovelace\nbio: Writes about engines.\navatar: /media/authors/ada.png\n---\n"
    )
    assert (authors / "bob.md").read_text() == "---\nname: Bob\n---\n"
    assert (
        reader / "content" / "media" / "authors" / "ada.png"
    ).read_bytes() == avatar.read_bytes()
    post = (reader / "content" / "posts" / "engines.md").read_text()
    assert "authors:\n- ada\n- bob\n" in post

    assert cli(ada, "profile", "--bio", "Engines, mostly.").code == 0
    assert cli(reader, "pull").code == 0
    assert "bio: Engines, mostly.\n" in (authors / "ada.md").read_text()


def test_authors_that_are_not_profile_slugs_are_refused_by_push_with_the_file(author_a, cli):
    write_post(author_a.site, "named", "Named", authors="[Ada Lovelace]")
    pushed = cli(author_a.site, "push")
    assert pushed.code == 1
    assert "content/posts/named.md" in pushed.err and "authors" in pushed.err
    assert "'Ada Lovelace' is not a profile slug" in pushed.err


def test_an_anonymous_pull_gets_only_the_profiles_of_published_authors(
    stack, make_user, tmp_path, cli
):
    ada = make_site(tmp_path / "ada", stack, user=make_user(role="author"))
    bob = make_site(tmp_path / "bob", stack, user=make_user(role="author"))
    assert cli(ada, "profile", "--name", "Ada", "--slug", "ada").code == 0
    assert cli(bob, "profile", "--name", "Bob", "--slug", "bob").code == 0
    write_post(ada, "out", "Out")
    write_post(bob, "soon", "Soon", draft="true", authors="[bob, ada]")
    assert cli(ada, "push").code == 0 and cli(bob, "push").code == 0
    reader = make_site(tmp_path / "reader", stack)
    assert cli(reader, "pull").code == 0
    assert sorted(p.name for p in (reader / "content" / "authors").iterdir()) == ["ada.md"]
    assert cli(bob, "pull").code == 0  # a member sees members' profiles named by what they read
    assert sorted(p.name for p in (bob / "content" / "authors").iterdir()) == ["ada.md", "bob.md"]
