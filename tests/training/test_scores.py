"""The NumPy scores equal scikit-learn's metrics."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics

from modelmap.training._scores import single_label


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(5, 60), st.integers(0, 10_000))
def test_single_label_scores_match_sklearn(k, n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    pred = np.where(rng.random(n) < 0.6, y, rng.integers(0, k, n))
    proba = rng.dirichlet(np.ones(k), n)
    scores, cm = single_label(y, pred, proba, k)
    labels = list(range(k))
    assert np.array_equal(cm, metrics.confusion_matrix(y, pred, labels=labels))
    assert scores["accuracy"] == pytest.approx(metrics.accuracy_score(y, pred))
    for avg in ("macro", "weighted"):
        p, r, f, _ = metrics.precision_recall_fscore_support(y, pred, labels=labels, average=avg,
                                                             zero_division=0)
        assert scores[f"precision_{avg}"] == pytest.approx(p)
        assert scores[f"recall_{avg}"] == pytest.approx(r)
        assert scores[f"f1_{avg}"] == pytest.approx(f)
    if len(np.unique(y)) > 0:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert scores["balanced_accuracy"] == pytest.approx(
                metrics.balanced_accuracy_score(y, pred))
    assert scores["log_loss"] == pytest.approx(metrics.log_loss(y, proba, labels=labels))
    if len(np.unique(y)) == k:
        expected = (metrics.roc_auc_score(y, proba[:, 1]) if k == 2 else
                    metrics.roc_auc_score(y, proba, multi_class="ovr", labels=labels))
        assert scores["roc_auc"] == pytest.approx(expected)
    else:
        assert "roc_auc" not in scores


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(4, 80), st.integers(0, 10_000), st.sampled_from([2, 4, 10]))
def test_roc_auc_with_tied_probabilities_matches_sklearn(k, n, seed, levels):
    """Trees and k-NN give few distinct probabilities: ties must count half, as in sklearn."""
    rng = np.random.default_rng(seed)
    y = np.arange(max(n, 2 * k)) % k  # every class present
    n = len(y)
    rng.shuffle(y)
    proba = np.round(rng.random((n, k)) * levels) / levels + 0.05
    proba /= proba.sum(axis=1, keepdims=True)
    scores, _ = single_label(y, y, proba, k)
    expected = (metrics.roc_auc_score(y, proba[:, 1]) if k == 2 else
                metrics.roc_auc_score(y, proba, multi_class="ovr", labels=list(range(k))))
    assert scores["roc_auc"] == pytest.approx(expected, abs=1e-12)
