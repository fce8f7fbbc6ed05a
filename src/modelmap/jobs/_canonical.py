"""Canonical JSON and content hashes: the keys under which configurations are stored.

Two values that mean the same configuration give the same text: keys are sorted,
there is no whitespace, tuples become lists, NumPy scalars and arrays become Python
values and ``-0.0`` becomes ``0.0``.  Ints and floats stay distinct (``1`` is not ``1.0``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def to_plain(obj: Any) -> Any:
    """A JSON-like copy of ``obj`` (dict with str keys, list, str, int, float, bool, None)."""
    kind = type(obj)
    if kind is str or kind is int or kind is bool or obj is None:
        return obj
    if kind is dict:
        if all(type(key) is str for key in obj):
            return {key: to_plain(value) for key, value in obj.items()}
    elif kind is list:
        return [to_plain(item) for item in obj]
    if kind.__module__ == "numpy":
        if hasattr(obj, "tolist"):
            return to_plain(obj.tolist())
        raise TypeError(f"{type(obj).__name__} is not a JSON-like value")
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return float(obj) + 0.0  # -0.0 + 0.0 == 0.0
    if isinstance(obj, Mapping):
        plain = {}
        for key, value in obj.items():
            if not isinstance(key, str):
                raise TypeError(f"object keys must be strings; got {key!r}")
            plain[key] = to_plain(value)
        return plain
    if isinstance(obj, (list, tuple)):
        return [to_plain(item) for item in obj]
    raise TypeError(f"{type(obj).__name__} is not a JSON-like value: {obj!r}")


def canonical_json(obj: Any) -> str:
    """Canonical JSON text of ``obj`` (raises ValueError for NaN or infinite numbers)."""
    try:
        return json.dumps(
            to_plain(obj),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=True,
            allow_nan=False,
        )
    except ValueError as exc:
        raise ValueError(f"NaN and infinite numbers have no canonical JSON form: {exc}") from None


def content_hash(*parts: Any) -> str:
    """SHA-256 hex digest of the canonical JSON of ``parts`` (first 16 chars: the short key)."""
    return hashlib.sha256(canonical_json(list(parts)).encode("ascii")).hexdigest()
