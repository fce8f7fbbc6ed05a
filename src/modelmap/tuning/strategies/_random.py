"""Random search: the job's initial configs, then uniform draws (the benchmark's baseline)."""

from __future__ import annotations

from typing import Any

from modelmap.tuning._strategy import Candidate, Strategy, Trial

MAX_DUPLICATES = 50


class RandomSearch(Strategy):
    name = "random"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.starts = self.initial_candidates()
        self.asked = 0
        self.best_objective = float("-inf")

    def ask(self, n: int) -> list[Candidate]:
        if self.starts:
            batch, self.starts = self.starts[:n], self.starts[n:]
            return batch
        batch: dict[str, Candidate] = {}
        for _ in range(n * MAX_DUPLICATES):
            if len(batch) >= n:
                break
            family = self.space.families[int(self.rng.integers(len(self.space.families)))]
            values = family.uniform(self.rng)
            candidate = Candidate(family.index, values, self.asked + len(batch) + 1, "random")
            if candidate.signature not in self.seen and candidate.signature not in batch:
                batch[candidate.signature] = candidate
        self.asked += len(batch)
        return list(batch.values())

    def tell(self, trials: list[Trial]) -> None:
        super().tell(trials)
        for trial in trials:
            objective = self.objective(trial)
            self.decisions[trial.number] = {"improved": objective > self.best_objective}
            self.best_objective = max(self.best_objective, objective)
