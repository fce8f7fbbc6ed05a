"""Encoding values for the store: arrays as ``.npy`` bytes, everything else as JSON.

Nothing is ever pickled.  Arrays are written with ``np.save(allow_pickle=False)`` and
read with ``allow_pickle=False``; object arrays are refused both ways.

JSON cannot hold NaN or infinity (PostgreSQL rejects them), so a non-finite float is
stored as the tagged object ``{"$float": "nan"}`` / ``{"$float": "inf"}`` /
``{"$float": "-inf"}`` and turned back into the float when read: scores, times, args and
histories survive a round trip unchanged.
"""

from __future__ import annotations

import io
import json
import math
import zlib
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np

from modelmap.errors import StoreError

_TAG = "$float"
_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_JSON_HINT = "store only numbers, strings, booleans, None, lists and dicts with string keys"
_NPY_MAGIC = b"\x93NUMPY"
#: Packed arrays (results' predictions and probabilities): this magic, one line of JSON
#: (the array's own dtype, the stored dtype, byte-shuffled or not), then zlib-compressed
#: ``.npy`` bytes of the stored array.  Plain ``.npy`` data (older stores) still reads.
_PACKED_MAGIC = b"MMPACK1\n"
#: Stored type of probabilities: half precision (absolute error <= 2.5e-4 in [0, 1]);
#: scores and log loss are computed from the full-precision values before storing.
PROBA_DTYPE = np.dtype(np.float16)


def dumps(value: Any) -> str:
    """The JSON serializer given to the engine: strict (no NaN), compact."""
    return json.dumps(value, allow_nan=False, separators=(",", ":"))


def to_json(value: Any, where: str) -> Any:
    """``value`` made JSON-safe; ``where`` names it in errors (e.g. ``result 'ab12' args``)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else {_TAG: _float_name(value)}
    if isinstance(value, np.generic):
        return to_json(value.item(), where)
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise StoreError(f"{where} is an object array", hint=_JSON_HINT)
        return to_json(value.tolist(), where)
    if isinstance(value, Mapping):
        return {_json_key(k, where): to_json(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise StoreError(
        f"{where} cannot be stored: {type(value).__name__} is not JSON", hint=_JSON_HINT
    )


def from_json(value: Any) -> Any:
    """Inverse of :func:`to_json` (tagged non-finite floats become floats again)."""
    if isinstance(value, dict):
        if len(value) == 1 and _TAG in value and value[_TAG] in _NONFINITE:
            return _NONFINITE[value[_TAG]]
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value


def _float_name(value: float) -> str:
    if math.isnan(value):
        return "nan"
    return "inf" if value > 0 else "-inf"


def _json_key(key: Any, where: str) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, (bool, int, float, np.generic)) or key is None:
        return json.dumps(key.item() if isinstance(key, np.generic) else key)
    raise StoreError(f"{where} has a key of type {type(key).__name__} ({key!r})", hint=_JSON_HINT)


def encode_array(value: Any, where: str) -> tuple[str, list[int], bytes]:
    """``(dtype, shape, npy_bytes)`` of an array; object arrays raise :class:`StoreError`."""
    array = np.asarray(value)
    if array.dtype.hasobject:
        raise StoreError(
            f"{where} has dtype {array.dtype} (Python objects); the store never pickles",
            hint="convert it to a numeric, boolean or fixed-width string array, "
            "e.g. np.asarray(values, dtype=str)",
        )
    if not array.flags.c_contiguous:
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        return str(array.dtype), list(array.shape), buffer.getvalue()
    return str(array.dtype), list(array.shape), _npy_header(array.dtype, array.shape) + \
        array.tobytes()


@lru_cache(maxsize=512)
def _npy_header(dtype: np.dtype, shape: tuple[int, ...]) -> bytes:
    """The ``.npy`` header ``np.save`` writes for a C-ordered array, remembered per dtype and
    shape: the bytes are the same, in 1 µs instead of 25 (a worker encodes a few arrays
    per config, thousands of configs a minute when they are small)."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False,
                 "shape": shape})
    return buffer.getvalue()


def pack_array(value: Any, where: str, *, probabilities: bool = False
               ) -> tuple[str, list[int], bytes]:
    """Like :func:`encode_array`, smaller: integers in the smallest integer type that
    holds them, ``probabilities`` in :data:`PROBA_DTYPE`, byte-shuffled and compressed.
    Decoding gives the array back in its own dtype (probabilities rounded to half
    precision)."""
    array = np.asarray(value)
    dtype, shape, _ = _checked(array, where)
    small = _smallest(array, probabilities)
    stored = np.ascontiguousarray(array.astype(small, copy=False))
    shuffle = stored.dtype.itemsize > 1 and stored.size > 1
    body = stored.view(np.uint8).reshape(-1, stored.dtype.itemsize).T.tobytes() if shuffle \
        else stored.tobytes()
    header = json.dumps({"dtype": np.lib.format.dtype_to_descr(array.dtype),
                         "stored": np.lib.format.dtype_to_descr(stored.dtype),
                         "shape": list(stored.shape), "shuffle": shuffle,
                         "rows_sum_to_one": stored.dtype != array.dtype
                         and _rows_sum_to_one(array)})
    return dtype, shape, _PACKED_MAGIC + header.encode() + b"\n" + zlib.compress(body, 6)


def _rows_sum_to_one(array: np.ndarray) -> bool:
    return array.ndim == 2 and array.shape[1] > 1 and bool(
        np.allclose(array.sum(axis=1), 1.0, rtol=0, atol=1e-6))


def _checked(array: np.ndarray, where: str) -> tuple[str, list[int], None]:
    if array.dtype.hasobject or array.dtype.kind not in "biuf":
        encode_array(array, where)  # raises for object arrays
    return str(array.dtype), list(array.shape), None


def _smallest(array: np.ndarray, probabilities: bool) -> np.dtype:
    kind = array.dtype.kind
    if kind in "iu" and array.size:
        return np.result_type(np.min_scalar_type(array.min()), np.min_scalar_type(array.max()))
    if kind == "f" and probabilities and array.size and np.isfinite(array).all() \
            and float(np.abs(array).max()) <= 1.0:
        return PROBA_DTYPE
    return array.dtype


def _unpack(raw: bytes, where: str) -> np.ndarray:
    end = raw.index(b"\n", len(_PACKED_MAGIC))
    header = json.loads(raw[len(_PACKED_MAGIC):end])
    stored = np.dtype(header["stored"])
    if stored.hasobject or np.dtype(header["dtype"]).hasobject:
        raise StoreError(f"{where} holds Python objects; refusing to load it",
                         hint="delete the item and compute it again")
    body = zlib.decompress(raw[end + 1:])
    shape = tuple(int(n) for n in header["shape"])
    if header["shuffle"]:
        body = np.frombuffer(body, np.uint8).reshape(stored.itemsize, -1).T.tobytes()
    array = np.frombuffer(body, dtype=stored).reshape(shape).astype(np.dtype(header["dtype"]))
    if header.get("rows_sum_to_one"):  # rounding moved the sums off 1: put them back
        array /= array.sum(axis=1, keepdims=True)
    return array


def decode_array(data: bytes, where: str) -> np.ndarray:
    """The array in ``.npy`` bytes; anything else (pickles, object arrays) is refused."""
    raw = bytes(data)
    if raw.startswith(_PACKED_MAGIC):
        try:
            return _unpack(raw, where)
        except (ValueError, TypeError, KeyError, zlib.error) as exc:
            raise StoreError(
                f"{where} is damaged ({exc})", hint="delete the item and compute it again"
            ) from None
    if not raw.startswith(_NPY_MAGIC):
        raise StoreError(
            f"{where} is not NumPy .npy data; refusing to load it",
            hint="the store may be damaged or written by another program; delete the item",
        )
    try:
        return np.lib.format.read_array(io.BytesIO(raw), allow_pickle=False)
    except ValueError as exc:
        if "allow_pickle" not in str(exc):
            raise StoreError(
                f"{where} is damaged ({exc})", hint="delete the item and compute it again"
            ) from None
        raise StoreError(
            f"{where} cannot be loaded without unpickling ({exc})",
            hint="the store never pickles; delete the item and compute it again",
        ) from None
    except (EOFError, OSError) as exc:
        raise StoreError(
            f"{where} is damaged ({exc})", hint="delete the item and compute it again"
        ) from None
