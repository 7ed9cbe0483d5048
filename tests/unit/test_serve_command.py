"""`sitegen serve` as a user runs it: a real process, a real port, Ctrl-C."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

POST = "---\ntitle: Hello\ndate: 2024-01-01\n---\n\nHello from the served site.\n"


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    (tmp_path / "sitegen.toml").write_text('title = "Command test"\n')
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / "content/posts/hello.md").write_text(POST)
    return tmp_path


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPABASE")}
    return {**env, "PYTHONUNBUFFERED": "1"}


def start(site: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--site", str(site), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
    )


@pytest.fixture()
def served(site: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    process = start(site, "--port", "0")
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("Serving http://127.0.0.1:"):
                port = int(line.split(":")[2].split("/")[0])
                break
        else:
            pytest.fail(f"serve never started: {process.stderr.read() if process.stderr else ''}")
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def fetch(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def test_serves_the_site_and_ctrl_c_exits_cleanly(served: tuple, site: Path) -> None:
    process, port = served
    status, body = fetch(port, "/posts/hello/")
    assert status == 200 and b"Hello from the served site." in body
    assert fetch(port, "/posts/hello")[0] == 302
    assert fetch(port, "/no/such/page/")[0] == 404
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True)
    assert children.stdout == ""  # no child processes to leave behind
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 0
    assert "Stopped." in process.stdout.read()
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))  # the port is free again
    assert not (site / "public").exists()  # previews never touch the deployable output
    assert (site / ".sitegen/serve/public/posts/hello/index.html").is_file()


def test_sigterm_exits_cleanly_too(served: tuple) -> None:
    process, _ = served
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0


def test_port_in_use_is_a_clear_error(site: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        process = start(site, "--port", str(port))
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1
    assert f"127.0.0.1:{port}" in stderr and "already in use" in stderr and "--port" in stderr


def test_pull_every_without_supabase_is_a_clear_error(site: Path) -> None:
    process = start(site, "--port", "0", "--pull-every", "30")
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "SUPABASE" in stderr
