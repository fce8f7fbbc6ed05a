"""Probabilities a plugin returns are checked: finite, in [0, 1], single-label rows sum to 1."""

from __future__ import annotations

import types

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from modelmap.data import prepare
from modelmap.training import train_config
from tests.training.test_train import ARGS, DATA, iris_raw


def returning(change, *, decision=False):
    """A plugin whose probabilities (or decision values) are LogisticRegression's, changed."""
    class Classifier:
        def __init__(self, args, data_specs):
            self.clf = LogisticRegression(max_iter=500)

        def fit(self, X, y):
            return self.clf.fit(X, y)

        def predict(self, X, y):
            return self.clf.predict(X)

        if decision:
            def decision_function(self, X, y):
                return change(self.clf.decision_function(X))
        else:
            def predict_proba(self, X, y):
                return change(self.clf.predict_proba(X))

    return types.SimpleNamespace(get_clf=lambda args, specs: Classifier(args, specs))


def scaled(factor):
    return lambda p: p * factor


def negative(p):
    p = p.copy()
    p[3] = [-0.5, 1.0, 0.5]
    return p


def with_nan(p):
    p = p.copy()
    p[[5, 9], 1] = np.nan
    return p


@pytest.mark.parametrize("change, error", [
    (scaled(6.3), "PluginError: predict_proba() returned probabilities outside [0, 1] (from "),
    (scaled(0.5), "PluginError: predict_proba() returned 120 row(s) that do not sum to 1 (first: "
                  "row 0 sums to 0.5); each row must sum to 1 (tolerance 0.0001)"),
    (negative, "PluginError: predict_proba() returned probabilities outside [0, 1] (from -0.5 "
               "to 1; first in row 3); each must be in [0, 1]"),
    (with_nan, "PluginError: predict_proba() returned 2 value(s) that are NaN or infinite, in 2 "
               "row(s) (first: row 5); every value must be a finite number"),
])
def test_wrong_probabilities_fail_the_config_saying_what_is_wrong(change, error):
    b = prepare(iris_raw(), DATA, dataset="iris")
    (r,) = train_config(b, returning(change), ARGS, key="k")
    assert r.status == "failed" and r.error.startswith(error), r.error
    assert "Traceback" in r.traceback


def test_rows_off_by_float32_rounding_are_accepted_as_they_are():
    b = prepare(iris_raw(), DATA, dataset="iris")
    (r,) = train_config(b, returning(lambda p: (p * (1 + 3e-5)).astype(np.float32)), ARGS,
                        key="k")
    assert r.ok and r.arrays["proba_test"].shape == (30, 3)
    assert np.isfinite(r.scores["test"]["log_loss"])


def test_nan_decision_values_fail_with_the_right_message():
    b = prepare(iris_raw(), DATA, dataset="iris")
    (r,) = train_config(b, returning(with_nan, decision=True), ARGS, key="k")
    assert r.error == ("PluginError: decision_function() returned 2 value(s) that are NaN or "
                       "infinite, in 2 row(s) (first: row 5); every value must be a finite "
                       "number")


def test_a_wrong_shape_is_still_ignored_with_a_note_naming_the_shape():
    b = prepare(iris_raw(), DATA, dataset="iris")
    (r,) = train_config(b, returning(lambda p: p[:, :2]), ARGS, key="k")
    assert r.ok and "proba_test" not in r.arrays and "log_loss" not in r.scores["test"]
    assert "modelmap: probabilities ignored: predict_proba() returned shape (120, 2), " \
        "expected (120, 3)" in r.log
