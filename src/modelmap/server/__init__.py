"""The results server: ``create_app(store)`` builds the FastAPI app (JSON API under ``/api``).

Routes validate requests and serialize answers; the work is done by the query layer,
:mod:`modelmap.queries`, which the web app and ``modelmap cache`` call as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["beside_api", "create_app", "is_loopback"]

if TYPE_CHECKING:  # pragma: no cover
    from modelmap.server._app import beside_api, create_app
    from modelmap.server._security import is_loopback


def __getattr__(name: str) -> Any:  # FastAPI is imported only when the app is built
    if name in ("create_app", "beside_api"):
        from modelmap.server import _app

        return getattr(_app, name)
    if name == "is_loopback":  # for `modelmap serve`'s check of --host
        from modelmap.server._security import is_loopback

        return is_loopback
    raise AttributeError(f"module 'modelmap.server' has no attribute {name!r}")
