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
* ``out_of_time``: set when ``ask`` returns ``[]`` because nothing useful fits the time
  left (the run then stops for its time budget).
* ``notices`` collects what the user should be told (the run shows them after each
  ``tell`` and empties the list).

A strategy never sees test data: trials carry validation scores only.

Every subclass that sets ``name`` registers itself under that name (the name users type in a
job's ``"tuning": {"strategy": ...}`` and after ``--strategy``); the strategies live in
:mod:`modelmap.tuning.strategies`, which imports them all.  A strategy also carries the
traits the rest of the package asks about (``position``, ``budgeted``, ``multi_fidelity``,
``improvement_mark``, :meth:`Strategy.own_settings`), so nothing compares names.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from modelmap.jobs import canonical_json

if TYPE_CHECKING:  # pragma: no cover - the settings ask the strategies, not the reverse
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

    name: ClassVar[str] = ""
    #: what numbers a trial in the history and the tags: its ``round`` or its ``step``
    position: ClassVar[str] = "step"
    #: whether a run without a budget stops after ``DEFAULT_BUDGET`` candidates (False: the
    #: strategy's own rounds decide)
    budgeted: ClassVar[bool] = True
    #: trains candidates at a fraction of the full fidelity (rungs), through the fidelity
    #: evaluator
    multi_fidelity: ClassVar[bool] = False
    #: the report's column for a trial that improved the search
    improvement_mark: ClassVar[str] = "New best"
    #: the strategy's own fields of :class:`Settings` (part of a run's identity)
    settings_fields: ClassVar[tuple[str, ...]] = ()
    registry: ClassVar[dict[str, type[Strategy]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("name")
        if not name:  # a base of strategies (no name of its own) is not registered
            return
        known = Strategy.registry.get(name)
        if known is not None and known.__qualname__ != cls.__qualname__:
            raise TypeError(f"two tuning strategies are named {name!r}: "
                            f"{known.__module__}.{known.__qualname__} and "
                            f"{cls.__module__}.{cls.__qualname__}")
        Strategy.registry[name] = cls

    @classmethod
    def own_settings(cls, settings: Settings) -> tuple[str, ...]:
        """The fields of ``settings`` this strategy reads (they make a run's identity)."""
        return cls.settings_fields

    def __init__(self, space: Space, settings: Settings, random_state: int) -> None:
        self.space = space
        self.settings = settings
        self.rng = np.random.default_rng(random_state)
        self.sign = 1.0 if settings.greater_is_better else -1.0
        self.decisions: dict[int, dict[str, Any]] = {}
        self.trials: list[Trial] = []
        self.seen: set[str] = set()
        self.time_left: float | None = None  # seconds left of a time budget (set by the run)
        self.workers = 1  # candidates the run trains at once (set by the run)
        self.notices: list[str] = []  # for the user; the run shows and empties it
        self.out_of_time = False  # ask() returned [] because the time left is too short

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
