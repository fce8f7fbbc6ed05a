"""The store's value codec: JSON with non-finite floats, arrays as .npy, never pickle."""

from __future__ import annotations

import io
import json
import math
import pickle

import numpy as np
import pytest

from modelmap.errors import StoreError
from modelmap.store._codec import decode_array, dumps, encode_array, from_json, to_json


def test_json_round_trip_keeps_non_finite_floats():
    value = {"a": [1.5, math.inf, -math.inf], "b": {"c": math.nan}, "d": None, "e": "NaN"}
    encoded = to_json(value, "scores")
    text = dumps(encoded)
    assert text == (
        '{"a":[1.5,{"$float":"inf"},{"$float":"-inf"}],"b":{"c":{"$float":"nan"}},'
        '"d":null,"e":"NaN"}'
    )
    back = from_json(json.loads(text))
    assert back["a"] == [1.5, math.inf, -math.inf]
    assert math.isnan(back["b"]["c"])
    assert back["d"] is None and back["e"] == "NaN"


def test_json_converts_numpy_values_tuples_and_keys():
    value = {
        "n": np.int64(3),
        "x": np.float32(0.5),
        "flag": np.bool_(True),
        "t": (1, 2),
        "arr": np.array([[1, 2], [3, 4]]),
        1: "one",
    }
    assert to_json(value, "args") == {
        "n": 3,
        "x": 0.5,
        "flag": True,
        "t": [1, 2],
        "arr": [[1, 2], [3, 4]],
        "1": "one",
    }
    assert type(to_json(np.int64(3), "a")) is int


def test_json_refuses_what_it_cannot_store():
    with pytest.raises(StoreError) as info:
        to_json({"a": [1, {2, 3}]}, "result 'k1' args")
    assert str(info.value) == (
        "result 'k1' args.a[1] cannot be stored: set is not JSON\n"
        "  hint: store only numbers, strings, booleans, None, lists and dicts with string keys"
    )


def test_dumps_refuses_raw_nan():
    with pytest.raises(ValueError):
        dumps({"a": math.nan})


@pytest.mark.parametrize(
    "array",
    [
        np.array([1, 2, 3], dtype=np.int32),
        np.array([0.5, np.nan, np.inf]),
        np.array([True, False]),
        np.arange(12, dtype=np.float32).reshape(3, 4),
        np.asfortranarray(np.arange(6).reshape(2, 3)),
        np.array(["setosa", "virginica"]),
        np.array(7),
        np.zeros((0, 3)),
        np.arange(12.0).reshape(3, 4)[:, ::2],
        np.array([1.5, 2.5], dtype=">f4"),
        np.zeros(2, dtype=[("a", "<i4"), ("b", "<f8")]),
    ],
    ids=["int32", "float", "bool", "2d", "fortran", "str", "scalar", "empty", "strided",
         "big-endian", "structured"],
)
def test_array_round_trip(array):
    dtype, shape, data = encode_array(array, "x")
    assert (dtype, shape) == (str(array.dtype), list(array.shape))
    saved = io.BytesIO()
    np.save(saved, array, allow_pickle=False)
    assert data == saved.getvalue()  # exactly what np.save writes (the header is remembered)
    assert encode_array(array, "x")[2] == data
    back = decode_array(data, "x")
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)


def test_object_array_is_refused():
    with pytest.raises(StoreError) as info:
        encode_array(np.array([1, "a", None], dtype=object), "result 'k1' array 'pred_test'")
    assert str(info.value) == (
        "result 'k1' array 'pred_test' has dtype object (Python objects); the store never "
        "pickles\n  hint: convert it to a numeric, boolean or fixed-width string array, "
        "e.g. np.asarray(values, dtype=str)"
    )


def test_pickle_bytes_are_refused():
    with pytest.raises(StoreError) as info:
        decode_array(pickle.dumps(np.arange(3)), "array 'x' of result:1")
    assert str(info.value) == (
        "array 'x' of result:1 is not NumPy .npy data; refusing to load it\n"
        "  hint: the store may be damaged or written by another program; delete the item"
    )


def test_npy_holding_a_pickle_is_refused():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(StoreError) as info:
        decode_array(buffer.getvalue(), "array 'x' of result:1")
    assert str(info.value) == (
        "array 'x' of result:1 cannot be loaded without unpickling (Object arrays cannot be "
        "loaded when allow_pickle=False)\n"
        "  hint: the store never pickles; delete the item and compute it again"
    )


def test_truncated_npy_is_reported_as_damaged():
    data = encode_array(np.arange(3), "x")[2]
    with pytest.raises(StoreError) as info:
        decode_array(data[:-5], "array 'x' of result:1")
    assert str(info.value) == (
        "array 'x' of result:1 is damaged (EOF: reading array data, expected 24 bytes got 19)"
        "\n  hint: delete the item and compute it again"
    )
