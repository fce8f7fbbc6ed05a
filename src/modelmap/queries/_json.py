"""Turning stored values into strict JSON values (no NaN, no NumPy types)."""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

ENCODINGS = ("json", "base64")


def clean(value: Any) -> Any:
    """``value`` as strict JSON: NaN and infinities become ``None``, arrays become lists."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, Mapping):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return array_values(value)
    if isinstance(value, np.generic):
        return clean(value.item())
    return str(value)


def array_values(array: np.ndarray) -> Any:
    """Nested lists of an array; non-finite floats become ``None``."""
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        return clean(array.astype(object).tolist())
    if array.dtype.kind in "SUO":
        return clean(array.astype(str).tolist())
    return array.tolist()


def compact_dtype(array: np.ndarray) -> np.ndarray:
    """Integers as little-endian int32, floats as float32, booleans as uint8."""
    kind = array.dtype.kind
    if kind == "b":
        return array.astype("<u1")
    if kind in "iu":
        return array.astype("<i4")
    if kind == "f":
        return array.astype("<f4")
    return array


def encode_array(array: np.ndarray, encoding: str) -> dict[str, Any]:
    """``{"dtype", "shape", "data"}``: data as nested lists or base64 of the raw bytes.

    With ``base64`` the bytes are little-endian ``int32``/``float32``/``uint8`` in C order
    (JavaScript: ``new Float32Array(bytes.buffer)``).
    """
    array = np.asarray(array)
    if encoding == "base64" and array.dtype.kind in "biuf":
        packed = np.ascontiguousarray(compact_dtype(array))
        return {"dtype": str(packed.dtype.newbyteorder("=")), "shape": list(array.shape),
                "encoding": "base64", "data": base64.b64encode(packed.tobytes()).decode("ascii")}
    return {"dtype": str(array.dtype), "shape": list(array.shape), "encoding": "json",
            "data": array_values(array)}
