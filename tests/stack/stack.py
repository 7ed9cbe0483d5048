"""`Stack`: PostgreSQL + platform layer + sql/ migrations + the HTTP APIs, as one object.

    with Stack.start() as stack:
        client = supabase.create_client(stack.url, stack.anon_key)

Everything lives in one temp directory (data dir, socket, object bytes) removed on stop.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from tests.stack.auth_api import AuthService
from tests.stack.auth_shapes import AuthSettings
from tests.stack.data_api import RestService, reload_schema
from tests.stack.db import Database
from tests.stack.faults import FaultInjector
from tests.stack.gateway import Gateway
from tests.stack.postgres import PostgresServer, remove_tree
from tests.stack.schema_watch import SchemaWatch
from tests.stack.server import HttpServer
from tests.stack.storage_api import StorageService
from tests.stack.storage_files import ObjectFiles
from tests.stack.tokens import ApiKeys, mint

PLATFORM_SQL = Path(__file__).with_name("platform.sql")
PROJECT_SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
TEMP_PREFIX = "sitegen-stack-"
OWNER_FILE = "owner.pid"


class StackError(RuntimeError):
    """The stack could not start; the message names the failing step or migration file."""


class Stack:
    """A running stack. Create with `Stack.start(...)`; stop with `stop()` or a `with` block."""

    def __init__(
        self,
        root: Path,
        postgres: PostgresServer,
        db: Database,
        keys: ApiKeys,
        http: HttpServer,
        host: str,
        postgres_password: str,
        auth_settings: AuthSettings,
        faults: FaultInjector,
        files: ObjectFiles,
        schema_watch: SchemaWatch,
    ) -> None:
        self.root = root
        self.keys = keys
        self.auth_settings = auth_settings
        self.faults = faults
        self.db = db
        self._files = files
        self._postgres = postgres
        self._http = http
        self._schema_watch = schema_watch
        self._stopped = False
        self._lock = threading.Lock()
        self.url = f"http://{host}:{http.port}"
        self.database_url = postgres.url("postgres", postgres_password)
        self.startup_seconds = 0.0

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        sql_dir: Path | None = PROJECT_SQL_DIR,
        jwt_secret: str | None = None,
    ) -> Stack:
        """Start PostgreSQL, apply platform.sql then `sql_dir/*.sql` (name order), serve HTTP."""
        began = time.perf_counter()
        _sweep_abandoned(Path(tempfile.gettempdir()))
        root = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
        (root / OWNER_FILE).write_text(str(os.getpid()))
        postgres = PostgresServer(root)
        db: Database | None = None
        watch: SchemaWatch | None = None
        try:
            postgres.start()
            passwords = {
                "authenticator": secrets.token_urlsafe(18),
                "postgres": secrets.token_urlsafe(18),
            }
            _apply_platform(postgres, passwords)
            _apply_migrations(postgres, sql_dir)
            db = Database(postgres.conninfo("authenticator"), postgres.conninfo())
            watch = SchemaWatch(postgres.conninfo(), reload_schema)
            keys = ApiKeys.generate(jwt_secret)
            auth_settings = AuthSettings()
            faults = FaultInjector()
            files = ObjectFiles(root / "objects")
            http = HttpServer(faults, host, port)
            stack = cls(
                root,
                postgres,
                db,
                keys,
                http,
                host,
                passwords["postgres"],
                auth_settings,
                faults,
                files,
                watch,
            )
            gateway = Gateway(
                keys,
                {
                    "/auth/v1": AuthService(
                        db, keys.jwt_secret, f"{stack.url}/auth/v1", auth_settings
                    ).handle,
                    "/rest/v1": RestService(db).handle,
                    "/storage/v1": StorageService(db, keys.jwt_secret, files).handle,
                },
                faults,
            )
            http.start(gateway)
        except BaseException:
            if watch is not None:
                watch.stop()
            if db is not None:
                db.close()
            postgres.stop()
            remove_tree(root)
            raise
        atexit.register(stack.stop)
        stack.startup_seconds = time.perf_counter() - began
        return stack

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop HTTP, close pools, fast-shutdown PostgreSQL, delete the temp dir. Idempotent."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._http.stop()
        self._schema_watch.stop()
        self.db.close()
        self._postgres.stop()
        remove_tree(self.root)

    # -- conveniences for tests --------------------------------------------------------------

    @property
    def anon_key(self) -> str:
        return self.keys.anon_key

    @property
    def service_key(self) -> str:
        return self.keys.service_key

    @property
    def publishable_key(self) -> str:
        return self.keys.publishable_key

    @property
    def secret_key(self) -> str:
        return self.keys.secret_key

    @property
    def jwt_secret(self) -> str:
        return self.keys.jwt_secret

    def admin_sql(self, query: str, params: Any = None) -> list[tuple]:
        """Run SQL as the superuser (autocommit); returns the rows of the last result, if any.

        Like Supabase's DDL watch, it then makes /rest/v1 re-read the schema, so tables created,
        altered or dropped here are seen by the next request.
        """
        with self.db.admin() as conn:
            cursor = conn.execute(query, params) if params is not None else conn.execute(query)
            rows = cursor.fetchall() if cursor.description else []
        reload_schema()
        return rows

    def clear_objects(self) -> int:
        """Delete every storage object (rows and bytes), keeping buckets; returns the count."""
        with self.db.admin() as conn:
            versions = conn.execute("delete from storage.objects returning version").fetchall()
        for (version,) in versions:
            self._files.discard(version)
        return len(versions)

    @contextmanager
    def auth_configured(self, **changes: Any) -> Iterator[AuthSettings]:
        """Temporarily change GoTrue settings: `with stack.auth_configured(autoconfirm=False):`."""
        saved = dataclasses.replace(self.auth_settings)
        for name, value in changes.items():
            if not hasattr(saved, name):
                raise AttributeError(f"AuthSettings has no setting {name!r}")
            setattr(self.auth_settings, name, value)
        try:
            yield self.auth_settings
        finally:
            for field in dataclasses.fields(saved):
                setattr(self.auth_settings, field.name, getattr(saved, field.name))

    def mint_token(self, claims: dict[str, object]) -> str:
        """Sign arbitrary claims with the stack's secret (e.g. an expired token for a test)."""
        return mint(self.keys.jwt_secret, claims)


def _sweep_abandoned(parent: Path) -> None:
    """Delete temp dirs of stacks whose owning process died without stopping (e.g. SIGKILL).

    Their PostgreSQL already exited (parent-death signal); only the files are left. Dirs of
    live processes, and dirs without an owner file, are never touched.
    """
    for candidate in parent.glob(TEMP_PREFIX + "*"):
        try:
            owner = int((candidate / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue
        if not _process_alive(owner):
            remove_tree(candidate)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _apply_platform(postgres: PostgresServer, passwords: dict[str, str]) -> None:
    with psycopg.connect(postgres.conninfo(), autocommit=True) as conn:
        conn.execute(PLATFORM_SQL.read_text())
        for role, password in passwords.items():
            conn.execute(
                sql.SQL("alter role {} password {}").format(
                    sql.Identifier(role), sql.Literal(password)
                )
            )


def _apply_migrations(postgres: PostgresServer, sql_dir: Path | None) -> None:
    """Each sql/*.sql file in name order, unchanged, in its own transaction, as `postgres`."""
    if sql_dir is None or not sql_dir.is_dir():
        return
    for path in sorted(sql_dir.glob("*.sql")):
        text = path.read_text()
        try:
            with psycopg.connect(postgres.conninfo("postgres")) as conn:
                conn.execute(text)
        except psycopg.Error as error:
            raise StackError(f"{path}: {_locate(text, error)}") from error


def _locate(text: str, error: psycopg.Error) -> str:
    """The PostgreSQL message with a line number when the server reported a position."""
    message = error.diag.message_primary or str(error)
    position = error.diag.statement_position
    if position:
        line = text[: int(position)].count("\n") + 1
        return f"line {line}: {message}"
    context = error.diag.context
    return f"{message} ({context})" if context else message
