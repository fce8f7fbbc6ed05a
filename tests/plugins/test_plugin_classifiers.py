"""Every built-in classifier plugin fits, predicts and gives probabilities of the right shape."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split

from modelmap.errors import ArgumentError, ArgumentWarning
from modelmap.plugins import Registry, validate_info

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

MULTI_LABEL = ("optimal_multi_label", "random_forest_multi_label", "svm_multi_label")
REGISTRY = Registry.discover(entry_points=False)
SINGLE_LABEL = [n for n in REGISTRY.classifier_names() if n not in MULTI_LABEL]


def specs(num_classes: int) -> dict:
    return {"job_title": "Test", "dataset_name": "test", "num_classes": num_classes}


@pytest.fixture(scope="module")
def iris() -> tuple[np.ndarray, ...]:
    X, y = load_iris(return_X_y=True)
    return tuple(train_test_split(X, y, test_size=30, stratify=y, random_state=0))


@pytest.fixture(scope="module")
def multi_label() -> tuple[np.ndarray, ...]:
    data = REGISTRY.dataset("multi_label_test").module.get_data("")
    return tuple(train_test_split(data["X_train"], data["y_train"], test_size=60, random_state=0))


def make(name: str, num_classes: int = 3, **args: object):
    return REGISTRY.classifier(name).module.get_clf({"title": name, "method": name, **args},
                                                   specs(num_classes))


def test_builtin_infos_are_valid() -> None:
    for plugin in REGISTRY.classifiers.values():
        assert validate_info(plugin.info) == [], plugin.name
        assert plugin.module.get_info() is plugin.module.CLF_INFO


@pytest.mark.parametrize("name", SINGLE_LABEL)
def test_single_label_classifier_on_iris(name: str, iris: tuple[np.ndarray, ...]) -> None:
    X_train, X_test, y_train, y_test = iris
    clf = make(name)
    assert clf.get_info()["name"] == name
    clf.fit(X_train, y_train)
    pred = clf.predict(X_test, y_test)
    proba = clf.predict_proba(X_test, y_test)
    assert pred.shape == (30,)
    assert set(np.unique(pred)) <= {0, 1, 2}
    assert proba.shape == (30, 3)
    assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1.0)
    if name != "naive":
        assert np.mean(pred == y_test) > 0.8, name
    again = make(name).fit(X_train, y_train) if name not in ("optimal", "naive") else None
    if again is not None:
        assert np.array_equal(again.predict_proba(X_test), proba), "not seeded: " + name


@pytest.mark.parametrize("name", MULTI_LABEL)
def test_multi_label_classifier(name: str, multi_label: tuple[np.ndarray, ...]) -> None:
    X_train, X_test, y_train, y_test = multi_label
    clf = make(name, num_classes=5)
    clf.fit(X_train, y_train)
    pred = clf.predict(X_test, y_test)
    proba = clf.predict_proba(X_test, y_test)
    assert pred.shape == proba.shape == (60, 5)
    assert set(np.unique(pred)) <= {0, 1}
    assert proba.min() >= 0 and proba.max() <= 1
    majority = (y_train.mean(axis=0) > 0.5).astype(int)  # label-wise accuracy 0.587
    assert np.mean(pred == y_test) > np.mean(majority == y_test) + 0.05


def test_optimal_is_perfect_and_naive_predicts_the_majority() -> None:
    X = np.zeros((6, 2))
    y_train, y_test = np.array([0, 2, 2, 1, 2, 0]), np.array([1, 0, 2, 3])
    optimal = make("optimal", num_classes=4)
    optimal.fit(X, y_train)
    assert optimal.predict(X[:4], y_test).tolist() == [1, 0, 2, 3]
    assert optimal.predict_proba(X[:4], y_test).tolist() == np.eye(4)[[1, 0, 2, 3]].tolist()
    naive = make("naive", num_classes=4)
    naive.fit(X, y_train)
    assert naive.predict(X[:4], y_test).tolist() == [2, 2, 2, 2]
    assert naive.predict_proba(X[:2], None).tolist() == [[2 / 6, 1 / 6, 3 / 6, 0.0]] * 2


def test_mlpc_history_has_one_value_per_epoch(iris: tuple[np.ndarray, ...]) -> None:
    X_train, _, y_train, _ = iris
    clf = make("mlpc", max_iter=15, hidden_layer_sizes=[8])
    clf.fit(X_train, y_train)
    history = clf.get_history()
    assert sorted(history) == ["loss", "val_accuracy"]
    assert len(history["loss"]) == len(history["val_accuracy"]) == 15
    assert all(0 <= v <= 1 for v in history["val_accuracy"])
    early = make("mlpc", max_iter=500, early_stopping=True, learning_rate_init=0.05)
    early.fit(X_train, y_train)
    lengths = {len(v) for v in early.get_history().values()}
    assert len(lengths) == 1 and lengths.pop() < 500


def test_mlpc_on_data_too_small_to_validate_has_only_a_loss_history() -> None:
    X, y = np.arange(8.0).reshape(4, 2), np.array([0, 1, 1, 2])
    clf = make("mlpc", max_iter=5)
    clf.fit(X, y)
    history = clf.get_history()
    assert list(history) == ["loss"] and len(history["loss"]) == 5


def test_svm_gamma_accepts_scale_auto_or_a_positive_float() -> None:
    assert make("svm", gamma="auto").clf.estimator.gamma == "auto"
    assert make("svm", gamma=2).clf.estimator.gamma == 2.0
    with pytest.warns(ArgumentWarning) as caught:
        clf = make("svm", gamma=-1)
    assert clf.clf.estimator.gamma == "scale"
    assert [str(w.message) for w in caught] == [
        "The 'gamma' parameter of svm must be 'scale', 'auto' or a float > 0; got -1. "
        "Using the default 'scale'."
    ]


def test_sklearn_plugin_builds_any_estimator(iris: tuple[np.ndarray, ...]) -> None:
    X_train, X_test, y_train, y_test = iris
    assert REGISTRY.classifier("sklearn").parameters() is None
    ridge = make("sklearn", estimator="sklearn.linear_model.RidgeClassifier", alpha=0.5,
                 random_state=3)
    assert ridge.clf.get_params()["alpha"] == 0.5
    ridge.fit(X_train, y_train)
    assert ridge.predict(X_test, y_test).shape == (30,)
    assert ridge.decision_function(X_test, y_test).shape == (30, 3)
    assert not hasattr(ridge, "predict_proba")
    with pytest.raises(AttributeError, match="RidgeClassifier has no predict_proba"):
        ridge.predict_proba(X_test, y_test)
    nb = make("sklearn", estimator="sklearn.naive_bayes.GaussianNB", random_state=1)
    nb.fit(X_train, y_train)
    assert nb.predict_proba(X_test, y_test).shape == (30, 3)
    default = make("sklearn")
    assert type(default.clf).__name__ == "LogisticRegression"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"estimator": "sklearn.naive_bayes.GaussianNB", "alpha": 1, "beta": 2},
         "parameters: The estimator sklearn.naive_bayes.GaussianNB has no parameter 'alpha', "
         "'beta'.\n  hint: valid parameters of GaussianNB: priors, var_smoothing."),
        ({"estimator": "sklearn.no_such_module.Model"},
         "estimator: Cannot import the estimator 'sklearn.no_such_module.Model': No module named "
         "'sklearn.no_such_module'.\n  hint: give the dotted path of an estimator class, e.g. "
         "\"sklearn.linear_model.RidgeClassifier\"."),
        ({"estimator": "sklearn.linear_model.Nope"},
         "estimator: The module 'sklearn.linear_model' has no 'Nope'.\n  hint: give the dotted "
         "path of an estimator class, e.g. \"sklearn.linear_model.RidgeClassifier\"."),
        ({"estimator": "sklearn.utils.Bunch"},
         "estimator: 'sklearn.utils.Bunch' is not a scikit-learn estimator class with fit and "
         "predict.\n  hint: give the dotted path of an estimator class, e.g. "
         "\"sklearn.linear_model.RidgeClassifier\"."),
        ({"estimator": "os.abort"},
         "estimator: The estimator 'os.abort' is not in scikit-learn: only modules of "
         "scikit-learn (sklearn.…) are imported for a name in a job file.\n  hint: give the "
         "dotted path of an estimator class, e.g. \"sklearn.linear_model.RidgeClassifier\". "
         "Wrap an estimator of another library in a classifier plugin."),
        ({"estimator": "GaussianNB"},
         "estimator: The estimator 'GaussianNB' is not a dotted import path.\n  hint: give the "
         "dotted path of an estimator class, e.g. \"sklearn.linear_model.RidgeClassifier\"."),
    ],
)
def test_sklearn_plugin_errors(args: dict, message: str) -> None:
    with pytest.raises(ArgumentError) as info:
        make("sklearn", **args)
    assert str(info.value) == message


def test_invalid_parameters_fall_back_to_defaults_with_a_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf = make("randomforest", n_estimators="many", max_depth=3)
    assert (clf.clf.n_estimators, clf.clf.max_depth, clf.clf.random_state) == (100, 3, 0)
    assert [str(w.message) for w in caught] == [
        "The 'n_estimators' parameter of randomforest must be an integer in [1, 1000]; "
        "got 'many'. Using the default 100."
    ]


@pytest.mark.parametrize("path,params", [
    ("sklearn.neighbors.KNeighborsClassifier", {"n_neighbors": 4}),
    ("sklearn.ensemble.RandomForestClassifier", {"n_estimators": 15, "random_state": 0}),
    ("sklearn.linear_model.LogisticRegression", {"max_iter": 300}),
    ("sklearn.neural_network.MLPClassifier", {"max_iter": 50, "random_state": 0}),
])
def test_sklearn_plugin_predictions_from_probabilities_equal_predict(path, params):
    """The sklearn plugin derives predictions from one predict_proba call for estimators
    whose predict is argmax(predict_proba); they must equal the estimator's own predict."""
    from sklearn.datasets import load_digits

    from modelmap.plugins import load_plugin

    X, y = load_digits(return_X_y=True)
    module = load_plugin("classifier", "sklearn").module
    clf = module.get_clf({"title": "t", "method": "sklearn", "estimator": path, **params},
                         {"num_classes": 10})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X[:1200], y[:1200])
        pred = clf.predict(X[1200:], y[1200:])
        proba = clf.predict_proba(X[1200:], y[1200:])
        assert np.array_equal(pred, clf.clf.predict(X[1200:]))
    assert np.array_equal(proba, clf.clf.predict_proba(X[1200:]))


@pytest.mark.parametrize("name,args", [
    ("decisiontree", {"max_depth": 4}), ("randomforest", {"n_estimators": 10}),
    ("kneighbors", {"n_neighbors": 4}), ("gaussiannb", {}),
    ("logistic_regression", {}), ("mlpc", {"max_iter": 30}),
    ("hist_gradient_boosting", {"max_iter": 10}),
])
def test_builtin_predictions_from_probabilities_equal_predict(name, args):
    """Built-ins whose estimator predicts the most probable class call predict_proba once
    for both; predictions and probabilities must be the estimator's own."""
    from sklearn.datasets import load_digits

    from modelmap.plugins import load_plugin

    X, y = load_digits(return_X_y=True)
    module = load_plugin("classifier", name).module
    clf = module.get_clf({"title": "t", "method": name, **args}, {"num_classes": 10})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X[:1200], y[:1200])
        test = X[1200:]
        pred = clf.predict(test, y[1200:])
        proba = clf.predict_proba(test, y[1200:])
        assert np.array_equal(pred, clf.clf.predict(test))
        assert np.array_equal(proba, clf.clf.predict_proba(test))
        other = X[:50]  # another X: fresh probabilities, not the kept ones
        assert np.array_equal(clf.predict_proba(other, y[:50]), clf.clf.predict_proba(other))


@pytest.mark.parametrize("params", [
    {"C": 1.0}, {"C": 0.001}, {"C": 100, "gamma": 0.01}, {"kernel": "poly", "degree": 2},
    {"kernel": "linear", "C": 0.01},
])
@pytest.mark.parametrize("n_classes", [2, 3, 10])
def test_sklearn_plugin_svc_predictions_from_its_decision_function_equal_predict(params,
                                                                                  n_classes,
                                                                                  monkeypatch):
    """For SVC the plugin takes predictions from the decision function (one kernel
    evaluation for both); they must be libsvm's own one-vs-one votes, ties included."""
    from sklearn.datasets import load_digits

    from modelmap.plugins import load_plugin

    X, y = load_digits(return_X_y=True)
    keep = y < n_classes
    X, y = X[keep] / 16.0, y[keep]
    module = load_plugin("classifier", "sklearn").module
    clf = module.get_clf({"title": "t", "method": "sklearn", "estimator": "sklearn.svm.SVC",
                          **params}, {"num_classes": n_classes})
    half = len(y) // 2
    clf.fit(X[:half], y[:half])
    calls = []
    fast = module.svc_decision_function
    monkeypatch.setattr(module, "svc_decision_function",
                        lambda svc, part: calls.append(len(part)) or fast(svc, part))
    svc_decision, svc_predict = clf.clf.decision_function, clf.clf.predict
    clf.clf.predict = lambda part: calls.append("predict") or svc_predict(part)
    for part in (X[:half], X[half:]):
        calls.clear()
        pred = clf.predict(part, None)
        values = clf.decision_function(part, None)
        # one kernel evaluation for both (whatever the scikit-learn version calls the
        # default of SVC's 'probability': False, or 'deprecated' from 1.9 on)
        assert calls == [len(part)]
        assert np.array_equal(pred, svc_predict(part))
        assert np.allclose(values, svc_decision(part), rtol=1e-9, atol=1e-9)
