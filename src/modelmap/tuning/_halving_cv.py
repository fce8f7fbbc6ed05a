"""``HalvingSearchCV``: successive halving over sampled candidates, scikit-learn style.

A drop-in for the common arguments of scikit-learn's ``HalvingRandomSearchCV``
(``param_distributions, n_candidates, factor, resource, max_resources, min_resources,
aggressive_elimination, cv, scoring, refit, error_score, return_train_score,
random_state, n_jobs, verbose``), built on scikit-learn's ``BaseSearchCV`` scheduling seam
(``_run_search``), with modelmap's subsample: stratified by class, seeded and nested (the
rows of an iteration contain those of the one before), so a candidate's scores at growing
resources are comparable.  ``resource`` is ``"n_samples"`` or the name of an integer
parameter of the estimator (``n_estimators``, ``max_iter``) with ``max_resources`` given.
Iteration ``i`` evaluates ``ceil(n / factor**i)`` candidates with ``min_resources *
factor**i`` of the resource; ``best_*`` come from the last iteration only.

Two things make it cheaper than ``HalvingRandomSearchCV`` for the same candidates and
choices (``_overlap.py``): within an iteration the candidates are dispatched slowest first
(by their fit time in the iteration before), so the workers finish together; and when the
last iteration has one candidate — the winner whatever its score — the final ``refit`` on
all rows runs in a thread beside that iteration's CV folds instead of after them.
``return_train_score`` defaults to False (``GridSearchCV``'s default; scoring the
training rows costs a prediction per fit).
"""

from __future__ import annotations

import math
from numbers import Integral
from typing import Any

import numpy as np
from sklearn.base import is_classifier
from sklearn.model_selection import ParameterSampler, check_cv
from sklearn.model_selection._search import BaseSearchCV
from sklearn.utils.validation import _num_samples

from modelmap.tuning._fidelity import nested_subsample
from modelmap.tuning._overlap import EarlyRefit, slowest_first

N_SAMPLES = "n_samples"
_EARLY: dict[int, EarlyRefit] = {}  # the refit of each search being fitted, by id


class _NestedSubsample:
    """A CV splitter: the base splitter on a nested, stratified subsample of the rows."""

    def __init__(self, base: Any, fraction: float, seed: int, stratify: bool) -> None:
        self.base, self.fraction, self.seed, self.stratify = base, fraction, seed, stratify

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        return self.base.get_n_splits(X, y, groups)

    def split(self, X: Any, y: Any = None, groups: Any = None):
        n = _num_samples(X)
        labels = np.zeros(n, dtype=np.int64)
        if self.stratify and y is not None and np.ndim(y) == 1:
            labels = np.unique(np.asarray(y), return_inverse=True)[1].astype(np.int64)
        rows = nested_subsample(labels, np.zeros(n, dtype=np.int64), self.fraction,
                                self.seed)
        sub_y = None if y is None else np.asarray(y)[rows]
        sub_groups = None if groups is None else np.asarray(groups)[rows]
        for train, test in self.base.split(rows.reshape(-1, 1), sub_y, sub_groups):
            yield rows[train], rows[test]


class HalvingSearchCV(BaseSearchCV):
    """Successive halving over ``n_candidates`` sampled parameter settings."""

    def __init__(self, estimator: Any, param_distributions: Any, *,
                 n_candidates: int | str = "exhaust", factor: float = 3,
                 resource: str = N_SAMPLES, max_resources: int | str = "auto",
                 min_resources: int | str = "smallest", aggressive_elimination: bool = False,
                 cv: Any = 5, scoring: Any = None, refit: Any = True,
                 error_score: Any = np.nan, return_train_score: bool = False,
                 random_state: Any = None, n_jobs: int | None = None, verbose: int = 0
                 ) -> None:
        super().__init__(estimator=estimator, scoring=scoring, n_jobs=n_jobs, refit=refit,
                         cv=cv, verbose=verbose, error_score=error_score,
                         return_train_score=return_train_score)
        self.param_distributions = param_distributions
        self.n_candidates = n_candidates
        self.factor = factor
        self.resource = resource
        self.max_resources = max_resources
        self.min_resources = min_resources
        self.aggressive_elimination = aggressive_elimination
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None, **params: Any) -> HalvingSearchCV:
        """Run the search; with ``refit``, the last candidate is refitted during the last
        iteration (see the module docstring)."""
        early = EarlyRefit(self, X, y, params)
        _EARLY[id(self)] = early  # not an attribute: the search travels to the workers
        try:
            with early.deferring():
                super().fit(X, y, **params)
            early.finish()
        finally:
            early.close()
            del _EARLY[id(self)]
        return self

    # -- the schedule -------------------------------------------------------------------------
    def _check_input_parameters(self, X: Any, y: Any, split_params: Any) -> None:
        if not (isinstance(self.factor, (int, float)) and self.factor > 1):
            raise ValueError(f"factor must be a number > 1; got {self.factor!r}")
        n_samples = _num_samples(X)
        if self.resource == N_SAMPLES:
            top = n_samples if self.max_resources == "auto" else self.max_resources
        elif self.max_resources == "auto" or not isinstance(self.max_resources, Integral):
            raise ValueError(f"resource={self.resource!r} needs max_resources as an integer")
        else:
            top = self.max_resources
            if self.resource not in self.estimator.get_params():
                raise ValueError(f"resource {self.resource!r} is not a parameter of "
                                 f"{type(self.estimator).__name__}")
        if not isinstance(top, Integral) or not 1 <= top <= (
                n_samples if self.resource == N_SAMPLES else top):
            raise ValueError(f"max_resources must be an integer in [1, {n_samples}] for "
                             f"n_samples; got {self.max_resources!r}")
        self.max_resources_ = int(top)
        self.min_resources_ = self._smallest(X, y, split_params)
        if self.min_resources_ > self.max_resources_:
            raise ValueError(f"min_resources {self.min_resources_} is greater than "
                             f"max_resources {self.max_resources_}")
        self._n_samples_fit = n_samples

    def _smallest(self, X: Any, y: Any, split_params: Any) -> int:
        value = self.min_resources
        if isinstance(value, Integral) and not isinstance(value, bool) and value >= 1:
            return int(value)
        if value not in ("smallest", "exhaust"):
            raise ValueError(f"min_resources must be 'smallest', 'exhaust' or an integer >= 1;"
                             f" got {value!r}")
        if self.resource != N_SAMPLES:
            smallest = 1
        else:
            splits = check_cv(self.cv, y, classifier=is_classifier(self.estimator)
                              ).get_n_splits(X, y, **split_params)
            classes = len(np.unique(y)) if is_classifier(self.estimator) and y is not None \
                and np.ndim(y) == 1 else 1
            smallest = 2 * splits * classes
        smallest = min(smallest, self.max_resources_)
        if value == "exhaust" and self.n_candidates != "exhaust":
            iterations = 1 + int(math.floor(math.log(int(self.n_candidates), self.factor)))
            smallest = max(smallest, int(self.max_resources_ // self.factor **
                                         (iterations - 1)))
        return smallest

    def _candidates(self) -> list[dict[str, Any]]:
        n = self.n_candidates
        if n == "exhaust":
            n = max(1, self.max_resources_ // self.min_resources_)
        if not isinstance(n, Integral) or n < 1:
            raise ValueError(f"n_candidates must be 'exhaust' or an integer >= 1; got {n!r}")
        return list(ParameterSampler(self.param_distributions, int(n),
                                     random_state=self.random_state))

    def _run_search(self, evaluate_candidates: Any, *, callback_ctx: Any = None) -> None:
        candidates = self._candidates()
        required = 1 + int(math.floor(math.log(len(candidates), self.factor) + 1e-9))
        possible = 1 + int(math.floor(
            math.log(self.max_resources_ / self.min_resources_, self.factor) + 1e-9))
        iterations = required if self.aggressive_elimination else min(required, possible)
        self.n_required_iterations_, self.n_possible_iterations_ = required, possible
        self.n_iterations_ = iterations
        self.n_resources_: list[int] = []
        self.n_candidates_: list[int] = []
        seconds = [0.0] * len(candidates)  # mean fit time in the iteration before
        for i in range(iterations):
            power = max(0, i - (iterations - possible)) if iterations > possible else i
            n_resources = int(min(self.max_resources_,
                                  self.min_resources_ * self.factor ** power))
            self.n_resources_.append(n_resources)
            self.n_candidates_.append(len(candidates))
            params, cv = self._iteration(candidates, n_resources)
            more = {"iter": [i] * len(params), "n_resources": [n_resources] * len(params)}
            order = slowest_first(seconds)
            if i == iterations - 1 and len(params) == 1:
                early = _EARLY.get(id(self))
                if early is not None:
                    early.start(params[0])
            results = evaluate_candidates([params[j] for j in order], cv, more)
            if i == iterations - 1:
                break
            scores, seconds = np.empty(len(params)), np.empty(len(params))
            scores[order] = np.asarray(results[self._metric_key()][-len(params):], dtype=float)
            seconds[order] = np.asarray(results["mean_fit_time"][-len(params):], dtype=float)
            scores = np.where(np.isnan(scores), -np.inf, scores)
            keep = max(1, int(math.ceil(len(candidates) / self.factor)))
            kept = sorted(np.argsort(-scores, kind="stable")[:keep])
            candidates = [candidates[j] for j in kept]
            seconds = [float(seconds[j]) for j in kept]
        self.n_remaining_candidates_ = len(candidates)

    def _iteration(self, candidates: list[dict[str, Any]], n_resources: int
                   ) -> tuple[list[dict[str, Any]], Any]:
        """The parameters and the CV splitter of an iteration with ``n_resources``."""
        if self.resource != N_SAMPLES:
            return [{**c, self.resource: n_resources} for c in candidates], None
        if n_resources >= self._n_samples_fit:
            return candidates, None
        seed = self.random_state if isinstance(self.random_state, Integral) else 0
        return candidates, _NestedSubsample(self._checked_cv_orig,
                                            n_resources / self._n_samples_fit, int(seed),
                                            is_classifier(self.estimator))

    def _metric_key(self) -> str:
        if callable(self.scoring) or isinstance(self.scoring, str) or self.scoring is None:
            return "mean_test_score"
        return f"mean_test_{self.refit}"

    @staticmethod
    def _select_best_index(refit: Any, refit_metric: str, results: dict) -> int:
        """The best of the last iteration (earlier ones used fewer resources)."""
        if callable(refit):
            return BaseSearchCV._select_best_index(refit, refit_metric, results)
        iters = np.asarray(results["iter"])
        last = np.flatnonzero(iters == iters.max())
        scores = np.asarray(results[f"mean_test_{refit_metric}"], dtype=float)[last]
        scores = np.where(np.isnan(scores), -np.inf, scores)
        return int(last[np.argmax(scores)])

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()  # the estimator's type, pairwise and sparse input
        tags.input_tags.allow_nan = self.estimator.__sklearn_tags__().input_tags.allow_nan
        return tags
