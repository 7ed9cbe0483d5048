"""The livereload side of the server: WebSocket clients and the reload signal.

Speaks the livereload protocol (official-7) that the livereload package's livereload.js uses:
the browser says `hello`, we answer `hello`, it sends `info`, and from then on it obeys
`reload` commands. Unlike the livereload package's own Server (which reloads per changed file
on its own timer), signals are sent only when the rebuild loop says a build completed.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable

from tornado.ioloop import IOLoop
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from sitegen.serve.reload_plan import ReloadSignal

PROTOCOL = "http://livereload.com/protocols/official-7"


class ReloadHub:
    """Connected browsers; `send` may be called from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: set[LiveReloadSocket] = set()
        self._loop: IOLoop | None = None

    def bind(self, loop: IOLoop) -> None:
        """Attach to the server's event loop (sockets may only be written from it)."""
        with self._lock:
            self._loop = loop

    def add(self, client: LiveReloadSocket) -> None:
        with self._lock:
            self._clients.add(client)

    def discard(self, client: LiveReloadSocket) -> None:
        with self._lock:
            self._clients.discard(client)

    def client_count(self) -> int:
        with self._lock:
            return len(self._clients)

    def send(self, signals: Iterable[ReloadSignal]) -> None:
        """Hand the signals to the event loop, which writes them to every client."""
        messages = [json.dumps(signal.message()) for signal in signals]
        with self._lock:
            loop = self._loop
        if messages and loop is not None:
            loop.add_callback(self._write, messages)

    def close_all(self) -> None:
        """Close every client socket and stop sending (on the event loop, during shutdown)."""
        with self._lock:
            clients = list(self._clients)
            self._clients.clear()
            self._loop = None
        for client in clients:
            client.close()

    def _write(self, messages: list[str]) -> None:
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            for message in messages:
                try:
                    client.write_message(message)
                except WebSocketClosedError:
                    self.discard(client)


class LiveReloadSocket(WebSocketHandler):
    """One browser tab running livereload.js."""

    def initialize(self, hub: ReloadHub) -> None:
        self._hub = hub

    def on_message(self, message: str | bytes) -> None:
        try:
            command = json.loads(message).get("command")
        except (ValueError, AttributeError):
            return
        if command == "hello":
            self.write_message(
                json.dumps({"command": "hello", "protocols": [PROTOCOL], "serverName": "sitegen"})
            )
        elif command == "info":
            self._hub.add(self)

    def on_close(self) -> None:
        self._hub.discard(self)
