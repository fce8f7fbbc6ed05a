"""Multi-fidelity strategies: successive halving (``halving``) and ``hyperband``.

Both evaluate many configs cheaply (on a fraction of the training rows, or with a small
value of a cost parameter such as ``n_estimators``) and only the best ``1/eta`` of each
rung again at ``eta`` times the fidelity, up to the full fidelity (see :mod:`._brackets`).

* ``halving`` runs brackets that start every config at the lowest rung, the first one as
  large as the budget (in evaluations) allows, then more while evaluations are left; with
  a time budget no bracket has more than ``eta**(rungs - 1)`` configs, so the first
  full-fidelity result comes early and later brackets use what time is left.
* ``hyperband`` cycles through brackets that start at every rung in turn (the most
  aggressive first), hedging against a lowest rung too cheap to tell configs apart.

New configs come from the job's initial values and then uniform draws (``sampler:
"random"``), or from Optuna's TPE told each config's first-rung score (``"tpe"``).
Candidates carry their ``fidelity`` (fraction), ``rung`` and ``bracket``; a config keeps
its number (``round``) through the rungs.  Only full-fidelity scores count as results
(``best``, the top list); promotions are decided on validation scores, as every choice.

Under a time budget the full-fidelity evaluation of the best config still climbing is held
in reserve, so the run ends with full-fidelity results of its best configs (see
:mod:`._halving_time`).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from modelmap.errors import JobError
from modelmap.tuning._brackets import Bracket, evaluations, largest_bracket
from modelmap.tuning._strategy import Candidate, Strategy, Trial
from modelmap.tuning.strategies._halving_time import Config, TimeReserve
from modelmap.tuning.strategies._tpe import TPE

if TYPE_CHECKING:  # pragma: no cover
    from modelmap.tuning._settings import Settings

MAX_DUPLICATES = 50


class _BracketSearch(TimeReserve, Strategy):
    """Brackets of successive halving over proposed configs (see the module docstring)."""

    multi_fidelity = True
    settings_fields = ("eta", "fidelity", "halving")

    @classmethod
    def own_settings(cls, settings: Settings) -> tuple[str, ...]:
        """Also ``tpe`` when TPE proposes the configs."""
        tpe = ("tpe",) if settings.halving.sampler == "tpe" else ()
        return cls.settings_fields + tpe

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        s = self.settings
        self.eta = float(s.eta)
        self.levels = s.fidelity.levels(self.eta)
        asynchronous = s.halving.asynchronous
        self.asynchronous = s.batch_size > 1 if asynchronous is None else bool(asynchronous)
        self.brackets: list[Bracket] = []
        self.configs: list[Config] = []
        self.pending: dict[str, tuple[Config | None, Bracket, int]] = {}
        self.starts = self.initial_candidates()
        self.known: set[str] = set()
        self.shapes = 0  # brackets opened so far
        self.exhausted = False
        self._warned = False  # the time-budget notice of _warn_once
        limit = s.max_evaluations
        if limit is not None and limit < len(self.levels):
            raise JobError(f"{limit} evaluations cannot take a config through the "
                           f"{len(self.levels)} rungs ({self.name}, eta {self.eta:g})",
                           where="tuning.budget or --budget",
                           hint=f"use a budget of at least {len(self.levels)} (every rung "
                           "counts), or a larger fidelity min for fewer rungs")
        self.tpe: Any = None
        if s.halving.sampler == "tpe":
            self.tpe = TPE(self.space, s, s.random_state)

    # -- brackets ---------------------------------------------------------------------------
    def shape(self, index: int) -> tuple[int, int]:
        """(first rung, configs) of the ``index``-th bracket."""
        raise NotImplementedError

    def _open(self) -> Bracket | None:
        limit = self.settings.max_evaluations
        planned = sum(b.remaining() for b in self.brackets)
        left = math.inf if limit is None else limit - len(self.trials) - planned
        for _ in range(len(self.levels)):  # hyperband: a smaller shape may still fit
            start, n = self.shape(self.shapes)
            self.shapes += 1
            rungs = self.top - start + 1
            n = n if left == math.inf else largest_bracket(int(left), self.eta, rungs, n)
            if n > 0:
                bracket = Bracket(len(self.brackets), start, self.top, n, self.eta,
                                  self.asynchronous)
                self.brackets.append(bracket)
                return bracket
        return None

    # -- ask --------------------------------------------------------------------------------
    def ask(self, n: int) -> list[Candidate]:
        self.pending = {}
        batch: list[Candidate] = []
        leader = self._protected() if self.time_left is not None else None
        for bracket in [b for b in self.brackets if not b.finished]:
            batch += self._take(bracket, n - len(batch))
        while len(batch) < n and not self.exhausted:
            bracket = self._open()
            if bracket is None:
                break
            batch += self._take(bracket, n - len(batch))
        if self.time_left is not None and batch and not self._fits_the_reserve(batch, leader):
            forced = self._force_best(leader)
            if forced is not None:
                return [forced]
            if self.best() is not None:  # what it would start could not reach the top
                self._release()
                self.out_of_time = True
                return []
        return batch

    def _take(self, bracket: Bracket, n: int) -> list[Candidate]:
        out = []
        for number, rung in bracket.ready(n) if n > 0 else []:
            config = self.configs[number] if number is not None else self._new(bracket)
            if config is None:
                bracket.drop(None, rung)
                bracket.new_left = 0
                self.exhausted = True
                break
            bracket.add(config.number, rung)
            out.append(self._candidate(config, rung, "promoted" if number is not None
                                       else config.origin))
        return out

    def _candidate(self, config: Config, rung: int, origin: str) -> Candidate:
        fidelity = self.levels[rung]
        label = self.settings.fidelity.label(fidelity)
        candidate = Candidate(config.family, dict(config.values), config.number + 1, origin,
                              f"rung {rung}: {label}", fidelity=fidelity, rung=rung,
                              bracket=config.bracket)
        self.pending[candidate.signature] = (config, self.brackets[config.bracket], rung)
        return candidate

    def _new(self, bracket: Bracket) -> Config | None:
        for _ in range(MAX_DUPLICATES):
            plain = self._propose()
            if plain is None:
                return None
            if plain.signature not in self.known:
                self.known.add(plain.signature)
                config = Config(len(self.configs), plain.family, dict(plain.values),
                                 bracket.index, plain.origin, plain, {}, {})
                self.configs.append(config)
                return config
        return None

    def _propose(self) -> Candidate | None:
        if self.starts:
            return self.starts.pop(0)
        if self.tpe is not None:
            asked = self.tpe.ask(1)
            return asked[0] if asked else None
        family = self.space.families[int(self.rng.integers(len(self.space.families)))]
        return Candidate(family.index, family.uniform(self.rng), 0, "random")

    # -- tell -------------------------------------------------------------------------------
    def tell(self, trials: list[Trial]) -> None:
        super().tell(trials)
        best = self.best_objective(exclude=trials)
        first_rung: list[Trial] = []
        for trial in trials:
            config, bracket, rung = self.pending.pop(trial.candidate.signature)
            assert config is not None
            objective = self.objective(trial)
            bracket.record(config.number, rung, objective)
            config.objective[rung] = objective
            config.seconds[rung] = trial.seconds
            if rung == bracket.start and config.plain.origin == "tpe":
                first_rung.append(replace(trial, candidate=config.plain))
            improved = rung == self.top and objective > best
            best = max(best, objective) if rung == self.top else best
            self.decisions[trial.number] = {"improved": improved, "rung": rung,
                                            "fidelity": self.levels[rung],
                                            "bracket": bracket.index}
        self._release()  # what a budget cut short is asked again
        if self.tpe is not None and (first_rung or self.tpe.pending):
            self.tpe.tell(first_rung)
        self._warn_once()

    def _release(self) -> None:
        """Give the pending (asked, not evaluated) candidates back to their brackets."""
        for config, bracket, rung in reversed(list(self.pending.values())):
            assert config is not None
            bracket.drop(config.number, rung)
            if rung == bracket.start:
                self.known.discard(config.plain.signature)
                if config.plain.origin == "initial":
                    self.starts.insert(0, config.plain)
                if not config.seconds and config.number == len(self.configs) - 1:
                    self.configs.pop()  # never evaluated: its number is given again
        self.pending = {}

    def best_objective(self, exclude: list[Trial] | None = None) -> float:
        """The best full-fidelity objective so far (without ``exclude``)."""
        skip = {t.number for t in exclude or []}
        return max((self.objective(t) for t in self.trials
                    if t.number not in skip and _full(t)), default=-math.inf)

    def best(self) -> Trial | None:
        full = [t for t in self.trials if t.ok and _full(t)]
        return max(full, key=self.objective) if full else None

def _full(trial: Trial) -> bool:
    return trial.candidate.fidelity is None or trial.candidate.fidelity >= 1


class Halving(_BracketSearch):
    """Successive halving: every bracket starts all its configs at the lowest rung."""

    name = "halving"

    def shape(self, index: int) -> tuple[int, int]:
        limit = self.settings.max_evaluations
        rungs = len(self.levels)
        standard = int(round(self.eta ** self.top))
        n = largest_bracket(limit, self.eta, rungs) if limit is not None else standard
        if self.settings.time_budget is not None:  # the clock ends the run, not the count:
            n = min(n, standard)  # a full-fidelity result after one standard bracket
        return 0, max(1, n)


class Hyperband(_BracketSearch):
    """Hyperband: brackets starting at rung 0, 1, ..., top in turn, then again."""

    name = "hyperband"

    def shape(self, index: int) -> tuple[int, int]:
        top = self.top
        s = top - index % (top + 1)  # the most aggressive bracket first
        n = int(math.ceil((top + 1) / (s + 1) * self.eta ** s))
        return top - s, n


__all__ = ["Halving", "Hyperband", "evaluations"]
