"""JSON-able descriptions of the data projections (``modelmap plugins``, the API, Help)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modelmap.params import default_config, describe_parameters


def projection_entry(info: Mapping[str, Any]) -> dict[str, Any]:
    """Description of one data projection from :data:`modelmap.projection.PROJECTIONS`."""
    return {
        "name": info["name"],
        "description": info.get("description", ""),
        "short": info.get("short") or info["name"],
        "parameters": describe_parameters(info),
        "any_parameters": False,
        "origin": "builtin",
        "path": "",
        "default_config": default_config(info),
    }
