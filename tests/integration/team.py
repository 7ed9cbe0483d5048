"""A site's team on the stack for the RLS tests: one account per role, signed in once per module.

`Team.start(stack)` makes an owner, an editor, an author and a contributor (members, named as the
project's admin names them), a `stranger` (signed up, confirmed, not a member), a `writer` (another
member with the author role, whose rows are "someone else's" for every actor) and an `outsider` (a
non-member who owns rows, as if they had been written before the site had members). Each gets an
official supabase-py client; `anonymous` is a client without a login.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from tests.integration.conftest import DEFAULT_PASSWORD, StackUser, add_member
from tests.stack.stack import PROJECT_SQL_DIR, Stack

ROLES = ("owner", "editor", "author", "contributor")
ACTORS = (*ROLES, "stranger", "anonymous")


@dataclass
class Team:
    stack: Stack
    users: dict[str, StackUser] = field(default_factory=dict)
    clients: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def start(cls, stack: Stack) -> Team:
        from supabase import ClientOptions, create_client
        from supabase_auth import SyncGoTrueAdminAPI

        team = cls(stack)
        admin = SyncGoTrueAdminAPI(
            url=f"{stack.url}/auth/v1",
            headers={"apiKey": stack.service_key, "Authorization": f"Bearer {stack.service_key}"},
        )
        options = {"auto_refresh_token": False, "persist_session": False}
        for name in (*ROLES, "stranger", "writer", "outsider"):
            email = f"{name}-{uuid.uuid4().hex[:10]}@example.org"
            user = admin.create_user(
                {"email": email, "password": DEFAULT_PASSWORD, "email_confirm": True}
            ).user
            team.users[name] = StackUser(user.id, email, DEFAULT_PASSWORD)
            if name in ROLES:
                add_member(stack, email, name)
            if name == "writer":
                add_member(stack, email, "author")
            client = create_client(stack.url, stack.anon_key, ClientOptions(**options))
            client.auth.sign_in_with_password({"email": email, "password": DEFAULT_PASSWORD})
            team.clients[name] = client
        team.clients["anonymous"] = create_client(
            stack.url, stack.anon_key, ClientOptions(**options)
        )
        return team

    def stop(self) -> None:
        emails = [user.email for user in self.users.values()]
        ids = [user.id for user in self.users.values()]
        self.stack.admin_sql(  # the admin removes the last owner too: without the trigger's guard
            sql.SQL(
                "set session_replication_role = replica; "
                "delete from public.members where email = any({}); "
                "set session_replication_role = default"
            ).format(sql.Literal(emails))
        )
        self.stack.admin_sql(
            "delete from public.revisions where author_id = any(%s::uuid[])", (ids,)
        )
        self.stack.admin_sql("delete from auth.users where id = any(%s::uuid[])", (ids,))

    def id(self, name: str) -> str:
        return self.users[name].id


def reapply_policies(stack: Stack) -> None:
    """Run the migrations that define policies again, as the admin would (they are idempotent)."""
    with psycopg.connect(stack.database_url, autocommit=True) as conn:
        for path in sorted(PROJECT_SQL_DIR.glob("0*.sql")):
            conn.execute(path.read_text())
    stack.admin_sql("select 1")  # reload /rest's schema cache
