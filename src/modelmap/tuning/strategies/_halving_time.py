"""The time budget of ``halving`` and ``hyperband``: fit-time estimates per rung and the
reserve kept for a full-fidelity evaluation of the best config still climbing.

A config's time at a rung is estimated from its time at a lower one, scaled by the fidelity
ratio to a power measured on the configs that ran on two rungs (a high quantile, at least
0.5; 1 until measured), times ``TIME_MARGIN``.  The *leader* is the best config still
climbing: the highest rung first, then the best score there (a config sent one rung up by
the time budget ranks where it was before).  A batch is started only if, after it, the
time left still holds ``RESERVE`` times the estimated full-fidelity evaluation of the
leader, or of a config of the batch (it may become the leader; a new config counts as a
typical one of its rung).  Otherwise the leader goes
to the full fidelity.  The leader is the best config that can still reach the full
fidelity in the time left; while no config has a full-fidelity result and none can, the
best one goes one rung up instead.  When none can and a config has one, nothing more is
started (``out_of_time``): what would start could not reach the top either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from modelmap.tuning._strategy import Candidate

if TYPE_CHECKING:  # pragma: no cover
    from modelmap.tuning._brackets import Bracket
    from modelmap.tuning._strategy import Trial

TIME_MARGIN = 1.25  # pessimistic factor on scaled fit times
RESERVE = 1.5  # x the leader's estimated full-fidelity time: kept free of other work


@dataclass
class Config:
    """One config of a bracket: its values and, per rung, its seconds and objective."""

    number: int
    family: int
    values: dict[str, Any]
    bracket: int
    origin: str
    plain: Candidate  # without fidelity (what a sampler was given)
    seconds: dict[int, float]
    objective: dict[int, float]


class TimeReserve:
    """The time-budget part of the bracket strategies (a mixin of ``_BracketSearch``)."""

    configs: list[Config]
    levels: list[float]
    brackets: list[Bracket]
    pending: dict[str, tuple[Config | None, Bracket, int]]
    time_left: float | None
    workers: int
    notices: list[str]
    settings: Any
    space: Any
    _warned: bool

    @property
    def top(self) -> int:
        return len(self.levels) - 1

    # provided by the strategy
    def best(self) -> Trial | None:
        raise NotImplementedError

    def _candidate(self, config: Config, rung: int, origin: str) -> Candidate:
        raise NotImplementedError

    def _release(self) -> None:
        raise NotImplementedError

    def estimate(self, candidate: Candidate) -> float | None:
        entry = self.pending.get(candidate.signature)
        if entry is None or entry[0] is None:
            return None
        config, _, rung = entry
        lower = [r for r in config.seconds if r < rung]
        if lower:
            r0 = max(lower)
            return self._scaled(config.seconds[r0], r0, rung)
        same = [c.seconds[rung] for c in self.configs if rung in c.seconds]
        if same:
            return TIME_MARGIN * max(same)
        measured = [(c.seconds[r], r) for c in self.configs for r in c.seconds]
        if not measured:
            return None
        return max(self._scaled(seconds, r, rung) for seconds, r in measured)

    def _scaled(self, seconds: float, rung: int, to: int) -> float:
        """``TIME_MARGIN`` x ``seconds`` at ``rung`` grown to rung ``to``: by the growth
        measured on configs that ran on both, else by the fidelity ratio to the exponent."""
        growth = self._measured_growth(rung, to)
        if growth is None:
            growth = (self.levels[to] / self.levels[rung]) ** self._exponent()
        return TIME_MARGIN * seconds * growth

    def _measured_growth(self, rung: int, to: int) -> float | None:
        """A high quantile (0.8, at least 1) of ``seconds[to] / seconds[rung]`` over the
        configs that ran on both rungs (a config sent to the top measures it at once)."""
        ratios = [c.seconds[to] / c.seconds[rung] for c in self.configs
                  if rung in c.seconds and to in c.seconds and c.seconds[rung] > 0]
        return max(1.0, float(np.quantile(ratios, 0.8))) if ratios else None

    def _exponent(self) -> float:
        """How fit time grows with the fidelity: a high quantile of what was measured."""
        slopes = []
        for c in self.configs:
            rungs = sorted(c.seconds)
            for a, b in zip(rungs, rungs[1:]):
                if c.seconds[a] > 0 and c.seconds[b] > 0:
                    slopes.append(math.log(c.seconds[b] / c.seconds[a])
                                  / math.log(self.levels[b] / self.levels[a]))
        return max(0.5, float(np.quantile(slopes, 0.8))) if slopes else 1.0

    def _direct(self, config: Config) -> float:
        """Estimated seconds of ``config`` at the full fidelity, from its highest rung."""
        rung = max(config.seconds)
        return self._scaled(config.seconds[rung], rung, self.top)

    def _protected(self) -> tuple[Config, int] | None:
        """The leader the reserve is for: the best one that can still reach the full
        fidelity in the time left; while no config has a full-fidelity result, else the
        best one (it climbs rung by rung)."""
        reachable = self._leader(reachable=True)
        if reachable is not None or self.best() is not None:
            return reachable
        return self._leader()

    def _leader(self, reachable: bool = False) -> tuple[Config, int] | None:
        """The best config still climbing (not at the full fidelity, not out of its
        bracket) and its highest rung: the highest rung first, then the best score there.
        A config sent one rung up by the time budget ranks where it was before.  With
        ``reachable``, only configs whose full-fidelity estimate fits the time left."""
        open_ = []
        for c in self.configs:
            if not c.objective or not c.seconds:
                continue
            if reachable and self.time_left is not None and \
                    self._direct(c) > self.time_left:
                continue
            rung = max(c.objective)
            bracket = self.brackets[c.bracket]
            if c.objective[rung] == -math.inf or not bracket.contending(c.number, rung):
                continue
            below = [r for r in c.objective if r < rung]
            standing = max(below) if bracket.jumped.get(c.number) == rung and below else rung
            open_.append(((standing, c.objective[standing]), rung, c))
        if not open_:
            return None
        _, rung, config = max(open_, key=lambda e: e[0])
        return config, rung

    def _fits_the_reserve(self, batch: list[Candidate], leader: tuple[Config, int] | None
                          ) -> bool:
        """Whether ``batch`` leaves the time of a full-fidelity evaluation of the leader (as
        it was before the batch was asked), or of a config of the batch (it may become the
        leader)."""
        assert self.time_left is not None
        if leader is not None and any(c.round == leader[0].number + 1 and c.rung == self.top
                                      for c in batch):
            return True  # the leader itself goes to the full fidelity
        reserve = [RESERVE * self._direct(leader[0])] if leader is not None else []
        cost: list[float] = []
        for candidate in batch:
            estimate = self.estimate(candidate)
            if estimate is None:
                continue
            cost.append(estimate)
            direct = self._direct_after(candidate)
            if direct is not None:
                reserve.append(direct)
        spent = max(max(cost), sum(cost) / max(1, self.workers)) if cost else 0.0
        return spent + max(reserve, default=0.0) <= self.time_left

    def _direct_after(self, candidate: Candidate) -> float | None:
        """Estimated seconds of ``candidate``'s config at the full fidelity once it ran at
        its rung: from its own lower rung, or for a new config from the median of what its
        rung took so far (a typical config: the pessimistic maximum would stop the search
        whenever one slow config ran)."""
        entry = self.pending.get(candidate.signature)
        rung = candidate.rung
        if entry is None or entry[0] is None or rung is None or rung >= self.top:
            return None
        config = entry[0]
        if config.seconds:
            return self._direct(config)
        same = [c.seconds[rung] for c in self.configs if rung in c.seconds]
        if not same:
            return None
        return self._scaled(float(np.median(same)), rung, self.top)

    def _force_best(self, leader: tuple[Config, int] | None) -> Candidate | None:
        """Instead of the asked batch (given back): the leader straight to the full fidelity
        when that fits the time left, else one rung up while no config has a full-fidelity
        result (climbing rung by rung costs the rungs between too); None (the batch stays)
        when neither would help."""
        if leader is None:
            return None
        config, rung = leader
        target = rung + 1
        if self.time_left is not None and self._direct(config) <= self.time_left:
            target = self.top
        elif self.best() is not None:
            return None  # it cannot reach the top in time
        promoted = any(c is config and r == target for c, _, r in self.pending.values())
        self._release()  # not started: the leader's evaluation comes first
        bracket = self.brackets[config.bracket]
        if promoted:  # its bracket promotes it there anyway
            bracket.add(config.number, target)
        else:
            bracket.jump(config.number, target)
        return self._candidate(config, target, "promoted")

    def _warn_once(self) -> None:
        """Say once, at the first result, when a full-fidelity evaluation is estimated not
        to fit the whole time budget."""
        budget = self.settings.time_budget
        if budget is None or self._warned or self.best() is not None:
            return
        measured = [c for c in self.configs if c.seconds and max(c.objective) < self.top]
        if not measured:
            return
        self._warned = True
        first = measured[0]
        estimate = self._direct(first)
        if estimate <= budget:
            return
        rung = max(first.seconds)
        title = self.space.families[first.family].render_title(first.values)
        self.notices.append(
            f"time budget: a full-fidelity evaluation is estimated at {estimate:.1f} s "
            f"({title} took {first.seconds[rung]:.2f} s at "
            f"{self.settings.fidelity.label(self.levels[rung])}; fit time taken as "
            f"proportional to the fidelity until configs ran on two rungs), more than the "
            f"{budget:g} s budget: the best config climbs rung by rung and the run may end "
            "without a full-fidelity result (a larger --time-budget, or a larger fidelity "
            "min, gives it room)")
