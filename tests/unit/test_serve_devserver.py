"""The preview HTTP server over real sockets: pretty URLs, 404, injection, livereload, shutdown."""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tornado.websocket import websocket_connect

from sitegen.errors import SitegenError
from sitegen.serve.devserver import DevServer
from sitegen.serve.hub import PROTOCOL, ReloadHub
from sitegen.serve.overlay import OVERLAY_ID, Problem
from sitegen.serve.reload_plan import FULL_RELOAD
from sitegen.serve.state import PreviewState

PAGE = "<!doctype html><html><head><title>{0}</title></head><body><p>{0}</p></body></html>"


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    out = tmp_path / "public"
    for name, text in {
        "index.html": PAGE.format("home"),
        "404.html": PAGE.format("lost"),
        "posts/hello/index.html": PAGE.format("hello"),
        "static/style.css": "body{}",
    }.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text)
    (tmp_path / "secret.txt").write_text("secret")
    return out


@pytest.fixture()
def served(root: Path) -> Iterator[tuple[DevServer, PreviewState, ReloadHub]]:
    state, hub = PreviewState(), ReloadHub()
    server = DevServer(root, state, hub, "127.0.0.1", 0)
    server.start()
    yield server, state, hub
    server.stop()


def get(server: DevServer, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def test_pages_get_the_local_livereload_script(served: tuple) -> None:
    server = served[0]
    status, headers, body = get(server, "/posts/hello/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert f'<script src="/livereload.js?port={server.port}"></script></head>'.encode() in body
    assert b"<p>hello</p>" in body


def test_livereload_js_is_served_locally(served: tuple) -> None:
    status, headers, body = get(served[0], "/livereload.js")
    assert status == 200 and headers["Content-Type"] == "application/javascript"
    assert b"LiveReload" in body


def test_pretty_url_redirect_keeps_the_query(served: tuple) -> None:
    status, headers, _ = get(served[0], "/posts/hello?x=1")
    assert status == 302 and headers["Location"] == "/posts/hello/?x=1"


def test_missing_page_gets_the_404_page_with_status_404(served: tuple) -> None:
    status, _, body = get(served[0], "/nope/")
    assert status == 404 and b"<p>lost</p>" in body and b"livereload.js" in body


def test_static_files_keep_their_bytes_and_type(served: tuple) -> None:
    status, headers, body = get(served[0], "/static/style.css")
    assert status == 200 and body == b"body{}" and headers["Content-Type"] == "text/css"
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"])
def test_nothing_outside_the_output_folder_is_served(served: tuple, path: str) -> None:
    status, _, body = get(served[0], path)
    assert status == 404 and b"secret" not in body


def test_overlay_is_injected_while_a_problem_lasts(served: tuple) -> None:
    server, state, _ = served
    state.set_problems("build", (Problem("build", "content/posts/a.md:3", "<bad>", None),))
    _, _, body = get(server, "/")
    assert OVERLAY_ID.encode() in body and b"content/posts/a.md:3" in body
    assert b"&lt;bad&gt;" in body and b"<bad>" not in body
    state.set_problems("build", ())
    _, _, body = get(server, "/")
    assert OVERLAY_ID.encode() not in body


def test_requests_wait_while_a_build_is_writing(served: tuple) -> None:
    server, state, _ = served
    results: list[int] = []
    with state.building():
        client = threading.Thread(target=lambda: results.append(get(server, "/")[0]))
        client.start()
        client.join(0.3)
        assert results == []  # held back, not served from a half-written folder
    client.join(10)
    assert results == [200]


async def _livereload_session(port: int, hub: ReloadHub) -> list[dict]:
    socket_ = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    socket_.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
    hello = json.loads(await socket_.read_message())
    socket_.write_message(json.dumps({"command": "info", "url": "http://x/", "plugins": {}}))
    while hub.client_count() == 0:
        await asyncio.sleep(0.01)
    hub.send([FULL_RELOAD])
    reload = json.loads(await socket_.read_message())
    socket_.close()
    return [hello, reload]


def test_livereload_handshake_and_reload(served: tuple) -> None:
    server, _, hub = served
    hello, reload = asyncio.run(asyncio.wait_for(_livereload_session(server.port, hub), 10))
    assert hello["command"] == "hello" and PROTOCOL in hello["protocols"]
    assert reload == FULL_RELOAD.message()


def test_busy_port_is_a_clear_error(root: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        with pytest.raises(SitegenError) as caught:
            DevServer(root, PreviewState(), ReloadHub(), "127.0.0.1", port)
    assert "already in use" in str(caught.value) and "--port" in str(caught.value)


def test_stop_ends_the_thread_and_frees_the_port(root: Path) -> None:
    before = set(threading.enumerate())
    server = DevServer(root, PreviewState(), ReloadHub(), "127.0.0.1", 0)
    server.start()
    get(server, "/")
    server.stop()
    assert set(threading.enumerate()) <= before
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", server.port))  # free again
