"""The app factory: ``create_app(store)`` builds the FastAPI app of a results store."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from typing import Any

from fastapi import FastAPI
from starlette.routing import Mount, Router
from fastapi.responses import RedirectResponse

import modelmap
from modelmap.server import _contract, _errors, _routes, _routes_admin, _routes_compare
from modelmap.server._response_cache import ResponseCache
from modelmap.server._responses import StrictJSONResponse
from modelmap.server._security import Guard, allowed_hosts, is_loopback
from modelmap.store import Store

DESCRIPTION = """The JSON API of a modelmap results store: datasets, jobs, classifier
results, predictions, data projections and classifier maps; deleting and exporting.

Every error is `{"error": ..., "detail": ...}`.  Requests that change the store (any
DELETE, POST /api/maps) need the server's token (`Authorization: Bearer TOKEN` or
`X-Modelmap-Token: TOKEN`) when it has one, and are refused on a non-loopback bind without
one.  Bodies are at most 1 MB."""


def create_app(
    store: Store | str | os.PathLike[str],
    *,
    workspace: str | os.PathLike[str] | None = None,
    host: str = "127.0.0.1",
    token: str | None = None,
    allow_hosts: Iterable[str] = (),
    debug: bool = False,
) -> FastAPI:
    """The FastAPI app serving ``store`` (a :class:`Store` or a URL/path).

    ``host`` is the address the server is bound to: requests must name it (or a loopback
    name, or one of ``allow_hosts``) in their Host header.  With a ``token``, every
    writing request (any DELETE, POST /api/maps) must carry it; without one, writing is
    only allowed when ``host`` is a loopback address.  ``workspace`` is where plugins are
    found (for ``/api/info``).  The JSON API is under ``/api`` (OpenAPI at
    ``/api/openapi.json``, docs at ``/api/docs``); ``/`` redirects to the API docs until
    the caller mounts something there (:func:`modelmap.app.create_app` mounts the web app,
    wrapped in :func:`beside_api`).  Without ``debug``, answers carry no absolute path,
    host name or process id of the server (see :mod:`._public`).
    """
    owned = not isinstance(store, Store)
    target = Store(store) if owned else store

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            target.close()

    app = FastAPI(title="modelmap", version=modelmap.__version__, description=DESCRIPTION,
                  openapi_url="/api/openapi.json", docs_url="/api/docs", redoc_url=None,
                  default_response_class=StrictJSONResponse, lifespan=lifespan)
    app.state.store = target
    app.state.workspace = Path(workspace).resolve() if workspace is not None else None
    app.state.token = token or None
    app.state.debug = debug
    app.state.ui_writes = is_loopback(host)  # the web app's callbacks carry no token
    app.state.responses = ResponseCache()
    _errors.install(app)
    _contract.install(app)
    app.include_router(_routes.router)
    app.include_router(_routes_admin.router)
    app.include_router(_routes_compare.router)

    @app.get("/", include_in_schema=False)
    def index() -> RedirectResponse:
        return RedirectResponse("/api/docs")

    app.add_middleware(Guard, hosts=allowed_hosts(host, allow_hosts), token=token or None,
                       open_deletes=is_loopback(host))
    return app


def beside_api(app: FastAPI, asgi_app: Any) -> Any:
    """``asgi_app`` (a web app to mount at ``/`` of ``app``) behind a guard that sends every
    request under ``/api`` that no API route answered back to the API routes alone, so that
    it gets the API's JSON 404 or 405, never a web page."""
    return _ApiFallback(asgi_app, app.router)


class _ApiFallback:
    """In front of the web app mounted at ``/``: a request under ``/api`` that no API route
    answered fully goes back to the API routes alone, so it gets the API's JSON 405 (path
    known, method not) or 404 — never a web page."""

    def __init__(self, ui_app: Any, router: Any) -> None:
        self.ui_app = ui_app
        self.router = router
        self._api: Router | None = None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == "/api" or path.startswith("/api/")):
            await self.ui_app(scope, receive, send)
            return
        if self._api is None:
            self._api = Router(routes=[r for r in self.router.routes
                                       if not isinstance(r, Mount)])
        await self._api({**scope, "root_path": ""}, receive, send)
