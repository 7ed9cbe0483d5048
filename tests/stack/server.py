"""HTTP/1.1 transport: stdlib ThreadingHTTPServer with keep-alive, one thread per connection.

The stdlib server is enough here: httpx speaks HTTP/1.1 over plain http, requests are small, and
the database (not the transport) is the bottleneck. This module only turns bytes into `Request`
values and `Response` values into bytes, and applies injected faults, which need the socket.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from tests.stack.faults import FaultInjector
from tests.stack.gateway import CONTROL_PATH, Gateway
from tests.stack.http import Headers, Response

MAX_BODY = 64 * 1024 * 1024
IDLE_TIMEOUT = 120


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    gateway: Gateway
    faults: FaultInjector


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sitegen-stack"
    timeout = IDLE_TIMEOUT
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Responses go out in one write, so Nagle would only add latency.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._handle()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: request logs would drown test output (and could echo tokens)."""

    def _handle(self) -> None:
        target = urlsplit(self.path)
        # httpx writes the headers and the body of a request separately; with Nagle on its side
        # and a delayed ACK on ours, the body would wait ~40 ms. ACK the headers at once.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        body = self._read_body()
        if body is None:
            return
        method = self.command
        if target.path != CONTROL_PATH:
            fault = self.server.faults.take(method, target.path)
            if fault is not None:
                if fault.action == "drop":
                    self._drop()
                    return
                if fault.action == "status":
                    self._write(_fault_response(fault.status, fault.retry_after), method)
                    return
                time.sleep(fault.seconds)
        headers = Headers(self.headers.items())
        query = parse_qsl(target.query, keep_blank_values=True)
        try:
            response = self.server.gateway.dispatch(method, target.path, query, headers, body)
        except Exception:  # a bug in the stack: answer 500 and keep serving
            traceback.print_exc()
            response = Response.json(
                500, {"message": "internal stack error", "statusCode": "500", "error": "internal"}
            )
        self._write(response, method)

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._write(Response.json(413, {"message": "Payload too large"}), self.command)
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline().strip():  # trailers
                    pass
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _write(self, response: Response, method: str) -> None:
        """Status line, headers and body in a single write (see `setup`)."""
        self.send_response(response.status)
        for name, value in response.headers:
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        head = b"".join(self._headers_buffer) + b"\r\n"
        self._headers_buffer = []
        self.wfile.write(head + (response.body if method != "HEAD" else b""))

    def _drop(self) -> None:
        """Close the TCP connection without a response (client sees a protocol error)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _fault_response(status: int, retry_after: int | None) -> Response:
    headers = [("Retry-After", str(retry_after))] if retry_after is not None else []
    body = {
        "message": "injected fault",
        "code": str(status),
        "statusCode": str(status),
        "error": "injected_fault",
    }
    return Response(
        status, [("Content-Type", "application/json"), *headers], json.dumps(body).encode()
    )


class HttpServer:
    """Binds host:port at construction (so the URL is known), serves after `start(gateway)`."""

    def __init__(self, faults: FaultInjector, host: str, port: int) -> None:
        self._server = _Server((host, port), _Handler)
        self._server.faults = faults
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            daemon=True,
            name="stack-http",
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def start(self, gateway: Gateway) -> None:
        self._server.gateway = gateway
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
