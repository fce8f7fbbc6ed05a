"""Canonical JSON and content hashes."""

from __future__ import annotations

import hashlib
from types import MappingProxyType

import numpy as np
import pytest

from modelmap.jobs import canonical_json, content_hash


def test_sorted_compact_and_ascii() -> None:
    value = {"b": [1, 2.5, True, None], "a": {"z": "é", "y": (1, 2)}}
    assert canonical_json(value) == '{"a":{"y":[1,2],"z":"\\u00e9"},"b":[1,2.5,true,null]}'


def test_ints_and_floats_stay_distinct_but_negative_zero_does_not() -> None:
    assert canonical_json([1, 1.0, -0.0, 0.0, 0]) == "[1,1.0,0.0,0.0,0]"
    assert content_hash(1) != content_hash(1.0)
    assert content_hash(-0.0) == content_hash(0.0)


def test_numpy_values_become_python_values() -> None:
    value = {"i": np.int64(3), "f": np.float32(0.5), "b": np.bool_(True), "a": np.arange(3)}
    assert canonical_json(value) == '{"a":[0,1,2],"b":true,"f":0.5,"i":3}'
    assert canonical_json(MappingProxyType({"x": (np.float64(-0.0),)})) == '{"x":[0.0]}'


def test_content_hash_is_the_sha256_of_the_canonical_parts() -> None:
    digest = content_hash("kneighbors", {"n_neighbors": 1})
    expected = hashlib.sha256(b'["kneighbors",{"n_neighbors":1}]').hexdigest()
    assert digest == expected
    assert digest == "aa9464968e342d093b17ac794fc2a8aaedf345dee8b1acb525c2ae9036622a3a"
    assert content_hash({"a": 1, "b": 2}) == content_hash({"b": 2, "a": 1})
    assert content_hash("a", "b") != content_hash("ab") != content_hash(["a", "b"])


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (float("nan"), ValueError, "NaN and infinite numbers have no canonical JSON form"),
        ({1: "a"}, TypeError, "object keys must be strings; got 1"),
        ({"s": {1, 2}}, TypeError, "set is not a JSON-like value: {1, 2}"),
    ],
)
def test_values_without_canonical_form(value: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message.replace("{", "\\{").replace("}", "\\}")):
        canonical_json(value)
