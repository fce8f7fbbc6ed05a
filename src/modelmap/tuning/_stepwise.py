"""The step-by-step search of the AutoTune seed, with anticipation models and a time guard.

From the starting configs (the job's initial values), each step changes
``step_number_vars`` randomly chosen parameters of the current best config (see
:mod:`~modelmap.tuning._steps`).  The step is *adopted* only if
``score gain + tradeoff_scr_per_sec × fit seconds saved`` exceeds ``step_threshold``
and the mean fit time stays under ``max_fit_time``.  With probability
``max(explore_rt_min, explore_rt_init / (1 + step × explore_rt_decay))`` a step explores
(one random draw); otherwise ``anticipation_draws`` random steps are scored by the
meta-learners and the best by the same trade-off is tried, skipping those whose
anticipated fit time exceeds ``max_fit_time``.  With several families (configs of
different methods or meta values) a step may also move to another family's best config.

Stall handling (``stall_steps`` > 0): after every ``stall_steps`` consecutive steps without
an adopted one (a stall level), a step changes one more parameter (up to all of them) and
numbers move by ``stall_growth ** level`` times larger steps (at most ``SCALES[1]`` times
``step_rules``), so the search can leave a plateau or follow a diagonal ridge; an adopted
step resets both.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from modelmap.jobs import canonical_json
from modelmap.tuning._anticipation import Anticipation, Point, resolve_meta_learner
from modelmap.tuning._steps import StepRules, step_value
from modelmap.tuning._strategy import Candidate, Strategy, Trial, describe_changes

FAMILY = "<family>"
STARTS = ("initial", "random start")
ATTEMPTS = 50  # draws per wanted candidate before giving up on finding a new one
MAX_LOG_CHANGE = 50.0  # factors from a log change (fit time, stall growth) stay in e**±50
MIN_FLOOR = 4  # the score floor applies once this many configs succeeded
GROW, SHRINK, SCALES = 1.5, 0.85, (0.25, 8.0)  # step-size adaptation (adapt_steps)


class Stepwise(Strategy):
    name = "stepwise"

    def __init__(self, *args: Any, meta_learner: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        s = self.settings.stepwise
        self.s = s
        self.rules = StepRules.from_mapping(s.step_rules, s.veto, s.extending_lists)
        learner = meta_learner if meta_learner is not None else resolve_meta_learner(
            s.meta_learner)
        self.model = Anticipation(learner, s.uncertainty, self.settings.random_state)
        self.starts = self.initial_candidates()
        self.starts += self._random_starts(s.random_starts)
        self.current: Trial | None = None
        self.step = 0
        self.family_best: dict[int, Trial] = {}
        self.per_fit = 1.5 * self.settings.cv  # wall seconds per fit second (folds, predict)
        self.overhead = 0.0  # pessimistic seconds a candidate costs besides fitting
        self._dirty = False
        self.scales: dict[tuple[int, str], float] = {}  # per-parameter step-size factors
        self.stalled = 0  # consecutive steps without an adopted one

    # -- proposing steps ------------------------------------------------------------------
    def ask(self, n: int) -> list[Candidate]:
        if self.starts:
            batch, self.starts = self.starts[:n], self.starts[n:]
            return batch
        if self.current is None:
            return []  # every start failed
        self.step += 1
        rate = self.s.explore_rt_init / (1 + self.step * self.s.explore_rt_decay)
        explore = self.rng.random() < max(self.s.explore_rt_min, rate)
        exploit = not explore and self._model_ready()
        wanted = max(n, self.s.anticipation_draws) if exploit else n
        draws = self._draws(wanted, "step" if exploit else "explore")
        if not draws:
            return []
        if exploit:
            return self._anticipate(draws)[:n]
        return draws[:n]

    def _random_starts(self, count: int) -> list[Candidate]:
        """``count`` configs drawn uniformly from the ranges, the families taking turns.

        A parameter without a range (possible in StepSearchCV) keeps its initial value; a
        family with nothing to draw gets no random starts."""
        drawable = [f for f in self.space.families if any(p.drawable for p in f.params)]
        starts: dict[str, Candidate] = {}
        known = {c.signature for c in self.starts}
        for i in range(count * ATTEMPTS if drawable else 0):
            if len(starts) >= count:
                break
            family = drawable[i % len(drawable)]
            values = family.uniform(self.rng)
            changes = "random start: " + describe_changes(family.initial(), values)
            candidate = Candidate(family.index, values, 0, "random start", changes,
                                  family.initial())
            if candidate.signature not in known and candidate.signature not in starts:
                starts[candidate.signature] = candidate
        return list(starts.values())

    def _draws(self, wanted: int, origin: str) -> list[Candidate]:
        assert self.current is not None
        found: dict[str, Candidate] = {}
        for _ in range(wanted * ATTEMPTS):
            if len(found) >= wanted:
                break
            candidate = self._draw(self.current.candidate, origin)
            if candidate.signature not in self.seen and candidate.signature not in found:
                found[candidate.signature] = candidate
        return list(found.values())

    def _draw(self, base: Candidate, origin: str) -> Candidate:
        family = self.space.families[base.family]
        dims = sorted(p.name for p in family.params)
        if len(self.space.families) > 1:
            dims.append(FAMILY)
        k = min(self.s.step_number_vars + self._stall_level(), len(dims))
        chosen = [dims[i] for i in sorted(self.rng.choice(len(dims), size=k, replace=False))]
        if FAMILY in chosen:
            return self._switch_family(base, origin)
        values = dict(base.values)
        for name in chosen:
            values[name] = step_value(family.param(name), values[name], self.rng,
                                      self._rules(base.family, name),
                                      force_change=self.s.step_number_vars == 1)
        changes = describe_changes(base.values, values)
        return Candidate(base.family, values, self.step, origin, changes, dict(base.values))

    def _stall_level(self) -> int:
        """How many times ``stall_steps`` steps in a row were not adopted (0: off)."""
        return self.stalled // self.s.stall_steps if self.s.stall_steps else 0

    def _rules(self, family: int, name: str) -> StepRules:
        scale = self.scales.get((family, name), 1.0)
        level = self._stall_level()
        if level:  # (_exp caps the factor: a long stall must not overflow)
            scale = min(SCALES[1], scale * _exp(level * math.log(self.s.stall_growth)))
        if scale == 1.0:
            return self.rules
        return self.rules.scaled(scale)

    def _adapt(self, trial: Trial, reference: Trial | None, adopted: bool) -> None:
        """Bigger steps after a success or on a flat score, smaller after a worse one."""
        parent = trial.candidate.parent
        if not self.s.adapt_steps or reference is None or parent is None \
                or trial.candidate.origin not in ("step", "explore") \
                or trial.candidate.family != reference.candidate.family:
            return
        flat = trial.ok and abs(self.objective(trial) - self.objective(reference)) <= 1e-12
        factor = GROW if adopted or flat else SHRINK
        for name, value in trial.candidate.values.items():
            if canonical_json(parent.get(name)) != canonical_json(value):
                key = (trial.candidate.family, name)
                low, high = SCALES
                self.scales[key] = min(high, max(low, self.scales.get(key, 1.0) * factor))

    def _switch_family(self, base: Candidate, origin: str) -> Candidate:
        others = [f.index for f in self.space.families if f.index != base.family]
        target = others[int(self.rng.integers(len(others)))]
        known = self.family_best.get(target)
        values = dict(known.candidate.values) if known else self.space.families[target].initial()
        title = self.space.families[target].render_title(values)
        return Candidate(target, values, self.step, origin, f"switch to {title}",
                         dict(base.values))

    def _anticipate(self, draws: list[Candidate]) -> list[Candidate]:
        assert self.current is not None and self.current.fit_time is not None
        current: Point = (self.current.candidate.family, self.current.candidate.values)
        change = self.model.predict_change(current, [(c.family, c.values) for c in draws])
        base_score, base_time = self.objective(self.current), self.current.fit_time
        scored = []
        for i, candidate in enumerate(draws):
            fit_time = base_time * _exp(change["time"][i])
            spread = self.s.confidence * change["time_std"][i]
            high = base_time * _exp(change["time"][i] + spread)
            utility = change["score"][i] + self.s.optimism * change["score_std"][i] \
                + self.s.tradeoff_scr_per_sec * (base_time - fit_time)
            anticipated = {"score": self.sign * (base_score + change["score"][i]),
                           "score_change": float(change["score"][i]),
                           "score_std": float(change["score_std"][i]),
                           "fit_time": fit_time, "fit_time_high": high}
            allowed = (self.s.max_fit_time is None or fit_time <= self.s.max_fit_time) and (
                self.time_left is None or self.overhead + self.per_fit * high <= self.time_left)
            scored.append((not allowed, -utility, i, _with(candidate, anticipated)))
        scored.sort(key=lambda item: item[:3])
        return [item[3] for item in scored]

    def estimate(self, candidate: Candidate) -> float | None:
        """Pessimistic wall seconds: overhead + folds × the time model's upper estimate."""
        if candidate.anticipated and "fit_time_high" in candidate.anticipated:
            return self.overhead + self.per_fit * candidate.anticipated["fit_time_high"]
        ok = [t for t in self.trials if t.ok]
        return max(t.seconds for t in ok) if ok else None

    # -- learning from results ----------------------------------------------------------------
    def tell(self, trials: list[Trial]) -> None:
        super().tell(trials)
        best_gain, adopted = -math.inf, None
        for trial in trials:
            decision = self._judge(trial)
            self.decisions[trial.number] = decision
            if trial.ok:
                family = trial.candidate.family
                old = self.family_best.get(family)
                if old is None or self.objective(trial) > self.objective(old):
                    self.family_best[family] = trial
            if decision["improved"] and decision["gain"] > best_gain:
                best_gain, adopted = decision["gain"], trial
        reference = self.current
        if any(t.candidate.origin not in STARTS for t in trials):  # a step, not the starts
            self.stalled = 0 if adopted is not None else self.stalled + 1
        if adopted is not None:
            self.current = adopted
            for trial in trials:
                self.decisions[trial.number]["improved"] = trial is adopted
        for trial in trials:
            self._adapt(trial, reference, trial is adopted)
        self._refit()

    def _judge(self, trial: Trial) -> dict[str, Any]:
        anticipated = trial.candidate.anticipated or {}
        decision: dict[str, Any] = {
            "improved": False, "gain": -math.inf,
            "score_improvement_anticipated": anticipated.get("score_change"),
            "anticipated_score": anticipated.get("score"),
            "anticipated_fit_time": anticipated.get("fit_time"),
        }
        if not trial.ok:
            return decision
        too_slow = self.s.max_fit_time is not None and (trial.fit_time or 0) > self.s.max_fit_time
        if self.current is None:  # the first successful start is where the steps begin
            decision.update(improved=True, gain=self.objective(trial))
            return decision
        assert self.current.fit_time is not None and trial.fit_time is not None
        score_gain = self.objective(trial) - self.objective(self.current)
        time_saved = self.current.fit_time - trial.fit_time
        gain = score_gain + self.s.tradeoff_scr_per_sec * time_saved
        decision.update(gain=gain, improved=gain > abs(self.s.step_threshold) and not too_slow,
                        score_improved_by=score_gain, time_improved_by=time_saved)
        return decision

    def _refit(self) -> None:
        ok = [t for t in self.trials if t.ok and t.fit_time is not None]
        if ok:
            self.overhead = max(0.0, *(t.seconds - self.per_fit * t.fit_time for t in ok))
        self._dirty = True

    def _model_ready(self) -> bool:
        """Fit the anticipation models on every successful trial (only when needed)."""
        if self._dirty:
            self._dirty = False
            self._fit_model(self.trials)
        return self.model.ready

    def _fit_model(self, trials: list[Trial]) -> None:
        """Successes teach both models; a failed config teaches the score model that it is
        as bad as the worst success (so its neighbours are not anticipated to be good)."""
        ok = [t for t in trials if t.ok and t.fit_time is not None]
        scores = np.array([self.objective(t) for t in ok])
        if self.s.score_floor_quantile and len(scores) >= MIN_FLOOR:
            scores = np.maximum(scores, np.quantile(scores, self.s.score_floor_quantile))
        failed = [t for t in trials if not t.ok] if len(ok) else []
        worst = [float(scores.min())] * len(failed) if failed else []
        self.model.fit([(t.candidate.family, t.candidate.values) for t in ok + failed],
                       list(scores) + worst,
                       [t.fit_time for t in ok] + [math.nan] * len(failed),
                       len(self.space.families))


def _exp(log_change: float) -> float:
    """A factor from a log change: a wild extrapolation of the time model (fitted on a
    handful of points) or a long stall must not overflow."""
    return math.exp(min(MAX_LOG_CHANGE, max(-MAX_LOG_CHANGE, float(log_change))))


def _with(candidate: Candidate, anticipated: dict[str, float]) -> Candidate:
    return Candidate(candidate.family, candidate.values, candidate.round, candidate.origin,
                     candidate.changes, candidate.parent, anticipated)

