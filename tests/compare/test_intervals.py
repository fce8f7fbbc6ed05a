"""Intervals and paired tests against scipy.stats and statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import cochrans_q as sm_cochrans_q
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.multitest import multipletests

from modelmap.compare import (bootstrap_p, bootstrap_weights, clopper_pearson, cochrans_q,
                              corrected_t, corrected_t_p, discordant, exact_mcnemar_p, holm,
                              pairwise_mcnemar, percentile_interval, wilson)

CASES = [(0, 10), (1, 10), (5, 10), (10, 10), (29, 30), (30, 30), (7, 123), (990, 1000)]


@pytest.mark.parametrize("k,n", CASES)
def test_wilson_and_clopper_pearson_match_scipy_binomtest(k, n):
    for alpha in (0.05, 0.1):
        ci = stats.binomtest(k, n).proportion_ci(1 - alpha, method="wilson")
        low, high = wilson(np.array([k]), n, alpha)
        assert (low[0], high[0]) == pytest.approx((ci.low, ci.high), abs=1e-12)
        ci = stats.binomtest(k, n).proportion_ci(1 - alpha, method="exact")
        low, high = clopper_pearson(np.array([k]), n, alpha)
        assert (low[0], high[0]) == pytest.approx((ci.low, ci.high), abs=1e-12)


@pytest.mark.parametrize("b,c", [(0, 0), (0, 1), (3, 9), (12, 12), (40, 61), (1, 30)])
def test_exact_mcnemar_matches_statsmodels(b, c):
    expected = sm_mcnemar([[10, b], [c, 5]], exact=True).pvalue
    assert exact_mcnemar_p(np.array([b]), np.array([c]))[0] == pytest.approx(expected)


def test_discordant_counts_and_pairwise_mcnemar_match_statsmodels():
    rng = np.random.default_rng(1)
    correct = rng.random((5, 80)) < np.array([[0.9], [0.85], [0.7], [0.88], [0.6]])
    b, c = discordant(correct, correct[0])
    assert b[2] == int((correct[0] & ~correct[2]).sum())
    assert c[2] == int((~correct[0] & correct[2]).sum())
    raw, adjusted = pairwise_mcnemar(correct)
    for i, j in [(0, 1), (1, 4), (2, 3)]:
        table = [[int((correct[i] & correct[j]).sum()), int((correct[i] & ~correct[j]).sum())],
                 [int((~correct[i] & correct[j]).sum()), int((~correct[i] & ~correct[j]).sum())]]
        assert raw[i, j] == pytest.approx(sm_mcnemar(table, exact=True).pvalue)
        assert raw[j, i] == raw[i, j]
    upper = np.triu_indices(5, 1)
    assert adjusted[upper] == pytest.approx(multipletests(raw[upper], method="holm")[1])
    assert np.isnan(np.diag(adjusted)).all()


def test_cochrans_q_matches_statsmodels():
    rng = np.random.default_rng(2)
    correct = rng.random((4, 60)) < np.array([[0.9], [0.8], [0.7], [0.75]])
    expected = sm_cochrans_q(correct.T.astype(int))
    got = cochrans_q(correct)
    assert got.statistic == pytest.approx(expected.statistic)
    assert got.p_value == pytest.approx(expected.pvalue)
    assert got.name == "Cochran's Q" and got.df == 3
    same = cochrans_q(np.ones((3, 10), dtype=bool))
    assert (same.statistic, same.p_value) == (0.0, 1.0)


def test_holm_matches_statsmodels_and_leaves_missing_values_out():
    p = [0.01, 0.04, 0.03, 0.005, 0.5]
    assert holm(p) == pytest.approx(list(multipletests(p, method="holm")[1]))
    assert holm([0.02, None, float("nan"), 0.04]) == [0.04, None, None, 0.04]
    assert holm([]) == []


def test_bootstrap_weights_are_seeded_resamples():
    a = bootstrap_weights(50, 300, seed=7)
    assert a.shape == (300, 50) and (a.sum(axis=1) == 50).all()
    assert np.array_equal(a, bootstrap_weights(50, 300, seed=7))
    assert not np.array_equal(a, bootstrap_weights(50, 300, seed=8))


def test_percentile_interval_and_bootstrap_p():
    replicates = np.column_stack([np.linspace(0, 1, 1001), np.linspace(0, 1, 1001) + 0.5,
                                  np.linspace(0, 1, 1001), np.full(1001, np.nan)])
    low, high = percentile_interval(replicates, 0.05)
    assert low[:3] == pytest.approx([0.025, 0.525, 0.025]) and np.isnan(low[3])
    p = bootstrap_p(replicates, 0)
    assert np.isnan(p[0]) and p[1] == pytest.approx(2 / 1002) and p[2] == 1.0
    assert np.isnan(p[3])


def test_corrected_t_widens_the_naive_interval_by_the_nadeau_bengio_factor():
    folds = np.array([[0.8, 0.7], [0.9, 0.7], [0.85, 0.75], [0.95, 0.7], [0.75, 0.72]])
    ct = corrected_t(folds, test_fraction=1 / 4, alpha=0.05)
    m, s = folds[:, 0].mean(), folds[:, 0].std(ddof=1)
    half = stats.t.ppf(0.975, 4) * np.sqrt((1 / 5 + 1 / 4) * s * s)
    assert (ct.low[0], ct.high[0]) == pytest.approx((m - half, m + half))
    d = folds[:, 1] - folds[:, 0]
    t = d.mean() / np.sqrt((1 / 5 + 1 / 4) * d.var(ddof=1))
    p = corrected_t_p(folds, 0, 1 / 4)
    assert p[1] == pytest.approx(2 * stats.t.sf(abs(t), 4)) and np.isnan(p[0])
    # without the correction (test_fraction 0) it is scipy's paired t-test
    assert corrected_t_p(folds, 0, 0.0)[1] == pytest.approx(
        stats.ttest_rel(folds[:, 1], folds[:, 0]).pvalue)
    same = corrected_t_p(np.column_stack([folds[:, 0], folds[:, 0], folds[:, 0] + 0.1]), 0, .25)
    assert same[1] == 1.0 and same[2] < 1e-10  # a constant difference
    one = corrected_t(folds[:1], 0.25)
    assert np.isnan(one.low).all()


def test_a_corrected_t_interval_stays_inside_the_scores_range():
    # an accuracy of 0.97-1.00 over 5 folds: the t interval reaches past 1 (the Breast
    # cancer CV example printed [0.94, 1.01]); it is cut at the score's bounds
    folds = np.array([[0.97], [1.0], [0.98], [1.0], [0.96]])
    ct = corrected_t(folds, test_fraction=1 / 4)
    assert ct.high[0] == 1.0 and 0.9 < ct.low[0] < ct.mean[0]
    loss = corrected_t(np.array([[0.01], [0.5], [0.02], [0.9], [0.01]]), 1 / 4,
                       bounds=(0.0, np.inf))
    assert loss.low[0] == 0.0 and loss.high[0] > 0.9
