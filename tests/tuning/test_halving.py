"""Successive halving and Hyperband behind the ask/tell seam, replayed against functions, and
the fidelity settings (no training here; see test_halving_tune.py for real runs)."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from modelmap.errors import JobError
from modelmap.tuning import load_tuning_job
from modelmap.tuning._brackets import evaluations, largest_bracket
from modelmap.tuning._fidelity import Fidelity, nested_subsample
from modelmap.tuning.strategies import Halving
from modelmap.tuning._replay import replay
from modelmap.tuning._strategy import Trial

JOB = {
    "data": {"title": "H", "dataset": "d", "random_state": 5},
    "classifiers": [{
        "title": "M {a} {b}", "method": "m",
        "a": {"tune": True, "type": "float", "min": 0.001, "max": 1000, "initial": 1,
              "log": True},
        "b": {"tune": True, "type": "int", "min": 0, "max": 20, "initial": 5},
    }],
}


def settings(strategy: str = "halving", **changes: object):
    tuning = {"strategy": strategy, **changes}
    return load_tuning_job({**JOB, "tuning": tuning}).settings


SPACE = load_tuning_job(JOB).space


def quality(v: dict) -> float:
    return -(math.log10(v["a"]) - 1.3) ** 2 - 0.01 * (v["b"] - 12) ** 2


def score(family: int, v: dict, fidelity: float = 1.0) -> tuple[float, float]:
    """The full-fidelity score is ``quality``; a lower fidelity shrinks it towards -3 (a
    learning curve that keeps the order of configs); fit time is linear in the fidelity."""
    return quality(v) * fidelity - 3 * (1 - fidelity), 0.1 * fidelity


def by_rung(trials: list[Trial]) -> Counter:
    return Counter(t.candidate.rung for t in trials)


def test_rungs_are_powers_of_eta_up_to_the_full_fidelity() -> None:
    assert Fidelity().levels(3) == pytest.approx([1 / 27, 1 / 9, 1 / 3, 1])
    assert Fidelity("subsample", 0.05).levels(3) == pytest.approx([1 / 9, 1 / 3, 1])
    assert Fidelity("subsample", 0.25).levels(2) == pytest.approx([0.25, 0.5, 1])
    param = Fidelity("param", 10, 400, "n_estimators")
    assert [param.resource(f) for f in param.levels(3)] == [15, 44, 133, 400]
    assert Fidelity("param", 0.5, 4.0, "C").resource(1 / 8) == 0.5


def test_bracket_sizes_fit_the_budget() -> None:
    assert evaluations(27, 3, 4) == 27 + 9 + 3 + 1
    assert largest_bracket(50, 3, 4) == 35  # 35 + 11 + 3 + 1 = 50
    assert largest_bracket(3, 3, 4) == 0  # one config cannot climb 4 rungs in 3


def test_synchronous_halving_keeps_the_best_third_of_every_rung() -> None:
    trials = replay(SPACE, settings(), score, budget=40)
    assert by_rung(trials) == {0: 27, 1: 9, 2: 3, 3: 1}
    assert [t.candidate.rung for t in trials] == sorted(t.candidate.rung for t in trials)
    for rung in (0, 1, 2):
        here = [t for t in trials if t.candidate.rung == rung]
        above = {dict_key(t) for t in trials if t.candidate.rung == rung + 1}
        best = sorted(here, key=lambda t: -t.score)[: len(above)]
        assert {dict_key(t) for t in best} == above  # exactly the best 1/eta climb
    top = [t for t in trials if t.candidate.fidelity == 1]
    assert len(top) == 1 and top[0].score == max(quality(t.candidate.values) for t in trials)
    assert dict(trials[0].candidate.values) == {"a": 1.0, "b": 5}  # the initial values first


def dict_key(trial: Trial) -> str:
    return str(sorted(trial.candidate.values.items()))


def test_a_config_keeps_its_number_and_rungs_are_tagged() -> None:
    trials = replay(SPACE, settings(), score, budget=40)
    final = next(t for t in trials if t.candidate.rung == 3)
    path = [t for t in trials if dict_key(t) == dict_key(final)]
    assert [t.candidate.rung for t in path] == [0, 1, 2, 3]
    assert {t.candidate.round for t in path} == {final.candidate.round}
    assert [t.candidate.fidelity for t in path] == pytest.approx([1 / 27, 1 / 9, 1 / 3, 1])
    assert len({t.candidate.signature for t in trials}) == len(trials)  # nothing twice


def test_asynchronous_promotion_fills_every_batch() -> None:
    s = settings(batch_size=2, budget=40)  # asynchronous by default then
    strategy = Halving(SPACE, s, s.random_state)
    assert strategy.asynchronous
    trials = replay(SPACE, s, score, budget=40, strategy=strategy)
    assert len(trials) == 40 and by_rung(trials)[3] >= 1
    rungs = [t.candidate.rung for t in trials]
    assert rungs.index(1) < len(rungs) - 1 - rungs[::-1].index(0)  # before rung 0 is done
    sync = settings(batch_size=2, budget=40, halving={"asynchronous": False})
    rungs = [t.candidate.rung for t in replay(SPACE, sync, score, budget=40)]
    assert rungs == sorted(rungs)


def test_hyperband_cycles_through_brackets_starting_at_every_rung() -> None:
    trials = replay(SPACE, settings("hyperband"), score, budget=120)
    starts = {}
    for t in trials:
        starts.setdefault(t.candidate.bracket, t.candidate.rung)
    assert list(starts.values())[:4] == [0, 1, 2, 3]
    first = [t for t in trials if t.candidate.bracket == 0]
    assert by_rung(first) == {0: 27, 1: 9, 2: 3, 3: 1}
    assert by_rung([t for t in trials if t.candidate.bracket == 1]) == {1: 12, 2: 4, 3: 1}
    assert all(t.candidate.fidelity == 1 for t in trials if t.candidate.bracket == 3)


@pytest.mark.parametrize("strategy", ["halving", "hyperband"])
def test_same_random_state_same_candidates_and_a_good_result(strategy: str) -> None:
    first = replay(SPACE, settings(strategy), score, budget=60)
    again = replay(SPACE, settings(strategy), score, budget=60)
    assert [t.candidate.signature for t in first] == [t.candidate.signature for t in again]
    other = replay(SPACE, settings(strategy, random_state=9), score, budget=60)
    assert [t.candidate.signature for t in other] != [t.candidate.signature for t in first]
    full = [t.score for t in first if t.candidate.fidelity == 1]
    randoms = replay(SPACE, settings("random"), score, budget=60)
    cost = sum(t.fit_time for t in first)
    assert cost < 0.5 * sum(t.fit_time for t in randoms)  # far cheaper than full fidelity
    assert max(full) > np.median([t.score for t in randoms])


def test_tpe_sampler_learns_from_first_rung_scores() -> None:
    trials = replay(SPACE, settings(halving={"sampler": "tpe"}), score, budget=40)
    assert {t.candidate.origin for t in trials} >= {"initial", "tpe", "promoted"}
    assert by_rung(trials) == {0: 27, 1: 9, 2: 3, 3: 1}


def test_failed_configs_are_never_promoted() -> None:
    def failing(family: int, v: dict, fidelity: float = 1.0):
        return (None, 0.1) if v["b"] > 10 else score(family, v, fidelity)

    trials = replay(SPACE, settings(), failing, budget=40)
    assert all(t.candidate.values["b"] <= 10 for t in trials if t.candidate.rung > 0)


def test_best_is_a_full_fidelity_result() -> None:
    s = settings(budget=30)
    strategy = Halving(SPACE, s, s.random_state)
    trials = replay(SPACE, s, score, budget=30, strategy=strategy)
    best = strategy.best()
    assert best is not None and best.candidate.fidelity == 1
    assert best.score == max(t.score for t in trials if t.candidate.fidelity == 1)


def test_time_estimate_scales_the_lower_rung_and_a_short_budget_promotes_the_best() -> None:
    s = settings(budget=40)
    strategy = Halving(SPACE, s, s.random_state)
    replay(SPACE, s, score, budget=10, strategy=strategy)  # rung 0 only so far
    strategy.time_left = 0.5  # the best config climbs 3 rungs: about 0.54 s
    asked = strategy.ask(4)
    # no new config: the best goes to the full fidelity at once (0.375 s fits, the climb not)
    assert len(asked) == 1 and asked[0].rung == 3
    estimate = strategy.estimate(asked[0])
    assert estimate == pytest.approx(1.25 * (0.1 / 27 * 3) * 27, rel=1e-6)  # 3 folds, x 27
    strategy.tell([])
    strategy.time_left = 0.3  # the full fidelity alone does not fit: one rung up
    asked = strategy.ask(4)
    assert len(asked) == 1 and asked[0].rung == 1
    assert strategy.estimate(asked[0]) == pytest.approx(1.25 * (0.1 / 27 * 3) * 3, rel=1e-6)


def test_cut_short_candidates_are_asked_again() -> None:
    s = settings(batch_size=3)
    strategy = Halving(SPACE, s, s.random_state)
    first = strategy.ask(3)
    strategy.tell([])  # a budget cut the whole batch
    assert strategy.ask(3)[0].signature == first[0].signature  # the initial values again


def test_nested_stratified_subsamples() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 900)
    folds = rng.integers(0, 3, 900)
    small, large = (nested_subsample(y, folds, f, 7) for f in (1 / 9, 1 / 3))
    assert set(small) < set(large)
    assert len(small) == pytest.approx(100, abs=9)
    for c in range(3):
        share = np.mean(y[small] == c)
        assert share == pytest.approx(np.mean(y == c), abs=0.02)
    tiny = nested_subsample(y, folds, 0.001, 7)
    assert {(a, b) for a, b in zip(y[tiny], folds[tiny])} == {(a, b) for a in range(3)
                                                              for b in range(3)}
    assert list(nested_subsample(y, folds, 1.0, 7)) == list(range(900))


BAD = [
    ({"eta": 1.5}, "<job>: tuning.eta: must be a number >= 2; got 1.5"),
    ({"fidelity": {"subsample": {"min": 0.5, "max": 0.5}}},
     "<job>: tuning.fidelity.subsample.min: min 0.5 is not smaller than max 0.5\n"
     "  hint: the lowest rung must train on fewer rows than the top"),
    ({"fidelity": {"subsample": {"min": 0}}},
     "<job>: tuning.fidelity.subsample.min: must be a fraction in (0, 1]; got 0\n"
     "  hint: e.g. 0.05 for 5 % of the training rows"),
    ({"fidelity": {"param": "n_estimators", "min": 400, "max": 10}},
     "<job>: tuning.fidelity.min: min 400 is not smaller than max 10\n"
     "  hint: the lowest rung must use a smaller n_estimators than the top"),
    ({"fidelity": {"param": "n_estimators", "min": 10}},
     "<job>: tuning.fidelity.max: must be a number > 0; got null\n"
     "  hint: the maximum value of n_estimators the rungs use"),
    ({"fidelity": {"rows": 0.1}},
     "<job>: tuning.fidelity: needs \"subsample\" or \"param\"; got rows\n"
     "  hint: e.g. {\"subsample\": {\"min\": 0.05}} or "
     "{\"param\": \"n_estimators\", \"min\": 10, \"max\": 400}"),
    ({"halving": {"sampler": "grid"}},
     "<job>: tuning.halving.sampler: must be one of random, tpe; got \"grid\""),
]


@pytest.mark.parametrize(("tuning", "message"), BAD)
def test_bad_fidelity_settings_are_rejected_naming_the_field(tuning: dict, message: str
                                                             ) -> None:
    with pytest.raises(JobError) as info:
        load_tuning_job({**JOB, "tuning": {"strategy": "halving", **tuning}})
    assert str(info.value) == message


def test_the_fidelity_settings_belong_to_the_run_identity_only_for_halving() -> None:
    halving = settings(eta=2)
    assert "eta" in halving.identity() and "fidelity" in halving.identity()
    assert "eta" not in settings("random", eta=2).identity()


def test_a_budget_smaller_than_the_rungs_is_rejected() -> None:
    with pytest.raises(JobError) as info:
        Halving(SPACE, settings(budget=3), 0)
    assert str(info.value) == (
        "tuning.budget or --budget: 3 evaluations cannot take a config through the 4 rungs "
        "(halving, eta 3)\n  hint: use a budget of at least 4 (every rung counts), or a larger "
        "fidelity min for fewer rungs")


def test_under_a_time_budget_brackets_are_standard_sized() -> None:
    """A count budget sizes the first bracket to the count; under a time budget the clock
    ends the run, so brackets keep eta**3 = 27 configs and reach the full fidelity early."""
    counted = replay(SPACE, settings(budget=1000), score, budget=1000)
    timed = replay(SPACE, settings(budget=1000, time_budget=60), score, budget=1000)
    first_full = [next(t.number for t in trials if t.candidate.fidelity == 1.0)
                  for trials in (counted, timed)]
    assert by_rung(timed[:40]) == Counter({0: 27, 1: 9, 2: 3, 3: 1})
    assert first_full[1] == 40 and first_full[0] > 900


def test_short_of_time_the_leader_goes_straight_to_the_full_fidelity() -> None:
    """When the time left no longer covers the best config's climb rung by rung but does
    cover its full-fidelity evaluation alone, it is promoted straight to the top."""
    from modelmap.tuning.strategies import make_strategy

    s = settings(budget=1000, time_budget=100)
    strategy = make_strategy(SPACE, s)
    replay(SPACE, s, score, budget=27, strategy=strategy)  # the first rung: 27 configs
    assert by_rung(strategy.trials) == Counter({0: 27})
    first = strategy.trials[0].seconds  # every rung-0 fit costs the same here
    direct = 1.25 * first * 27  # TIME_MARGIN x the time at 27 x the fidelity
    strategy.time_left = 1.2 * direct  # < 2 x the climb through rungs 1, 2 and 3
    asked = strategy.ask(1)
    assert [c.rung for c in asked] == [3] and asked[0].fidelity == 1.0


# -- a tight time budget: the leader's full-fidelity evaluation is kept in reserve ---------------
def small_data(family: int, v: dict, fidelity: float = 1.0) -> tuple[float | None, float]:
    """Small data: a fit costs mostly fixed time (0.1 s per fold, +0.05 s at the full
    fidelity), and configs with a > 100 fail below 1/9 (too few rows, like a calibration)."""
    if v["a"] > 100 and fidelity < 0.1:
        return None, 0.01
    return quality(v) * fidelity - 3 * (1 - fidelity), 0.1 + 0.05 * fidelity


def timed_run(strategy_name: str, seconds: float, objective=small_data, **changes: object):
    """A run on one worker under a time budget of ``seconds`` of fit time, as the tuning
    loop does it: the strategy is told the time left, and a candidate whose estimate does
    not fit it is not started."""
    from modelmap.tuning.strategies import make_strategy

    s = settings(strategy_name, budget=10_000, time_budget=seconds, **changes)
    strategy = make_strategy(SPACE, s)
    trials: list[Trial] = []
    spent = 0.0
    while spent < seconds:
        strategy.time_left = seconds - spent
        asked = [c for c in strategy.ask(s.batch_size)
                 if (strategy.estimate(c) or 0.0) <= seconds - spent]
        if not asked:
            break
        told = []
        for c in asked:
            value, fit = objective(c.family, c.values, c.fidelity)
            trial = Trial(len(trials) + 1, c, "t", str(len(trials) + 1),
                          "ok" if value is not None else "failed", value, None, fit, 3 * fit)
            spent += trial.seconds
            trials.append(trial)
            told.append(trial)
        strategy.tell(told)
    return strategy, trials, spent


@pytest.mark.parametrize("strategy_name", ["halving", "hyperband"])
@pytest.mark.parametrize("seconds", [4.0, 8.0, 15.0, 30.0])
def test_a_tight_time_budget_ends_with_the_best_config_at_the_full_fidelity(
        strategy_name: str, seconds: float) -> None:
    strategy, trials, spent = timed_run(strategy_name, seconds)
    assert spent <= seconds
    full = [t for t in trials if t.candidate.fidelity == 1.0 and t.ok]
    assert full and strategy.best() is not None
    # the first bracket's best config at the lowest rung has a full-fidelity result
    leader = max((t for t in trials if t.ok and t.candidate.rung == 0
                  and t.candidate.bracket == 0), key=lambda t: t.score)
    assert (0, leader.candidate.round) in {(t.candidate.bracket, t.candidate.round)
                                           for t in full}


def test_a_config_sent_up_by_the_time_budget_keeps_the_brackets_own_places() -> None:
    """The leader sent straight to the top takes an extra place there: its bracket still
    promotes its own best through every rung, and the leader does not climb them again."""
    from modelmap.tuning.strategies import make_strategy

    s = settings(budget=1000, time_budget=100)
    strategy = make_strategy(SPACE, s)
    replay(SPACE, s, score, budget=27, strategy=strategy)  # bracket 0's first rung
    strategy.time_left = 1.1 * 1.25 * strategy.trials[0].seconds * 27  # < the reserve
    [forced] = strategy.ask(1)
    assert forced.rung == 3
    value, fit = score(forced.family, forced.values, forced.fidelity)
    strategy.tell([Trial(28, forced, "t", "28", "ok", value, None, fit, 3 * fit)])
    strategy.time_left = None
    replay(SPACE, s, score, budget=13, strategy=strategy)  # rungs 1, 2 and 3 of bracket 0
    bracket0 = [t for t in strategy.trials if t.candidate.bracket == 0]
    assert by_rung(bracket0) == Counter({0: 27, 1: 9, 2: 3, 3: 2})
    assert [t.candidate.rung for t in bracket0 if t.candidate.round == forced.round] == [0, 3]


def test_a_full_fidelity_evaluation_longer_than_the_budget_is_announced_at_the_first_result(
        ) -> None:
    strategy, trials, _ = timed_run("hyperband", 3.0)
    assert len(strategy.notices) == 1
    notice = strategy.notices[0]
    assert notice.startswith("time budget: a full-fidelity evaluation is estimated at 10.3 s")
    assert "more than the 3 s budget" in notice and "1/27 of the training set" in notice
    assert trials  # it still runs: the best config climbs rung by rung
    roomy, _, _ = timed_run("hyperband", 60.0)
    assert roomy.notices == []


def test_the_default_min_is_the_lowest_rung_that_leaves_every_class_enough_rows() -> None:
    from modelmap.tuning._fidelity import default_min, fewest_train_rows

    rng = np.random.default_rng(1)

    def data(counts: list[int]) -> tuple[np.ndarray, np.ndarray]:
        y = np.repeat(np.arange(len(counts)), counts)
        folds = np.zeros(len(y), dtype=int)
        for c in range(len(counts)):  # stratified folds, as the validation folds are
            members = rng.permutation(np.flatnonzero(y == c))
            folds[members] = np.arange(len(members)) % 3
        return y, folds

    def check(counts: list[int]) -> tuple[float, int, int]:
        y, folds = data(counts)
        fraction, rows, fewest = default_min(3, y, folds, 7)
        chosen = nested_subsample(y, folds, fraction, 7)
        assert rows == len(chosen) and fewest == fewest_train_rows(y, folds, chosen)
        return fraction, rows, fewest

    fraction, rows, fewest = check([400] * 5)  # plenty of rows: the usual 1/27
    assert fraction == pytest.approx(1 / 27) and rows >= 50 and fewest >= 5
    fraction, rows, fewest = check([400] * 4 + [90])  # a rare class: 1/27 leaves it 2 a fold
    assert fraction == pytest.approx(1 / 9) and fewest >= 5
    y, folds = data([400] * 4 + [90])
    assert fewest_train_rows(y, folds, nested_subsample(y, folds, 1 / 27, 7)) < 5
    fraction, rows, _ = check([100, 100])  # 1/9 would be 22 rows: below the 50-row floor
    assert fraction == pytest.approx(1 / 3) and rows >= 50
    fraction, rows, fewest = check([40, 40, 6])  # too small for the rule: two rungs anyway
    assert fraction == pytest.approx(1 / 3) and fewest < 5
