"""The seed's evolutionary tuner: rounds of variations, the best ``tuning_population`` kept.

Round 1 trains the initial configs together with their first offspring; every later
round creates ``tuning_offspring - 1`` variations of each kept config (the config itself
is the first of its offspring and is not trained again).  A variation changes each tuned
parameter by the seed's rule: keep the value (20 %), else draw a categorical value
uniformly, and a number either uniformly in ``[min, max]`` (50 %) or from
``N(current, sigma)`` cut off at min and max; ints are rounded.  Duplicates are removed,
and a config trained in an earlier round is not trained again.
"""

from __future__ import annotations

from typing import Any

from modelmap.tuning._space import Family, Param
from modelmap.tuning._strategy import Candidate, Strategy, Trial, describe_changes

KEEP = 0.2  # probability to keep a parameter's value in a variation
UNIFORM = 0.5  # probability of a uniform (instead of a normal) draw for numbers
RESIZE = 0.2  # lists: probability to add or remove an element (an extension of the seed)


class Evolutionary(Strategy):
    name = "evolutionary"
    position = "round"
    budgeted = False  # its rounds decide
    settings_fields = ("rounds", "population", "offspring")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = 0
        self.population: list[Trial] = []
        self.members: list[str] = []  # signatures of the current round
        self.by_signature: dict[str, Trial] = {}
        self.best_objective = float("-inf")

    def ask(self, n: int) -> list[Candidate]:
        while self.round < self.settings.rounds:
            new = self._round_candidates()
            if new:
                return new
            self._finish_round()  # every variation was trained before
        return []

    def _round_candidates(self) -> list[Candidate]:
        number = self.round + 1
        if self.round == 0:
            parents = [(c, None) for c in self.initial_candidates()]
        else:
            parents = [(t.candidate, t) for t in self.population]
        self.members = []
        new: list[Candidate] = []
        for candidate, trial in parents:
            family = self.space.families[candidate.family]
            offspring = [candidate if trial is None else None]
            if trial is not None:
                self.members.append(candidate.signature)
            for _ in range(self.settings.offspring - 1):
                values = vary(family, candidate.values, self.rng)
                offspring.append(Candidate(family.index, values, number, "variation",
                                           describe_changes(candidate.values, values),
                                           dict(candidate.values)))
            for child in offspring:
                if child is None or child.signature in self.members:
                    continue
                self.members.append(child.signature)
                if child.signature not in self.by_signature:
                    new.append(Candidate(child.family, child.values, number, child.origin,
                                         child.changes, child.parent))
        return new

    def tell(self, trials: list[Trial]) -> None:
        super().tell(trials)
        for trial in trials:
            self.by_signature[trial.candidate.signature] = trial
            objective = self.objective(trial)
            improved = objective > self.best_objective
            self.best_objective = max(self.best_objective, objective)
            self.decisions[trial.number] = {"improved": improved}
        self._finish_round()

    def _finish_round(self) -> None:
        members = [self.by_signature[s] for s in self.members if s in self.by_signature]
        ranked = sorted(members, key=self.objective, reverse=True)  # stable: earlier first
        self.population = ranked[: self.settings.population]
        self.round += 1


def vary(family: Family, values: dict[str, Any] | Any, rng: Any) -> dict[str, Any]:
    """One variation of ``values`` by the seed's rule."""
    new = dict(values)
    for param in family.params:
        if rng.random() < KEEP:
            continue
        new[param.name] = vary_value(param, values[param.name], rng)
    return new


def vary_value(param: Param, current: Any, rng: Any) -> Any:
    if param.kind == "categorical":
        return param.values[int(rng.integers(len(param.values)))]
    if param.kind == "list":
        items = [_vary_number(param, v, rng) for v in current]
        if rng.random() < RESIZE:
            if len(items) < param.max_length and (len(items) <= param.min_length
                                                  or rng.random() < 0.5):
                items.append(min(items))
            elif len(items) > param.min_length:
                items.pop(int(rng.integers(len(items))))
        return items
    return _vary_number(param, current, rng)


def _vary_number(param: Param, current: float, rng: Any) -> Any:
    if rng.random() < UNIFORM:
        return param.uniform_number(rng)
    return param.normal(rng, current)
