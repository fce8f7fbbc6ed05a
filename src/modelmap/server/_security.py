"""Request guard: Host-header check (DNS rebinding), a token for writing requests, and a
limit on request bodies.

A browser page on another site can make the browser send requests to
``http://127.0.0.1:8050`` by pointing a name it controls at 127.0.0.1 (DNS rebinding);
such requests carry that name in their ``Host`` header, so only the bound host and the
allowed names are accepted.  Requests that change the store (every ``DELETE``,
``PUT`` or ``PATCH`` under ``/api``, and every ``POST`` there but the read-only
``/api/results/arrays``: ``POST /api/maps`` stores the map it computes) need the token
when one is set, and are refused outright when the server listens beyond this machine
without one.  Bodies above :data:`MAX_API_BODY` (``/api``) or :data:`MAX_UI_BODY` (the
web app's callbacks) are refused with 413 before the app reads them.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import socket
from collections.abc import Iterable
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from modelmap.server._responses import error_response

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
TOKEN_HEADER = "x-modelmap-token"
#: Largest request body under ``/api`` and elsewhere (the web app's callbacks), in bytes.
MAX_API_BODY = 1024 * 1024
MAX_UI_BODY = 16 * 1024 * 1024
#: ``POST`` routes under ``/api`` that only read.
READ_ONLY_POSTS = frozenset({"/api/results/arrays"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WRITING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def writes(method: str, path: str) -> bool:
    """Whether a request may change the store (and so needs the token)."""
    if method not in _WRITING or not (path == "/api" or path.startswith("/api/")):
        return False
    return not (method == "POST" and path.rstrip("/") in READ_ONLY_POSTS)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) means this machine only."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _wildcard_names() -> set[str]:
    names = {socket.gethostname(), socket.getfqdn()}
    try:
        names.update(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    return {n.lower() for n in names if n}


def allowed_hosts(bound: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Host names a request may name: the bound host, loopback names, and ``extra``.

    A wildcard bind (``0.0.0.0``, ``::``) also allows this machine's names and addresses.
    """
    names = {bound.strip("[]").lower(), *LOOPBACK_NAMES}
    if bound in ("0.0.0.0", "::", ""):
        names |= _wildcard_names()
    names |= {h.strip().strip("[]").lower() for h in extra if h.strip()}
    return frozenset(names)


def host_of(header: str | None) -> str | None:
    """The host part of a ``Host`` header (``[::1]:8050`` -> ``::1``), or ``None``."""
    if not header or any(c in header for c in "/\\@ \t\x00"):
        return None
    if header.startswith("["):
        end = header.find("]")
        return header[1:end].lower() if end > 0 else None
    return header.rsplit(":", 1)[0].lower() if header.count(":") == 1 else header.lower()


class Guard:
    """Pure ASGI middleware applying the Host check, the write token and the body limit."""

    def __init__(self, app: ASGIApp, *, hosts: frozenset[str], token: str | None,
                 open_deletes: bool) -> None:
        self.app = app
        self.hosts = hosts
        self.token = token
        self.open_deletes = open_deletes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        problem = self._problem(scope, headers)
        if problem is None and scope["type"] == "http":
            problem, receive = await _bounded_body(scope, headers, receive)
        if problem is None:
            await self.app(scope, receive, send)
            return
        await problem(scope, receive, send)

    def _problem(self, scope: Scope, headers: Headers):  # noqa: ANN202 - a Response or None
        if _CONTROL.search(scope.get("path", "")):
            return error_response(404, "not_found", "no such path (it holds a control "
                                  "character)")
        host = host_of(headers.get("host"))
        if host is None or host not in self.hosts:
            return error_response(400, "bad_host", "the Host header names a host this server "
                                  "does not answer for", hint="open the server by the address "
                                  "it listens on, or start it with --allow-host NAME")
        if not writes(scope.get("method", ""), scope.get("path", "")):
            return None
        if self.token is None:
            if self.open_deletes:
                return None
            return error_response(403, "forbidden", "changing the store (deleting, computing "
                                  "maps) is disabled: this server listens beyond this "
                                  "machine and has no token",
                                  hint="restart it with --token or MODELMAP_TOKEN")
        given = headers.get(TOKEN_HEADER) or _bearer(headers.get("authorization"))
        if not given:
            return error_response(401, "unauthorized", "this request changes the store and "
                                  "needs the server's token",
                                  hint="send it as 'Authorization: Bearer TOKEN' or "
                                  "'X-Modelmap-Token: TOKEN'")
        if not hmac.compare_digest(given.encode("utf-8", "replace"),
                                   self.token.encode("utf-8")):
            return error_response(403, "forbidden", "the token is wrong")
        return None


def _too_large(limit: int) -> Any:
    return error_response(413, "payload_too_large", f"the request body is larger than "
                          f"{limit} bytes", hint="send fewer ids at once")


async def _bounded_body(scope: Scope, headers: Headers, receive: Receive) -> tuple[Any, Receive]:
    """A 413 answer for a body above the limit, else ``receive`` replaying the body read."""
    path = scope.get("path", "")
    limit = MAX_API_BODY if path == "/api" or path.startswith("/api/") else MAX_UI_BODY
    declared = headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            return error_response(400, "bad_request", "the Content-Length header is not a "
                                  "number"), receive
        if int(declared) > limit:
            return _too_large(limit), receive
    if scope.get("method") in ("GET", "HEAD", "OPTIONS") and not declared:
        return None, receive
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            chunks = []
            break
        size += len(message.get("body", b""))
        if size > limit:
            return _too_large(limit), receive
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return None, replay


def _bearer(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, credentials = value.partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None
