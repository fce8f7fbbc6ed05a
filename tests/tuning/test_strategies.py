"""The strategies behind the ask/tell seam, replayed against functions (no training)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from modelmap.tuning import load_tuning_job
from modelmap.tuning.strategies import Evolutionary
from modelmap.tuning._replay import replay
from modelmap.tuning._steps import StepRules, step_value
from modelmap.tuning.strategies import Stepwise
from modelmap.tuning._space import Param

JOB = {
    "data": {"title": "S", "dataset": "d", "random_state": 5},
    "classifiers": [{
        "title": "M {a} {b} {k} {on} {layers}", "method": "m",
        "a": {"tune": True, "type": "float", "min": 0.001, "max": 1000, "initial": 1,
              "log": True, "sigma": 1},
        "b": {"tune": True, "type": "int", "min": 0, "max": 20, "initial": 5, "sigma": 3},
        "k": {"tune": True, "type": "categorical", "values": ["x", "y", "z"], "initial": "x"},
        "on": {"tune": True, "type": "categorical", "values": [True, False], "initial": True},
        "layers": {"tune": True, "type": "list", "min": 4, "max": 64, "initial": [8],
                   "max_length": 3},
        "fixed": 1,
    }],
}
SPACE = load_tuning_job(JOB).space


def score(family: int, v: dict) -> tuple[float | None, float]:
    """A smooth function with a known optimum at a = 20, b = 12, k = "z"; fit time ~ a."""
    value = -(math.log10(v["a"]) - 1.3) ** 2 - 0.01 * (v["b"] - 12) ** 2
    return value + (0.5 if v["k"] == "z" else 0.0), 0.01 * v["a"] ** 0.5


def settings(strategy: str, **changes: object):
    base = load_tuning_job(JOB).settings
    values = {"rounds": 20, "population": 4, "offspring": 4, **changes}
    return dataclasses.replace(base, strategy=strategy, **values)


def run(strategy: str, budget: int = 40, objective=score, **changes: object):
    return replay(SPACE, settings(strategy, **changes), objective, budget=budget)


def candidates(trials) -> list[str]:
    return [t.candidate.signature for t in trials]


@pytest.mark.parametrize("strategy", ["evolutionary", "stepwise", "tpe", "random"])
def test_same_random_state_gives_the_same_candidates(strategy: str) -> None:
    first, second = run(strategy), run(strategy)
    assert candidates(first) == candidates(second)
    assert len(first) == 40 and len(set(candidates(first))) == 40  # no config trained twice
    other = run(strategy, random_state=6)
    assert candidates(other) != candidates(first)


@pytest.mark.parametrize("strategy", ["evolutionary", "stepwise", "tpe", "random"])
def test_every_strategy_starts_at_the_initial_values_and_stays_in_range(strategy: str) -> None:
    trials = run(strategy)
    assert dict(trials[0].candidate.values) == {"a": 1.0, "b": 5, "k": "x", "on": True,
                                                "layers": [8]}
    for t in trials:
        v = t.candidate.values
        assert 0.001 <= v["a"] <= 1000 and isinstance(v["a"], float)
        assert 0 <= v["b"] <= 20 and isinstance(v["b"], int)
        assert v["k"] in ("x", "y", "z") and v["on"] in (True, False)
        assert 1 <= len(v["layers"]) <= 3 and all(4 <= n <= 64 for n in v["layers"])
    best = max(t.score for t in trials)
    assert best > trials[0].score  # every strategy improves on the start


def test_evolutionary_rounds_follow_the_seed() -> None:
    s = settings("evolutionary", population=3, offspring=4, rounds=3)
    strategy = Evolutionary(SPACE, s, 1)
    trials = replay(SPACE, s, score, budget=1000, strategy=strategy)
    rounds = [t.candidate.round for t in trials]
    # round 1: the initial config and 3 variations of it; later rounds: 3 new variations
    # of each of the 3 kept configs (the kept configs themselves are not trained again)
    assert rounds.count(1) == 4 and rounds.count(2) <= 9 and rounds.count(3) <= 9
    assert trials[0].candidate.origin == "initial"
    assert all(t.candidate.origin == "variation" for t in trials[1:])
    round2 = [t for t in trials if t.candidate.round == 2]
    first = sorted((t for t in trials if t.candidate.round == 1), key=lambda t: -t.score)[:3]
    assert {str(dict(t.candidate.parent)) for t in round2} <= {
        str(dict(t.candidate.values)) for t in first}
    assert [t.candidate.signature for t in strategy.population] == [
        t.candidate.signature for t in sorted(trials, key=lambda t: -t.score)[:3]]


def test_evolutionary_variation_keeps_or_redraws_each_parameter() -> None:
    from modelmap.tuning.strategies._evolutionary import vary

    family = SPACE.families[0]
    rng = np.random.default_rng(0)
    start = family.initial()
    kept = {name: 0 for name in start}
    n = 2000
    for _ in range(n):
        child = vary(family, start, rng)
        for name in start:
            kept[name] += child[name] == start[name]
    # a number is kept 20 % of the time (a new draw almost never repeats it)
    assert 0.17 < kept["a"] / n < 0.23
    # a categorical value is kept 20 % of the time, plus 1/3 of the other 80 % by chance
    assert 0.41 < kept["k"] / n < 0.52


def test_step_rules_of_the_seed() -> None:
    rng = np.random.default_rng(0)
    rules = StepRules()
    number = Param("C", "float", 1.0, low=None, high=None)
    steps = [step_value(number, 1.0, rng, rules) for _ in range(300)]
    assert all(abs(s - 1.0) >= 0.05 for s in steps)  # the 5 % veto
    assert all(s > 0 for s in steps)  # multiplicative steps keep the sign
    assert 0.35 < np.mean([s > 1 for s in steps]) < 0.65  # both directions
    flag = Param("on", "categorical", True, values=(True, False))
    assert {step_value(flag, True, rng, rules) for _ in range(20)} == {False}  # flipped
    text = Param("k", "categorical", "x", values=("x", "y", "z"))
    assert {step_value(text, "x", rng, rules) for _ in range(50)} == {"y", "z"}
    layers = Param("layers", "list", [16, 8], low=1, high=512, element="int", max_length=3)
    grown = [step_value(layers, [16, 8], rng, rules) for _ in range(60)]
    assert [16, 8, 8] in grown  # grows by one element equal to its smallest
    assert all(len(g) == 2 and (g[0] == 16) != (g[1] == 8) for g in grown if g != [16, 8, 8])
    bounded = Param("d", "int", 3, low=1, high=4)
    assert all(1 <= step_value(bounded, 3, rng, rules) <= 4 for _ in range(50))


def stepwise_settings(**changes: object):
    base = settings("stepwise")
    return dataclasses.replace(base, stepwise=dataclasses.replace(base.stepwise, **changes))


# the AutoTune seed's search: none of the additions (stall handling, adaptive step sizes,
# random starts, the score floor of the meta-learner)
SEED = {"stall_steps": 0, "adapt_steps": False, "random_starts": 0, "score_floor_quantile": 0.0}


def test_stepwise_changes_one_parameter_per_step_and_adopts_only_improvements() -> None:
    s = stepwise_settings(**SEED)
    trials = replay(SPACE, s, score, budget=40)
    strategy = Stepwise(SPACE, s, 5)
    replay(SPACE, s, score, budget=40, strategy=strategy)
    for trial in strategy.trials[1:]:
        before, after = trial.candidate.parent, trial.candidate.values
        assert sum(before[k] != after[k] for k in after) == 1
        assert trial.candidate.changes.count(" from ") == 1
    adopted = [t for t in strategy.trials if strategy.decisions[t.number]["improved"]]
    scores = [t.score for t in adopted]
    assert scores == sorted(scores) and len(set(scores)) == len(scores)
    assert strategy.current is adopted[-1]
    assert [t.candidate.signature for t in trials] == [
        t.candidate.signature for t in strategy.trials]


def test_stepwise_steps_from_the_current_best_with_anticipation() -> None:
    strategy = Stepwise(SPACE, settings("stepwise"), 5)
    replay(SPACE, settings("stepwise"), score, budget=60, strategy=strategy)
    exploit = [t for t in strategy.trials if t.candidate.origin == "step"]
    explore = [t for t in strategy.trials if t.candidate.origin == "explore"]
    assert exploit and explore  # explore_rt decays from 1 towards explore_rt_min 0.5
    for trial in exploit:
        anticipated = trial.candidate.anticipated
        assert set(anticipated) == {"score", "score_change", "score_std", "fit_time",
                                    "fit_time_high"}
        assert anticipated["fit_time_high"] >= anticipated["fit_time"]
    assert any(t.candidate.anticipated["score_std"] > 0 for t in exploit)  # bootstrap spread
    assert all(strategy.decisions[t.number]["score_improvement_anticipated"] is not None
               for t in exploit)


def test_stepwise_with_a_flat_score_adopts_nothing_but_a_time_tradeoff_adopts_faster() -> None:
    def flat(family: int, v: dict) -> tuple[float, float]:
        return 0.5, 0.01 * v["a"]

    strategy = Stepwise(SPACE, settings("stepwise"), 1)
    replay(SPACE, settings("stepwise"), flat, budget=15, strategy=strategy)
    assert [t.number for t in strategy.trials if strategy.decisions[t.number]["improved"]] == [1]
    s = settings("stepwise", stepwise=dataclasses.replace(settings("stepwise").stepwise,
                                                          tradeoff_scr_per_sec=10.0))
    strategy = Stepwise(SPACE, s, 1)
    replay(SPACE, s, flat, budget=25, strategy=strategy)
    assert strategy.current.fit_time < 0.01  # a smaller a (a faster fit) was adopted


def test_stepwise_rejects_configs_slower_than_max_fit_time() -> None:
    # (the seed's search: with the additions, these 40 steps happen not to try a better,
    # slower one)
    s = stepwise_settings(max_fit_time=0.02, **SEED)
    strategy = Stepwise(SPACE, s, 2)
    replay(SPACE, s, score, budget=40, strategy=strategy)
    adopted = [t for t in strategy.trials if strategy.decisions[t.number]["improved"]]
    assert all(t.fit_time <= 0.02 for t in adopted)
    assert any(t.fit_time > 0.02 and t.score > strategy.current.score
               for t in strategy.trials)  # a better but slower config was not adopted


def test_stepwise_does_not_start_a_step_whose_pessimistic_time_does_not_fit() -> None:
    s = settings("stepwise", stepwise=dataclasses.replace(settings("stepwise").stepwise,
                                                          explore_rt_init=0.0,
                                                          explore_rt_min=0.0))
    strategy = Stepwise(SPACE, s, 3)
    replay(SPACE, s, score, budget=12, strategy=strategy)
    assert strategy._model_ready()
    draws = strategy._draws(25, "step")
    estimates = sorted(strategy.estimate(c) for c in strategy._anticipate(draws))
    strategy.time_left = limit = estimates[len(estimates) // 2]
    ranked = strategy._anticipate(draws)
    fits = [strategy.estimate(c) <= limit for c in ranked]
    assert any(fits) and not all(fits)
    assert fits == sorted(fits, reverse=True)  # steps that fit come before any that does not
    assert strategy.estimate(strategy.ask(1)[0]) <= limit


def test_failed_candidates_are_worst_and_the_search_goes_on() -> None:
    def sometimes(family: int, v: dict) -> tuple[float | None, float]:
        return (None, 0.01) if v["b"] > 10 else score(family, v)

    for strategy in ("evolutionary", "stepwise", "tpe", "random"):
        trials = run(strategy, budget=30, objective=sometimes)
        assert len(trials) == 30
        assert any(not t.ok for t in trials) or strategy == "stepwise"
        assert all(t.candidate.values["b"] <= 10 for t in trials if t.ok)


def changed(trial) -> int:
    before, after = trial.candidate.parent, trial.candidate.values
    return sum(before[k] != after[k] for k in after)


def test_a_stalled_stepwise_search_changes_more_parameters_and_resets_when_adopting() -> None:
    s = stepwise_settings(stall_steps=2, random_starts=0)
    strategy = Stepwise(SPACE, s, 5)
    replay(SPACE, s, score, budget=60, strategy=strategy)
    stalled, levels = 0, []
    for trial in strategy.trials[1:]:
        level = stalled // 2
        assert changed(trial) == min(1 + level, 5)  # one more per 2 unadopted steps, up to 5
        levels.append(level)
        stalled = 0 if strategy.decisions[trial.number]["improved"] else stalled + 1
    assert max(levels) >= 2  # the search did stall ...
    resets = [i for i in range(1, len(levels)) if levels[i - 1] >= 1 and levels[i] == 0]
    assert resets  # ... and an adopted step brought it back to one parameter per step


def test_a_stalled_stepwise_search_takes_larger_steps() -> None:
    def flat(family: int, v: dict) -> tuple[float, float]:
        return 0.5, 0.01

    def step_sizes(stall_steps: int) -> list[float]:
        s = stepwise_settings(stall_steps=stall_steps, stall_growth=2.0, adapt_steps=False)
        strategy = Stepwise(SPACE, s, 3)
        replay(SPACE, s, flat, budget=40, strategy=strategy)
        return [abs(math.log(t.candidate.values["a"] / t.candidate.parent["a"]))
                for t in strategy.trials[1:] if t.candidate.values["a"] != t.candidate.parent["a"]]

    plain, stalled = step_sizes(0), step_sizes(1)
    assert plain and stalled
    # multiply_scale 1: |log| ~ |N(0, 1)|; stalled: up to 8 times that (cut at the bounds)
    assert np.median(plain) < 1.2 and np.median(stalled) > 3


def test_stall_steps_0_is_the_search_without_stall_handling() -> None:
    off = replay(SPACE, stepwise_settings(stall_steps=0, random_starts=0), score, budget=80)
    never = replay(SPACE, stepwise_settings(stall_steps=1000, random_starts=0), score,
                   budget=80)
    assert candidates(off) == candidates(never)
    assert all(changed(t) == 1 for t in off[1:])
    stalling = replay(SPACE, stepwise_settings(stall_steps=1, random_starts=0), score,
                      budget=80)
    assert candidates(stalling) != candidates(off)


def test_stepwise_tries_random_starts_in_the_ranges_then_steps_from_the_best_of_them() -> None:
    s = settings("stepwise")
    assert s.stepwise.random_starts == 3  # the default
    strategy = Stepwise(SPACE, s, 4)
    replay(SPACE, s, score, budget=10, strategy=strategy)
    trials = strategy.trials
    assert [t.candidate.origin for t in trials[:5]] == ["initial"] + ["random start"] * 3 + [
        trials[4].candidate.origin] and trials[4].candidate.origin in ("step", "explore")
    starts = [t.candidate.values for t in trials[1:4]]
    assert len({str(v) for v in starts}) == 3
    for values in starts:
        assert 0.001 <= values["a"] <= 1000 and 0 <= values["b"] <= 20
        assert values["k"] in ("x", "y", "z") and values["on"] in (True, False)
        assert 1 <= len(values["layers"]) <= 3 and all(4 <= n <= 64 for n in values["layers"])
    changes = trials[1].candidate.changes  # what differs from the initial values
    assert changes.startswith("random start: ") and changes.count(" from ") >= 1
    best_start = max(trials[:4], key=lambda t: t.score)
    assert trials[4].candidate.parent == best_start.candidate.values  # steps from the best
    none = stepwise_settings(random_starts=0)
    assert [t.candidate.origin for t in replay(SPACE, none, score, budget=3)][1:] != [
        "random start"] * 2


def test_the_score_model_sees_scores_raised_to_the_floor_quantile() -> None:
    def fitted_scores(quantile: float) -> tuple[list[float], list[float]]:
        s = stepwise_settings(score_floor_quantile=quantile)
        strategy = Stepwise(SPACE, s, 2)
        seen: list[list[float]] = []
        fit = strategy.model.fit
        strategy.model.fit = lambda points, scores, *rest: (seen.append(list(scores)),
                                                            fit(points, scores, *rest))
        replay(SPACE, s, score, budget=25, strategy=strategy)
        raw = [strategy.objective(t) for t in strategy.trials if t.ok][:len(seen[-1])]
        return seen[-1], raw

    floored, raw = fitted_scores(0.75)
    assert min(floored) == pytest.approx(np.quantile(raw, 0.75))
    assert sorted(floored)[-1] == max(raw)  # the good configs keep their scores
    assert sum(f == min(floored) for f in floored) >= 0.75 * len(raw) - 1
    plain, raw = fitted_scores(0.0)  # the seed: the raw scores
    assert plain == raw


def test_a_wild_fit_time_extrapolation_does_not_overflow() -> None:
    s = stepwise_settings(explore_rt_init=0.0, explore_rt_min=0.0)
    strategy = Stepwise(SPACE, s, 3)
    replay(SPACE, s, score, budget=8, strategy=strategy)
    assert strategy._model_ready()
    draws = strategy._draws(5, "step")
    strategy.model.predict_change = lambda current, new: {
        "score": np.zeros(len(new)), "score_std": np.zeros(len(new)),
        "time": np.full(len(new), 800.0), "time_std": np.full(len(new), 50.0)}
    ranked = strategy._anticipate(draws)  # math.exp(800) would raise OverflowError
    assert all(math.isfinite(c.anticipated["fit_time_high"]) for c in ranked)
