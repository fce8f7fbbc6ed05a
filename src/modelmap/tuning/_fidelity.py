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
larger rung contains every row of a smaller one.  Without an explicit ``min`` the data
chooses it (:func:`default_min`): the lowest of 1/27, 1/9, 1/3 (for ``eta`` 3) whose rung
keeps every class at least ``MIN_TRAIN_ROWS`` rows in the training part of every validation
fold and has at least ``MIN_ROWS`` rows; an explicit ``min`` that leaves a class with fewer
rows than validation folds is rejected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmap.errors import JobError

SUBSAMPLE, PARAM = "subsample", "param"
DEFAULT_RUNGS = 3  # without an explicit min: at most eta**-3 (1/27 for eta 3) up to 1
MIN_TRAIN_ROWS = 5  # default min: rows of every class in every fold's training part (what
#                     an internal 5-fold calibration needs, e.g. the svm plugin's)
MIN_ROWS = 50  # default min: rows of the lowest rung (below, fits cost the same anyway)
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
        return f"{fraction_label(fraction)} of the training set"

    def short_label(self, fraction: float) -> str:
        """``"1/9"`` or ``"n_estimators=44"`` (a table column)."""
        if self.kind == PARAM:
            return f"{self.param}={self.resource(fraction)}"
        return fraction_label(fraction)


def fraction_label(value: float) -> str:
    """``"1/9"``, ``"all"`` or ``"0.05"``."""
    if value >= 1:
        return "all"
    inverse = 1 / value
    return f"1/{round(inverse)}" if abs(inverse - round(inverse)) < 1e-6 else f"{value:.3g}"


@dataclass(frozen=True)
class HalvingSettings:
    """How new configs are proposed and whether promotions wait for a whole rung."""

    sampler: str = "random"  # random | tpe (trained on the configs' first-rung scores)
    asynchronous: bool | None = None  # None: asynchronous when batch_size > 1


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


def fewest_train_rows(y: np.ndarray, folds: np.ndarray, rows: np.ndarray) -> int:
    """The fewest rows of a class (of ``y``'s classes) in the training part of a validation
    fold, among ``rows``."""
    counts = np.bincount(y)
    present = np.flatnonzero(counts)
    sub_y, sub_folds = y[rows], folds[rows]
    fewest = len(rows)
    for fold in np.unique(folds):
        train = sub_y[sub_folds != fold]
        fewest = min(fewest, int(np.bincount(train, minlength=len(counts))[present].min()))
    return fewest


def default_min(eta: float, y: np.ndarray, folds: np.ndarray, seed: int
                ) -> tuple[float, int, int]:
    """The lowest rung without an explicit ``min``: ``eta**-R`` for the largest ``R`` up to
    ``DEFAULT_RUNGS`` whose nested subsample has at least ``MIN_ROWS`` rows and leaves every
    class ``MIN_TRAIN_ROWS`` rows in the training part of every validation fold; ``R`` is
    at least 1 (two rungs).  Returns (fraction, its rows, the fewest class rows there)."""
    for rungs in range(DEFAULT_RUNGS, 0, -1):
        fraction = float(eta) ** -rungs
        rows = nested_subsample(y, folds, fraction, seed)
        fewest = fewest_train_rows(y, folds, rows)
        if (len(rows) >= MIN_ROWS and fewest >= MIN_TRAIN_ROWS) or rungs == 1:
            return fraction, len(rows), fewest
    raise AssertionError("unreachable")


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
    if not settings.strategy_class.multi_fidelity or fidelity.kind != PARAM or fraction is None:
        return {}
    return {str(fidelity.param): fidelity.resource(fraction)}
