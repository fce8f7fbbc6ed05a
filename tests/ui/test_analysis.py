"""The analysis behind the views, against values worked out by hand or published."""

from __future__ import annotations

import math

import numpy as np
import pytest

from modelmap.ui._analysis import (aggregate, association_matrix, correlation_ratio,
                                   higher_is_better, mcnemar, parameter_importance,
                                   pareto_front, spearman, wrong_counts, wrong_matrix)


def test_correlation_ratio_matches_the_textbook_example():
    # Wikipedia, "Correlation ratio": algebra, geometry, statistics scores -> eta = 0.8386
    topics = ["algebra"] * 5 + ["geometry"] * 4 + ["statistics"] * 6
    scores = [45, 70, 29, 15, 21, 40, 20, 30, 42, 65, 95, 80, 70, 85, 73]
    assert correlation_ratio(topics, scores) == pytest.approx(0.8386, abs=1e-4)


def test_correlation_ratio_is_one_when_categories_explain_everything_and_zero_when_nothing():
    assert correlation_ratio(["a", "a", "b", "b"], [1.0, 1.0, 3.0, 3.0]) == pytest.approx(1.0)
    assert correlation_ratio(["a", "b", "a", "b"], [1.0, 1.0, 3.0, 3.0]) == pytest.approx(0.0)
    assert math.isnan(correlation_ratio(["a", "b"], [2.0, 2.0]))


def test_correlation_ratio_does_not_depend_on_how_categories_are_coded():
    # Pearson on integer codes would change with the coding; eta must not.
    values = [0.9, 0.8, 0.5, 0.52, 0.95, 0.7]
    one = correlation_ratio(["rbf", "rbf", "linear", "linear", "poly", "poly"], values)
    two = correlation_ratio([2, 2, 0, 0, 1, 1], values)
    three = correlation_ratio([[64], [64], [8], [8], [32, 16], [32, 16]], values)
    assert one == pytest.approx(two) == pytest.approx(three)


def test_association_uses_eta_for_categories_and_spearman_for_numbers():
    params = {"kernel": ["rbf", "rbf", "linear", "linear", "poly"],
              "C": [0.1, 1.0, 10.0, 100.0, 1000.0],
              "constant": [3, 3, 3, 3, 3]}
    scores = {"accuracy": [0.6, 0.7, 0.8, 0.9, 0.95]}
    result = association_matrix(params, scores)
    assert result.params == ["kernel", "C"]  # a parameter that never varies is left out
    assert result.measures == ["η", "ρ"]
    assert result.values[1][0] == pytest.approx(1.0)  # monotone: Spearman 1
    assert 0 < result.values[0][0] < 1


def test_spearman_ignores_missing_pairs():
    assert spearman([1, 2, None, 4, 5], [2, 4, 100, 8, 10]) == pytest.approx(1.0)


def test_mcnemar_exact_for_few_discordant_pairs():
    a = [True] * 9 + [False] * 1 + [True] * 20
    b = [False] * 9 + [True] * 1 + [True] * 20
    result = mcnemar(a, b)
    assert (result.b, result.c, result.method) == (9, 1, "exact")
    assert result.p_value == pytest.approx(2 * 11 / 1024)  # two-sided binomial, n=10, k<=1
    assert result.significant()


def test_mcnemar_chi_square_with_continuity_correction():
    # b = 121, c = 35: (|121 - 35| - 1)^2 / 156 = 46.314...
    a = np.array([True] * 121 + [False] * 35 + [True] * 50)
    b = np.array([False] * 121 + [True] * 35 + [True] * 50)
    result = mcnemar(a, b)
    assert result.method == "chi2"
    assert result.statistic == pytest.approx(85 ** 2 / 156)
    assert result.p_value < 1e-10


def test_mcnemar_of_identical_classifiers_finds_nothing():
    result = mcnemar([True, False, True], [True, False, True])
    assert (result.b, result.c, result.p_value, result.significant()) == (0, 0, 1.0, False)


def test_mcnemar_refuses_unpaired_samples():
    with pytest.raises(ValueError, match="different samples"):
        mcnemar([True, False], [True])


def test_pareto_front_keeps_the_best_score_for_each_time_budget():
    times = [1.0, 2.0, 3.0, 0.5, 10.0, 2.0]
    scores = [0.80, 0.70, 0.90, 0.60, 0.85, 0.90]
    # 0.5 s -> 0.60, 1 s -> 0.80, 2 s -> 0.90 (index 5); 3 s and 10 s are beaten by it
    assert pareto_front(times, scores) == [3, 0, 5]


def test_pareto_front_matches_brute_force():
    rng = np.random.default_rng(3)
    times, scores = rng.random(60), rng.random(60)
    expected = sorted((i for i in range(60) if not any(
        times[j] <= times[i] and scores[j] >= scores[i] and (times[j], scores[j]) !=
        (times[i], scores[i]) for j in range(60))), key=lambda i: times[i])
    assert pareto_front(times, scores) == expected


def test_pareto_front_for_losses_and_missing_values():
    assert pareto_front([1, 2, 3, None], [0.5, 0.4, 0.6, 0.1], higher_better=False) == [0, 1]


def test_wrong_counts_single_and_multi_label():
    preds = np.array([[0, 1, 2, 2], [0, 1, 1, 2], [1, 1, 1, 2]])
    assert wrong_counts(preds, np.array([0, 1, 2, 2])).tolist() == [1, 0, 2, 0]
    multi = np.array([[[1, 0], [0, 1]], [[1, 1], [0, 1]]])
    truth = np.array([[1, 0], [0, 1]])
    assert wrong_matrix(multi, truth).tolist() == [[False, False], [True, False]]
    with pytest.raises(ValueError, match="do not match"):
        wrong_counts(preds, np.array([0, 1]))


def test_parameter_importance_finds_the_parameter_that_matters_and_is_stable():
    rng = np.random.default_rng(0)
    n = 80
    params = {"C": rng.uniform(0, 1, n).tolist(),
              "noise": rng.uniform(0, 1, n).tolist(),
              "kernel": rng.choice(["rbf", "linear"], n).tolist()}
    target = [c * 2 + (0.3 if k == "rbf" else 0) for c, k in zip(params["C"], params["kernel"])]
    first = parameter_importance(params, target, seed=0)
    assert list(first)[0] == "C" and first["C"] > 0.6
    assert first["kernel"] > first["noise"]
    assert sum(first.values()) == pytest.approx(1.0)
    assert parameter_importance(params, target, seed=0) == first  # seeded: same every time


def test_parameter_importance_needs_variation():
    assert parameter_importance({"a": [1, 1, 1]}, [0.1, 0.2, 0.3]) == {}
    assert parameter_importance({"a": [1, 2, 3]}, [0.5, 0.5, 0.5]) == {}


def test_aggregate_and_score_direction():
    assert aggregate([0.5, 0.9, 0.7], "best") == (0.9, 1)
    assert aggregate([3.0, 1.0, 2.0], "best", higher_better=False) == (1.0, 1)
    assert aggregate([0.5, 0.9, 0.7], "median") == (0.7, 2)
    value, index = aggregate([0.5, 0.9, None], "mean")
    assert value == pytest.approx(0.7) and index in (0, 1)
    assert higher_is_better("test_accuracy") and not higher_is_better("fit_time")
    assert not higher_is_better("test_log_loss")
