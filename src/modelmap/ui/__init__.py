"""The visual-analytics web app (Dash + Plotly), mounted at ``/`` of the results server.

``create_dash(store)`` builds the Dash app; ``mount(fastapi_app, store)`` serves it at
``/`` of the FastAPI app whose JSON API is under ``/api``.  Both read the store through
the same query layer, in process.  See ``docs/ui.md`` for a tour of the views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["create_dash", "mount"]

if TYPE_CHECKING:  # pragma: no cover
    from modelmap.ui._app import create_dash
    from modelmap.ui._mount import mount


def __getattr__(name: str) -> Any:  # Dash is imported only when the app is built
    if name == "create_dash":
        from modelmap.ui._app import create_dash

        return create_dash
    if name == "mount":
        from modelmap.ui._mount import mount

        return mount
    raise AttributeError(f"module 'modelmap.ui' has no attribute {name!r}")
