"""``StepSearchCV``: the AutoTune seed's step-by-step search as a scikit-learn meta-estimator.

It works on any estimator or pipeline.  From ``parameters_start`` each step changes
``step_number_vars`` parameters (numbers by multiplicative/additive steps with a 5 % veto,
booleans flipped, strings drawn from ``param_options_str``, list/tuple elements stepped
or a list grown by one element); a step is adopted when the cross-validated score (plus
``tradeoff_scr_per_sec`` × fit seconds saved) improves by more than ``step_threshold``.
When exploiting, ``anticipation_draws`` random steps are ranked by two meta-learners
(score and fit time, Ridge by default) before one is tried.  After ``stall_steps`` steps
in a row without an adopted one, steps change one more parameter and grow ``stall_growth``
times (0 turns this off), each parameter's steps grow after a success or a flat score and
shrink after a worse one (``adapt_steps``), and the score meta-learner sees scores raised
to their ``score_floor_quantile`` (so it learns where the good configs are rather than how
bad the failures were); none of these is in the seed.  ``random_starts`` configs drawn from
the ``param_bounds`` ranges (and the listed options) are tried after the start (default 0:
the seed starts from ``parameters_start`` only).  Parameters that are neither
numbers, booleans, listed strings nor lists of numbers are kept as given.

After ``fit``: ``best_params_``, ``best_score_``, ``best_index_``, ``best_estimator_``
(when ``refit``), ``cv_results_`` (a pandas DataFrame, one row per step with the seed's
fields), ``n_splits_``, ``refit_time_`` and ``scorer_``.
"""

from __future__ import annotations

import math
import numbers
import time
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.metrics import check_scoring
from sklearn.model_selection import check_cv, cross_validate
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, indexable

from modelmap.tuning._history import history_frame
from modelmap.tuning._settings import Settings, StepwiseSettings
from modelmap.tuning._space import Family, Param, Space
from modelmap.tuning._stepwise import Stepwise
from modelmap.tuning._strategy import Candidate, Trial


def _has(name: str):
    def check(self: StepSearchCV) -> bool:
        if hasattr(self, "best_estimator_"):
            return hasattr(self.best_estimator_, name)
        return hasattr(self.estimator, name)

    return check


class StepSearchCV(MetaEstimatorMixin, BaseEstimator):
    """Step-by-step hyper-parameter search with anticipation models (see the module doc)."""

    def __init__(self, estimator: Any, parameters_start: dict | None = None, *,
                 param_options_str: dict | None = None, prior_results: Any = None,
                 step_number_vars: int = 1, step_rules: dict | None = None, steps: int = 50,
                 step_threshold: float = 0.0001, scoring: Any = None, cv_folds: Any = 3,
                 max_fit_time: float | None = None, meta_learner: Any = None,
                 explore_rt_init: float = 1.0, explore_rt_decay: float = 0.25,
                 explore_rt_min: float = 0.5, anticipation_draws: int = 25,
                 tradeoff_scr_per_sec: float = 0.0, random_state: int = 7,
                 save_location: str | None = None, refit: bool = True,
                 n_jobs: int | None = None, time_budget: float | None = None,
                 uncertainty: str = "bootstrap", extending_lists: bool = True,
                 param_bounds: dict | None = None, error_score: Any = np.nan,
                 stall_steps: int = 8, stall_growth: float = 1.5, adapt_steps: bool = True,
                 score_floor_quantile: float = 0.75, random_starts: int = 0) -> None:
        self.estimator = estimator
        self.parameters_start = parameters_start
        self.param_options_str = param_options_str
        self.prior_results = prior_results
        self.step_number_vars = step_number_vars
        self.step_rules = step_rules
        self.steps = steps
        self.step_threshold = step_threshold
        self.scoring = scoring
        self.cv_folds = cv_folds
        self.max_fit_time = max_fit_time
        self.meta_learner = meta_learner
        self.explore_rt_init = explore_rt_init
        self.explore_rt_decay = explore_rt_decay
        self.explore_rt_min = explore_rt_min
        self.anticipation_draws = anticipation_draws
        self.tradeoff_scr_per_sec = tradeoff_scr_per_sec
        self.random_state = random_state
        self.save_location = save_location
        self.refit = refit
        self.n_jobs = n_jobs
        self.time_budget = time_budget
        self.uncertainty = uncertainty
        self.extending_lists = extending_lists
        self.param_bounds = param_bounds
        self.error_score = error_score
        self.stall_steps = stall_steps
        self.stall_growth = stall_growth
        self.adapt_steps = adapt_steps
        self.score_floor_quantile = score_floor_quantile
        self.random_starts = random_starts

    # -- the search -----------------------------------------------------------------------
    def fit(self, X: Any, y: Any = None, groups: Any = None, **fit_params: Any) -> StepSearchCV:
        """Run ``steps`` steps from ``parameters_start`` (plus the start itself)."""
        X, y, groups = indexable(X, y, groups)
        self.scorer_ = check_scoring(self.estimator, scoring=self.scoring)
        cv = check_cv(self.cv_folds, y, classifier=is_classifier(self.estimator))
        self.n_splits_ = cv.get_n_splits(X, y, groups)
        space = self._space()
        strategy = self._strategy(space)
        trials = self._prior(strategy)
        started = time.time()
        total = len(trials) + self.steps + (0 if trials else 1)  # the start, then the steps
        while len(trials) < total:
            left = None if self.time_budget is None else self.time_budget - (time.time() - started)
            if left is not None and left <= 0:
                break
            strategy.time_left = left
            asked = strategy.ask(1)
            if not asked:
                break
            trial = self._evaluate(asked[0], len(trials) + 1, space, X, y, groups, cv, fit_params)
            trials.append(trial)
            strategy.tell([trial])
            self._save(trials, strategy)
        self._finish(trials, strategy, space, X, y, fit_params)
        return self

    def _space(self) -> Space:
        start = dict(self.parameters_start or {})
        params = tuple(p for p in (self._param(name, value) for name, value in start.items())
                       if p is not None)
        family = Family(0, "", type(self.estimator).__name__, "", start, params)
        return Space((family,))

    def _param(self, name: str, value: Any) -> Param | None:
        low, high = (self.param_bounds or {}).get(name, (None, None))
        options = (self.param_options_str or {}).get(name)
        if isinstance(value, (bool, np.bool_)):
            return Param(name, "categorical", bool(value), values=(True, False))
        if isinstance(value, (str, np.str_)):
            if options is None:
                return None
            values = tuple(sorted(str(o) for o in options))
            return Param(name, "categorical", str(value), values=values)
        if isinstance(value, numbers.Integral):
            return Param(name, "int", int(value), low=low, high=high)
        if isinstance(value, numbers.Real):
            return Param(name, "float", float(value), low=low, high=high)
        if isinstance(value, (list, tuple)) and value and all(
                isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value):
            element = "int" if all(isinstance(v, numbers.Integral) for v in value) else "float"
            return Param(name, "list", list(value), low=low, high=high, element=element,
                         min_length=1, max_length=max(len(value) + 8, 4))
        return None

    def _settings(self) -> Settings:
        rules = {"multiply_scale": 1.0, "add_scale": 0.0, **(self.step_rules or {})}
        stepwise = StepwiseSettings(
            step_number_vars=self.step_number_vars, step_rules=rules,
            step_threshold=self.step_threshold, max_fit_time=self.max_fit_time,
            explore_rt_init=self.explore_rt_init, explore_rt_decay=self.explore_rt_decay,
            explore_rt_min=self.explore_rt_min, anticipation_draws=self.anticipation_draws,
            tradeoff_scr_per_sec=self.tradeoff_scr_per_sec, uncertainty=self.uncertainty,
            extending_lists=self.extending_lists, stall_steps=self.stall_steps,
            stall_growth=self.stall_growth, adapt_steps=self.adapt_steps,
            score_floor_quantile=self.score_floor_quantile, random_starts=self.random_starts)
        seed = self.random_state if isinstance(self.random_state, numbers.Integral) else 7
        folds = self.cv_folds if isinstance(self.cv_folds, numbers.Integral) else 3
        return Settings(strategy="stepwise", budget=self.steps + 1, cv=max(2, int(folds)),
                        random_state=int(seed), stepwise=stepwise)

    def _strategy(self, space: Space) -> Stepwise:
        strategy = Stepwise(space, self._settings(), self._settings().random_state,
                            meta_learner=self.meta_learner)
        strategy.sign = math.copysign(1.0, self.step_threshold)  # the seed's convention
        return strategy

    def _prior(self, strategy: Stepwise) -> list[Trial]:
        """Trials of ``prior_results`` (a fitted StepSearchCV or its ``cv_results_``)."""
        prior = self.prior_results
        trials: list[Trial] = []
        if prior is not None and hasattr(prior, "trials_"):
            trials = list(prior.trials_)
        elif isinstance(prior, pd.DataFrame):
            trials = [_trial_from_row(i + 1, row) for i, (_, row) in enumerate(prior.iterrows())]
        self._prior_trials = trials
        if trials:
            strategy.starts = []
            strategy.tell(trials)
        return list(trials)

    def _evaluate(self, candidate: Candidate, number: int, space: Space, X: Any, y: Any,
                  groups: Any, cv: Any, fit_params: dict) -> Trial:
        params = self._restore(space.families[0].config_args(candidate.values))
        estimator = clone(self.estimator).set_params(**params)
        title = ", ".join(f"{k}={v}" for k, v in candidate.values.items())
        started = time.time()
        out = cross_validate(estimator, X, y, groups=groups, cv=cv, scoring=self.scorer_,
                             n_jobs=self.n_jobs, params=fit_params or None,
                             error_score=self.error_score)
        scores = np.asarray(out["test_score"], dtype=float)
        ok = bool(np.all(np.isfinite(scores)))
        return Trial(number, candidate, title, str(number), "ok" if ok else "failed",
                     float(scores.mean()) if ok else None, float(scores.std()) if ok else None,
                     float(np.mean(out["fit_time"])), time.time() - started,
                     None if ok else "a fold failed (see the warnings)",
                     scores={f"split{i}_test_score": float(s) for i, s in enumerate(scores)})

    def _restore(self, params: dict) -> dict:
        """Tuples in ``parameters_start`` stay tuples (the steps work on lists)."""
        start = self.parameters_start or {}
        return {k: tuple(v) if isinstance(start.get(k), tuple) and isinstance(v, list) else v
                for k, v in params.items()}

    def _save(self, trials: list[Trial], strategy: Stepwise) -> None:
        if self.save_location:
            self._table(trials, strategy).to_csv(self.save_location, index=False)

    def _table(self, trials: list[Trial], strategy: Stepwise) -> pd.DataFrame:
        frame = history_frame(trials, strategy.decisions, "stepwise", 5, strategy.sign)
        params = [self._restore(dict(self.parameters_start or {}, **t.candidate.values))
                  for t in trials]
        frame["params"] = params
        for i in range(self.n_splits_):
            frame[f"split{i}_test_score"] = [t.scores.get(f"split{i}_test_score") for t in trials]
        ranks = pd.Series([strategy.sign * t.score if t.ok else -np.inf for t in trials])
        frame["rank_test_score"] = ranks.rank(ascending=False, method="min").astype(int).values
        return frame

    def _finish(self, trials: list[Trial], strategy: Stepwise, space: Space, X: Any, y: Any,
                fit_params: dict) -> None:
        if not any(t.ok for t in trials):
            start = self._restore(space.families[0].config_args(space.families[0].initial()))
            clone(self.estimator).set_params(**start).fit(X, y, **fit_params)  # its own error
            raise ValueError(f"All the {len(trials)} candidates failed to fit; the first "
                             f"parameters tried were {dict(self.parameters_start or {})}. "
                             "Set error_score='raise' to see the error.")
        self.trials_ = trials
        self.cv_results_ = self._table(trials, strategy)
        best = strategy.current or strategy.best()
        assert best is not None
        self.best_index_ = trials.index(best)
        self.best_params_ = self._restore(space.families[0].config_args(best.candidate.values))
        self.best_score_ = best.score
        self.step_ = len(trials) - 1
        if self.refit:
            started = time.time()
            self.best_estimator_ = clone(self.estimator).set_params(**self.best_params_)
            self.best_estimator_.fit(X, y, **fit_params)
            self.refit_time_ = time.time() - started

    # -- delegation to the best estimator ---------------------------------------------------
    def _check_refit(self, method: str) -> None:
        if not self.refit:
            raise AttributeError(f"This StepSearchCV instance was created with refit=False; "
                                 f"{method} is available only after refitting on the best "
                                 "parameters.")
        check_is_fitted(self)

    @property
    def classes_(self) -> np.ndarray:
        self._check_refit("classes_")
        return self.best_estimator_.classes_

    @property
    def n_features_in_(self) -> int:
        self._check_refit("n_features_in_")
        return self.best_estimator_.n_features_in_

    @available_if(_has("predict"))
    def predict(self, X: Any) -> np.ndarray:
        self._check_refit("predict")
        return self.best_estimator_.predict(X)

    @available_if(_has("predict_proba"))
    def predict_proba(self, X: Any) -> np.ndarray:
        self._check_refit("predict_proba")
        return self.best_estimator_.predict_proba(X)

    @available_if(_has("predict_log_proba"))
    def predict_log_proba(self, X: Any) -> np.ndarray:
        self._check_refit("predict_log_proba")
        return self.best_estimator_.predict_log_proba(X)

    @available_if(_has("decision_function"))
    def decision_function(self, X: Any) -> np.ndarray:
        self._check_refit("decision_function")
        return self.best_estimator_.decision_function(X)

    @available_if(_has("transform"))
    def transform(self, X: Any) -> Any:
        self._check_refit("transform")
        return self.best_estimator_.transform(X)

    def score(self, X: Any, y: Any = None, **params: Any) -> float:
        """The ``scoring`` of the refitted best estimator on ``X``, ``y``."""
        self._check_refit("score")
        return float(self.scorer_(self.best_estimator_, X, y, **params))

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        sub = clone(self.estimator).__sklearn_tags__()
        tags.estimator_type = sub.estimator_type
        tags.classifier_tags = sub.classifier_tags
        tags.regressor_tags = sub.regressor_tags
        tags.input_tags.sparse = sub.input_tags.sparse
        tags.input_tags.pairwise = sub.input_tags.pairwise
        tags.input_tags.allow_nan = sub.input_tags.allow_nan
        return tags


def _trial_from_row(number: int, row: pd.Series) -> Trial:
    values = {c[len("param_"):]: _plain(row[c]) for c in row.index if c.startswith("param_")
              and not (isinstance(row[c], float) and math.isnan(row[c]))}
    ok = row.get("status", "ok") == "ok" and pd.notna(row.get("mean_test_score"))
    candidate = Candidate(0, values, number, "prior", str(row.get("changes", "")))
    return Trial(number, candidate, str(row.get("title", number)), str(number),
                 "ok" if ok else "failed", float(row["mean_test_score"]) if ok else None,
                 row.get("std_test_score"), float(row.get("mean_fit_time", 0.0)),
                 float(row.get("seconds", 0.0)))


def _plain(value: Any) -> Any:
    """A cell of ``cv_results_`` back as a parameter value (lists are stored as JSON)."""
    if isinstance(value, str) and value.startswith("["):
        import json

        return json.loads(value)
    return value.item() if isinstance(value, np.generic) else value
