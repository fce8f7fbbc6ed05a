"""One search of ``StepSearchCV``: its space, its stepwise strategy and its trials.

A :class:`Search` outlives one ``fit``: calling ``fit`` again on the same data continues
it (AutoTune's behaviour) with the same random stream, step sizes and meta-learners.
"""

from __future__ import annotations

import dataclasses
import gc
import math
import numbers
import sys
import time
import warnings
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import cross_validate

from modelmap.tuning._search_prior import EXTRA_TIMES, Prior, StepSearchError
from modelmap.tuning._settings import Settings, StepwiseSettings
from modelmap.tuning._space import Family, Param, Space
from modelmap.tuning._steps import StepRules
from modelmap.tuning._stepwise import Stepwise
from modelmap.tuning._strategy import Candidate, Trial


class Search:
    """The state of one search (see the module doc)."""

    def __init__(self, owner: Any, start: dict[str, Any], prior: Prior, seed: int,
                 fingerprint: str, n_splits: int) -> None:
        self.owner = owner
        self.start = dict(start)
        self.fingerprint = fingerprint
        self.n_splits = n_splits
        family = Family(0, "", type(owner.estimator).__name__, "", self.start,
                        tuple(p for p in (self._param(k, v) for k, v in self.start.items())
                              if p is not None))
        self.space = Space((family,))
        self.strategy = Stepwise(self.space, _settings(owner, seed), seed,
                                 meta_learner=owner.meta_learner)
        self.strategy.sign = math.copysign(1.0, owner.step_threshold)  # the seed's convention
        s = self.strategy.s
        self.strategy.rules = StepRules.from_mapping(s.step_rules, s.veto, s.extending_lists)
        self.strategy.rules.veto_rule = owner.step_veto_rule
        self.trials: list[Trial] = []
        self.steps_done = 0  # steps this search made (not the start, not prior rows)
        self.target: float = 0  # steps_done to reach (AutoTune's steps_requested)
        self._take_prior(prior)

    # -- the space --------------------------------------------------------------------------
    def _param(self, name: str, value: Any) -> Param | None:
        low, high = (self.owner.param_bounds or {}).get(name, (None, None))
        options = (self.owner.param_options_str or {}).get(name)
        if isinstance(value, (bool, np.bool_)):
            return Param(name, "categorical", bool(value), values=(True, False))
        if isinstance(value, (str, np.str_)):
            if options is None:
                return None
            values = tuple(sorted({str(o) for o in options} | {str(value)}))
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

    def values_of(self, params: dict[str, Any]) -> dict[str, Any]:
        """A row's parameters as values of the tuned parameters (missing ones: the start's)."""
        values = {}
        for p in self.space.families[0].params:
            value = params.get(p.name, p.initial)
            values[p.name] = list(value) if p.kind == "list" else value
        return values

    def full(self, values: dict[str, Any]) -> dict[str, Any]:
        """Every parameter as the estimator gets it (tuples in ``start`` stay tuples)."""
        params = {**self.start, **{k: v for k, v in values.items() if k in self.start}}
        return {k: tuple(v) if isinstance(self.start.get(k), tuple) and isinstance(v, list)
                else v for k, v in params.items()}

    # -- prior rows -------------------------------------------------------------------------
    def _take_prior(self, prior: Prior) -> None:
        if not prior.trials:
            return
        for trial in prior.trials:
            values = self.values_of(dict(trial.candidate.values))
            parent = trial.candidate.parent
            candidate = dataclasses.replace(
                trial.candidate, values=values,
                parent=self.values_of(dict(parent)) if parent is not None else None)
            self.trials.append(dataclasses.replace(trial, candidate=candidate))
        strategy = self.strategy
        strategy.starts = []  # no random starts either: the prior rows are where to go on
        strategy.tell(list(self.trials))
        for number, flag in prior.improved.items():  # AutoTune's flags are kept as they were
            strategy.decisions[number]["improved"] = flag
        if prior.current is not None:
            strategy.current = self.trials[prior.current - 1]
        strategy.step = prior.steps
        bar = self.owner.prior_best_score
        if bar is not None and strategy.current is not None:
            strategy.current = dataclasses.replace(strategy.current, score=float(bar))

    def queue_start(self) -> None:
        """Evaluate ``start`` first unless it already was (AutoTune: test_starting_parameters)."""
        family = self.space.families[0]
        candidate = Candidate(0, family.initial(), 0, "initial", "initial values")
        pending = any(c.origin == "initial" for c in self.strategy.starts)
        if not pending and candidate.signature not in self.strategy.seen:
            self.strategy.starts.insert(0, candidate)

    def skip_start(self) -> None:
        self.strategy.starts = [c for c in self.strategy.starts if c.origin != "initial"]
        if self.strategy.current is None:
            raise StepSearchError(
                "test_starting_parameters=False skips training parameters_start, but "
                "there is no earlier result to continue from", where="fit",
                hint="pass prior_results (a fitted search or its results table), or leave "
                "test_starting_parameters=True")

    # -- running steps ----------------------------------------------------------------------
    def run(self, steps: float, X: Any, y: Any, groups: Any, cv: Any, fit_params: dict,
            on_trial: Any) -> None:
        """``steps`` steps (plus a pending start); ``on_trial(trial, improved)`` after each."""
        owner, strategy = self.owner, self.strategy
        started, done = time.time(), 0
        while done < steps or any(c.origin == "initial" for c in strategy.starts):
            left = None if owner.time_budget is None else \
                owner.time_budget - (time.time() - started)
            if left is not None and left <= 0:
                break
            strategy.time_left = left
            asked = strategy.ask(1)
            if not asked:
                break
            number = (self.trials[-1].number if self.trials else 0) + 1
            trial = self._evaluate(asked[0], number, X, y, groups, cv, fit_params)
            self.trials.append(trial)
            strategy.tell([trial])
            if trial.candidate.origin != "initial":
                done += 1
                self.steps_done += 1
            self._after_step()
            on_trial(trial, bool(strategy.decisions[trial.number]["improved"]))

    def _evaluate(self, candidate: Candidate, number: int, X: Any, y: Any, groups: Any,
                  cv: Any, fit_params: dict) -> Trial:
        """Cross-validate one config; a config whose every fold fails is a failed trial."""
        owner = self.owner
        estimator = clone(owner.estimator).set_params(**self.full(dict(candidate.values)))
        title = ", ".join(f"{k}={v}" for k, v in candidate.values.items())
        started = time.time()
        try:
            out = cross_validate(estimator, X, y, groups=groups, cv=cv, scoring=owner.scorer_,
                                 n_jobs=owner.n_jobs, params=fit_params or None,
                                 error_score=owner.error_score)
        except ValueError as error:  # scikit-learn's "All the N fits failed"
            if owner.error_score == "raise" or "fits failed" not in str(error):
                raise
            return self._failed(candidate, number, title, time.time() - started, error)
        scores = np.asarray(out["test_score"], dtype=float)
        ok = bool(np.all(np.isfinite(scores)))
        extra = {"std_fit_time": float(np.std(out["fit_time"])),
                 "mean_score_time": float(np.mean(out["score_time"])),
                 "std_score_time": float(np.std(out["score_time"]))}
        return Trial(number, candidate, title, str(number), "ok" if ok else "failed",
                     float(scores.mean()) if ok else None, float(scores.std()) if ok else None,
                     float(np.mean(out["fit_time"])), time.time() - started,
                     None if ok else "a fold failed (see the FitFailedWarning)",
                     scores={**{f"split{i}_test_score": float(s) for i, s in enumerate(scores)},
                             **extra})

    def _failed(self, candidate: Candidate, number: int, title: str, seconds: float,
                error: ValueError) -> Trial:
        """Every fold failed: scored ``error_score`` per fold (failed when that is nan)."""
        value = float(self.owner.error_score)
        ok = math.isfinite(value)
        text = _first_error(str(error))
        scored = f"scored error_score={value:g}" if ok else "scored as failed"
        warnings.warn(f"StepSearchCV: every fold of step {number} ({title}) failed: {text}; "
                      f"the step is {scored} and the search goes on", stacklevel=5)
        splits = {f"split{i}_test_score": value for i in range(self.n_splits)}
        return Trial(number, candidate, title, str(number), "ok" if ok else "failed",
                     value if ok else None, 0.0 if ok else None,
                     seconds / max(1, self.n_splits) if ok else None, seconds, text,
                     scores={**splits, **dict.fromkeys(EXTRA_TIMES, float("nan"))})

    def _after_step(self) -> None:
        if not self.owner.reset_session:
            return
        keras = sys.modules.get("keras") or getattr(sys.modules.get("tensorflow"), "keras",
                                                    None)
        if keras is not None:
            keras.backend.clear_session()
        gc.collect()

    # -- results ----------------------------------------------------------------------------
    def best(self) -> Trial | None:
        """The config the search stands on (the last adopted), as recorded in ``trials``."""
        chosen = self.strategy.current or self.strategy.best()
        if chosen is None:
            return None
        return next(t for t in self.trials if t.number == chosen.number)

    def meta_learners(self) -> tuple[Any, Any]:
        """The fitted score and log-fit-time meta-learners (None before 3 results)."""
        self.strategy._model_ready()
        models = self.strategy.model.models
        return (models["score"][0] if models else None, models["time"][0] if models else None)


def _settings(owner: Any, seed: int) -> Settings:
    rules = {"multiply_scale": 1.0, "add_scale": 0.0, **(owner.step_rules or {})}
    stepwise = StepwiseSettings(
        step_number_vars=owner.step_number_vars, step_rules=rules,
        step_threshold=owner.step_threshold, max_fit_time=owner.max_fit_time,
        explore_rt_init=owner.explore_rt_init, explore_rt_decay=owner.explore_rt_decay,
        explore_rt_min=owner.explore_rt_min, anticipation_draws=owner.anticipation_draws,
        tradeoff_scr_per_sec=owner.tradeoff_scr_per_sec, uncertainty=owner.uncertainty,
        extending_lists=owner.extending_lists, stall_steps=owner.stall_steps,
        stall_growth=owner.stall_growth, adapt_steps=owner.adapt_steps,
        score_floor_quantile=owner.score_floor_quantile, random_starts=owner.random_starts)
    folds = owner.cv_folds if isinstance(owner.cv_folds, numbers.Integral) else 3
    return Settings(strategy="stepwise", budget=None, cv=max(2, int(folds)),
                    random_state=seed, stepwise=stepwise)


def _first_error(text: str) -> str:
    """The estimator's own error from scikit-learn's "All the N fits failed" summary."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "Error:" in line or "Exception:" in line]
    return (errors[-1] if errors else lines[0] if lines else "every fit failed")[:300]


def fingerprint(*arrays: Any) -> str:
    """A hash of the data, so that ``fit`` continues a search only on the same data."""
    import joblib

    return str(joblib.hash(list(arrays)))

