"""JSON-able descriptions of plugins and projections (``modelmap plugins``, the API, Help)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

_PARAM_KEYS = ("name", "description", "type", "range", "default_value")


def jsonable(value: Any) -> Any:
    """``value`` with tuples, NumPy scalars/arrays and paths turned into JSON types."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def _parameters(info: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {key: jsonable(spec.get(key)) for key in _PARAM_KEYS}
        for spec in info.get("parameters") or ()
    ]


def default_config(info: Mapping[str, Any]) -> dict[str, Any]:
    """A job configuration with every parameter at its default, ready to copy."""
    config: dict[str, Any] = {"title": info.get("short") or info["name"], "method": info["name"]}
    for spec in info.get("parameters") or ():
        config[spec["name"]] = jsonable(spec.get("default_value"))
    return config


def plugin_entry(plugin: Any) -> dict[str, Any]:
    """Description of one :class:`~modelmap.plugins.Plugin`."""
    info = plugin.info
    entry = {
        "name": plugin.name,
        "description": info.get("description", ""),
        "short": info.get("short") or plugin.name,
        "parameters": _parameters(info),
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


def projection_entry(info: Mapping[str, Any]) -> dict[str, Any]:
    """Description of one data projection from :data:`modelmap.projection.PROJECTIONS`."""
    return {
        "name": info["name"],
        "description": info.get("description", ""),
        "short": info.get("short") or info["name"],
        "parameters": _parameters(info),
        "any_parameters": False,
        "origin": "builtin",
        "path": "",
        "default_config": default_config(info),
    }
