"""Strict formats of identifiers taken from requests (nothing becomes a path)."""

from __future__ import annotations

import re

from modelmap.queries._errors import InvalidQueryError

#: Dataset names: plugin names (letters, digits, underscore).
DATASET_PATTERN = r"^[A-Za-z0-9_]{1,100}$"
#: A full result key (64 hex digits, ``.fN`` for a fold result) or its first 4+ digits.
KEY_PATTERN = r"^[0-9a-f]{4,64}(\.f[0-9]{1,4})?$"
#: A classifier-map key (SHA-256 hex).
MAP_KEY_PATTERN = r"^[0-9a-f]{64}$"
#: Largest row id accepted in a request.
MAX_ID = 2**53

_DATASET = re.compile(DATASET_PATTERN)
_KEY = re.compile(KEY_PATTERN)
_MAP_KEY = re.compile(MAP_KEY_PATTERN)


def dataset_name(name: str) -> str:
    if not isinstance(name, str) or not _DATASET.fullmatch(name):
        raise InvalidQueryError(f"{name!r} is not a dataset name",
                                hint="dataset names are made of A-Z, a-z, 0-9 and _")
    return name


def result_key(key: str) -> str:
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise InvalidQueryError(f"{key!r} is not a result key",
                                hint="give at least 4 lowercase hex digits of the key")
    return key


def map_key(key: str) -> str:
    if not isinstance(key, str) or not _MAP_KEY.fullmatch(key):
        raise InvalidQueryError(f"{key!r} is not a map key", hint="a map key is 64 hex digits")
    return key


def row_id(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise InvalidQueryError(f"{value!r} is not a {what} id",
                                hint=f"{what} ids are positive integers")
    return value
