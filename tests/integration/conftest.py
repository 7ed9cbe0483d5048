"""Fixtures for integration tests: one real stack per session, users, official clients, cleanup.

- `stack`: the running `tests.stack.Stack` (PostgreSQL + /auth /rest /storage), started once.
- `make_user(email=None, password=..., role=None)`: a confirmed user made through the admin API;
  returns `StackUser(id, email, password)`; deleted (with their rows, by FK cascade) afterwards.
  With `role` ("owner", "editor", "author", "contributor") the user is also made a member of
  the site, as the project's admin would (admin SQL into `members`).
- `supabase_client(key="anon", user=None, **options)`: an official `supabase.create_client`
  client; with `user` it is signed in with that user's password.
- `clean_db`: empties every public table and all storage objects before the test.
See docs/stack.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import pytest

from tests.stack.stack import Stack

DEFAULT_PASSWORD = "correct-horse-battery"


class StackUser(NamedTuple):
    id: str
    email: str
    password: str


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    with Stack.start() as running:
        yield running


@pytest.fixture
def make_user(stack: Stack) -> Iterator[Callable[..., StackUser]]:
    from supabase_auth import SyncGoTrueAdminAPI

    admin = SyncGoTrueAdminAPI(
        url=f"{stack.url}/auth/v1",
        headers={"apiKey": stack.service_key, "Authorization": f"Bearer {stack.service_key}"},
    )
    created: list[str] = []

    def make(
        email: str | None = None,
        password: str = DEFAULT_PASSWORD,
        *,
        confirmed: bool = True,
        role: str | None = None,
        **attributes: Any,
    ) -> StackUser:
        address = email or f"user-{uuid.uuid4().hex[:12]}@example.com"
        user = admin.create_user(
            {"email": address, "password": password, "email_confirm": confirmed, **attributes}
        ).user
        created.append(user.id)
        if role is not None:
            add_member(stack, address, role)
        return StackUser(user.id, address, password)

    yield make
    for user_id in created:
        stack.admin_sql("delete from auth.users where id = %s", (user_id,))


def add_member(stack: Stack, email: str, role: str) -> None:
    """Make `email` a member with `role`, as the project's admin does (SQL as postgres)."""
    stack.admin_sql(
        "insert into public.members (email, role) values (%s, %s) "
        "on conflict (email) do update set role = excluded.role",
        (email, role),
    )


@pytest.fixture
def supabase_client(stack: Stack) -> Callable[..., Any]:
    from supabase import ClientOptions, create_client

    keys = {
        "anon": stack.anon_key,
        "service": stack.service_key,
        "publishable": stack.publishable_key,
        "secret": stack.secret_key,
    }

    def make(key: str = "anon", user: StackUser | None = None, **options: Any) -> Any:
        """`key` is a name from `keys` or a literal key; options go to ClientOptions."""
        options.setdefault("auto_refresh_token", False)  # no timer thread outliving the test
        options.setdefault("persist_session", False)
        client = create_client(stack.url, keys.get(key, key), ClientOptions(**options))
        if user is not None:
            client.auth.sign_in_with_password({"email": user.email, "password": user.password})
        return client

    return make


@pytest.fixture
def clean_db(stack: Stack) -> Stack:
    """Truncate the product tables (whatever sql/ created in public) and delete stored objects."""
    tables = stack.admin_sql(
        "select format('%I.%I', table_schema, table_name) from information_schema.tables "
        "where table_schema = 'public' and table_type = 'BASE TABLE'"
    )
    if tables:
        names = ", ".join(name for (name,) in tables)
        stack.admin_sql(f"truncate {names} restart identity cascade")
    stack.clear_objects()
    stack.faults.clear()
    return stack
