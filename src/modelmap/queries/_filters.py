"""Filters (``FIELD OP VALUE``) and sort orders (``-field,other``) on flat result fields."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from modelmap.queries._errors import InvalidQueryError

OPERATORS = ("<=", ">=", "!=", "=", "<", ">", "~")
_FILTER = re.compile(r"^\s*([A-Za-z0-9_.\-]{1,200})\s*(<=|>=|!=|=|<|>|~)(.{0,1000})$", re.S)
_FIELD = re.compile(r"^[A-Za-z0-9_.\-]{1,200}$")
MAX_SORT_FIELDS = 5
Predicate = Callable[[dict[str, Any]], bool]


def _value(text: str) -> Any:
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        return text


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _equal(a: Any, b: Any) -> bool:
    x, y = _number(a), _number(b)
    if x is not None and y is not None:
        return x == y
    return a == b


def _compare(op: str, a: Any, b: Any) -> bool:
    x, y = _number(a), _number(b)
    if x is None or y is None:
        if not (isinstance(a, str) and isinstance(b, str)):
            return False
        x, y = a, b  # type: ignore[assignment]
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]  # type: ignore[operator]


def _unknown(field: str, known: Iterable[str], what: str) -> InvalidQueryError:
    names = sorted(known)
    shown = ", ".join(names[:40]) + (" ..." if len(names) > 40 else "")
    return InvalidQueryError(f"unknown {what} field {field!r}", hint=f"known fields: {shown}")


def parse_filter(text: str, known: frozenset[str]) -> Predicate:
    """A predicate for ``FIELD OP VALUE`` (VALUE is JSON, or else plain text)."""
    match = _FILTER.fullmatch(text)
    if match is None:
        raise InvalidQueryError(f"cannot read the filter {text!r}",
                                hint="write FIELD OP VALUE with OP one of "
                                f"{' '.join(OPERATORS)}, e.g. test_accuracy>=0.9 or "
                                "param_kernel=rbf")
    field, op, raw = match.groups()
    if field not in known:
        raise _unknown(field, known, "filter")
    wanted = _value(raw)

    def predicate(record: dict[str, Any]) -> bool:
        if field not in record:
            return op == "!="
        value = record[field]
        if op == "=":
            return _equal(value, wanted)
        if op == "!=":
            return not _equal(value, wanted)
        if op == "~":
            return str(wanted).lower() in str(value).lower()
        return _compare(op, value, wanted)

    return predicate


def parse_sort(text: str | None, known: frozenset[str]) -> list[tuple[str, bool]]:
    """``[(field, descending)]`` from ``"-test_accuracy,title"``."""
    if not text:
        return []
    order = []
    for part in text.split(","):
        part = part.strip()
        descending = part.startswith("-")
        field = part.lstrip("+-").strip()
        if not _FIELD.fullmatch(field):
            raise InvalidQueryError(f"cannot read the sort field {part!r}",
                                    hint="e.g. sort=-test_accuracy,title")
        if field not in known:
            raise _unknown(field, known, "sort")
        order.append((field, descending))
    if len(order) > MAX_SORT_FIELDS:
        raise InvalidQueryError(f"at most {MAX_SORT_FIELDS} sort fields are allowed")
    return order


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _key(value: Any) -> tuple[int, Any]:
    number = _number(value)
    if number is not None:
        return (0, number)
    if isinstance(value, bool):
        return (0, float(value))
    if isinstance(value, str):
        return (1, value.lower())
    return (2, json.dumps(value, sort_keys=True, default=str))


def sort_indices(flat: Sequence[dict[str, Any]], order: list[tuple[str, bool]],
                 indices: list[int]) -> list[int]:
    """``indices`` sorted by ``order``; missing values always come last."""
    for field, descending in reversed(order):
        present = [i for i in indices if not _missing(flat[i].get(field))]
        absent = [i for i in indices if _missing(flat[i].get(field))]
        present.sort(key=lambda i: _key(flat[i][field]), reverse=descending)
        indices = present + absent
    return indices
