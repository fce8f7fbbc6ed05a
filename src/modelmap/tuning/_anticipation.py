"""Anticipation models: meta-learners that predict a candidate's score and fit time.

As in the AutoTune seed, parameters are vectorized from the history of what was tried:
only parameters that took more than one value count; a number becomes its logarithm
(when it was always positive) plus the square of that when three or more values were
seen (so a learner can find an optimum inside a range); a string or other categorical
value becomes one-hot columns; each element of a list its own columns (with an
indicator for "this element is missing").  Two regressors — Ridge by default, any
scikit-learn regressor can replace it — learn the validation score and the logarithm
of the mean fit time.

Improvement over the seed: predictions come with an uncertainty, from a bootstrap
ensemble of the meta-learner (default) or a Bayesian ridge regression, so a step whose
*pessimistic* time estimate does not fit the time left can be skipped.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.linear_model import BayesianRidge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from modelmap.errors import JobError
from modelmap.jobs import canonical_json

BOOTSTRAP = 16
MIN_OBSERVATIONS = 3
Point = tuple[int, Mapping[str, Any]]  # (family, values)


class StandardRidge:
    """Ridge regression (``alpha=1``) on standardized features, in NumPy.

    The default meta-learner: the same model as ``make_pipeline(StandardScaler(),
    Ridge())`` without scikit-learn's per-call overhead, which matters when a bootstrap
    ensemble is refitted after every step.
    """

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = alpha

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"alpha": self.alpha}

    def set_params(self, **params: Any) -> StandardRidge:
        self.alpha = params.get("alpha", self.alpha)
        return self

    def fit(self, X: np.ndarray, y: np.ndarray) -> StandardRidge:
        self.mean_ = X.mean(axis=0)
        scale = X.std(axis=0)
        self.scale_ = np.where(scale > 0, scale, 1.0)
        Z = (X - self.mean_) / self.scale_
        self.intercept_ = float(y.mean())
        gram = Z.T @ Z + self.alpha * np.eye(Z.shape[1])
        self.coef_ = np.linalg.solve(gram, Z.T @ (y - self.intercept_))
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.mean_) / self.scale_) @ self.coef_ + self.intercept_


def default_meta_learner() -> Any:
    return StandardRidge(alpha=1.0)


def resolve_meta_learner(spec: Any) -> Any:
    """An estimator, a dotted class name (``"sklearn.neighbors.KNeighborsRegressor"``) or None."""
    if spec is None:
        return default_meta_learner()
    if not isinstance(spec, str):
        return clone(spec)
    from sklearn.base import RegressorMixin

    from modelmap.tuning._classes import ClassRefused, sklearn_class

    try:  # a job file names it: import nothing but scikit-learn, call nothing but the class
        cls = sklearn_class(spec, mixin=RegressorMixin, what="a scikit-learn regressor class")
    except ClassRefused as exc:
        raise JobError(f"cannot use meta_learner {spec!r}: {exc}",
                       where="tuning.stepwise.meta_learner",
                       hint='give the dotted name of a scikit-learn regressor class, e.g. '
                       '"sklearn.linear_model.Ridge"') from None
    return make_pipeline(StandardScaler(), cls())


class Vectorizer:
    """Seed-style features of (family, values) points, learned from the tried points."""

    def __init__(self, points: Sequence[Point], n_families: int) -> None:
        self.n_families = n_families
        self.columns: list[tuple[str, Any]] = []
        families = {f for f, _ in points}
        if n_families > 1 and len(families) > 1:
            self.columns += [("family", f) for f in sorted(families)]
        by_param: dict[tuple[int, str], list[Any]] = {}
        for family, values in points:
            for name, value in values.items():
                by_param.setdefault((family, name), []).append(value)
        for (family, name), seen in sorted(by_param.items()):
            self.columns += _param_columns(family, name, seen)

    @property
    def width(self) -> int:
        return len(self.columns)

    def transform(self, points: Sequence[Point]) -> np.ndarray:
        out = np.zeros((len(points), len(self.columns)))
        for i, (family, values) in enumerate(points):
            for j, (kind, spec) in enumerate(self.columns):
                out[i, j] = _feature(kind, spec, family, values)
        return out


def _param_columns(family: int, name: str, seen: list[Any]) -> list[tuple[str, Any]]:
    distinct = {canonical_json(v) for v in seen}
    if len(distinct) < 2:
        return []
    if all(isinstance(v, (list, tuple)) for v in seen):
        columns = []
        for index in range(max(len(v) for v in seen)):
            items = [v[index] if len(v) > index else None for v in seen]
            columns += _number_columns(family, name, index, items)
        return columns
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in seen):
        return _number_columns(family, name, None, seen)
    return [("onehot", (family, name, text)) for text in sorted(distinct)]


def _number_columns(family: int, name: str, index: int | None, items: list[Any]
                    ) -> list[tuple[str, Any]]:
    present = [v for v in items if v is not None]
    distinct = set(present)
    if len(set(map(str, items))) < 2:
        return []
    log = bool(present) and all(v > 0 for v in present)
    key = (family, name, index, log)
    columns: list[tuple[str, Any]] = []
    if index is not None and len(present) < len(items):
        columns.append(("missing", key))
    if len(distinct) >= 2:
        columns.append(("number", key))
    if len(distinct) >= 3:
        columns.append(("square", key))
    return columns


def _feature(kind: str, spec: Any, family: int, values: Mapping[str, Any]) -> float:
    if kind == "family":
        return float(family == spec)
    if kind == "onehot":
        fam, name, text = spec
        return float(fam == family and name in values and canonical_json(values[name]) == text)
    fam, name, index, log = spec
    value = values.get(name) if fam == family else None
    if index is not None:
        value = value[index] if isinstance(value, (list, tuple)) and len(value) > index else None
    if kind == "missing":
        return float(value is None)
    if value is None or isinstance(value, (str, bool)) or not isinstance(value, (int, float)):
        return 0.0
    x = math.log(max(float(value), 1e-12)) if log else float(value)
    return x * x if kind == "square" else x


class Anticipation:
    """Two meta-learners (score, log fit time) with an uncertainty for each prediction."""

    def __init__(self, meta_learner: Any = None, uncertainty: str = "bootstrap",
                 random_state: int = 0) -> None:
        self.meta_learner = meta_learner if meta_learner is not None else default_meta_learner()
        self.uncertainty = uncertainty
        self.random_state = random_state
        self.vectorizer: Vectorizer | None = None
        self.models: dict[str, list[Any]] = {}

    @property
    def ready(self) -> bool:
        return bool(self.models)

    def fit(self, points: Sequence[Point], scores: Sequence[float], fit_times: Sequence[float],
            n_families: int) -> None:
        self.models = {}
        if len(points) < MIN_OBSERVATIONS:
            return
        self.vectorizer = Vectorizer(points, n_families)
        if self.vectorizer.width == 0:
            return
        X = self.vectorizer.transform(points)
        times = np.asarray(fit_times, float)
        known = np.isfinite(times)  # a failed config (nan time) teaches the score model only
        targets = {"score": (X, np.asarray(scores, float)),
                   "time": (X[known], np.log(np.maximum(times[known], 1e-6)))}
        rng = np.random.default_rng(self.random_state + len(points))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name, (features, y) in targets.items():
                self.models[name] = self._fit_target(features, y, rng)

    def _fit_target(self, X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> list[Any]:
        if self.uncertainty == "bayesian":
            return [make_pipeline(StandardScaler(), BayesianRidge()).fit(X, y)]
        models = [clone(self.meta_learner).fit(X, y)]
        if self.uncertainty == "bootstrap":
            for _ in range(BOOTSTRAP):
                idx = rng.integers(0, len(y), len(y))
                models.append(clone(self.meta_learner).fit(X[idx], y[idx]))
        return models

    def predict_change(self, current: Point, new: Sequence[Point]) -> dict[str, np.ndarray]:
        """Anticipated change of score and log fit time from ``current`` to each new point,
        with standard deviations: keys ``score``, ``score_std``, ``time``, ``time_std``."""
        assert self.vectorizer is not None
        X = self.vectorizer.transform([current, *new])
        out: dict[str, np.ndarray] = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name, models in self.models.items():
                out[name], out[f"{name}_std"] = self._change(models, X)
        return out

    def _change(self, models: list[Any], X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.uncertainty == "bayesian":
            steps = models[0].steps
            scaled = steps[0][1].transform(X)
            mean, std = steps[-1][1].predict(scaled, return_std=True)
            return mean[1:] - mean[0], np.asarray(std[1:], float)
        predictions = np.array([m.predict(X) for m in models])
        changes = predictions[:, 1:] - predictions[:, :1]
        std = changes[1:].std(axis=0) if len(models) > 1 else np.zeros(changes.shape[1])
        return changes[0], std
