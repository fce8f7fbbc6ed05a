"""Fidelity for multi-fidelity tuning (``halving``, ``hyperband``): what a cheap evaluation is.

.. code-block:: javascript

    "tuning": {
        "strategy": "halving",
        "eta": 3,                                  // keep the best 1/eta of each rung
        "fidelity": {"subsample": {"min": 0.05}},  // the default: a training-set fraction
        // or: "fidelity": {"param": "n_estimators", "min": 10, "max": 400}
        "halving": {"sampler": "random", "asynchronous": null}
    }

The rungs are the fidelities ``max * eta**-k`` for ``k = R, ..., 1, 0`` with ``R`` the
largest for which the lowest is still at least ``min``; the last rung is always the full
fidelity.  A subsample is stratified by class and validation fold, seeded, and nested: a
larger rung contains every row of a smaller one.  Without an explicit ``min`` the rungs are
1/27, 1/9, 1/3 and 1 (for ``eta`` 3) and every class keeps at least one row in every
validation fold; an explicit ``min`` that leaves a class with fewer rows than validation
folds is rejected.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmap.errors import JobError
from modelmap.jobs._problems import Problems, is_number, join_path, listing, show, suggest

MULTI_FIDELITY = ("halving", "hyperband")
SUBSAMPLE, PARAM = "subsample", "param"
DEFAULT_RUNGS = 3  # without an explicit min: eta**-3 (1/27 for eta 3) up to 1
SAMPLERS = ("random", "tpe")


@dataclass(frozen=True)
class Fidelity:
    """A training-set fraction (``subsample``) or a cost parameter (``param``)."""

    kind: str = SUBSAMPLE
    min: float | None = None  # subsample: a fraction (None: eta**-3); param: a value
    max: float | None = None  # subsample: 1; param: required
    param: str | None = None

    def levels(self, eta: float) -> list[float]:
        """The rungs' fidelities as fractions of ``max``, ascending, the last one 1."""
        top = 1.0 if self.max is None else float(self.max)
        if self.min is None:
            rungs = DEFAULT_RUNGS
        else:
            rungs = int(math.floor(math.log(top / float(self.min)) / math.log(eta) + 1e-9))
        return [float(eta) ** -(rungs - r) for r in range(rungs + 1)]

    def resource(self, fraction: float) -> float | int:
        """The subsample fraction, or the parameter's value at ``fraction`` of ``max``."""
        if self.kind == SUBSAMPLE:
            return fraction * (1.0 if self.max is None else float(self.max))
        assert self.max is not None and self.min is not None
        value = max(float(self.min), fraction * float(self.max))
        if isinstance(self.max, int) and isinstance(self.min, int):
            return int(round(value))
        return float(f"{value:.4g}")

    def label(self, fraction: float) -> str:
        """``"1/9 of the training set"`` or ``"n_estimators = 44"``."""
        if self.kind == PARAM:
            return f"{self.param} = {self.resource(fraction)}"
        return f"{_fraction(fraction)} of the training set"


def _fraction(value: float) -> str:
    if value >= 1:
        return "all"
    inverse = 1 / value
    return f"1/{round(inverse)}" if abs(inverse - round(inverse)) < 1e-6 else f"{value:.3g}"


@dataclass(frozen=True)
class HalvingSettings:
    """How new configs are proposed and whether promotions wait for a whole rung."""

    sampler: str = "random"  # random | tpe (trained on the configs' first-rung scores)
    asynchronous: bool | None = None  # None: asynchronous when batch_size > 1


def parse_fidelity(value: Any, eta: float, problems: Problems) -> Fidelity:
    """``{"subsample": {"min": 0.05}}`` or ``{"param": "n_estimators", "min": 10, "max": 400}``."""
    path = "tuning.fidelity"
    if not isinstance(value, Mapping):
        problems.add(path, f"must be an object; got {show(value)}",
                     'e.g. {"subsample": {"min": 0.05}} or '
                     '{"param": "n_estimators", "min": 10, "max": 400}')
        return Fidelity()
    if SUBSAMPLE in value:
        return _subsample(value, path, eta, problems)
    if PARAM in value:
        return _param(value, path, eta, problems)
    problems.add(path, f"needs \"subsample\" or \"param\"; got {listing(map(str, value))}",
                 'e.g. {"subsample": {"min": 0.05}} or '
                 '{"param": "n_estimators", "min": 10, "max": 400}')
    return Fidelity()


def _subsample(value: Mapping[str, Any], path: str, eta: float, problems: Problems
               ) -> Fidelity:
    extra = [k for k in value if k != SUBSAMPLE]
    for key in extra:
        problems.add(join_path(path, key), "unknown key next to \"subsample\"",
                     "a fidelity is either a subsample or a parameter")
    body = value[SUBSAMPLE]
    where = join_path(path, SUBSAMPLE)
    if body is None or body is True:
        body = {}
    if not isinstance(body, Mapping):
        problems.add(where, f"must be an object; got {show(body)}", 'e.g. {"min": 0.05}')
        return Fidelity()
    for key in body:
        if key not in ("min", "max"):
            problems.add(join_path(where, key), f"unknown key{suggest(key, ('min', 'max'))}",
                         "valid keys are: min, max")
    low, high = body.get("min"), body.get("max", 1.0)
    for key, number in (("min", low), ("max", high)):
        if number is not None and not (is_number(number) and 0 < number <= 1):
            problems.add(join_path(where, key), f"must be a fraction in (0, 1]; got "
                         f"{show(number)}", "e.g. 0.05 for 5 % of the training rows")
            return Fidelity()
    if low is not None and low >= high:
        problems.add(join_path(where, "min"), f"min {show(low)} is not smaller than max "
                     f"{show(high)}", "the lowest rung must train on fewer rows than the top")
        return Fidelity()
    if low is not None and low * eta > high * (1 + 1e-9):
        problems.add(join_path(where, "min"), f"min {show(low)} leaves a single rung with "
                     f"eta {show(eta)}", f"set min to at most {high / eta:.4g}")
    return Fidelity(SUBSAMPLE, low, None if high == 1.0 else high)


def _param(value: Mapping[str, Any], path: str, eta: float, problems: Problems) -> Fidelity:
    for key in value:
        if key not in ("param", "min", "max"):
            problems.add(join_path(path, key), f"unknown key{suggest(key, ('min', 'max'))}",
                         "valid keys are: param, min, max")
    name, low, high = value.get(PARAM), value.get("min"), value.get("max")
    if not isinstance(name, str) or not name:
        problems.add(join_path(path, PARAM), f"must be a parameter name; got {show(name)}",
                     'e.g. "n_estimators"')
        return Fidelity()
    for key, number in (("min", low), ("max", high)):
        if not (is_number(number) and number > 0):
            problems.add(join_path(path, key), f"must be a number > 0; got {show(number)}",
                         f"the {key}imum value of {name} the rungs use")
            return Fidelity()
    if low >= high:
        problems.add(join_path(path, "min"), f"min {show(low)} is not smaller than max "
                     f"{show(high)}", f"the lowest rung must use a smaller {name} than the top")
        return Fidelity()
    if low * eta > high * (1 + 1e-9):
        problems.add(join_path(path, "min"), f"min {show(low)} and max {show(high)} leave a "
                     f"single rung with eta {show(eta)}", f"set min to at most {high / eta:.4g}")
    return Fidelity(PARAM, low, high, name)


def check_fidelity_param(fidelity: Fidelity, job: Any, registry: Any, problems: Problems
                         ) -> None:
    """The fidelity parameter must be a parameter of every family's plugin, and not tuned."""
    if fidelity.kind != PARAM or registry is None:
        return
    for index, config in enumerate(job.classifiers):
        declared = registry.parameters("classifier", config.method)
        names = [p.get("name") for p in declared] if declared is not None else None
        where = join_path("tuning.fidelity", PARAM)
        if names is not None and fidelity.param not in names:
            problems.add(where, f"classifier '{config.method}' (classifiers[{index}]) has no "
                         f"parameter '{fidelity.param}'{suggest(str(fidelity.param), names)}",
                         f"its parameters are: {listing(names)}")
        value = config.args.get(fidelity.param)
        if isinstance(value, Mapping) and value.get("tune"):
            problems.add(where, f"'{fidelity.param}' is tuned in classifiers[{index}]",
                         "the fidelity parameter is set by the rungs; remove \"tune\" from it")


def nested_subsample(y: np.ndarray, folds: np.ndarray, fraction: float, seed: int,
                     multilabel: bool = False) -> np.ndarray:
    """Sorted row indices: ``fraction`` of every (class, fold) cell, at least one row of a
    cell that has any; seeded and nested (the rows of a smaller fraction are a subset)."""
    if fraction >= 1:
        return np.arange(len(y))
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))  # one order for every fraction: nested
    strata = folds[order] if multilabel else folds[order] * (int(y.max()) + 1) + y[order]
    keep = np.zeros(len(y), dtype=bool)
    for stratum in np.unique(strata):
        members = order[strata == stratum]
        count = max(1, int(round(fraction * len(members))))
        keep[members[:count]] = True
    return np.flatnonzero(keep)


def check_subsample(fidelity: Fidelity, eta: float, y: np.ndarray, cv: int,
                    class_names: tuple[str, ...], multilabel: bool) -> None:
    """An explicit ``min`` must leave every class at least ``cv`` rows; raise naming it."""
    if fidelity.kind != SUBSAMPLE or fidelity.min is None or multilabel or len(y) == 0:
        return
    lowest = fidelity.levels(eta)[0] * (fidelity.max or 1.0)
    counts = np.bincount(y)
    present = np.flatnonzero(counts)
    smallest = present[np.argmin(counts[present])]
    members = int(math.floor(lowest * counts[smallest]))
    if members < cv:
        name = class_names[smallest] if smallest < len(class_names) else str(smallest)
        needed = cv / counts[smallest]
        raise JobError(f"the lowest rung ({lowest:.4g} of {len(y)} training rows) leaves class "
                       f"'{name}' {members} rows, fewer than the {cv} validation folds",
                       where="tuning.fidelity.subsample.min",
                       hint=f"set min to at least {needed:.3g} (or use fewer folds with cv)")


def fidelity_args(settings: Any, fraction: float | None) -> dict[str, Any]:
    """``{"n_estimators": 400}`` for a ``param`` fidelity at ``fraction``; else ``{}``."""
    fidelity = settings.fidelity
    if settings.strategy not in MULTI_FIDELITY or fidelity.kind != PARAM or fraction is None:
        return {}
    return {str(fidelity.param): fidelity.resource(fraction)}
