"""The HTTP edge: what every request meets before any route reads it.

- Operator commands (``POST /api/...`` outside the content queue's routes) need the
  operator token, checked from the headers **before** the body is read: a request
  without it is refused at once, whatever it carries.
- Their bodies are small JSON: a declared length over ``max_body_bytes`` is refused
  before reading, and a body that streams past it is cut off with 413; what fits is
  read here, whole, before the route sees it.
- A peer that keeps presenting a wrong token is throttled (429 with Retry-After).
- One address may have at most ``MAX_IN_FLIGHT_PER_PEER`` requests in hand at once;
  more are answered 503 at once, so a flood of requests from one place cannot queue
  an operator's command behind it.
- Every response carries security headers: no framing (clickjacking of Stop and
  Blackout), no MIME sniffing, no referrer; pages get a content security policy
  unless their route set a stricter one.
"""

from __future__ import annotations

import hmac
import json
import time
from typing import Callable

from lightshow.guard.peer_limit import PeerLimit

CONTROL_PREFIX = "/api/"
CONTENT_PREFIXES = ("/api/artworks", "/api/moderation", "/api/facade-layout")
MAX_CONTROL_BODY_BYTES = 4096
WRONG_TOKENS_PER_MINUTE = 10.0
MAX_IN_FLIGHT_PER_PEER = 32
SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
PAGE_POLICY = (b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               b"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
               b"form-action 'self'")


def operator_command(method: str, path: str) -> bool:
    """A request that changes the show: it needs the operator token."""
    return method == "POST" and path.startswith(CONTROL_PREFIX) and not path.startswith(CONTENT_PREFIXES)


class HttpGuard:
    """ASGI middleware around the operator app (see the module)."""

    def __init__(self, app, token: str, max_body_bytes: int = MAX_CONTROL_BODY_BYTES,
                 clock: Callable[[], float] = time.monotonic):
        self.app, self.token, self.max_body_bytes, self.clock = app, token.encode(), max_body_bytes, clock
        self.wrong_tokens = PeerLimit(WRONG_TOKENS_PER_MINUTE / 60.0, WRONG_TOKENS_PER_MINUTE)
        self.in_flight: dict[str, int] = {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        send = _with_security_headers(send)
        peer = (scope.get("client") or ("?", 0))[0]
        if self.in_flight.get(peer, 0) >= MAX_IN_FLIGHT_PER_PEER:
            return await _refuse(send, 503, "too many requests at once from this address",
                                 [(b"retry-after", b"1")])
        self.in_flight[peer] = self.in_flight.get(peer, 0) + 1
        try:
            if not operator_command(scope["method"], scope["path"]):
                return await self.app(scope, receive, send)
            return await self._command(scope, receive, send, peer)
        finally:
            self.in_flight[peer] -= 1
            if not self.in_flight[peer]:
                del self.in_flight[peer]

    async def _command(self, scope, receive, send, peer: str):
        headers = dict(scope["headers"])
        scheme, _, given = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode("latin-1"), self.token):
            if not self.wrong_tokens.allow(peer, self.clock()):
                return await _refuse(send, 429, "too many wrong tokens from this address; wait a minute",
                                     [(b"retry-after", b"60")])
            return await _refuse(send, 401, "a valid token is needed: Authorization: Bearer TOKEN",
                                 [(b"www-authenticate", b"Bearer")])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            return await _refuse(send, 413, f"a command's body is at most {self.max_body_bytes} bytes")
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return                                      # the client went away
            body += message.get("body", b"")
            if len(body) > self.max_body_bytes:
                return await _refuse(send, 413, f"a command's body is at most {self.max_body_bytes} bytes")
            if not message.get("more_body", False):
                break
        return await self.app(scope, _replay(bytes(body), receive), send)


def _replay(body: bytes, receive):
    """A receive that gives the body already read, then whatever else the connection says."""
    given = False

    async def replayed():
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return replayed


def _with_security_headers(send):
    async def secured_send(message):
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {name.lower() for name, _ in headers}
            headers += [(name, value) for name, value in SECURITY_HEADERS if name not in names]
            if b"content-security-policy" not in names:
                headers.append((b"content-security-policy", PAGE_POLICY))
            message = {**message, "headers": headers}
        await send(message)
    return secured_send


async def validation_response(request, exc):
    """422 saying where each problem is and what was expected: never the value sent (it may be
    huge, hostile or not even JSON-encodable, such as NaN)."""
    from fastapi.responses import JSONResponse

    problems = [{"field": ".".join(str(part) for part in error.get("loc", ()) if part != "body"),
                 "problem": error.get("msg", "invalid")} for error in exc.errors()]
    return JSONResponse({"detail": problems}, status_code=422)


async def _refuse(send, status: int, reason: str, extra_headers=()) -> None:
    body = json.dumps({"detail": reason}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *extra_headers]})
    await send({"type": "http.response.body", "body": body})
