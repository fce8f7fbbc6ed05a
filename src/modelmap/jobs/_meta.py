"""The values one parameter takes: a fixed value, a meta parameter's values, or a range.

A range works like ``for (v = min; v <= max; v += step)`` (or ``v *= step``); when
``max`` lies below ``min`` it counts down (``v >= max``).  Values are computed from
the start (``min + i * step``, ``min * step ** i``) and rounded to 12 significant
digits (of the range's scale for add ranges), so 0.1 steps give 0.3 and not
0.30000000000000004, and 0.0 rather than 5.6e-17; ints stay ints when ``min`` and the
step are ints.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._problems import Problems, is_number, join_path, listing, show, suggest

META_KEYS = ("is_meta", "values", "min", "max", "step")
STEP_KEYS = ("type", "value")
_HUGE = 10**308  # the count of a range too wide for floats
_RANGE_FORM = '"min", "max" and "step": {"type": "add" or "multiply", "value": number}'


def round12(value: float) -> float:
    """``value`` rounded to 12 significant digits (and ``-0.0`` made ``0.0``)."""
    return float(f"{value:.12g}") + 0.0


@dataclass(frozen=True)
class Values:
    """Listed values of a parameter (one value for an ordinary parameter)."""

    items: tuple[Any, ...]
    meta: bool = False
    tuning: bool = False

    @property
    def count(self) -> int:
        return len(self.items)

    def values(self) -> list[Any]:
        return list(self.items)


@dataclass(frozen=True)
class Range:
    """A meta parameter's ``min``/``max``/``step`` range with a known number of values."""

    start: int | float
    factor: int | float
    multiply: bool
    count: int
    meta: bool = True
    tuning: bool = False

    def values(self) -> list[Any]:
        as_int = isinstance(self.start, int) and isinstance(self.factor, int)
        if self.multiply:
            raw = [self.start * self.factor**i for i in range(self.count)]
            return raw if as_int else [round12(v) for v in raw]
        raw = [self.start + i * self.factor for i in range(self.count)]
        if as_int:
            return raw
        # 12 significant digits of the range's scale, so 0.3 - 3 * 0.1 gives 0.0, not 5.6e-17
        scale = max(abs(self.start), abs(raw[-1]), abs(self.factor))
        digits = 12 - math.ceil(math.log10(scale)) if scale else 12
        return [round12(round(v, digits)) for v in raw]


ParamValues = Values | Range


def parse_parameter(
    name: str, value: Any, path: str, problems: Problems, allow_tuning: bool
) -> ParamValues | None:
    """The values of parameter ``name`` (at ``path``), or None after adding its problems."""
    if not isinstance(value, Mapping) or not ("is_meta" in value or "tune" in value):
        return Values((value,))
    if "is_meta" in value and "tune" in value:
        problems.add(
            path, 'has both "is_meta" and "tune"; a parameter is either a meta parameter or tuned'
        )
        return None
    flag = "is_meta" if "is_meta" in value else "tune"
    if not isinstance(value[flag], bool):
        problems.add(join_path(path, flag), f"must be true or false; got {show(value[flag])}")
        return None
    if not value[flag]:
        return Values((value,))
    if flag == "is_meta":
        return _parse_meta(value, path, problems)
    if not allow_tuning:
        problems.add(
            path,
            f"'{name}' is a tuning parameter; run this file with `modelmap tune`",
            "to train without tuning, give a fixed value or a meta parameter "
            '({"is_meta": true, "values": [...]})',
        )
        return None
    return Values((value,), tuning=True)


def _parse_meta(meta: Mapping, path: str, problems: Problems) -> ParamValues | None:
    before = len(problems)
    for key in meta:
        if key not in META_KEYS:
            problems.add(
                join_path(path, key),
                f"unknown key in a meta parameter{suggest(key, META_KEYS)}",
                f"valid keys are: {listing(META_KEYS)}",
            )
    if "values" in meta:
        values = _parse_values(meta["values"], join_path(path, "values"), problems)
        return values if len(problems) == before else None
    missing = [key for key in ("min", "max", "step") if key not in meta]
    if missing:
        names = " and ".join(f'"{key}"' for key in missing)
        problems.add(
            path,
            f'meta parameter without "values" is missing {names}',
            f'give "values": [...] or {_RANGE_FORM}',
        )
        return None
    for key in ("min", "max"):
        if not is_number(meta[key]):
            problems.add(join_path(path, key), f"must be a number; got {show(meta[key])}")
    step = _parse_step(meta["step"], join_path(path, "step"), problems)
    if len(problems) > before or step is None:
        return None
    return _make_range(meta["min"], meta["max"], *step, path, problems)


def _parse_values(values: Any, path: str, problems: Problems) -> Values | None:
    if not isinstance(values, list) or not values:
        problems.add(path, f"must be a non-empty list of values; got {show(values)}")
        return None
    for index, item in enumerate(values):
        if isinstance(item, Mapping) and (item.get("is_meta") is True or item.get("tune") is True):
            problems.add(
                join_path(path, index), "meta and tuning parameters cannot be nested in values"
            )
    return Values(tuple(values), meta=True)


def _parse_step(step: Any, path: str, problems: Problems) -> tuple[str, int | float] | None:
    if not isinstance(step, Mapping):
        problems.add(
            path, f'must be an object like {{"type": "add", "value": 1}}; got {show(step)}'
        )
        return None
    for key in step:
        if key not in STEP_KEYS:
            problems.add(
                join_path(path, key),
                f"unknown key in a step{suggest(key, STEP_KEYS)}",
                'a step has "type" and "value"',
            )
    kind, value = step.get("type"), step.get("value")
    if kind not in ("add", "multiply"):
        problems.add(join_path(path, "type"), f'must be "add" or "multiply"; got {show(kind)}')
    if not is_number(value):
        problems.add(join_path(path, "value"), f"must be a number; got {show(value)}")
    return (kind, value) if kind in ("add", "multiply") and is_number(value) else None


def _make_range(
    low: Any, high: Any, kind: str, step: Any, path: str, problems: Problems
) -> Range | None:
    if kind == "add":
        problem = _add_problem(low, high, step)
    else:
        problem = _multiply_problem(low, high, step)
    if problem is not None:
        where = path
        for key in problem[0].split("."):
            where = join_path(where, key)
        problems.add(where, problem[1])
        return None
    if low == high:
        count = 1
    elif kind == "add":
        count = _count((high - low) / step)
    else:
        count = _count(math.log(abs(high) / abs(low)) / math.log(step))
    return Range(low, step, kind == "multiply", count)


def _count(steps: float) -> int:
    """``floor(steps) + 1``, forgiving float error such as 1.9999999999999998 steps."""
    if not math.isfinite(steps):
        return _HUGE
    nearest = round(steps)
    if abs(steps - nearest) <= 1e-12 * max(1.0, abs(steps)):
        steps = nearest
    return math.floor(steps) + 1


def _add_problem(low: float, high: float, step: float) -> tuple[str, str] | None:
    if step == 0:
        return "step.value", (
            f"an add step of 0 never reaches max {show(high)}, so the range never ends; "
            "use a non-zero step"
        )
    if (high - low) * step < 0:
        sign = "positive" if high > low else "negative"
        return "step.value", (
            f"an add step of {show(step)} moves away from max {show(high)} (min is {show(low)}), "
            f"so the range never ends; use a {sign} step"
        )
    return None


def _multiply_problem(low: float, high: float, factor: float) -> tuple[str, str] | None:
    if factor <= 0 or factor == 1:
        return "step.value", (
            "a multiply step must be a factor > 0 and other than 1, or the range never ends; "
            f"got {show(factor)}"
        )
    if low == 0:
        return "min", (
            "a multiply range cannot start at 0 (0 times anything stays 0), so it never ends; "
            "start at a non-zero value"
        )
    if low != high and (high == 0 or (low < 0) != (high < 0)):
        return "max", (
            f"a multiply range from min {show(low)} never reaches max {show(high)} (multiplying "
            "keeps the sign and never reaches 0); use min and max of the same sign"
        )
    if abs(high) > abs(low) and factor < 1:
        return "step.value", (
            f"a multiply step of {show(factor)} shrinks the value but max {show(high)} is farther "
            f"from 0 than min {show(low)}, so the range never ends; use a factor > 1"
        )
    if abs(high) < abs(low) and factor > 1:
        return "step.value", (
            f"a multiply step of {show(factor)} grows the value but max {show(high)} is closer "
            f"to 0 than min {show(low)}, so the range never ends; use a factor between 0 and 1"
        )
    return None
