"""SVC decision values from matrix products equal scikit-learn's (libsvm's) own."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, NuSVC

from modelmap.plugins import _svc_decision
from modelmap.plugins._svc_decision import decision_function


def _data(name: str, n_classes: int | None = None):
    loader = {"digits": load_digits, "iris": load_iris, "wine": load_wine,
              "breast_cancer": load_breast_cancer}[name]
    X, y = loader(return_X_y=True)
    if n_classes is not None:
        keep = y < n_classes
        X, y = X[keep], y[keep]
    X = StandardScaler().fit_transform(X)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    return X[order], y[order]


SETTINGS = [
    {"kernel": "rbf"}, {"kernel": "rbf", "C": 0.05}, {"kernel": "rbf", "C": 100, "gamma": 0.1},
    {"kernel": "rbf", "gamma": "auto"}, {"kernel": "poly"}, {"kernel": "poly", "degree": 2,
                                                             "coef0": 1.0},
    {"kernel": "poly", "degree": 4, "coef0": 1.0, "gamma": 0.01}, {"kernel": "poly", "degree": 0},
    {"kernel": "linear", "C": 0.01}, {"kernel": "sigmoid", "gamma": 0.01, "coef0": -0.5},
]


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: "-".join(map(str, s.values())))
@pytest.mark.parametrize("data", [("digits", None), ("digits", 3), ("iris", None),
                                  ("breast_cancer", None), ("wine", None)],
                         ids=lambda d: f"{d[0]}{d[1] or ''}")
@pytest.mark.parametrize("shape", ["ovr", "ovo"])
def test_values_and_votes_equal_libsvm(settings, data, shape):
    X, y = _data(*data)
    half = len(y) // 2
    clf = SVC(decision_function_shape=shape, **settings).fit(X[:half], y[:half])
    for part in (X[:half], X[half:], X[:1]):
        ours, theirs = decision_function(clf, part), clf.decision_function(part)
        assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
        assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-9)
        if shape == "ovo" and len(clf.classes_) > 2:  # every one-vs-one vote the same
            assert np.array_equal(ours < 0, theirs < 0)
        else:
            assert np.array_equal(np.sign(ours), np.sign(theirs))


def test_nusvc_and_many_chunks(monkeypatch):
    X, y = _data("digits")
    clf = NuSVC(nu=0.1).fit(X[:800], y[:800])
    monkeypatch.setattr(_svc_decision, "CHUNK_ELEMENTS", 5000)  # blocks of a few rows
    assert np.allclose(decision_function(clf, X[800:]), clf.decision_function(X[800:]),
                       rtol=1e-9, atol=1e-9)


def test_unsupported_inputs_go_to_scikit_learn_unchanged():
    X, y = _data("iris")
    dense = SVC().fit(X, y)
    sparse = SVC().fit(sp.csr_matrix(X), y)
    pre = SVC(kernel="precomputed").fit(X @ X.T, y)
    for clf, part in ((sparse, sp.csr_matrix(X[:20])), (sparse, X[:20]),
                      (pre, X[:20] @ X.T)):
        assert np.array_equal(decision_function(clf, part), clf.decision_function(part))
    for part in (X[:5, :2], sp.csr_matrix(X[:5])):  # scikit-learn's own errors
        with pytest.raises(ValueError) as theirs:
            dense.decision_function(part)
        with pytest.raises(ValueError) as ours:
            decision_function(dense, part)
        assert str(ours.value) == str(theirs.value)


def test_rows_near_a_tie_are_libsvm_own_values(monkeypatch):
    """Where a one-vs-one value is close enough to zero that rounding could flip its sign
    (the vote), the row comes from libsvm itself.  With the margin widened, every such
    row equals scikit-learn's bit for bit."""
    X, y = _data("wine")
    clf = SVC(kernel="rbf", C=1.0).fit(X[:90], y[:90])
    ovo = SVC(kernel="rbf", C=1.0, decision_function_shape="ovo").fit(X[:90], y[:90])
    raw = ovo.decision_function(X)
    kernel = _svc_decision._kernel(clf, X)
    bound = kernel.max(axis=1) * (np.abs(clf.dual_coef_).sum() + 1.0) \
        + np.abs(clf.intercept_).max()
    closeness = np.abs(raw).min(axis=1) / bound  # how near each row is to a tie
    margin = float(np.quantile(closeness, 0.3))  # widened so that 30 % of rows are near
    monkeypatch.setattr(_svc_decision, "RELATIVE_TIE", margin)
    near = closeness <= margin
    assert 0 < near.sum() < len(X)
    ours, theirs = decision_function(clf, X), clf.decision_function(X)
    assert np.array_equal(ours[near], theirs[near])
    assert not np.array_equal(ours[~near], theirs[~near])  # the others: matrix products
    assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-9)
