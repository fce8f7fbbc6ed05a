"""Optuna's TPE sampler over the same search space: the reference strategy.

Families become a categorical ``family`` parameter and each family's parameters are
asked only for that family (a conditional space); categorical values are asked as
indices (so lists and ``null`` work), lists as a length plus one number per element.
The job's initial configs are enqueued first, so TPE starts where the others start.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from modelmap.tuning._space import Family, Param
from modelmap.tuning._strategy import Candidate, Strategy, Trial

MAX_DUPLICATES = 50


class TPE(Strategy):
    name = "tpe"
    settings_fields = ("tpe",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        options = dict(self.settings.tpe)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # multivariate and constant_liar are "experimental"
            sampler = optuna.samplers.TPESampler(
                seed=self.settings.random_state,
                n_startup_trials=int(options.get("n_startup_trials", 10)),
                multivariate=bool(options.get("multivariate", True)),
                constant_liar=self.settings.batch_size > 1,
            )
        self.optuna = optuna
        self.study = optuna.create_study(direction="maximize", sampler=sampler)
        for candidate in self.initial_candidates():
            self.study.enqueue_trial(self._params(candidate))
        self.pending: dict[str, Any] = {}
        self.asked = 0
        self.exhausted = False

    def ask(self, n: int) -> list[Candidate]:
        batch: list[Candidate] = []
        duplicates = 0
        while len(batch) < n and not self.exhausted:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                trial = self.study.ask()
                candidate = self._candidate(trial)
            known = self._known(candidate.signature)
            if known is not None or candidate.signature in self.pending or any(
                    c.signature == candidate.signature for c in batch):
                self._tell_duplicate(trial, known)
                duplicates += 1
                self.exhausted = duplicates >= MAX_DUPLICATES
                continue
            self.pending[candidate.signature] = trial
            batch.append(candidate)
        return batch

    def _known(self, signature: str) -> Trial | None:
        return next((t for t in self.trials if t.candidate.signature == signature), None)

    def _tell_duplicate(self, trial: Any, known: Trial | None) -> None:
        if known is not None and known.ok:
            self.study.tell(trial, self.objective(known))
        else:
            self.study.tell(trial, state=self.optuna.trial.TrialState.FAIL)

    def tell(self, trials: list[Trial]) -> None:
        super().tell(trials)
        best = max((self.objective(t) for t in self.trials[:-len(trials)] if t.ok),
                   default=-math.inf) if trials else -math.inf
        for trial in trials:
            optuna_trial = self.pending.pop(trial.candidate.signature, None)
            if optuna_trial is not None:
                if trial.ok:
                    self.study.tell(optuna_trial, self.objective(trial))
                else:
                    self.study.tell(optuna_trial, state=self.optuna.trial.TrialState.FAIL)
            improved = self.objective(trial) > best
            best = max(best, self.objective(trial))
            self.decisions[trial.number] = {"improved": improved}
        for optuna_trial in self.pending.values():  # cut short by a budget
            self.study.tell(optuna_trial, state=self.optuna.trial.TrialState.FAIL)
        self.pending = {}

    # -- the space in Optuna's terms -----------------------------------------------------------
    def _candidate(self, trial: Any) -> Candidate:
        families = self.space.families
        index = trial.suggest_categorical("family", list(range(len(families)))) \
            if len(families) > 1 else 0
        family = families[index]
        values = {p.name: _suggest(trial, _name(family, p), p) for p in family.params}
        self.asked += 1
        return Candidate(index, values, self.asked, "tpe")

    def _params(self, candidate: Candidate) -> dict[str, Any]:
        family = self.space.families[candidate.family]
        params: dict[str, Any] = {"family": family.index} if len(self.space.families) > 1 else {}
        for p in family.params:
            value = candidate.values[p.name]
            name = _name(family, p)
            if p.kind == "categorical":
                params[name] = p.values.index(value) if value in p.values else 0
            elif p.kind == "list":
                params[f"{name}.length"] = len(value)
                params.update({f"{name}[{i}]": v for i, v in enumerate(value)})
            else:
                params[name] = value
        return params


def _name(family: Family, param: Param) -> str:
    return f"{family.index}:{param.name}"


def _suggest(trial: Any, name: str, p: Param) -> Any:
    if p.kind == "categorical":
        return p.values[trial.suggest_categorical(name, list(range(len(p.values))))]
    if p.kind == "list":
        length = trial.suggest_int(f"{name}.length", p.min_length, p.max_length)
        return [_number(trial, f"{name}[{i}]", p) for i in range(length)]
    return _number(trial, name, p)


def _number(trial: Any, name: str, p: Param) -> Any:
    assert p.low is not None and p.high is not None
    if p.is_int:
        return p.cast(trial.suggest_int(name, int(p.low), int(p.high), log=p.log))
    return p.cast(trial.suggest_float(name, float(p.low), float(p.high), log=p.log))
