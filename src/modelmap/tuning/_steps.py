"""Random steps of the AutoTune seed: how one parameter value moves to a neighbour.

* numbers: a multiplicative step ``exp(±|N(0, multiply_scale)|)`` and an additive step
  ``±|N(0, add_scale)|`` in the same direction; a step that changes the value by less
  than ``veto`` (5 %) — or that a ``veto_rule(current, new)`` rejects — is vetoed and
  drawn again; ints are rounded, bounds respected, and a positive (negative) value stays
  positive (negative): a positive int never steps to 0 (``max_iter``, a layer of 1 unit)
  unless the parameter's declared range allows it;
* booleans are flipped and strings drawn from their listed options (the current one left
  out when only one parameter changes per step);
* lists (e.g. hidden layer sizes): one element is stepped, or the list grows by one
  element equal to its smallest.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from modelmap.tuning._space import Param

MAX_TRIES = 100


class StepRules:
    """Scales of the random steps and the veto on tiny changes."""

    def __init__(self, multiply_scale: float = 1.0, add_scale: float = 0.0, veto: float = 0.05,
                 extending_lists: bool = True,
                 veto_rule: Callable[[Any, Any], bool] | None = None) -> None:
        self.multiply_scale = multiply_scale
        self.add_scale = add_scale
        self.veto = veto
        self.extending_lists = extending_lists
        self.veto_rule = veto_rule  # AutoTune's step_veto_rule(current, new): True = draw again

    def scaled(self, factor: float) -> StepRules:
        """The same rules with both step scales multiplied by ``factor``."""
        return StepRules(self.multiply_scale * factor, self.add_scale * factor, self.veto,
                         self.extending_lists, self.veto_rule)

    @classmethod
    def from_mapping(cls, rules: Mapping[str, float], veto: float = 0.05,
                     extending_lists: bool = True) -> StepRules:
        return cls(float(rules.get("multiply_scale", 1.0)), float(rules.get("add_scale", 0.0)),
                   veto, extending_lists)


def step_value(param: Param, current: Any, rng: np.random.Generator, rules: StepRules,
               force_change: bool = True) -> Any:
    """A random neighbour of ``current`` (``current`` itself when no step is possible)."""
    if param.kind == "categorical":
        options = list(param.values)
        if force_change and len(options) > 1:
            options = [o for o in options if not _same(o, current)]
        return options[int(rng.integers(len(options)))]
    if param.kind == "list":
        return _step_list(param, list(current), rng, rules)
    return step_number(param, current, rng, rules)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _step_list(param: Param, current: list, rng: np.random.Generator, rules: StepRules) -> list:
    grow = rules.extending_lists and len(current) < param.max_length
    index = int(rng.integers(len(current) + int(grow)))
    new = list(current)
    if index < len(current):
        new[index] = step_number(param, current[index], rng, rules)
    else:
        new.append(min(current))
    return new


def step_number(param: Param, current: float, rng: np.random.Generator, rules: StepRules
                ) -> int | float:
    """The seed's multiplicative-and-additive step with the 5 % veto."""
    add_scale = rules.add_scale
    if current == 0 and add_scale == 0:  # a multiplicative step cannot leave 0
        add_scale = _fallback_add_scale(param)
    keep_positive = current > 0 and (param.low is None or param.low > 0)
    keep_negative = current < 0 and (param.high is None or param.high < 0)
    for _ in range(MAX_TRIES):
        direction = 1 if rng.random() < 0.5 else -1
        multiply = math.exp(direction * abs(rng.normal(0.0, rules.multiply_scale or 1e-12)))
        add = direction * abs(rng.normal(0.0, add_scale)) if add_scale > 0 else 0.0
        raw = multiply * current + add
        if (keep_positive and raw <= 0) or (keep_negative and raw >= 0):
            continue
        new = param.cast(raw)
        if param.is_int and (keep_positive or keep_negative) and new == 0:
            new = 1 if keep_positive else -1  # rounding must not reach 0 either
        if not _vetoed(current, new, rules):
            return new
    return current


def _vetoed(current: float, new: float, rules: StepRules) -> bool:
    if new == current:
        return True
    if rules.veto_rule is not None:
        return bool(rules.veto_rule(current, new))
    if current == 0:
        return False
    return abs(new - current) < rules.veto * abs(current)


def _fallback_add_scale(param: Param) -> float:
    if param.low is not None and param.high is not None and param.high > param.low:
        return (param.high - param.low) / 10
    return 1.0
