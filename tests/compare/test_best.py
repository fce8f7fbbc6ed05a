"""Intervals of every classifier and tests against the best, as a user relies on them."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.multitest import multipletests

from modelmap.compare import Truth, compare_to_best
from modelmap.errors import DataError


def _classifiers(y, accuracies, seed=0):
    rng = np.random.default_rng(seed)
    right = rng.random((len(accuracies), len(y))) < np.asarray(accuracies)[:, None]
    return np.where(right, y, 1 - y)


def test_nominal_95_percent_intervals_cover_the_true_accuracy_93_to_97_percent_of_the_time():
    # 1000 synthetic classifiers of known accuracy 0.8 on 300 samples, one seeded draw each
    y = np.repeat([0, 1], 150)
    pred = _classifiers(y, np.full(1000, 0.8), seed=11)
    exact = compare_to_best(Truth(y, 2, seed=1), pred, None, "test_accuracy")
    covered = np.mean((exact.low <= 0.8) & (0.8 <= exact.high))
    assert 0.93 <= covered <= 0.97, covered
    # the bootstrap interval of the balanced accuracy: recalls 0.9 and 0.7, true value 0.8
    rng = np.random.default_rng(12)
    recall = np.where(y == 0, 0.9, 0.7)
    pred = np.where(rng.random((1000, len(y))) < recall, y, 1 - y)
    boot = compare_to_best(Truth(y, 2, seed=2), pred, None, "test_balanced_accuracy",
                           resamples=1000)
    covered = np.mean((boot.low <= 0.8) & (0.8 <= boot.high))
    assert 0.93 <= covered <= 0.97, covered
    assert boot.method == ("paired bootstrap percentile interval over 300 test samples, "
                           "1000 resamples, 95 %")


def test_accuracy_is_tested_with_exact_mcnemar_against_the_best_and_holm_adjusted():
    y = np.repeat([0, 1], 50)
    pred = _classifiers(y, [0.95, 0.9, 0.6, 0.93], seed=3)
    result = compare_to_best(Truth(y, 2), pred, None, "test_accuracy", alpha=0.05)
    assert result.best == 0 and result.method.startswith("Wilson score interval")
    assert result.test == "exact McNemar test vs the best, Holm-adjusted"
    for j in (1, 2, 3):
        table = [[0, int((pred[0] == y)[(pred[j] != y)].sum())],
                 [int((pred[j] == y)[(pred[0] != y)].sum()), 0]]
        assert result.p[j] == pytest.approx(sm_mcnemar(table, exact=True).pvalue)
    assert result.p_holm[1:] == pytest.approx(multipletests(result.p[1:], method="holm")[1])
    from scipy.stats import rankdata
    assert result.rank.tolist() == rankdata(-result.values, method="min").tolist()
    assert result.tied[1:].tolist() == (result.p_holm[1:] >= 0.05).tolist()
    assert result.tied[0] and not result.tied[2] and result.tied[3]
    assert np.isnan(result.p[0]) and np.isnan(result.p_holm[0])


def test_two_calls_agree_exactly_and_the_seed_comes_from_the_caller():
    y = np.repeat([0, 1, 2], 30)
    rng = np.random.default_rng(4)
    pred = np.where(rng.random((6, 90)) < 0.8, y, rng.integers(0, 3, (6, 90)))
    first = compare_to_best(Truth(y, 3, seed=42), pred, None, "test_f1_macro")
    again = compare_to_best(Truth(y, 3, seed=42), pred, None, "test_f1_macro")
    other = compare_to_best(Truth(y, 3, seed=43), pred, None, "test_f1_macro")
    assert np.array_equal(first.low, again.low) and np.array_equal(first.p, again.p,
                                                                     equal_nan=True)
    assert not np.array_equal(first.low, other.low)


def test_references_are_left_out_of_best_and_tests():
    y = np.repeat([0, 1], 20)
    pred = np.vstack([y, _classifiers(y, [0.8, 0.7], seed=5)])  # row 0: perfect "optimal"
    result = compare_to_best(Truth(y, 2), pred, None, "test_accuracy",
                             contenders=np.array([False, True, True]))
    assert result.best in (1, 2) and np.isnan(result.rank[0]) and not result.tied[0]
    assert result.values[0] == 1.0 and result.high[0] == 1.0  # its interval is still there


def test_edge_cases_give_defined_answers():
    y = np.repeat([0, 1], 10)
    one = compare_to_best(Truth(y, 2), y[None], None, "test_accuracy")
    assert one.best == 0 and one.tied.tolist() == [True] and np.isnan(one.p).all()
    same = compare_to_best(Truth(y, 2), np.tile(1 - y, (4, 1)), None, "test_f1_weighted",
                           resamples=200)
    assert same.values.tolist() == [0.0] * 4 and same.tied.all()
    assert same.p[1:].tolist() == [1.0, 1.0, 1.0] and same.rank.tolist() == [1, 1, 1, 1]
    with pytest.raises(DataError, match="no test samples"):
        compare_to_best(Truth(np.zeros(0, int), 2), np.zeros((2, 0), int), None, "accuracy")
    with pytest.raises(DataError, match="alpha must be a number between 0 and 1"):
        compare_to_best(Truth(y, 2), y[None], None, "test_accuracy", alpha=5)


def test_multi_label_and_log_loss():
    rng = np.random.default_rng(6)
    y = (rng.random((40, 3)) < 0.5).astype(int)
    pred = np.where(rng.random((3, 40, 3)) < 0.9, y, 1 - y)
    subset = compare_to_best(Truth(y, 3, multilabel=True), pred, None, "test_accuracy")
    assert "subset accuracy" in subset.method
    hamming = compare_to_best(Truth(y, 3, multilabel=True), pred, None, "test_hamming_loss",
                              resamples=300)
    assert hamming.best == int(np.argmin(hamming.values))  # a loss: lower is better
    assert (hamming.low <= hamming.values).all() and (hamming.values <= hamming.high).all()
    labels = rng.integers(0, 3, 50)
    proba = rng.dirichlet(np.ones(3), (2, 50))
    loss = compare_to_best(Truth(labels, 3), proba.argmax(axis=2), proba, "test_log_loss",
                           resamples=300)
    assert loss.rank[loss.best] == 1 and np.isfinite(loss.low).all()


def test_cross_validation_uses_the_corrected_t_over_folds():
    y = np.tile([0, 1], 50)
    folds = np.arange(100) % 5
    pred = _classifiers(y, [0.9, 0.85, 0.5], seed=7)
    result = compare_to_best(Truth(y, 2, folds=folds), pred, None, "test_accuracy")
    assert result.method == "Nadeau-Bengio corrected t interval over 5 folds, 95 %"
    assert result.test.startswith("Nadeau-Bengio corrected paired t-test over 5 folds")
    per_fold = np.array([[np.mean(pred[j][folds == f] == y[folds == f]) for j in range(3)]
                         for f in range(5)])
    assert result.fold_scores == pytest.approx(per_fold)
    assert result.values == pytest.approx(per_fold.mean(axis=0))
    assert result.best == 0 and not result.tied[2]
