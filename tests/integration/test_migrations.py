"""Existing sites move to teams with one step: running sql/ again. Nothing published disappears,
the loose policies of before are gone, and running it again changes nothing (nor re-adds anyone)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.integration.team import reapply_policies
from tests.stack.stack import PROJECT_SQL_DIR, Stack

BEFORE_TEAMS = ("001", "002", "003", "004", "005")
# A policy sites had before members existed (sql/003 up to then): any account could insert.
LEGACY_POLICY = (
    'create policy "authors create their own posts" on public.posts for insert to authenticated '
    "with check (author_id = (select auth.uid()))"
)


def policies(stack: Stack) -> list[tuple]:
    return stack.admin_sql(
        "select schemaname, tablename, policyname, cmd, qual, with_check from pg_policies "
        "order by 1, 2, 3"
    )


def test_an_existing_site_migrates_by_running_sql_again(tmp_path: Path) -> None:
    from supabase import create_client

    old = tmp_path / "sql"
    old.mkdir()
    for path in sorted(PROJECT_SQL_DIR.glob("0*.sql")):
        if path.name[:3] in BEFORE_TEAMS:
            shutil.copy(path, old / path.name)
    with Stack.start(sql_dir=old) as stack:
        stack.admin_sql(LEGACY_POLICY)
        users = {}
        for name, confirmed in (("ada", True), ("bob", True), ("eve", False)):
            users[name] = stack.admin_sql(
                "insert into auth.users (id, email, email_confirmed_at, aud, role) "
                "values (gen_random_uuid(), %s, case when %s then now() end, "
                "'authenticated', 'authenticated') returning id::text",
                (f"{name}@example.org", confirmed),
            )[0][0]
        for slug, owner, draft in (("a", "ada", False), ("b", "bob", True), ("e", "eve", False)):
            stack.admin_sql(
                "insert into public.posts (slug, title, draft, author_id) values (%s, 'T', %s, %s)",
                (slug, draft, users[owner]),
            )

        reapply_policies(stack)  # the one documented step
        members = stack.admin_sql("select email, role from public.members order by 1")
        assert members == [("ada@example.org", "author"), ("bob@example.org", "author")]
        anonymous = create_client(stack.url, stack.anon_key)
        manifest = anonymous.rpc("sitegen_manifest", {"kind": "posts"}).execute().data
        assert [entry[0] for entry in manifest] == ["a"]  # eve never confirmed: not a member
        names = {name for _s, _t, name, *_ in policies(stack)}
        assert "authors create their own posts" not in names

        after_first = policies(stack)
        stack.admin_sql("delete from public.members where email = 'bob@example.org'")
        reapply_policies(stack)
        assert policies(stack) == after_first
        assert stack.admin_sql("select email from public.members") == [("ada@example.org",)]
        assert stack.admin_sql("select count(*) from public.posts") == [(3,)]
