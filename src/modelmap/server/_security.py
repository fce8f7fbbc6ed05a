"""Request guard: Host-header check (DNS rebinding) and a token for deleting requests.

A browser page on another site can make the browser send requests to
``http://127.0.0.1:8050`` by pointing a name it controls at 127.0.0.1 (DNS rebinding);
such requests carry that name in their ``Host`` header, so only the bound host and the
allowed names are accepted.  Deleting requests (``DELETE``) need the token when one is
set, and are refused outright when the server listens beyond this machine without one.
"""

from __future__ import annotations

import hmac
import ipaddress
import socket
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from modelmap.server._responses import error_response

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
TOKEN_HEADER = "x-modelmap-token"


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
    """Pure ASGI middleware applying the Host check and the delete token."""

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
        if problem is None:
            await self.app(scope, receive, send)
            return
        await problem(scope, receive, send)

    def _problem(self, scope: Scope, headers: Headers):  # noqa: ANN202 - a Response or None
        host = host_of(headers.get("host"))
        if host is None or host not in self.hosts:
            return error_response(400, "bad_host", "the Host header names a host this server "
                                  "does not answer for", hint="open the server by the address "
                                  "it listens on, or start it with --allow-host NAME")
        if scope.get("method") != "DELETE":
            return None
        if self.token is None:
            if self.open_deletes:
                return None
            return error_response(403, "forbidden", "deleting is disabled: this server listens "
                                  "beyond this machine and has no token",
                                  hint="restart it with --token or MODELMAP_TOKEN")
        given = headers.get(TOKEN_HEADER) or _bearer(headers.get("authorization"))
        if not given:
            return error_response(401, "unauthorized", "deleting needs the server's token",
                                  hint="send it as 'Authorization: Bearer TOKEN' or "
                                  "'X-Modelmap-Token: TOKEN'")
        if not hmac.compare_digest(given.encode("utf-8", "replace"),
                                   self.token.encode("utf-8")):
            return error_response(403, "forbidden", "the token is wrong")
        return None


def _bearer(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, credentials = value.partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None
