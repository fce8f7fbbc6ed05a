"""The one seam every tuning strategy plugs into: ``ask`` for candidates, ``tell`` results.

Contract of a :class:`Strategy`:

* ``ask(n)`` returns new candidates to evaluate — ``n`` is a hint (the batch size); a
  strategy may return a whole round at once.  An empty list means the strategy is done.
* ``tell(trials)`` receives the evaluated trials of the last ``ask``, in the same order
  (possibly fewer, when a budget cut the batch short).  Failed trials have ``score`` None.
* All randomness comes from the ``random_state`` given to the constructor, so the same
  results told in the same order give the same candidates.
* ``decisions`` maps a trial number to what the strategy concluded about it
  (``improved``, ``score_improvement_anticipated`` …); the history table shows them.
* ``estimate(candidate)`` may return a pessimistic estimate of a candidate's fit time
  (seconds); the run does not start a candidate whose estimate exceeds the time left.

A strategy never sees test data: trials carry validation scores only.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from modelmap.jobs import canonical_json
from modelmap.tuning._settings import Settings
from modelmap.tuning._space import Space


@dataclass(frozen=True)
class Candidate:
    """A proposed configuration: a family and values for its tuned parameters."""

    family: int
    values: Mapping[str, Any]
    round: int = 0  # evolutionary round, or step number
    origin: str = ""  # initial | variation | step | explore | tpe | random
    changes: str = ""
    parent: Mapping[str, Any] | None = None
    anticipated: Mapping[str, float] | None = None
    fidelity: float | None = None  # halving, hyperband: fraction of the full fidelity
    rung: int | None = None
    bracket: int | None = None

    @property
    def signature(self) -> str:
        if self.fidelity is not None and self.fidelity < 1:  # one config, several rungs
            return canonical_json([self.family, dict(self.values), self.fidelity])
        return canonical_json([self.family, dict(self.values)])


@dataclass(frozen=True)
class Trial:
    """An evaluated candidate: validation score (None if it failed) and times."""

    number: int
    candidate: Candidate
    title: str
    key: str
    status: str
    score: float | None
    score_std: float | None = None
    fit_time: float | None = None
    seconds: float = 0.0
    error: str | None = None
    reused: bool = False
    scores: Mapping[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok" and self.score is not None and math.isfinite(self.score)


class Strategy(ABC):
    """Base class of tuning strategies (see the module docstring for the contract)."""

    name = ""

    def __init__(self, space: Space, settings: Settings, random_state: int) -> None:
        self.space = space
        self.settings = settings
        self.rng = np.random.default_rng(random_state)
        self.sign = 1.0 if settings.greater_is_better else -1.0
        self.decisions: dict[int, dict[str, Any]] = {}
        self.trials: list[Trial] = []
        self.seen: set[str] = set()
        self.time_left: float | None = None  # seconds left of a time budget (set by the run)

    def objective(self, trial: Trial) -> float:
        """Higher is better; failed trials are worst."""
        return self.sign * trial.score if trial.ok else -math.inf  # type: ignore[operator]

    @abstractmethod
    def ask(self, n: int) -> list[Candidate]:
        """Up to ``n`` new candidates (more for a whole round); ``[]`` when done."""

    def tell(self, trials: list[Trial]) -> None:
        """Record evaluated trials (override to learn from them; call super)."""
        for trial in trials:
            self.trials.append(trial)
            self.seen.add(trial.candidate.signature)

    def estimate(self, candidate: Candidate) -> float | None:
        """A pessimistic fit-time estimate in seconds, or None when unknown."""
        return None

    def best(self) -> Trial | None:
        ok = [t for t in self.trials if t.ok]
        return max(ok, key=self.objective) if ok else None

    def initial_candidates(self) -> list[Candidate]:
        """The job's initial values, one candidate per family."""
        return [Candidate(f.index, f.initial(), 0, "initial", "initial values")
                for f in self.space.families]


def describe_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    """``"C from 1 to 3.2; kernel from rbf to linear"``."""
    parts = [f"{name} from {_short(before.get(name))} to {_short(value)}"
             for name, value in after.items() if canonical_json(before.get(name)) !=
             canonical_json(value)]
    return "; ".join(parts) if parts else "no change"


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    return str(value)


def make_strategy(space: Space, settings: Settings) -> Strategy:
    """The strategy named in ``settings.strategy``."""
    from modelmap.tuning._evolutionary import Evolutionary
    from modelmap.tuning._halving import Halving, Hyperband
    from modelmap.tuning._random import RandomSearch
    from modelmap.tuning._stepwise import Stepwise
    from modelmap.tuning._tpe import TPE

    classes: dict[str, type[Strategy]] = {"evolutionary": Evolutionary, "stepwise": Stepwise,
                                          "tpe": TPE, "random": RandomSearch,
                                          "halving": Halving, "hyperband": Hyperband}
    return classes[settings.strategy](space, settings, settings.random_state)
