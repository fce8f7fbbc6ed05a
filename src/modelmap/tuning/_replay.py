"""Replaying a strategy against a function instead of training: benchmarks and tests.

``objective(family, values)`` returns ``(validation score or None, mean fit time)``; the
loop is the one of a real run (ask → evaluate → tell, the same budget rules), without
executor or store, so a strategy can be compared over many seeds on precomputed tables.
A multi-fidelity strategy's candidates are scored with ``objective(family, values, fidelity)``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from modelmap.tuning._settings import Settings
from modelmap.tuning._space import Space
from modelmap.tuning._strategy import Strategy, Trial
from modelmap.tuning.strategies import make_strategy

Objective = Callable[[int, Mapping[str, Any]], tuple[float | None, float]]


def replay(space: Space, settings: Settings, objective: Objective, *, budget: int,
           strategy: Strategy | None = None, folds: int | None = None,
           fit_seconds: float | None = None) -> list[Trial]:
    """Trials of ``settings.strategy`` (or ``strategy``) over ``budget`` evaluations; with
    ``fit_seconds``, also until the trials' summed fit time reaches it (a time budget on
    one worker: the strategy is told the time left, as in a real run)."""
    settings = dataclasses.replace(settings, budget=budget)
    strategy = strategy or make_strategy(space, settings)
    trials: list[Trial] = []
    spent = 0.0
    while len(trials) < budget and (fit_seconds is None or spent < fit_seconds):
        if fit_seconds is not None:
            strategy.time_left = fit_seconds - spent
        asked = strategy.ask(settings.batch_size)[: budget - len(trials)]
        if not asked:
            break
        told = []
        for candidate in asked:
            score, fit_time = objective(candidate.family, candidate.values) \
                if candidate.fidelity is None else \
                objective(candidate.family, candidate.values, candidate.fidelity)  # type: ignore
            family = space.families[candidate.family]
            number = len(trials) + 1
            trial = Trial(number, candidate, family.render_title(candidate.values), str(number),
                          "ok" if score is not None else "failed", score, None, fit_time,
                          fit_time * (folds or settings.cv))
            trials.append(trial)
            told.append(trial)
            spent += trial.seconds
        strategy.tell(told)
    return trials
