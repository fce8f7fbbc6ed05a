"""JSON-able descriptions of plugins (``modelmap plugins``, the API, Help).

Projections describe themselves in :mod:`modelmap.projection` (``projection_entry``).
"""

from __future__ import annotations

from typing import Any

from modelmap.params import default_config, describe_parameters, jsonable


def plugin_entry(plugin: Any) -> dict[str, Any]:
    """Description of one :class:`~modelmap.plugins.Plugin`."""
    info = plugin.info
    entry = {
        "name": plugin.name,
        "description": info.get("description", ""),
        "short": info.get("short") or plugin.name,
        "parameters": describe_parameters(info),
        "any_parameters": bool(info.get("any_parameters")),
        "origin": plugin.origin,
        "path": str(plugin.path),
        "source_hash": plugin.source_hash,
    }
    if plugin.kind == "dataset":
        entry["class_names"] = [  # numbers (the seed allows [0, 1, 2]) as the strings used
            n if isinstance(n, str) or isinstance(n, bool) else str(n)
            for n in jsonable(list(info.get("class_names") or []))
        ]
    else:
        entry["default_config"] = default_config(info)
    return entry
