"""Weighted scores of many classifiers equal the stored scores on the resampled samples."""

from __future__ import annotations

import numpy as np
import pytest

from modelmap.compare import MULTI_LABEL, SINGLE_LABEL, check_score, weighted_scores
from modelmap.errors import DataError
from modelmap.training._scores import multi_label, single_label


def _single(n=60, k=4, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    y = np.r_[np.arange(classes), rng.integers(0, classes, n - classes)]
    pred = np.where(rng.random((k, n)) < 0.7, y, rng.integers(0, classes, (k, n)))
    proba = rng.dirichlet(np.ones(classes), (k, n))
    proba[:, :, 0] = np.round(proba[:, :, 0], 1)  # ties in the scores
    return y, pred, proba


def _multi(n=50, k=3, labels=4, seed=1):
    rng = np.random.default_rng(seed)
    y = (rng.random((n, labels)) < 0.4).astype(np.int64)
    y[0], y[1] = 1, 0
    pred = np.where(rng.random((k, n, labels)) < 0.8, y, 1 - y)
    return y, pred, rng.random((k, n, labels))


@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("name", SINGLE_LABEL)
def test_single_label_scores_equal_the_stored_ones(name, classes):
    y, pred, proba = _single(classes=classes)
    values = weighted_scores(name, y, pred, proba, np.ones((1, len(y)), np.float32), classes,
                             False)[0]
    expected = [single_label(y, pred[j], proba[j], classes)[0][name] for j in range(len(pred))]
    assert values == pytest.approx(expected, abs=1e-6)
    # a bootstrap resample is the score on the drawn samples
    rng = np.random.default_rng(5)
    draw = np.r_[np.arange(classes), rng.integers(0, len(y), len(y) - classes)]
    weights = np.bincount(draw, minlength=len(y)).astype(np.float32)[None]
    got = weighted_scores(name, y, pred, proba, weights, classes, False)[0]
    expected = [single_label(y[draw], pred[j][draw], proba[j][draw], classes)[0][name]
                for j in range(len(pred))]
    assert got == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("name", MULTI_LABEL)
def test_multi_label_scores_equal_the_stored_ones(name):
    y, pred, proba = _multi()
    values = weighted_scores(name, y, pred, proba, np.ones((1, len(y)), np.float32), 4, True)[0]
    expected = [multi_label(y, pred[j], proba[j])[0][name] for j in range(len(pred))]
    assert values == pytest.approx(expected, abs=1e-6)
    mask = np.zeros(len(y), np.float32)
    mask[::2] = 1  # a fold
    got = weighted_scores(name, y, pred, proba, mask[None], 4, True)[0]
    expected = [multi_label(y[::2], pred[j][::2], proba[j][::2])[0][name]
                for j in range(len(pred))]
    assert got == pytest.approx(expected, abs=1e-6)


def test_an_undefined_weighting_gives_nan_not_an_error():
    y, pred, proba = _single(classes=2)
    only_negatives = (y == 0).astype(np.float32)[None]
    assert np.isnan(weighted_scores("roc_auc", y, pred, proba, only_negatives, 2, False)).all()
    nothing = np.zeros((1, len(y)), np.float32)
    assert np.isnan(weighted_scores("accuracy", y, pred, proba, nothing, 2, False)).all()


def test_unknown_scores_and_missing_probabilities_are_clear_errors():
    with pytest.raises(DataError, match="cannot compare single-label classifiers on "
                       "'test_hamming_loss'") as info:
        check_score("test_hamming_loss", False)
    assert "test_balanced_accuracy" in info.value.hint
    assert check_score("test_f1_micro", True) == "f1_micro"
    y, pred, _ = _single()
    with pytest.raises(DataError, match="log_loss needs predicted probabilities"):
        weighted_scores("log_loss", y, pred, None, np.ones((1, len(y)), np.float32), 3, False)
