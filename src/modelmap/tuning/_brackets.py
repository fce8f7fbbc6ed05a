"""One bracket of successive halving: configs climbing rungs of growing fidelity.

A bracket starts ``n`` configs at its first rung and keeps the best ``1/eta`` of each rung
for the next, up to the full fidelity.  ``quota[r]`` is how many configs rung ``r`` may
hold: ``max(1, n // eta**k)`` for the ``k``-th rung of the bracket.

Promotion is **synchronous** (a rung is promoted once every config of it has a score:
exactly successive halving) or **asynchronous** (ASHA: a config is promoted as soon as it is
in the top ``1/eta`` of the scores its rung has so far, so a batch never waits for the
slowest config of a rung).  Either way, once a rung is complete its best configs fill what
is left of the next rung's quota, so the bracket always ends with full-fidelity scores.
Failed configs are never promoted.  A config a time budget sends straight up (a *jump*,
:meth:`Bracket.jump`) takes an extra place at its target rung, not one of the bracket's own,
and is never promoted through the rungs it skipped.
"""

from __future__ import annotations

import math


def evaluations(n: int, eta: float, rungs: int) -> int:
    """Evaluations a bracket of ``n`` configs over ``rungs`` rungs takes."""
    return sum(max(1, int(n // eta ** k)) for k in range(rungs))


def largest_bracket(left: int, eta: float, rungs: int, limit: int | None = None) -> int:
    """The most configs (at most ``limit``) whose bracket fits ``left`` evaluations (0: none)."""
    best, n = 0, 1
    while evaluations(n, eta, rungs) <= left and (limit is None or n <= limit):
        best, n = n, n + 1
    return best


class Bracket:
    """The rungs ``start..top`` of one bracket and which config is where."""

    def __init__(self, index: int, start: int, top: int, n: int, eta: float,
                 asynchronous: bool) -> None:
        self.index, self.start, self.top, self.eta = index, start, top, eta
        self.asynchronous = asynchronous
        self.quota = {r: max(1, int(n // eta ** (r - start))) for r in range(start, top + 1)}
        self.members: dict[int, list[int]] = {r: [] for r in self.quota}
        self.done: dict[int, dict[int, float]] = {r: {} for r in self.quota}
        self.new_left = n
        self.jumped: dict[int, int] = {}  # config → the rung a time budget sent it to

    # -- state ------------------------------------------------------------------------------
    def remaining(self) -> int:
        """Evaluations still planned (quota not yet asked)."""
        return sum(max(0, self.quota[r] - len(self.members[r])) for r in self.quota)

    def complete(self, rung: int) -> bool:
        """No config will be asked at ``rung`` any more and every one asked has a score."""
        if any(c not in self.done[rung] for c in self.members[rung]):
            return False
        if rung == self.start:
            return self.new_left == 0
        return self.complete(rung - 1) and not self._promotable(rung - 1)

    @property
    def finished(self) -> bool:
        return self.complete(self.top)

    def ranked(self, rung: int) -> list[int]:
        """Configs of ``rung`` with a score, best first (earlier first among equals)."""
        done = self.done[rung]
        ok = [c for c in done if done[c] > -math.inf]
        return sorted(ok, key=lambda c: -done[c])

    def _promotable(self, rung: int) -> list[int]:
        if rung >= self.top:
            return []
        room = self.quota[rung + 1] - len(self.members[rung + 1])
        if room <= 0:
            return []
        # a jumped config does not climb the rungs it skipped, nor take their places
        ranked = [c for c in self.ranked(rung) if self.jumped.get(c, rung) <= rung]
        if self.complete(rung):
            allowed = ranked[: self.quota[rung + 1]]
        elif self.asynchronous:
            allowed = ranked[: int(len(self.done[rung]) // self.eta)]
        else:
            allowed = []
        above = set(self.members[rung + 1])
        return [c for c in allowed if c not in above][:room]

    # -- asking and telling -----------------------------------------------------------------
    def ready(self, n: int) -> list[tuple[int | None, int]]:
        """Up to ``n`` (config, rung) pairs to evaluate now: promotions first (highest rung
        first), then ``None`` for a new config at the first rung.  They count as asked."""
        out: list[tuple[int | None, int]] = []
        for rung in range(self.top - 1, self.start - 1, -1):
            for config in self._promotable(rung)[: n - len(out)]:
                self.members[rung + 1].append(config)
                out.append((config, rung + 1))
        while len(out) < n and self.new_left > 0:
            self.new_left -= 1
            out.append((None, self.start))
        return out

    def add(self, config: int, rung: int) -> None:
        """A new config asked at the first rung."""
        if config not in self.members[rung]:
            self.members[rung].append(config)
        self.quota[rung] = max(self.quota[rung], len(self.members[rung]))

    def jump(self, config: int, rung: int) -> None:
        """A promotion forced by a time budget: an extra place at ``rung`` (the bracket's
        own places there stay for the configs that climb to it)."""
        if config in self.members[rung]:
            return
        self.members[rung].append(config)
        self.quota[rung] += 1
        self.jumped[config] = rung

    def record(self, config: int, rung: int, objective: float) -> None:
        self.done[rung][config] = objective

    def drop(self, config: int | None, rung: int) -> None:
        """An asked config that was not evaluated (a budget cut it): ask it again later."""
        if config is not None and config in self.members[rung]:
            self.members[rung].remove(config)
            if self.jumped.get(config) == rung:
                del self.jumped[config]
                self.quota[rung] -= 1
        if rung == self.start:
            self.new_left += 1

    def promoted(self, config: int, rung: int) -> bool:
        """``config`` was asked above ``rung`` (promoted, or sent up by a time budget)."""
        return (rung < self.top and config in self.members[rung + 1]) or \
            self.jumped.get(config, rung) > rung

    def contending(self, config: int, rung: int) -> bool:
        """``config``, scored at ``rung`` and not promoted, may still climb: the next rung
        has a place left (a config that lost its rung's promotion is out)."""
        return rung < self.top and not self.promoted(config, rung) and \
            len(self.members[rung + 1]) < self.quota[rung + 1]
