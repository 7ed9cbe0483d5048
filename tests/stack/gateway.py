"""The API gateway: route by service prefix, enforce the API-key rule, verify the bearer JWT.

Mirrors Supabase's Kong in front of GoTrue, PostgREST and storage-api (supabase-wire.md §1.7):
1. an `Authorization` header that is not `Bearer sb_…` passes through unchanged;
2. otherwise `apikey` = secret key → the service_role JWT; publishable key → the anon JWT;
3. otherwise the raw `apikey` value becomes the bearer.
Like the hosted gateway, a request without a known `apikey` gets 401 — except browser-style GETs
of public and signed object URLs. `/_stack/faults` is the stack's own control endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import unquote

from tests.stack.faults import Fault, FaultInjector
from tests.stack.http import Headers, Request, Response
from tests.stack.tokens import ApiKeys, Credentials, credentials_for

Handler = Callable[[Request, Credentials], Response]

SERVICE_PREFIXES = ("/auth/v1", "/rest/v1", "/storage/v1")
KEYLESS_GET_PREFIXES = ("/storage/v1/object/public/", "/storage/v1/object/sign/")
CONTROL_PATH = "/_stack/faults"


class Gateway:
    def __init__(self, keys: ApiKeys, services: dict[str, Handler], faults: FaultInjector) -> None:
        self.keys = keys
        self.services = services
        self.faults = faults

    def dispatch(
        self, method: str, path: str, query: list[tuple[str, str]], headers: Headers, body: bytes
    ) -> Response:
        """`path` is the raw (still percent-encoded) request path."""
        if path == CONTROL_PATH:
            return self._control(method, headers, query, body)
        prefix = next((p for p in SERVICE_PREFIXES if path == p or path.startswith(p + "/")), None)
        if prefix is None:
            return Response.json(404, {"message": "no Route matched with those values"})
        apikey = headers.get("apikey") or _first(query, "apikey")
        keyless = method in ("GET", "HEAD") and path.startswith(KEYLESS_GET_PREFIXES)
        if not keyless:
            if not apikey:
                return Response.json(
                    401,
                    {
                        "message": "No API key found in request",
                        "hint": "No `apikey` request header or url param was found.",
                    },
                )
            if apikey not in self.keys.all():
                return Response.json(
                    401,
                    {
                        "message": "Invalid API key",
                        "hint": "Double check your Supabase `anon` or `service_role` API key.",
                    },
                )
        creds = credentials_for(self.keys.jwt_secret, self._bearer(headers, apikey))
        service_query = [(key, value) for key, value in query if key != "apikey"]
        request = Request(method, unquote(path[len(prefix) :]) or "/", service_query, headers, body)
        return self.services[prefix](request, creds)

    def _bearer(self, headers: Headers, apikey: str | None) -> str | None:
        """The key rule of §1.7 (see module docstring)."""
        authorization = headers.get("authorization")
        if authorization:
            scheme, _, token = authorization.strip().partition(" ")
            if scheme.lower() == "bearer" and not token.strip().startswith("sb_"):
                return token.strip()
            if scheme.lower() != "bearer":
                return authorization.strip()  # verification fails with a clear message
        if apikey == self.keys.secret_key:
            return self.keys.service_key
        if apikey == self.keys.publishable_key:
            return self.keys.anon_key
        return apikey

    def _control(
        self, method: str, headers: Headers, query: list[tuple[str, str]], body: bytes
    ) -> Response:
        """Fault control, service-role only: POST adds a fault, DELETE clears, GET lists."""
        apikey = headers.get("apikey") or _first(query, "apikey")
        creds = credentials_for(self.keys.jwt_secret, self._bearer(headers, apikey))
        if creds.role != "service_role":
            return Response.json(401, {"message": "the service_role key is required"})
        if method == "GET":
            return Response.json(200, [fault.describe() for fault in self.faults.active()])
        if method == "DELETE":
            self.faults.clear()
            return Response(204)
        if method == "POST":
            try:
                data = json.loads(body or b"{}")
                fault = self.faults.add(Fault.from_json(data))
            except (ValueError, TypeError) as exc:
                return Response.json(400, {"message": f"invalid fault: {exc}"})
            return Response.json(201, fault.describe())
        return Response.json(405, {"message": "use GET, POST or DELETE"})


def _first(query: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in query if key == name), None)
