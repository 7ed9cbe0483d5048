"""HTTP server for the preview: the output folder, livereload.js and its WebSocket.

tornado (which comes with livereload) runs on its own thread with its own event loop, so the
main thread stays free to wait for Ctrl-C. The listening socket is bound in the constructor,
on the caller's thread, so a busy port is reported before anything else starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import mimetypes
import socket
import threading
from pathlib import Path

import livereload
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from sitegen.console import detail
from sitegen.errors import SitegenError
from sitegen.serve.hub import LiveReloadSocket, ReloadHub
from sitegen.serve.overlay import inject_at_body_end, inject_into_head, overlay_html
from sitegen.serve.routes import Found, Redirect, resolve
from sitegen.serve.state import PreviewState

LIVERELOAD_JS = Path(livereload.__file__).parent / "vendors" / "livereload.js"
BARE_NOT_FOUND = b"<!doctype html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"
SHUTDOWN_SECONDS = 2.0


class DevServer:
    """Serves `root` on host:port until `stop()`; bind errors raise SitegenError at once."""

    def __init__(
        self, root: Path, state: PreviewState, hub: ReloadHub, host: str, port: int
    ) -> None:
        self._sockets = _bind(host, port)
        self.port: int = self._sockets[0].getsockname()[1]
        self._app = Application(
            [
                (r"/livereload", LiveReloadSocket, {"hub": hub}),
                (r"/livereload\.js", LiveReloadScript),
                (r"/.*", SiteHandler, {"root": root, "state": state, "port": self.port}),
            ],
            log_function=_log_request,
        )
        self._hub = hub
        self._thread = threading.Thread(target=self._run, name="sitegen-http", daemon=True)
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    def start(self) -> None:
        self._thread.start()
        self._ready.wait()

    def stop(self) -> None:
        """Close every connection and the listening socket, and end the server thread."""
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join()
        for sock in self._sockets:
            sock.close()

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        finally:
            self._ready.set()  # never leave start() waiting, even if serving failed

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        server = HTTPServer(self._app)
        server.add_sockets(self._sockets)
        self._hub.bind(IOLoop.current())
        self._ready.set()
        await self._stop.wait()
        server.stop()
        self._hub.close_all()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.close_all_connections(), SHUTDOWN_SECONDS)


def _bind(host: str, port: int) -> list[socket.socket]:
    try:
        return bind_sockets(port, address=host)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise SitegenError(
                f"cannot serve on {host}:{port}: the port is already in use",
                hint=f"stop the program using it, or pick another port: sitegen serve --port {port + 1}",
            ) from None
        raise SitegenError(
            f"cannot serve on {host}:{port}: {exc.strerror or exc}", hint="check --host and --port"
        ) from None


def _log_request(handler: RequestHandler) -> None:
    request = handler.request
    detail(
        f"{handler.get_status()} {request.method} {request.uri} "
        f"{1000 * request.request_time():.1f} ms"
    )


class LiveReloadScript(RequestHandler):
    """livereload.js from the installed livereload package: served locally, never a CDN."""

    def get(self) -> None:
        self.set_header("Content-Type", "application/javascript")
        self.set_header("Cache-Control", "no-store")
        self.finish(LIVERELOAD_JS.read_bytes())


class SiteHandler(RequestHandler):
    """Files of the output folder, with pretty URLs, the 404 page, livereload and the overlay."""

    def initialize(self, root: Path, state: PreviewState, port: int) -> None:
        self._root = root
        self._state = state
        self._script = (
            f'<script src="/livereload.js?port={port}"></script>'  # port: see livereload.js
        )

    async def get(self) -> None:
        await self._state.wait_until_idle()
        outcome = resolve(self._root, self.request.path)
        if isinstance(outcome, Redirect):
            query = f"?{self.request.query}" if self.request.query else ""
            self.redirect(outcome.location + query)
            return
        file = outcome.file if isinstance(outcome, Found) else outcome.page
        self.set_status(200 if isinstance(outcome, Found) else 404)
        self.set_header("Cache-Control", "no-store")
        try:
            body = file.read_bytes() if file is not None else BARE_NOT_FOUND
        except OSError:  # removed between resolving and reading
            self.set_status(404)
            body, file = BARE_NOT_FOUND, None
        content_type = mimetypes.guess_type(file.name)[0] if file is not None else "text/html"
        if content_type == "text/html":
            body = self._decorate(body)
            content_type += "; charset=utf-8"
        self.set_header("Content-Type", content_type or "application/octet-stream")
        self.finish(body)

    head = get

    def _decorate(self, page: bytes) -> bytes:
        """Add livereload.js and, while something is failing, the error overlay."""
        page = inject_into_head(page, self._script)
        return inject_at_body_end(page, overlay_html(self._state.problems()))
