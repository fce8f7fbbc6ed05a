"""train_config: scores, probabilities, histories, captured output, CV merging, failures."""

from __future__ import annotations

import types
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression, RidgeClassifier

from modelmap.data import prepare
from modelmap.training import train_config

DATA = {"title": "T", "dataset": "iris", "test_size": 0.2, "random_state": 42}


def iris_raw(**specs):
    d = load_iris()
    out = {"X_train": d.data, "y_train": d.target, "X_test": np.array([]),
           "y_test": np.array([]), "class_names": ["a", "b", "c"]}
    if specs:
        out["specs"] = specs
    return out


def plugin(estimator_factory, *, proba=True, decision=False, history=None, noisy=False):
    class Classifier:
        def __init__(self, args, data_specs):
            self.clf = estimator_factory()
            self.specs = data_specs

        def fit(self, X, y):
            if noisy:
                print("fitting now")
                warnings.warn("something odd", stacklevel=1)
            return self.clf.fit(X, y)

        def predict(self, X, y):
            return self.clf.predict(X)

        if proba:
            def predict_proba(self, X, y):
                return self.clf.predict_proba(X)
        if decision:
            def decision_function(self, X, y):
                return self.clf.decision_function(X)
        if history is not None:
            def get_history(self):
                return history

    return types.SimpleNamespace(get_clf=lambda args, specs: Classifier(args, specs))


ARGS = {"title": "LR", "method": "lr", "C": 1.0}


def test_holdout_scores_arrays_and_times():
    b = prepare(iris_raw(), DATA, dataset="iris")
    (r,) = train_config(b, plugin(lambda: LogisticRegression(max_iter=500)), ARGS, key="k")
    assert r.ok and r.title == "LR" and r.method == "lr" and r.args == {"C": 1.0}
    assert r.scores["test"]["accuracy"] > 0.9
    assert {"balanced_accuracy", "f1_macro", "f1_weighted", "precision_macro", "recall_weighted",
            "log_loss", "roc_auc"} <= set(r.scores["test"])
    assert r.arrays["pred_test"].shape == (30,) and r.arrays["proba_test"].shape == (30, 3)
    assert r.arrays["pred_train"].shape == (120,)
    assert r.arrays["confusion_test"].sum() == 30
    assert r.times["fit"] > 0 and r.times["total"] >= r.times["fit"]
    assert r.machine["python"]


def test_decision_function_is_normalised_when_no_proba():
    b = prepare(iris_raw(), DATA, dataset="iris")
    (r,) = train_config(b, plugin(RidgeClassifier, proba=False, decision=True), ARGS, key="k")
    proba = r.arrays["proba_test"]
    assert proba.min() == pytest.approx(0.0) and proba.max() == pytest.approx(1.0)


def test_history_and_captured_output():
    b = prepare(iris_raw(), DATA, dataset="iris")
    hist = {"loss": [1.0, 0.5], "val_accuracy": [0.5, 0.9]}
    (r,) = train_config(b, plugin(lambda: LogisticRegression(max_iter=500), history=hist,
                                  noisy=True), ARGS, key="k")
    assert r.history == hist
    assert "fitting now" in r.log and "UserWarning: something odd" in r.log


def test_plugin_error_is_recorded_not_raised():
    def broken():
        raise ValueError("bad value for C")

    b = prepare(iris_raw(), DATA, dataset="iris")
    (r,) = train_config(b, plugin(broken), ARGS, key="k")
    assert r.status == "failed"
    assert r.error == "ValueError: bad value for C"
    assert "Traceback" in r.traceback and "broken" in r.traceback


def test_wrong_prediction_shape_is_a_clear_failure():
    class Bad:
        def fit(self, X, y):
            pass

        def predict(self, X, y):
            return np.zeros(3)

    b = prepare(iris_raw(), DATA, dataset="iris")
    mod = types.SimpleNamespace(get_clf=lambda a, s: Bad())
    (r,) = train_config(b, mod, ARGS, key="k")
    assert r.error == ("PluginError: predict() returned shape (3,); expected (120,) (one class "
                       "index per sample)")


def test_cv_mean_std_merged_predictions_and_fold_results():
    b = prepare(iris_raw(cv_folds=np.arange(150) % 3 + 1), {**DATA, "save_clfs_for_folds": True},
                dataset="iris")
    results = train_config(b, plugin(lambda: LogisticRegression(max_iter=500)), ARGS, key="k")
    mean, *folds = results
    assert len(folds) == 3 and [f.fold for f in folds] == [0, 1, 2]
    assert [f.key for f in folds] == ["k.f0", "k.f1", "k.f2"]
    assert all(f.parent_key == "k" for f in folds)
    accs = [f.scores["test"]["accuracy"] for f in folds]
    assert mean.scores["test"]["accuracy"] == pytest.approx(np.mean(accs))
    assert mean.scores["test_std"]["accuracy"] == pytest.approx(np.std(accs))
    assert mean.arrays["pred_test"].shape == (150,)  # out-of-fold, every sample once
    assert mean.arrays["confusion_test"].sum() == 150


def test_cv_for_test_only_fits_once():
    d = load_iris()
    fits = []

    def factory():
        fits.append(1)
        return LogisticRegression(max_iter=500)

    raw = {"X_train": d.data[::2], "y_train": d.target[::2], "X_test": d.data[1::2],
           "y_test": d.target[1::2], "class_names": ["a", "b", "c"],
           "specs": {"cv_folds": np.arange(75) % 3, "cv_folds_for_test_only": True}}
    b = prepare(raw, DATA, dataset="iris")
    (r,) = train_config(b, plugin(factory), ARGS, key="k")
    assert len(fits) == 1
    assert r.arrays["pred_test"].shape == (75,) and "test_std" in r.scores


def test_multilabel_scores():
    from sklearn.datasets import make_multilabel_classification
    from sklearn.ensemble import RandomForestClassifier

    X, Y = make_multilabel_classification(n_samples=80, n_classes=3, random_state=0)
    raw = {"X_train": X, "y_train": Y, "X_test": np.array([]), "y_test": np.array([]),
           "class_names": ["p", "q", "r"], "specs": {"multi_label": True}}
    b = prepare(raw, DATA, dataset="ml")

    class RF:
        def __init__(self):
            self.clf = RandomForestClassifier(20, random_state=0)

        def fit(self, X, y):
            self.clf.fit(X, y)

        def predict(self, X, y):
            return self.clf.predict(X)

    mod = types.SimpleNamespace(get_clf=lambda a, s: RF())
    (r,) = train_config(b, mod, ARGS, key="k")
    assert r.ok, r.error
    assert {"accuracy", "hamming_loss", "f1_micro", "f1_macro"} <= set(r.scores["test"])
    assert r.arrays["confusion_test"].shape == (3, 2, 2)


def _vandal(factor):
    """A plugin that scales the arrays it is given in place (plugins may) before fitting."""
    class Classifier:
        def __init__(self, args, data_specs):
            self.clf = LogisticRegression(max_iter=500)

        def fit(self, X, y):
            X *= factor
            return self.clf.fit(X, y)

        def predict(self, X, y):
            X *= factor
            return self.clf.predict(X)

    return types.SimpleNamespace(get_clf=lambda args, specs: Classifier())


@pytest.mark.parametrize("extra", [{}, {"cv_folds": 3}])
def test_scaled_splits_are_prepared_once_and_each_config_gets_its_own_copy(extra, monkeypatch):
    """Configs trained one after another in a process share the scaled arrays of a split
    (the scaler is fitted once per split, not per config), and a plugin that changes its
    arrays in place changes nobody else's."""
    import sklearn.preprocessing

    from modelmap.training import _train

    data = {**DATA, "scale": True, **extra}
    b = prepare(iris_raw(), data, dataset="iris")
    fits = []
    real = sklearn.preprocessing.StandardScaler  # the data layer's per-split encoder uses it

    class Counting(real):
        def fit(self, X, y=None, sample_weight=None):
            fits.append(len(X))
            return super().fit(X, y, sample_weight)

    monkeypatch.setattr(sklearn.preprocessing, "StandardScaler", Counting)
    lr = plugin(lambda: LogisticRegression(max_iter=500))
    first = train_config(b, lr, ARGS, key="a")[0]
    n_splits = len(b.splits())
    assert len(fits) == n_splits
    train_config(b, _vandal(1000.0), ARGS, key="v")
    again = train_config(b, lr, ARGS, key="b")[0]
    assert len(fits) == n_splits  # no new scaler fits for the later configs
    assert again.status == "ok" and again.scores == first.scores
    assert np.array_equal(again.arrays["proba_test"], first.arrays["proba_test"])
    # the same numbers as scaling for this config alone
    monkeypatch.setattr(_train, "_PREPARED", _train._PreparedSplits(max_bytes=0))
    alone = train_config(b, lr, ARGS, key="c")[0]
    assert alone.scores == first.scores
    assert np.array_equal(alone.arrays["proba_test"], first.arrays["proba_test"])
    assert len(fits) == 2 * n_splits  # nothing kept: fitted again


def test_prepared_splits_belong_to_one_bundle():
    """A new bundle (another job's data) never gets the previous bundle's arrays."""
    b1 = prepare(iris_raw(), {**DATA, "scale": True}, dataset="iris")
    raw = iris_raw()
    raw["X_train"] = raw["X_train"] * 3 + 7
    b2 = prepare(raw, {**DATA, "scale": True}, dataset="iris")
    lr = plugin(lambda: LogisticRegression(max_iter=500))
    r1 = train_config(b1, lr, ARGS, key="a")[0]
    r2 = train_config(b2, lr, ARGS, key="b")[0]
    # standardising removes the affine change: same scores, but computed from b2's rows
    assert r1.scores["test"]["accuracy"] == pytest.approx(r2.scores["test"]["accuracy"])
    from modelmap.training import _train

    assert list(_train._PREPARED.kept) == [b2]
    del b2, raw
    import gc

    gc.collect()
    assert not _train._PREPARED.kept  # the arrays went with their bundle
