"""The views of the web app; each module has ``NAME``, ``layout()`` and ``register(app, data)``."""

from __future__ import annotations

import importlib
from types import ModuleType

#: (module, title) in navigation order.
VIEWS: tuple[tuple[str, str], ...] = (
    ("menu", "Menu"), ("filter", "Filter"), ("table", "Table"), ("ranking", "Ranking"),
    ("map", "Map"),
    ("plot", "Plot"), ("time", "Time"), ("summary", "Summary"), ("history", "History"),
    ("comparison", "Comparison"), ("across", "Across jobs"), ("data", "Data"),
    ("settings", "Settings"), ("help", "Help"),
)


def modules() -> list[ModuleType]:
    return [importlib.import_module(f"modelmap.ui.views._{name}") for name, _ in VIEWS]
