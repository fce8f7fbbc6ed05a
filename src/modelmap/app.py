"""``create_app(store)``: the whole results server, the JSON API with the web app at ``/``.

The API (:mod:`modelmap.server`) and the web app (:mod:`modelmap.ui`) do not know each
other; this factory, one layer above both, builds the API and mounts the web app on it.
``modelmap serve`` serves what it returns.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from fastapi import FastAPI

    from modelmap.store import Store


def create_app(store: Store | str | os.PathLike[str], *, ui: bool = True,
               **options: Any) -> FastAPI:
    """The FastAPI app of ``store``: the JSON API under ``/api`` and, unless ``ui=False``,
    the web app at ``/`` (else ``/`` redirects to the API docs).

    ``options`` are those of :func:`modelmap.server.create_app` (``workspace``, ``host``,
    ``token``, ``allow_hosts``, ``debug``).
    """
    from modelmap.server import beside_api
    from modelmap.server import create_app as create_api

    app = create_api(store, **options)
    if ui:
        from modelmap.ui import mount

        mount(app, app.state.store, wrap=lambda ui_app: beside_api(app, ui_app))
    return app
