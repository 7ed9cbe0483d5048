"""Row Level Security, enforced by PostgreSQL and reached through the official client.

The matrix: every role (owner, editor, author, contributor), a stranger who signed up but is not a
member, and an anonymous visitor x select / insert / update / delete on posts, pages, media (rows
and Storage objects), members, profiles and revisions; for documents and revisions x draft,
scheduled and published rows, each owned by the actor, by another member, or by an outsider (a
non-member's rows, as written before the site had members). The expected outcome comes from the
rules in docs/teams.md, written out below independently of the SQL; each case is checked against
what the server did (writes are checked with admin SQL, so a write the API reports as denied but
that happened is caught too). `matrix(...)` returns the cases that differ, so the mutation test can
show that loosening or dropping any policy makes the matrix fail.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.integration.team import ACTORS, ROLES, Team, reapply_policies

STATES = {
    "draft": (True, None),
    "scheduled": (False, "2999-01-01T00:00:00+00:00"),
    "published": (False, "2020-01-01T00:00:00+00:00"),
}
OWNERS = (
    "self",
    "member",
    "outsider",
)  # the actor's own row, the writer's (a member), a non-member's
OPS = ("select", "insert", "update", "delete")
DOCUMENT_TABLES = ("posts", "pages")
PNG = b"\x89PNG\r\n\x1a\n" + b"probe" * 8
SHA = hashlib.sha256(PNG).hexdigest()


# --- the rules (docs/teams.md), independent of the SQL -----------------------------------------


def role_of(actor: str) -> str | None:
    return actor if actor in ROLES else None


def owner_is_member(actor: str, owner: str) -> bool:
    return owner == "member" or (owner == "self" and role_of(actor) is not None)


def may_edit(actor: str, owner: str, draft: bool) -> bool:
    role = role_of(actor)
    if role in ("owner", "editor"):
        return owner_is_member(actor, owner)
    if role == "author":
        return owner == "self"
    if role == "contributor":
        return owner == "self" and draft
    return False


def may_read(actor: str, owner: str, state: str) -> bool:
    published = state == "published" and owner_is_member(actor, owner)
    return published or may_edit(actor, owner, STATES[state][0])


# --- running the matrix --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def team(stack) -> Iterator[Team]:
    team = Team.start(stack)
    yield team
    team.stop()


def owners_for(actor: str) -> tuple[str, ...]:
    return OWNERS[1:] if actor == "anonymous" else OWNERS


def owner_id(team: Team, actor: str, owner: str) -> str:
    return team.id({"self": actor, "member": "writer", "outsider": "outsider"}[owner])


def refused(call: Callable[[], Any]) -> bool:
    """True when the API refused the request with a permission error (42501)."""
    from postgrest.exceptions import APIError
    from storage3.exceptions import StorageApiError

    try:
        call()
    except APIError as exc:
        assert exc.code == "42501", exc
        return True
    except StorageApiError as exc:
        assert str(exc.status) in ("400", "403"), exc
        return True
    return False


def visible(call: Callable[[], Any]) -> list[dict[str, Any]]:
    """The rows a read returned; a read refused for lack of a grant (42501) returned none."""
    rows: list[dict[str, Any]] = []
    refused(lambda: rows.extend(call().data))
    return rows


def seed_documents(team: Team, table: str, actor: str) -> dict[tuple[str, str], str]:
    """One row per (owner, state), inserted as admin; returns their slugs."""
    slugs = {}
    for owner in owners_for(actor):
        for state, (draft, publish_at) in STATES.items():
            slug = f"{state}-{owner}-{uuid.uuid4().hex[:10]}"
            team.stack.admin_sql(
                f"insert into public.{table} (slug, title, draft, publish_at, author_id) "
                "values (%s, 'Original', %s, %s, %s)",
                (slug, draft, publish_at, owner_id(team, actor, owner)),
            )
            slugs[owner, state] = slug
    return slugs


def admin_titles(team: Team, table: str, slugs: list[str]) -> dict[str, str]:
    rows = team.stack.admin_sql(
        f"select slug, title from public.{table} where slug = any(%s)", (slugs,)
    )
    return dict(rows)


def document_matrix(team: Team, table: str, op: str) -> list[str]:
    """The cases of `table` x `op` whose outcome differs from the rules."""
    wrong = []
    for actor in ACTORS:
        client = team.clients[actor].table(table)
        if op == "insert":
            for owner in owners_for(actor):
                for state, (draft, publish_at) in STATES.items():
                    slug = f"new-{uuid.uuid4().hex[:12]}"
                    row = {
                        "slug": slug,
                        "title": "New",
                        "draft": draft,
                        "publish_at": publish_at,
                        "author_id": owner_id(team, actor, owner),
                    }
                    denied = refused(
                        lambda row=row: client.insert(row, returning="minimal").execute()
                    )
                    stored = bool(admin_titles(team, table, [slug]))
                    expected = owner == "self" and may_edit(actor, "self", draft)
                    if stored != expected or denied == expected:
                        wrong.append(f"{table} insert {actor} {owner} {state}: stored={stored}")
            continue
        slugs = seed_documents(team, table, actor)
        names = list(slugs.values())
        if op == "select":
            seen = {r["slug"] for r in client.select("slug").in_("slug", names).execute().data}
            done = {cell for cell, slug in slugs.items() if slug in seen}
            rule = may_read
        elif op == "update":
            refused(
                lambda: (
                    client.update({"title": "Changed", "version": 2}).in_("slug", names).execute()
                )
            )
            titles = admin_titles(team, table, names)
            done = {cell for cell, slug in slugs.items() if titles.get(slug) == "Changed"}
            rule = lambda a, o, s: may_edit(a, o, STATES[s][0])  # noqa: E731
        else:
            refused(lambda: client.delete().in_("slug", names).execute())
            left = admin_titles(team, table, names)
            done = {cell for cell, slug in slugs.items() if slug not in left}
            rule = lambda a, o, s: may_edit(a, o, STATES[s][0])  # noqa: E731
        for cell in slugs:
            if (cell in done) != rule(actor, *cell):
                wrong.append(f"{table} {op} {actor} {cell[0]} {cell[1]}: done={cell in done}")
    return wrong


def media_matrix(team: Team, op: str) -> list[str]:
    """media rows and Storage objects in the `media` bucket (no draft state: files are public)."""
    wrong = []
    for actor in ACTORS:
        table = team.clients[actor].table("media")
        bucket = team.clients[actor].storage.from_("media")
        for owner in owners_for(actor):
            folder = owner_id(team, actor, owner)
            path = f"probe/{uuid.uuid4().hex[:12]}.png"
            name = f"{folder}/{SHA}/{uuid.uuid4().hex[:8]}.png"
            expected = may_edit(actor, owner, False)
            if op == "insert":
                row = {
                    "path": path,
                    "object_name": name,
                    "sha256": SHA,
                    "size": len(PNG),
                    "content_type": "image/png",
                    "author_id": folder,
                }
                refused(lambda row=row: table.insert(row, returning="minimal").execute())
                done = bool(
                    team.stack.admin_sql("select 1 from public.media where path = %s", (path,))
                )
                refused(lambda name=name: bucket.upload(name, PNG, {"content-type": "image/png"}))
                uploaded = bool(
                    team.stack.admin_sql(
                        "select 1 from storage.objects where bucket_id = 'media' and name = %s",
                        (name,),
                    )
                )
                expected = owner == "self" and expected
                if (done, uploaded) != (expected, expected):
                    wrong.append(f"media insert {actor} {owner}: row={done} object={uploaded}")
                continue
            team.stack.admin_sql(
                "insert into public.media (path, object_name, sha256, size, content_type, "
                "author_id) values (%s, %s, %s, %s, 'image/png', %s)",
                (path, name, SHA, len(PNG), folder),
            )
            if op == "select":
                done = bool(table.select("path").eq("path", path).execute().data)
                expected = owner_is_member(actor, owner)
                # Storage: nobody lists or looks up objects in someone else's folder
                team.stack.admin_sql(
                    "insert into storage.objects (bucket_id, name, owner_id) values ('media', %s, %s)",
                    (name, folder),
                )
                listed = any(e.get("name") for e in _list(bucket, f"{folder}/{SHA}"))
                if listed != expected_own(actor, owner):
                    wrong.append(f"storage list {actor} {owner}: listed={listed}")
            elif op == "update":
                refused(
                    lambda path=path: (
                        table.update({"alt": "changed", "version": 2}).eq("path", path).execute()
                    )
                )
                done = team.stack.admin_sql(
                    "select alt from public.media where path = %s", (path,)
                ) == [("changed",)]
                team.stack.admin_sql(
                    "insert into storage.objects (bucket_id, name, owner_id, metadata) "
                    "values ('media', %s, %s, '{}')",
                    (name, folder),
                )
                refused(
                    lambda name=name: bucket.update(
                        name, b"replaced", {"content-type": "image/png"}
                    )
                )
                replaced = team.stack.admin_sql(
                    "select metadata ->> 'size' from storage.objects where name = %s", (name,)
                ) == [("8",)]
                if replaced != expected_own(actor, owner):
                    wrong.append(f"storage update {actor} {owner}: replaced={replaced}")
            else:
                refused(lambda path=path: table.delete().eq("path", path).execute())
                done = not team.stack.admin_sql(
                    "select 1 from public.media where path = %s", (path,)
                )
                team.stack.admin_sql(
                    "insert into storage.objects (bucket_id, name, owner_id) values ('media', %s, %s)",
                    (name, folder),
                )
                refused(lambda name=name: bucket.remove([name]))
                gone = not team.stack.admin_sql(
                    "select 1 from storage.objects where name = %s", (name,)
                )
                if gone != expected_own(actor, owner):
                    wrong.append(f"storage remove {actor} {owner}: removed={gone}")
            if done != expected:
                wrong.append(f"media {op} {actor} {owner}: done={done}")
    return wrong


def expected_own(actor: str, owner: str) -> bool:
    """Storage: only members who may add media touch objects, and only in their own folder."""
    return owner == "self" and may_edit(actor, "self", False)


def _list(bucket: Any, prefix: str) -> list[dict[str, Any]]:
    try:
        return bucket.list(prefix)
    except Exception:  # refused: nothing listed
        return []


def members_matrix(team: Team, op: str) -> list[str]:
    """Only owners read or change the member list; a role change can't be made by anyone else."""
    wrong = []
    for actor in ACTORS:
        table = team.clients[actor].table("members")
        email = f"probe-{uuid.uuid4().hex[:10]}@example.org"
        if op != "insert":
            team.stack.admin_sql(
                "insert into public.members (email, role) values (%s, 'author')", (email,)
            )
        if op == "select":
            done = bool(visible(table.select("email").eq("email", email).execute))
        elif op == "insert":
            refused(
                lambda: table.insert(
                    {"email": email, "role": "editor"}, returning="minimal"
                ).execute()
            )
            done = bool(
                team.stack.admin_sql("select 1 from public.members where email = %s", (email,))
            )
        elif op == "update":
            refused(lambda: table.update({"role": "editor"}).eq("email", email).execute())
            done = team.stack.admin_sql(
                "select role from public.members where email = %s", (email,)
            ) == [("editor",)]
        else:
            refused(lambda: table.delete().eq("email", email).execute())
            done = not team.stack.admin_sql(
                "select 1 from public.members where email = %s", (email,)
            )
        team.stack.admin_sql("delete from public.members where email = %s", (email,))
        if done != (actor == "owner"):
            wrong.append(f"members {op} {actor}: done={done}")
    return wrong


def profiles_matrix(team: Team, op: str) -> list[str]:
    """Profiles: the public sees those of members with published content; members see members';
    everyone writes only their own, and only members create or change one."""
    wrong = []
    for state, (draft, publish_at) in STATES.items():
        for actor in ACTORS:
            table = team.clients[actor].table("profiles")
            team.stack.admin_sql(
                "delete from public.profiles where user_id = any(%s::uuid[])",
                ([u.id for u in team.users.values()],),
            )
            for documents in DOCUMENT_TABLES:  # what earlier cases left would publish them
                team.stack.admin_sql(
                    f"delete from public.{documents} where author_id = any(%s::uuid[])",
                    ([team.id("writer"), team.id("outsider")],),
                )
            for owner in ("member", "outsider"):  # each has one post in `state`
                team.stack.admin_sql(
                    "insert into public.posts (slug, title, draft, publish_at, author_id) "
                    "values (%s, 'P', %s, %s, %s)",
                    (f"p-{uuid.uuid4().hex[:12]}", draft, publish_at, owner_id(team, actor, owner)),
                )
            for owner in owners_for(actor):
                uid = owner_id(team, actor, owner)
                slug = f"{owner}-{uuid.uuid4().hex[:8]}"
                if op != "insert":
                    team.stack.admin_sql(
                        "insert into public.profiles (user_id, slug, name) values (%s, %s, 'Name')",
                        (uid, slug),
                    )
                if op == "select":
                    done = bool(table.select("slug").eq("user_id", uid).execute().data)
                    expected = (owner == "self" and actor != "anonymous") or (
                        owner == "member" and (role_of(actor) is not None or state == "published")
                    )
                elif op == "insert":
                    refused(
                        lambda uid=uid, slug=slug: table.insert(
                            {"user_id": uid, "slug": slug, "name": "Mine"}, returning="minimal"
                        ).execute()
                    )
                    done = bool(
                        team.stack.admin_sql(
                            "select 1 from public.profiles where slug = %s", (slug,)
                        )
                    )
                    expected = owner == "self" and role_of(actor) is not None
                elif op == "update":
                    refused(
                        lambda uid=uid: (
                            table.update({"bio": "changed"}).eq("user_id", uid).execute()
                        )
                    )
                    done = team.stack.admin_sql(
                        "select bio from public.profiles where slug = %s", (slug,)
                    ) == [("changed",)]
                    expected = owner == "self" and role_of(actor) is not None
                else:
                    refused(lambda uid=uid: table.delete().eq("user_id", uid).execute())
                    done = not team.stack.admin_sql(
                        "select 1 from public.profiles where slug = %s", (slug,)
                    )
                    expected = owner == "self" and actor != "anonymous"
                if done != expected:
                    wrong.append(f"profiles {op} {actor} {owner} ({state} content): done={done}")
    team.stack.admin_sql(
        "delete from public.profiles where user_id = any(%s::uuid[])",
        ([u.id for u in team.users.values()],),
    )
    return wrong


def revisions_matrix(team: Team, op: str) -> list[str]:
    """History is readable by whoever may edit a row of its author in its state; nobody writes it."""
    wrong = []
    for actor in ACTORS:
        slugs = seed_documents(team, "posts", actor)
        team.stack.admin_sql(  # one revision per row: version 1 as it was
            "update public.posts set title = 'Edited', version = 2 where slug = any(%s)",
            (list(slugs.values()),),
        )
        table = team.clients[actor].table("revisions")
        for cell, slug in slugs.items():
            if op == "select":
                done = bool(visible(table.select("version").eq("slug", slug).execute))
                expected = may_edit(actor, cell[0], STATES[cell[1]][0])
            elif op == "insert":
                row = {
                    "kind": "posts",
                    "row_id": str(uuid.uuid4()),
                    "slug": slug,
                    "author_id": owner_id(team, actor, cell[0]),
                    "version": 9,
                    "title": "Forged",
                    "body": "",
                    "draft": False,
                    "front": {},
                    "authors": [],
                    "updated_at": "2020-01-01T00:00:00+00:00",
                    "operation": "update",
                }
                refused(lambda row=row: table.insert(row, returning="minimal").execute())
                done = team.stack.admin_sql(
                    "select count(*) from public.revisions where slug = %s", (slug,)
                ) != [(1,)]
                expected = False
            elif op == "update":
                refused(
                    lambda slug=slug: table.update({"title": "Forged"}).eq("slug", slug).execute()
                )
                done = team.stack.admin_sql(
                    "select title from public.revisions where slug = %s", (slug,)
                ) != [("Original",)]
                expected = False
            else:
                refused(lambda slug=slug: table.delete().eq("slug", slug).execute())
                done = team.stack.admin_sql(
                    "select count(*) from public.revisions where slug = %s", (slug,)
                ) != [(1,)]
                expected = False
            if done != expected:
                wrong.append(f"revisions {op} {actor} {cell[0]} {cell[1]}: done={done}")
    return wrong


def matrix(team: Team, table: str, op: str) -> list[str]:
    if table in DOCUMENT_TABLES:
        return document_matrix(team, table, op)
    return {
        "media": media_matrix,
        "members": members_matrix,
        "profiles": profiles_matrix,
        "revisions": revisions_matrix,
    }[table](team, op)


TABLES = (*DOCUMENT_TABLES, "media", "members", "profiles", "revisions")


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("table", TABLES)
def test_matrix(team, table, op):
    assert matrix(team, table, op) == []


TRANSITIONS = [
    ("draft", "published"),  # publish
    ("draft", "scheduled"),  # schedule
    ("published", "draft"),  # unpublish
    ("scheduled", "published"),
]


@pytest.mark.parametrize("actor", ACTORS)
def test_publishing_scheduling_and_unpublishing_by_role(team, actor):
    """A change of state needs the right to edit the row both as it was and as it becomes."""
    wrong = []
    for owner in owners_for(actor):
        for before, after in TRANSITIONS:
            slug = f"{before}-{after}-{uuid.uuid4().hex[:10]}"
            draft, publish_at = STATES[before]
            team.stack.admin_sql(
                "insert into public.posts (slug, title, draft, publish_at, author_id) "
                "values (%s, 'T', %s, %s, %s)",
                (slug, draft, publish_at, owner_id(team, actor, owner)),
            )
            draft, publish_at = STATES[after]
            change = {"draft": draft, "publish_at": publish_at, "version": 2}
            query = team.clients[actor].table("posts").update(change).eq("slug", slug)
            refused(query.execute)
            done = team.stack.admin_sql(
                "select version from public.posts where slug = %s", (slug,)
            ) == [(2,)]
            expected = may_edit(actor, owner, STATES[before][0]) and may_edit(
                actor, owner, STATES[after][0]
            )
            if done != expected:
                wrong.append(f"{actor} {owner} {before}->{after}: done={done}")
    assert wrong == []


@pytest.mark.parametrize("table", DOCUMENT_TABLES)
def test_the_manifest_lists_what_each_caller_may_read_and_whether_they_may_edit_it(team, table):
    slugs = seed_documents(team, table, "author")  # the author's own, the writer's, an outsider's

    def manifest(actor: str) -> dict[str, bool]:
        data = team.clients[actor].rpc("sitegen_manifest", {"kind": table}).execute().data
        for _slug, version, updated_at, author_id, editable in data:
            assert isinstance(version, int) and "T" in updated_at and len(author_id) == 36
            assert isinstance(editable, bool)
        return {entry[0]: entry[4] for entry in data if entry[0] in slugs.values()}

    for actor in ACTORS:
        expected = {
            slug: may_edit(actor, owner if actor == "author" else _as_seen_by(owner), STATES[s][0])
            for (owner, s), slug in slugs.items()
            if may_read(actor, owner if actor == "author" else _as_seen_by(owner), s)
        }
        assert manifest(actor) == expected, actor
    scheduled = slugs["self", "scheduled"]  # appears by itself once its time has come
    team.stack.admin_sql(
        f"update public.{table} set publish_at = now() - interval '1 second', "
        "version = version + 1 where slug = %s",
        (scheduled,),
    )
    assert scheduled in manifest("anonymous")


def _as_seen_by(owner: str) -> str:
    """Rows seeded for "author" as seen by another actor: the author is just another member."""
    return "member" if owner == "self" else owner


def test_the_manifest_rejects_an_unknown_kind(team):
    from postgrest.exceptions import APIError

    with pytest.raises(APIError) as caught:
        team.clients["anonymous"].rpc("sitegen_manifest", {"kind": "users"}).execute()
    assert "unknown manifest kind" in caught.value.message


@pytest.mark.parametrize("table", DOCUMENT_TABLES)
def test_a_new_row_belongs_to_its_creator_whatever_the_role(team, table):
    for actor in ROLES:
        slug = f"own-{uuid.uuid4().hex[:12]}"
        team.clients[actor].table(table).insert(
            {"slug": slug, "title": "Mine", "draft": True}
        ).execute()
        assert team.stack.admin_sql(
            f"select author_id::text, version from public.{table} where slug = %s", (slug,)
        ) == [(team.id(actor), 1)]


# --- every policy matters: loosen or drop any one, and the matrix fails -------------------------


def our_policies(stack) -> list[tuple[str, str, str, str]]:
    """(schema, table, policy, command) of every policy sql/ creates."""
    return stack.admin_sql(
        "select schemaname, tablename, policyname, cmd from pg_policies "
        "where (schemaname = 'public' and tablename = any(%s)) "
        "   or (schemaname = 'storage' and policyname like 'sitegen media:%%') "
        "order by 1, 2, 3",
        (list(TABLES),),
    )


def test_every_table_of_the_matrix_has_policies(stack):
    tables = {table for schema, table, _name, _cmd in our_policies(stack) if schema == "public"}
    assert tables == set(TABLES)


@pytest.mark.parametrize("mutation", ["loosen", "drop"])
def test_any_policy_mutation_makes_the_matrix_fail(stack, team, mutation):
    """Each policy in turn is loosened to `true` (or dropped); the matrix for its table must then
    differ from the rules. The policies are restored by running sql/ again (it is idempotent)."""
    survived = []
    try:
        for schema, table, name, cmd in our_policies(stack):
            target = f"{schema}.{table}"
            if mutation == "drop":
                stack.admin_sql(f'drop policy "{name}" on {target}')
            else:
                using = "" if cmd == "INSERT" else " using (true)"
                check = " with check (true)" if cmd in ("INSERT", "UPDATE") else ""
                stack.admin_sql(f'alter policy "{name}" on {target}{using}{check}')
            checked = "media" if schema == "storage" else table
            ops = OPS if cmd == "SELECT" else (cmd.lower(),)
            if not any(matrix(team, checked, op) for op in ops):
                survived.append(f"{mutation} {target}: {name}")
            reapply_policies(stack)
    finally:
        reapply_policies(stack)
    assert survived == [], "\n".join(survived)
