"""Descriptive statistics behind the views: associations, importances, fronts, groups.

- :func:`correlation_ratio` and :func:`association_matrix`: how strongly each parameter
  goes with each score (correlation ratio η for categorical parameters, Spearman's ρ for
  numeric ones, never Pearson on integer codes);
- :func:`parameter_importance`: random-forest mean-decrease-impurity importance (seeded);
- :func:`pareto_front`: the best score for each training-time budget;
- :func:`aggregate`: the mean/median/best representative of a group (Ranking).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

MISSING = "(none)"


def higher_is_better(field: str) -> bool:
    """Whether a larger value of ``field`` is better (scores) or worse (losses, times)."""
    return not (field.endswith("_time") or "loss" in field or "_std_" in field)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def is_categorical(values: Sequence[Any]) -> bool:
    """Whether ``values`` (``None`` = missing) hold anything but numbers."""
    present = [v for v in values if v is not None]
    return any(_number(v) is None for v in present)


def category(value: Any) -> str:
    """A hashable, readable label of a parameter value (lists become JSON text)."""
    if value is None:
        return MISSING
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def correlation_ratio(categories: Sequence[Any], values: Sequence[float]) -> float:
    """Correlation ratio η in [0, 1] of numeric ``values`` grouped by ``categories``.

    η² is the share of the variance of ``values`` explained by the group means.  Pairs
    whose value is missing or not finite are left out; ``nan`` if fewer than two values
    remain or all values are equal.
    """
    y = np.array([_number(v) if _number(v) is not None else np.nan for v in values])
    keep = np.isfinite(y)
    labels = [category(c) for c, k in zip(categories, keep) if k]
    y = y[keep]
    if len(y) < 2:
        return float("nan")
    total = float(((y - y.mean()) ** 2).sum())
    if total <= 0:
        return float("nan")
    _, codes = np.unique(np.array(labels, dtype=object).astype(str), return_inverse=True)
    counts = np.bincount(codes)
    means = np.bincount(codes, weights=y) / counts
    between = float((counts * (means - y.mean()) ** 2).sum())
    return math.sqrt(min(max(between / total, 0.0), 1.0))


def spearman(x: Sequence[Any], y: Sequence[Any]) -> float:
    """Spearman's rank correlation of the pairs where both are finite numbers (or nan)."""
    from scipy.stats import spearmanr

    a = np.array([_number(v) if _number(v) is not None else np.nan for v in x])
    b = np.array([_number(v) if _number(v) is not None else np.nan for v in y])
    keep = np.isfinite(a) & np.isfinite(b)
    a, b = a[keep], b[keep]
    if len(a) < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return float(spearmanr(a, b).statistic)


@dataclass(frozen=True)
class Association:
    """``values[i][j]``: association of ``params[i]`` with ``scores[j]``; ``measures[i]``
    is ``"η"`` (categorical, 0..1) or ``"ρ"`` (numeric, -1..1)."""

    params: list[str]
    scores: list[str]
    values: list[list[float]]
    measures: list[str]


def association_matrix(params: Mapping[str, Sequence[Any]],
                       scores: Mapping[str, Sequence[Any]]) -> Association:
    """Association of every parameter with every score (η or ρ, see :class:`Association`).

    Parameters with a single distinct value are left out (nothing to associate).
    """
    names, values, measures = [], [], []
    for name, column in params.items():
        if len({category(v) for v in column}) < 2:
            continue
        categorical = is_categorical(column)
        row = [correlation_ratio(column, s) if categorical else spearman(column, s)
               for s in scores.values()]
        names.append(name)
        values.append(row)
        measures.append("η" if categorical else "ρ")
    return Association(names, list(scores), values, measures)


def _design(params: Mapping[str, Sequence[Any]]) -> tuple[np.ndarray, list[str]]:
    """Numeric design matrix: numbers as they are (missing → below the minimum),
    categories one-hot; ``owners[k]`` names the parameter of column ``k``."""
    columns, owners = [], []
    for name, column in params.items():
        if len({category(v) for v in column}) < 2:
            continue
        if is_categorical(column):
            labels = [category(v) for v in column]
            for level in sorted(set(labels)):
                columns.append([1.0 if label == level else 0.0 for label in labels])
                owners.append(name)
        else:
            nums = np.array([_number(v) if _number(v) is not None else np.nan for v in column])
            finite = nums[np.isfinite(nums)]
            low = finite.min() - (np.ptp(finite) or 1.0) if len(finite) else 0.0
            columns.append(np.where(np.isfinite(nums), nums, low).tolist())
            owners.append(name)
    if not columns:
        return np.zeros((len(next(iter(params.values()), [])), 0)), []
    return np.array(columns, dtype=np.float64).T, owners


def parameter_importance(params: Mapping[str, Sequence[Any]], target: Sequence[Any],
                         seed: int = 0, n_estimators: int = 64) -> dict[str, float]:
    """Mean-decrease-impurity importance of each parameter for ``target`` (sums to 1).

    A random forest (seeded, so the same inputs always give the same answer) regresses
    the target on the parameters; one-hot columns of a categorical parameter are summed
    back into it.  Rows with a missing target are left out; parameters that never vary
    are left out.  Empty when fewer than three rows or nothing varies.
    """
    from sklearn.ensemble import RandomForestRegressor

    y = np.array([_number(v) if _number(v) is not None else np.nan for v in target])
    keep = np.isfinite(y)
    kept = {name: [v for v, k in zip(column, keep) if k] for name, column in params.items()}
    X, owners = _design(kept)
    y = y[keep]
    if X.shape[1] == 0 or len(y) < 3 or np.ptp(y) == 0:
        return {}
    forest = RandomForestRegressor(n_estimators=n_estimators, random_state=seed,
                                   min_samples_leaf=1, n_jobs=1)
    forest.fit(X, y)
    out: dict[str, float] = {}
    for owner, weight in zip(owners, forest.feature_importances_):
        out[owner] = out.get(owner, 0.0) + float(weight)
    total = sum(out.values())
    if total <= 0:
        return {name: 0.0 for name in out}
    return dict(sorted(((k, v / total) for k, v in out.items()), key=lambda kv: -kv[1]))


def pareto_front(times: Sequence[Any], scores: Sequence[Any],
                 higher_better: bool = True) -> list[int]:
    """Indices of the points no other point beats on both time and score, by time.

    A point is on the front when every faster (or equally fast) point scores worse: it is
    the best score for its training-time budget.  Missing values are left out.
    """
    t = np.array([_number(v) if _number(v) is not None else np.nan for v in times])
    s = np.array([_number(v) if _number(v) is not None else np.nan for v in scores])
    if not higher_better:
        s = -s
    valid = np.flatnonzero(np.isfinite(t) & np.isfinite(s))
    order = sorted(valid.tolist(), key=lambda i: (t[i], -s[i]))
    front, best = [], -np.inf
    for i in order:
        if s[i] > best:
            front.append(int(i))
            best = s[i]
    return front


def aggregate(values: Sequence[Any], how: str, higher_better: bool = True) -> tuple[float, int]:
    """A group's value (``mean``, ``median`` or ``best``) and the index of its member
    closest to it (the representative that hovering highlights)."""
    v = np.array([_number(x) for x in values], dtype=float)  # None -> nan
    finite = np.flatnonzero(np.isfinite(v))
    if not len(finite):
        return float("nan"), 0
    if how == "best":
        pick = finite[np.argmax(v[finite])] if higher_better else finite[np.argmin(v[finite])]
        return float(v[pick]), int(pick)
    if how not in ("mean", "median"):
        raise ValueError(f"unknown representative {how!r}; use mean, median or best")
    value = float(np.mean(v[finite]) if how == "mean" else np.median(v[finite]))
    return value, int(finite[np.argmin(np.abs(v[finite] - value))])
