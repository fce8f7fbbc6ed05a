"""Data preparation: validation messages, splits, seeded stratified subsets, CV modes."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_iris

from modelmap.data import CV_TEST, CV_TRAIN, HOLDOUT, load_bundle, prepare
from modelmap.errors import DataError

DATA = {"title": "T", "dataset": "d", "test_size": 0.2, "random_state": 42}
NAMES = ["a", "b", "c"]


def raw(X=None, y=None, X_test=None, y_test=None, names=NAMES, specs=None):
    iris = load_iris()
    out = {
        "X_train": iris.data if X is None else X,
        "y_train": iris.target if y is None else y,
        "X_test": np.array([]) if X_test is None else X_test,
        "y_test": np.array([]) if y_test is None else y_test,
        "class_names": names,
    }
    if specs is not None:
        out["specs"] = specs
    return out


def test_split_is_stratified_and_seeded():
    a = prepare(raw(), DATA, dataset="d")
    b = prepare(raw(), DATA, dataset="d")
    assert a.mode == HOLDOUT
    assert (len(a.y_train), len(a.y_test)) == (120, 30)
    assert np.bincount(a.y_test).tolist() == [10, 10, 10]
    assert a.fingerprint == b.fingerprint
    assert np.array_equal(a.X_test, b.X_test)
    c = prepare(raw(), {**DATA, "random_state": 1}, dataset="d")
    assert c.fingerprint != a.fingerprint


def test_subset_is_random_stratified_not_the_first_rows():
    b = prepare(raw(), {**DATA, "subset_train": 0.5}, dataset="d")
    assert len(b.y_train) == 60
    assert np.bincount(b.y_train).tolist() == [20, 20, 20]
    # iris is sorted by class: the first 60 rows would hold only two classes
    counted = prepare(raw(), {**DATA, "subset_train": 30}, dataset="d")
    assert len(counted.y_train) == 30 and np.bincount(counted.y_train).tolist() == [10, 10, 10]


def test_no_test_set_when_test_size_zero():
    b = prepare(raw(), {**DATA, "test_size": 0}, dataset="d")
    assert len(b.y_test) == 0 and b.X_test.shape == (0, 4)
    assert [s.fold for s in b.splits()] == [None]


@pytest.mark.parametrize("base", [0, 1])
def test_plugin_folds_zero_or_one_based(base):
    folds = np.arange(150) % 5 + base
    b = prepare(raw(specs={"cv_folds": folds}), DATA, dataset="d")
    assert b.mode == CV_TRAIN and b.n_folds == 5 and len(b.y_test) == 0
    splits = b.splits()
    assert len(splits) == 5
    assert sorted(np.concatenate([s.test_idx for s in splits]).tolist()) == list(range(150))


def test_cv_extension_is_stratified():
    b = prepare(raw(), {**DATA, "cv": 3}, dataset="d")
    assert b.mode == CV_TRAIN and b.n_folds == 3
    for s in b.splits():
        assert np.bincount(b.y_train[s.test_idx]).tolist() == [17, 17, 16] or \
            sorted(np.bincount(b.y_train[s.test_idx]).tolist()) == [16, 17, 17]


def test_disable_cross_validation_falls_back_to_split():
    b = prepare(raw(specs={"cv_folds": np.arange(150) % 5}),
                {**DATA, "disable_cross_validation": True}, dataset="d")
    assert b.mode == HOLDOUT and len(b.y_test) == 30


def test_folds_for_test_only():
    iris = load_iris()
    b = prepare(raw(X=iris.data[:100], y=iris.target[:100], X_test=iris.data[100:],
                    y_test=iris.target[100:], specs={"cv_folds": np.arange(50) % 2,
                                                     "cv_folds_for_test_only": True}),
                DATA, dataset="d")
    assert b.mode == CV_TEST and b.n_folds == 2
    assert all(len(s.train_idx) == 100 for s in b.splits())


def test_bundle_round_trips_through_files(tmp_path):
    b = prepare(raw(specs={"original_shape": (150, 2, 2)}), DATA, dataset="d")
    loaded = load_bundle(str(b.save(tmp_path)))
    assert loaded.fingerprint == b.fingerprint
    assert np.array_equal(loaded.X_train, b.X_train)
    assert loaded.data_specs()["original_shape"] == (150, 2, 2)
    assert loaded.data_specs()["num_classes"] == 3


def test_nan_features_are_reported_with_positions():
    X = load_iris().data.copy()
    X[3, 1] = np.nan
    X[7, 0] = np.inf
    with pytest.raises(DataError) as err:
        prepare(raw(X=X), DATA, dataset="d")
    assert str(err.value) == (
        "dataset plugin 'd': X_train contains 2 NaN or infinite value(s), first at "
        "(row, column) (3, 1), (7, 0)\n  hint: impute or drop them in the dataset plugin")


def test_non_numeric_features():
    X = np.array([["1", "x"], ["2", "3"]], dtype=object)
    with pytest.raises(DataError, match=r"X_train must contain only numbers; found non-numeric "
                                        r"values such as \['x'\]"):
        prepare(raw(X=X, y=np.array([0, 1])), DATA, dataset="d")


def test_labels_outside_range():
    y = load_iris().target.copy()
    y[5] = 3
    with pytest.raises(DataError) as err:
        prepare(raw(y=y), DATA, dataset="d")
    assert "y_train has 1 label(s) outside [0, 2] (there are 3 class names), e.g. [3] at " \
           "index (5,)" in str(err.value)


def test_length_mismatch_and_wrong_shapes():
    iris = load_iris()
    with pytest.raises(DataError, match="X_train has 150 samples but y_train has 149"):
        prepare(raw(y=iris.target[:149]), DATA, dataset="d")
    with pytest.raises(DataError, match=r"got a 1-D array of shape \(150,\)"):
        prepare(raw(X=iris.data[:, 0]), DATA, dataset="d")
    with pytest.raises(DataError, match=r"y_train of a multi-label dataset must be an indicator "
                                        r"matrix of shape \(num_samples, 3\); got \(150, 2\)"):
        prepare(raw(y=np.eye(3)[iris.target][:, :2].astype(int), specs={"multi_label": True}),
                DATA, dataset="d")


def test_fold_array_of_wrong_length():
    with pytest.raises(DataError, match=r"specs\['cv_folds'\] must have one fold number per "
                                        r"sample of X_train \(150\); got shape \(10,\)"):
        prepare(raw(specs={"cv_folds": np.arange(10)}), DATA, dataset="d")


def test_cross_corpus_feature_mismatch():
    iris = load_iris()
    with pytest.raises(DataError, match="X_test has 3 features but X_train has 4"):
        prepare(raw(X_test=iris.data[:10, :3], y_test=iris.target[:10]), DATA, dataset="d")


def test_class_names_must_match_get_info():
    with pytest.raises(DataError, match=r"get_data\(\) returned class_names \['a', 'b', 'c'\] "
                                        r"but get_info\(\) declares \['x', 'y', 'z'\]"):
        prepare(raw(), DATA, dataset="d", info_class_names=["x", "y", "z"])


def test_multilabel_indicator_matrix():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    Y = (rng.random((40, 4)) > 0.5).astype(int)
    b = prepare(raw(X=X, y=Y, names=list("pqrs"), specs={"multi_label": True}), DATA,
                dataset="d")
    assert b.multilabel and b.y_train.shape == (32, 4) and b.y_test.shape == (8, 4)
    Y[0, 0] = 2
    with pytest.raises(DataError, match="must contain only 0 and 1"):
        prepare(raw(X=X, y=Y, names=list("pqrs"), specs={"multi_label": True}), DATA,
                dataset="d")
