"""``validation_bundle``: validation folds inside the training data, the test set left out."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_iris

from modelmap.data import CV_TRAIN, HOLDOUT, prepare, validation_bundle
from modelmap.errors import DataError

NAMES = ["a", "b", "c"]


def holdout():
    iris = load_iris()
    raw = {"X_train": iris.data, "y_train": iris.target, "X_test": np.array([]),
           "y_test": np.array([]), "class_names": NAMES}
    return prepare(raw, {"title": "T", "dataset": "d", "test_size": 0.2, "random_state": 1},
                   dataset="d")


def test_folds_are_stratified_seeded_and_inside_the_training_data() -> None:
    bundle = holdout()
    assert bundle.mode == HOLDOUT and len(bundle.y_test) == 30
    folds = validation_bundle(bundle, 3, seed=7)
    assert folds.mode == CV_TRAIN and folds.n_folds == 3
    assert np.array_equal(folds.X_train, bundle.X_train)  # the same training rows ...
    assert folds.X_test.shape == (0, 4) and len(folds.y_test) == 0  # ... and no test rows
    for split in folds.splits():
        assert split.test_from_train
        assert sorted(np.bincount(folds.y_train[split.test_idx]).tolist()) == [13, 13, 14]
    again = validation_bundle(bundle, 3, seed=7)
    assert np.array_equal(again.folds, folds.folds) and again.fingerprint == folds.fingerprint
    assert validation_bundle(bundle, 3, seed=8).fingerprint != folds.fingerprint
    assert folds.fingerprint != bundle.fingerprint and not folds.save_folds
    assert folds.summary["n_test"] == 0 and folds.summary["n_folds"] == 3


def test_a_cross_validating_bundle_keeps_its_own_folds() -> None:
    iris = load_iris()
    raw = {"X_train": iris.data, "y_train": iris.target, "X_test": np.array([]),
           "y_test": np.array([]), "class_names": NAMES}
    bundle = prepare(raw, {"title": "T", "dataset": "d", "cv": 5}, dataset="d")
    assert np.array_equal(validation_bundle(bundle, 3, seed=1).folds, bundle.folds)


def test_too_few_samples_or_folds() -> None:
    with pytest.raises(DataError, match="validation needs at least 2 folds; got 1"):
        validation_bundle(holdout(), 1)
    with pytest.raises(DataError, match="120 training samples cannot be split into 200"):
        validation_bundle(holdout(), 200)
