"""The web layer's guards: body limits, hosts, origins, CSRF tokens and security headers.

One ASGI middleware does the request-wide checks before any route runs, so no route can forget
them:

* a ``Host`` header outside the allowed hosts is refused (a page on another site cannot reach a
  loopback server through DNS rebinding);
* a state-changing request (POST …) that a browser marks as cross-site (``Origin`` of another
  host, or ``Sec-Fetch-Site: cross-site``) is refused, so another site cannot post into the
  ledger even where no token is set;
* a body larger than the limit is refused with 413, by its ``Content-Length`` or, for a
  streamed body, as soon as the bytes read pass the limit;
* every response carries a strict Content-Security-Policy (scripts, styles and images from this
  server only, no inline script) and the usual anti-sniffing and anti-framing headers.

:class:`RefuseWrites`, in front of it, refuses every state-changing request outright: ``claimtrace
serve`` adds it when it listens beyond this machine with no token, so that no route, present or
future, can be written through.

Form posts also carry a CSRF token (double submit: a random value in a ``SameSite=Strict``,
``HttpOnly`` cookie and the same value in the form).
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, Collection, MutableMapping
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "Guard",
    "RefuseWrites",
    "new_csrf_token",
    "same_secret",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "claimtrace_csrf"
CSRF_FIELD = "csrf_token"

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def new_csrf_token() -> str:
    """A fresh random CSRF token (URL-safe text)."""
    return secrets.token_urlsafe(32)


def same_secret(given: str | None, expected: str | None) -> bool:
    """Whether two secrets match, compared in constant time; an empty one never matches.

    >>> same_secret("abc", "abc"), same_secret("abc", "abd"), same_secret("", "")
    (True, False, False)
    """
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


class _TooLarge(Exception):
    """The request body passed the limit while it was being read."""


def _host_only(value: str) -> str:
    """``host`` of a ``host[:port]`` header value, lower case, IPv6 brackets kept.

    >>> _host_only("LOCALHOST:8000"), _host_only("[::1]:80"), _host_only("example.org")
    ('localhost', '[::1]', 'example.org')
    """
    value = value.strip().lower()
    if value.startswith("["):
        return value[: value.find("]") + 1] if "]" in value else value
    return value.rsplit(":", 1)[0] if ":" in value else value


class Guard:
    """ASGI middleware applying the checks in the module docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        allowed_hosts: Collection[str] | None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.allowed_hosts = (
            None if allowed_hosts is None else {_host_only(host) for host in allowed_hosts}
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {
            key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]
        }
        host = headers.get("host", "")
        if self.allowed_hosts is not None and _host_only(host) not in self.allowed_hosts:
            await _refuse(send, 400, "this server does not answer for that host name")
            return
        if scope["method"] not in _SAFE_METHODS and _cross_site(headers, host):
            await _refuse(send, 403, "cross-site requests may not change the ledger")
            return
        length = headers.get("content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await _refuse(send, 400, "Content-Length is not a number")
                return
            if declared > self.max_body_bytes:
                await _refuse(send, 413, self._too_large())
                return
        started = False
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    raise _TooLarge
            return message

        async def secured_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *_HEADERS]
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except _TooLarge:
            if started:
                raise
            await _refuse(send, 413, self._too_large())

    def _too_large(self) -> str:
        return f"the request body is larger than the limit of {self.max_body_bytes} bytes"


class RefuseWrites:
    """ASGI middleware answering 403 with ``reason`` to every request but GET, HEAD and OPTIONS,
    before any route runs."""

    def __init__(self, app: ASGIApp, *, reason: str) -> None:
        self.app = app
        self.reason = reason

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in _SAFE_METHODS:
            await _refuse(send, 403, self.reason)
            return
        await self.app(scope, receive, send)


def _cross_site(headers: dict[str, str], host: str) -> bool:
    """Whether a browser says this request comes from another site."""
    if headers.get("sec-fetch-site") == "cross-site":
        return True
    origin = headers.get("origin")
    if origin is None:
        return False
    if origin == "null":
        return True
    return urlsplit(origin).netloc.lower() != host.strip().lower()


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"detail": message, "status": status}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
