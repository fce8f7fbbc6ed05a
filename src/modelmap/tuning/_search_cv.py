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

A step whose folds all fail (e.g. ``max_features`` > 1) is scored ``error_score`` (nan:
failed), recorded in ``cv_results_`` with its error, taught to the score meta-learner
as a bad config, and the search goes on.  Calling ``fit`` again on the same data
continues the search (AutoTune's behaviour; ``warm_start=False`` starts over), and
Ctrl-C keeps the results so far.  AutoTune's other arguments are accepted: see
docs/tuning.md ("AutoTune users").

After ``fit``: ``best_params_``, ``best_score_``, ``best_index_``, ``best_mean_fit_time_``,
``best_estimator_`` (when ``refit``), ``cv_results_`` (a pandas DataFrame, one row per
step with the seed's and GridSearchCV's fields; ``results`` is AutoTune's name),
``meta_learner_score_`` and ``meta_learner_time_`` (the fitted meta-learners),
``trials_``, ``step_``, ``n_splits_``, ``refit_time_`` and ``scorer_``.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.metrics import check_scoring
from sklearn.model_selection import check_cv
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, indexable

from modelmap.tuning._search_args import call_steps, check_autotune_arguments, check_steps, seed
from modelmap.tuning._search_prior import StepSearchError, read_prior
from modelmap.tuning._search_run import Search, fingerprint
from modelmap.tuning._search_table import results_table, save_locations, save_table
from modelmap.tuning._strategy import Trial


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
                 prior_best_score: float | None = None, step_number_vars: int = 1,
                 step_rules: dict | None = None,
                 step_veto_rule: Callable[[Any, Any], bool] | None = None, steps: float = 50,
                 step_threshold: float = 0.0001, scoring: Any = None, cv_folds: Any = 3,
                 max_fit_time: float | None = None, meta_learner: Any = None,
                 explore_rt_init: float = 1.0, explore_rt_decay: float = 0.25,
                 explore_rt_min: float = 0.5, anticipation_draws: int = 25,
                 anticipate_changes: bool = False, tradeoff_scr_per_sec: float = 0.0,
                 random_state: Any = 7, save_location: Any = None, refit: bool = True,
                 warm_start: bool = True, reset_session: bool = False,
                 delete_prior: bool = False, n_jobs: int | None = None,
                 time_budget: float | None = None, uncertainty: str = "bootstrap",
                 extending_lists: bool = True, param_bounds: dict | None = None,
                 error_score: Any = np.nan, stall_steps: int = 8, stall_growth: float = 1.5,
                 adapt_steps: bool = True, score_floor_quantile: float = 0.75,
                 random_starts: int = 0) -> None:
        self.estimator = estimator
        self.parameters_start = parameters_start
        self.param_options_str = param_options_str
        self.prior_results = prior_results
        self.prior_best_score = prior_best_score
        self.step_number_vars = step_number_vars
        self.step_rules = step_rules
        self.step_veto_rule = step_veto_rule
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
        self.anticipate_changes = anticipate_changes
        self.tradeoff_scr_per_sec = tradeoff_scr_per_sec
        self.random_state = random_state
        self.save_location = save_location
        self.refit = refit
        self.warm_start = warm_start
        self.reset_session = reset_session
        self.delete_prior = delete_prior
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
    def fit(self, X: Any, y: Any = None, groups: Any = None, *, steps: float | None = None,
            export_improvements_only: bool = False, test_starting_parameters: bool = True,
            more_steps: int | None = None, steps_completed: int | None = None,
            **fit_params: Any) -> StepSearchCV:
        """Run the search: ``parameters_start`` first, then ``steps`` steps.

        Called again on the same data (and ``warm_start=True``), ``fit`` continues the same
        search: ``fit(X, y, steps=N)`` makes N more steps; without ``steps`` it makes the
        steps still missing of those last asked for (none once they are done, so a plain
        refit changes nothing).
        ``export_improvements_only`` writes ``save_location`` only after adopted steps (and
        at the end); ``test_starting_parameters=False`` does not train ``parameters_start``
        but continues from ``prior_results``.  ``more_steps`` is AutoTune's older name of
        ``steps``; ``steps_completed`` is ignored (the search counts its own steps).  Other
        keyword arguments go to the estimator's ``fit``.
        """
        wanted = call_steps(steps, more_steps, steps_completed)
        X, y, groups = indexable(X, y, groups)
        self.scorer_ = check_scoring(self.estimator, scoring=self.scoring)
        cv = check_cv(self.cv_folds, y, classifier=is_classifier(self.estimator))
        self.n_splits_ = cv.get_n_splits(X, y, groups)
        paths = save_locations(self.save_location)
        data = fingerprint(X, y, groups)
        search = self._continued(data)
        if search is None:
            search = self._new_search(data, self.n_splits_)
            search.target = check_steps(self.steps, "steps")
        if wanted is not None:  # AutoTune: steps requested = steps done + steps
            search.target = search.steps_done + wanted
        todo = max(0, search.target - search.steps_done)
        if test_starting_parameters:
            search.queue_start()
        else:
            search.skip_start()
        self._search_ = search

        def saved(trial: Trial, improved: bool) -> None:
            if paths and (improved or not export_improvements_only):
                save_table(self._table(search), paths)

        try:
            search.run(todo, X, y, groups, cv, fit_params, saved)
        except KeyboardInterrupt:  # AutoTune's way to stop: keep what was found so far
            if search.best() is not None:
                self._record(search)
                self.__dict__.pop("best_estimator_", None)  # not refitted: fit again
                if paths:
                    save_table(self.cv_results_, paths)
            raise
        self._finish(search, X, y, fit_params)
        if paths:
            save_table(self.cv_results_, paths)
        return self

    def _continued(self, data: str) -> Search | None:
        search = getattr(self, "_search_", None)
        if search is None or not self.warm_start:
            return None
        if search.fingerprint != data:
            warnings.warn("StepSearchCV.fit got other data than the search so far; it starts "
                          "a new search (results on different data do not compare)",
                          stacklevel=3)
            return None
        return search

    def _new_search(self, data: str, n_splits: int) -> Search:
        check_autotune_arguments(self)
        sign = math.copysign(1.0, self.step_threshold)
        prior = read_prior(self.prior_results, sign)
        if self.parameters_start is not None and not isinstance(self.parameters_start, dict):
            raise StepSearchError(f"expected a dict of parameter values; got "
                                  f"{self.parameters_start!r}", where="parameters_start",
                                  hint="e.g. parameters_start={'alpha': 0.0001}")
        start = dict(self.parameters_start) if self.parameters_start else prior.params
        if not start:
            raise StepSearchError(
                "parameters_start is missing: the search steps from a starting value of "
                "each parameter to tune", where="parameters_start",
                hint="e.g. StepSearchCV(MLPRegressor(), parameters_start={'alpha': 0.0001, "
                "'hidden_layer_sizes': (4, 1)}); or pass prior_results to continue a search")
        return Search(self, start, prior, seed(self.random_state), data, n_splits)

    def _table(self, search: Search) -> pd.DataFrame:
        return results_table(search.trials, search.strategy.decisions, search.strategy.sign,
                             search.n_splits, search.full)

    def _finish(self, search: Search, X: Any, y: Any, fit_params: dict) -> None:
        best = search.best()
        if best is None:
            first = search.full(search.space.families[0].initial())
            clone(self.estimator).set_params(**first).fit(X, y, **fit_params)  # its own error
            errors = {t.error for t in search.trials if t.error}
            raise StepSearchError(
                f"all the {len(search.trials)} configs tried failed; the first was {first}"
                + (f" ({'; '.join(sorted(errors))[:500]})" if errors else ""),
                where="fit", hint="set error_score='raise' to see the estimator's traceback")
        self._record(search)
        if self.refit:
            started = time.time()
            self.best_estimator_ = clone(self.estimator).set_params(**self.best_params_)
            self.best_estimator_.fit(X, y, **fit_params)
            self.refit_time_ = time.time() - started

    def _record(self, search: Search) -> None:
        """The fitted attributes of the search so far (all but ``best_estimator_``)."""
        best = search.best()
        assert best is not None
        self.trials_ = list(search.trials)
        self.cv_results_ = self._table(search)
        self.best_index_ = self.trials_.index(best)
        self.best_params_ = search.full(dict(best.candidate.values))
        self.best_score_ = best.score
        self.best_mean_fit_time_ = best.fit_time
        self.step_ = len(self.trials_) - 1
        self.meta_learner_score_, self.meta_learner_time_ = search.meta_learners()

    # -- AutoTune's names ---------------------------------------------------------------------
    @property
    def results(self) -> pd.DataFrame | None:
        """AutoTune's name of ``cv_results_`` (None before ``fit``)."""
        return getattr(self, "cv_results_", None)

    @property
    def results_df(self) -> pd.DataFrame | None:
        """AutoTune's DataFrame of its results: here the same ``cv_results_``."""
        return getattr(self, "cv_results_", None)

    @property
    def parameters_best(self) -> dict | None:
        """AutoTune's name of ``best_params_`` (None before ``fit``)."""
        return getattr(self, "best_params_", None)

    @property
    def best_score(self) -> float | None:
        """AutoTune's name of ``best_score_`` (None before ``fit``)."""
        return getattr(self, "best_score_", None)

    @property
    def best_model_mean_fit_time(self) -> float | None:
        """AutoTune's name of ``best_mean_fit_time_`` (None before ``fit``)."""
        return getattr(self, "best_mean_fit_time_", None)

    @property
    def meta_learner_score(self) -> Any:
        """AutoTune's name of ``meta_learner_score_`` (None before ``fit``)."""
        return getattr(self, "meta_learner_score_", None)

    @property
    def meta_learner_time(self) -> Any:
        """AutoTune's name of ``meta_learner_time_`` (None before ``fit``)."""
        return getattr(self, "meta_learner_time_", None)

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
        tags.target_tags = sub.target_tags  # multi-output as the estimator (check_supervised_y_2d)
        return tags


