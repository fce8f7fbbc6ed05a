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
from modelmap.tuning._strategy import Strategy, Trial, make_strategy

Objective = Callable[[int, Mapping[str, Any]], tuple[float | None, float]]


def replay(space: Space, settings: Settings, objective: Objective, *, budget: int,
           strategy: Strategy | None = None, folds: int | None = None) -> list[Trial]:
    """Trials of ``settings.strategy`` (or ``strategy``) over ``budget`` evaluations."""
    settings = dataclasses.replace(settings, budget=budget)
    strategy = strategy or make_strategy(space, settings)
    trials: list[Trial] = []
    while len(trials) < budget:
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
        strategy.tell(told)
    return trials
