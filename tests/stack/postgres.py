"""A throw-away PostgreSQL server: initdb in a temp dir, start on a free port, stop, delete.

PostgreSQL refuses to run as root and these machines run as root, so the server runs as an
unprivileged system user (`postgres` from the Debian package, else one we create). The server is
our direct child with a parent-death signal, so even a SIGKILLed test run leaves nothing behind.
"""

from __future__ import annotations

import ctypes
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

SUPERUSER = "supabase_admin"
DATABASE = "postgres"

# Tuned for tests: durability off, small footprint, quick start.
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "64MB",
    "max_connections": "60",
    "max_wal_size": "256MB",
    "checkpoint_timeout": "30min",
    "log_min_messages": "warning",
    "timezone": "UTC",
}


class PostgresError(RuntimeError):
    """The server could not be initialised or started (the message quotes its log)."""


@dataclass(frozen=True)
class ServerUser:
    name: str
    uid: int
    gid: int


def find_bin_dir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin that has initdb."""
    candidates = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()]
    if not candidates:
        raise PostgresError(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; "
            "install the Debian package `postgresql` (bash scripts/test.sh does it)."
        )
    return max(candidates, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)


def server_user() -> ServerUser | None:
    """The unprivileged account to run the server as, or None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "sitegen-pg"):
        try:
            entry = pwd.getpwnam(name)
            return ServerUser(name, entry.pw_uid, entry.pw_gid)
        except KeyError:
            continue
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "sitegen-pg"],
        check=True,
        capture_output=True,
    )
    entry = pwd.getpwnam("sitegen-pg")
    return ServerUser("sitegen-pg", entry.pw_uid, entry.pw_gid)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """Runs in the child after setuid: ask the kernel for SIGINT (fast shutdown) on our death."""
    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGINT)


class PostgresServer:
    """One running cluster; `conninfo(role)` connects over its private unix socket."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data_dir = root / "pgdata"
        self.socket_dir = root / "pgsocket"
        self.log_file = root / "postgres.log"
        self.port = 0
        self.superuser_password = secrets.token_urlsafe(18)
        self._bin = find_bin_dir()
        self._user = server_user()
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._prepare_dirs()
        self._initdb()
        for attempt in range(3):
            self.port = free_port()
            self._spawn()
            if self._wait_ready():
                return
            self.stop()
            if attempt == 2:
                raise PostgresError(f"PostgreSQL did not start:\n{self._log_tail()}")

    def conninfo(self, role: str = SUPERUSER, password: str | None = None) -> str:
        """Unix-socket conninfo (trust auth, socket dir private to this stack)."""
        parts = [
            f"host={self.socket_dir}",
            f"port={self.port}",
            f"dbname={DATABASE}",
            f"user={role}",
        ]
        if password:
            parts.append(f"password={password}")
        return " ".join(parts)

    def url(self, role: str, password: str) -> str:
        """A TCP URL for people and other tools (scram-sha-256 on 127.0.0.1)."""
        return f"postgresql://{role}:{password}@127.0.0.1:{self.port}/{DATABASE}"

    def stop(self) -> None:
        """Fast shutdown (like `pg_ctl -m fast`), escalating if the server hangs."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, 15), (signal.SIGQUIT, 5), (signal.SIGKILL, 5)):
            process.send_signal(sig)
            try:
                process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

    # -- steps -------------------------------------------------------------------------------

    def _prepare_dirs(self) -> None:
        self.root.chmod(0o755)
        for directory in (self.data_dir, self.socket_dir):
            directory.mkdir(mode=0o700)
            if self._user:
                os.chown(directory, self._user.uid, self._user.gid)

    def _run_as_server_user(self, args: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        return subprocess.run(args, **self._user_kwargs(), **kwargs)  # type: ignore[arg-type]

    def _user_kwargs(self) -> dict[str, object]:
        if not self._user:
            return {}
        return {
            "user": self._user.uid,
            "group": self._user.gid,
            "extra_groups": [],
            "env": {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
        }

    def _initdb(self) -> None:
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.superuser_password + "\n")
        if self._user:
            os.chown(pwfile, self._user.uid, self._user.gid)
        pwfile.chmod(0o600)
        result = self._run_as_server_user(
            [
                str(self._bin / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
                "--no-instructions",
            ],
            capture_output=True,
            cwd=str(self.root),
        )
        pwfile.unlink()
        if result.returncode != 0:
            raise PostgresError(f"initdb failed:\n{result.stderr.decode(errors='replace')}")

    def _spawn(self) -> None:
        settings = dict(
            SERVER_SETTINGS, port=str(self.port), unix_socket_directories=str(self.socket_dir)
        )
        args = [str(self._bin / "postgres"), "-D", str(self.data_dir)]
        for name, value in settings.items():
            args += ["-c", f"{name}={value}"]
        log = open(self.log_file, "ab")
        try:
            self._process = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                cwd=str(self.root),
                preexec_fn=_die_with_parent,
                **self._user_kwargs(),  # type: ignore[arg-type]
            )
        finally:
            log.close()

    def _wait_ready(self, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                return False
            try:
                psycopg.connect(self.conninfo(), connect_timeout=2).close()
                return True
            except psycopg.OperationalError:
                time.sleep(0.05)
        return False

    def _log_tail(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")[-3000:]
        except OSError:
            return "(no log)"


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
