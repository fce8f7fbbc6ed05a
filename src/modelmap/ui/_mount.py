"""``mount(fastapi_app, store)``: serve the web app at ``/`` of the API's FastAPI app."""

from __future__ import annotations

import os
from typing import Any

from modelmap.store import Store


def mount(fastapi_app: Any, store: Store | str | os.PathLike[str] | None = None, *,
          wrap: Any = None) -> None:
    """Mount the Dash app at ``/`` of ``fastapi_app`` (the JSON API stays at ``/api``).

    ``store`` defaults to the app's own (``fastapi_app.state.store``); Help lists the
    plugins of ``fastapi_app.state.workspace`` when it has one.  A route already answering
    ``/`` (the API's redirect to its docs) is replaced by the web app.  ``wrap``, if given,
    wraps the web app's ASGI callable (:func:`modelmap.app.create_app` passes
    :func:`modelmap.server.beside_api` to keep ``/api`` answers JSON).
    """
    from a2wsgi import WSGIMiddleware
    from starlette.routing import Mount

    from modelmap.ui._app import create_dash

    state = getattr(fastapi_app, "state", None)
    target = store if store is not None else getattr(state, "store", None)
    if target is None:
        raise ValueError("mount() needs a store: pass one, or mount on the app of "
                         "modelmap.server.create_app(store)")
    workspace = getattr(state, "workspace", None)
    # on a non-loopback bind every write needs the token, which the app's callbacks do not
    # carry: there the app computes maps without keeping them (create_app sets this)
    keep_maps = getattr(state, "ui_writes", True)
    dash_app = create_dash(target, workspace=workspace, keep_maps=keep_maps)
    router = fastapi_app.router
    router.routes[:] = [r for r in router.routes
                        if not (getattr(r, "path", None) in ("/", "") and not isinstance(r, Mount))]
    _asset_errors_are_404(dash_app)
    ui_app: Any = WSGIMiddleware(dash_app.server, workers=8)
    fastapi_app.mount("/", wrap(ui_app) if wrap else ui_app, name="ui")
    fastapi_app.state.dash = dash_app


def _asset_errors_are_404(dash_app: Any) -> None:
    """Dash answers a component-suite path it does not know (``..%2f..``, an unregistered
    package) with an exception, i.e. a 500: make it the 404 it is."""
    from dash.exceptions import DependencyException
    from flask import Response as FlaskResponse

    def not_found(exc: Exception) -> FlaskResponse:
        return FlaskResponse('{"error":"not_found","detail":"no such file of the web app"}',
                             status=404, mimetype="application/json")

    dash_app.server.register_error_handler(DependencyException, not_found)
