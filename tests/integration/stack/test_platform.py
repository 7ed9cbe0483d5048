"""The platform layer (roles, auth/storage schemas, helpers), the per-request transaction, and
the stack's lifecycle (migrations applied in order, nothing left running after stop)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.stack.db import Rollback
from tests.stack.schema_watch import SchemaWatch
from tests.stack.stack import Stack, StackError

REPO = Path(__file__).resolve().parents[3]


def test_api_roles_match_supabase(stack):
    found = stack.admin_sql(
        "select rolname, rolcanlogin, rolinherit, rolbypassrls from pg_roles "
        "where rolname in ('anon', 'authenticated', 'service_role', 'authenticator')"
    )
    rows = {name: (login, inherit, bypass) for name, login, inherit, bypass in found}
    assert rows["anon"] == (False, True, False)
    assert rows["authenticated"] == (False, True, False)
    assert rows["service_role"] == (False, True, True)
    assert rows["authenticator"] == (True, False, False)
    granted = {
        name
        for (name,) in stack.admin_sql(
            "select r.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid "
            "join pg_roles u on u.oid = m.member where u.rolname = 'authenticator'"
        )
    }
    assert granted == {"anon", "authenticated", "service_role"}


def test_transaction_publishes_role_and_claims(stack):
    sub = str(uuid.uuid4())
    claims = {"sub": sub, "role": "authenticated", "email": "c@example.com"}
    with stack.db.transaction(claims, read_only=True) as conn:
        row = conn.execute(
            "select current_user, auth.uid()::text, auth.role(), "
            "auth.email(), auth.jwt() ->> 'email'"
        ).fetchone()
    assert row == ("authenticated", sub, "authenticated", "c@example.com", "c@example.com")
    with stack.db.transaction(None, read_only=True) as conn:
        row = conn.execute("select current_user, auth.uid(), auth.role(), auth.jwt()").fetchone()
    assert row == ("anon", None, "anon", {"role": "anon"})


def test_read_only_transactions_refuse_writes(stack):
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        with stack.db.transaction({"role": "service_role"}, read_only=True) as conn:
            conn.execute("insert into storage.buckets (id, name) values ('ro', 'ro')")


def test_rollback_discards_writes_quietly(stack):
    with stack.db.transaction({"role": "service_role"}, read_only=False) as conn:
        conn.execute("insert into storage.buckets (id, name) values ('rolled', 'rolled')")
        raise Rollback
    assert stack.admin_sql("select count(*) from storage.buckets where id = 'rolled'") == [(0,)]


def test_new_public_tables_are_not_granted_automatically(stack):
    with psycopg.connect(stack.database_url, autocommit=True) as owner:
        owner.execute("create table if not exists public.stack_ungranted (id int)")
    try:
        for role in ("anon", "authenticated", "service_role"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                with stack.db.transaction({"role": role}, read_only=True) as conn:
                    conn.execute("select * from public.stack_ungranted")
    finally:
        stack.admin_sql("drop table public.stack_ungranted")


def test_storage_helpers_and_generated_path_tokens(stack):
    assert stack.admin_sql(
        "select storage.foldername('uid/docs/a.txt'), storage.filename('uid/docs/a.txt'), "
        "storage.extension('uid/docs/a.tar.gz')"
    ) == [(["uid", "docs"], "a.txt", "gz")]
    stack.admin_sql(
        "insert into storage.buckets (id, name) values ('tokens', 'tokens') on conflict do nothing"
    )
    stack.admin_sql("insert into storage.objects (bucket_id, name) values ('tokens', 'a/b/c.txt')")
    try:
        assert stack.admin_sql(
            "select path_tokens from storage.objects where bucket_id = 'tokens'"
        ) == [(["a", "b", "c.txt"],)]
    finally:
        stack.admin_sql("delete from storage.objects where bucket_id = 'tokens'")


def test_rls_without_policies_hides_storage_from_api_roles(stack):
    stack.admin_sql(
        "insert into storage.buckets (id, name) values ('hidden', 'hidden') on conflict do nothing"
    )
    with stack.db.transaction(
        {"role": "authenticated", "sub": str(uuid.uuid4())}, read_only=True
    ) as conn:
        ids = [row[0] for row in conn.execute("select id from storage.buckets")]
    assert "hidden" not in ids


def test_project_owner_may_add_policies_but_not_alter_platform_tables(stack):
    with psycopg.connect(stack.database_url, autocommit=True) as owner:
        owner.execute(
            "create policy stack_owner_probe on storage.objects for select "
            "to authenticated using (false)"
        )
        owner.execute("drop policy stack_owner_probe on storage.objects")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            owner.execute("alter table storage.objects disable row level security")


def test_ddl_anywhere_triggers_a_schema_reload(stack):
    """Supabase's pgrst_ddl_watch/pgrst_drop_watch notify; the stack's listener reloads."""
    reloads = threading.Event()
    watch = SchemaWatch(stack.database_url, reloads.set)
    try:
        with psycopg.connect(stack.database_url, autocommit=True) as owner:
            owner.execute("create table public.stack_watched (id int)")
            assert reloads.wait(timeout=10)
            reloads.clear()
            owner.execute("drop table public.stack_watched")
            assert reloads.wait(timeout=10)
    finally:
        watch.stop()


def test_migrations_run_in_name_order_and_errors_name_the_file(tmp_path):
    (tmp_path / "002_second.sql").write_text("insert into public.t values (2);\n")
    (tmp_path / "001_first.sql").write_text(
        "create table public.t (n int);\ninsert into public.t values (1);\n"
    )
    with Stack.start(sql_dir=tmp_path) as small:
        assert small.admin_sql("select n from public.t order by n") == [(1,), (2,)]
        root, port = small.root, small.database_url.rsplit(":", 1)[1].split("/")[0]
    assert not root.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(
            f"host=127.0.0.1 port={port} user=postgres dbname=postgres", connect_timeout=2
        )
    (tmp_path / "003_broken.sql").write_text("select 1;\nselect * from no_such_table;\n")
    with pytest.raises(StackError, match=r"003_broken\.sql: line 2: relation \"no_such_table\""):
        Stack.start(sql_dir=tmp_path)


def test_start_removes_dirs_of_stacks_whose_owner_died():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    abandoned = Path(tempfile.mkdtemp(prefix="sitegen-stack-"))
    (abandoned / "owner.pid").write_text(str(dead.pid))
    (abandoned / "pgdata").mkdir()
    alive = Path(tempfile.mkdtemp(prefix="sitegen-stack-"))
    (alive / "owner.pid").write_text(str(os.getpid()))
    try:
        with Stack.start(sql_dir=None):
            pass
        assert not abandoned.exists()
        assert alive.exists()
    finally:
        shutil.rmtree(alive, ignore_errors=True)
        shutil.rmtree(abandoned, ignore_errors=True)


KILLED_OWNER = """
from tests.stack.stack import Stack
stack = Stack.start(sql_dir=None)
print(stack.database_url, flush=True)
import time
time.sleep(600)
"""


def test_a_killed_owner_leaves_no_server_running():
    owner = subprocess.Popen(
        [sys.executable, "-c", KILLED_OWNER], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        database_url = owner.stdout.readline().strip()
        assert database_url.startswith("postgresql://"), "the stack did not start"
        psycopg.connect(database_url).close()
    finally:
        owner.kill()
        owner.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            psycopg.connect(database_url, connect_timeout=1).close()
        except psycopg.OperationalError:
            return
        time.sleep(0.2)
    pytest.fail("PostgreSQL kept running after its owner was SIGKILLed")


def test_standalone_command_prints_settings_and_stops_on_sigterm():
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.stack"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        settings = {}
        for line in process.stdout:
            if line.strip() == "READY":
                break
            name, _, value = line.strip().partition("=")
            settings[name] = value
        assert {
            "SUPABASE_URL",
            "SUPABASE_ANON_KEY",
            "SUPABASE_SERVICE_ROLE_KEY",
            "DATABASE_URL",
        } <= set(settings)
        with psycopg.connect(settings["DATABASE_URL"]) as conn:
            assert conn.execute("select current_user").fetchone() == ("postgres",)
        import httpx

        health = httpx.get(
            f"{settings['SUPABASE_URL']}/auth/v1/health",
            headers={"apikey": settings["SUPABASE_ANON_KEY"]},
        )
        assert health.status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(settings["DATABASE_URL"], connect_timeout=2)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def test_claims_json_is_what_policies_read(stack):
    with stack.db.transaction(
        {"role": "authenticated", "sub": str(uuid.uuid4()), "app_metadata": {"plan": "pro"}},
        read_only=True,
    ) as conn:
        (raw,) = conn.execute("select current_setting('request.jwt.claims')").fetchone()
    assert json.loads(raw)["app_metadata"] == {"plan": "pro"}
