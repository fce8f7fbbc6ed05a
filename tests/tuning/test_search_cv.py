"""``StepSearchCV``: the seed's constructor, a pipeline, the fitted attributes, and
scikit-learn's own estimator checks."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from modelmap.tuning import StepSearchCV

pytestmark = pytest.mark.filterwarnings("ignore")
X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
START = {"logisticregression__C": 0.001, "logisticregression__fit_intercept": True,
         "logisticregression__solver": "lbfgs"}


def search(**options) -> StepSearchCV:
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    options = {"steps": 8, "random_state": 0, **options}
    return StepSearchCV(pipe, START, param_options_str={
        "logisticregression__solver": ["lbfgs", "liblinear"]}, **options)


def test_step_search_on_a_pipeline() -> None:
    s = search().fit(X_train, y_train)
    table = s.cv_results_
    assert isinstance(table, pd.DataFrame) and len(table) == 9  # the start and 8 steps
    for column in ("iteration", "improved", "score_improved_by",
                   "score_improvement_anticipated", "time_improved_by", "changes",
                   "params_previous", "params", "mean_test_score", "std_test_score",
                   "mean_fit_time", "rank_test_score", "split0_test_score",
                   "split2_test_score", "param_logisticregression__C"):
        assert column in table, column
    assert table.loc[0, "changes"] == "initial values" and table.loc[0, "improved"]
    # every later step changes one parameter of the best config so far
    assert all(c.count(" from ") == 1 for c in table["changes"][1:])
    assert s.best_score_ == table.loc[s.best_index_, "mean_test_score"]
    assert s.best_score_ > table.loc[0, "mean_test_score"]  # C = 0.001 is far too small
    assert s.best_params_ == table.loc[s.best_index_, "params"]
    assert set(s.best_params_) == set(START)
    assert s.best_estimator_.get_params()["logisticregression__C"] == \
        s.best_params_["logisticregression__C"]
    assert s.score(X_test, y_test) > 0.9
    assert s.predict_proba(X_test).shape == (len(X_test), 2)
    assert (s.classes_ == [0, 1]).all() and s.n_features_in_ == X.shape[1]


def test_same_random_state_same_steps_and_prior_results_continue() -> None:
    first, second = search().fit(X_train, y_train), search().fit(X_train, y_train)
    assert first.cv_results_["changes"].tolist() == second.cv_results_["changes"].tolist()
    more = search(steps=3, prior_results=first).fit(X_train, y_train)
    assert len(more.cv_results_) == 9 + 3
    assert more.best_score_ >= first.best_score_
    from_table = search(steps=2, prior_results=first.cv_results_).fit(X_train, y_train)
    assert len(from_table.cv_results_) == 9 + 2


def test_lists_grow_tuples_stay_tuples_and_save_location(tmp_path) -> None:
    mlp = MLPClassifier(max_iter=30, random_state=0)
    path = tmp_path / "cv_results.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = StepSearchCV(mlp, {"hidden_layer_sizes": (4,), "alpha": 0.001}, steps=6,
                         random_state=1, save_location=str(path), refit=False)
        s.fit(X_train[:200], y_train[:200])
    sizes = [tuple(json_list) for json_list in s.cv_results_["params"].map(
        lambda p: p["hidden_layer_sizes"])]
    assert all(isinstance(p["hidden_layer_sizes"], tuple) for p in s.cv_results_["params"])
    assert any(len(size) == 2 for size in sizes)  # a layer was added at some step
    assert len(pd.read_csv(path)) == 7
    with pytest.raises(AttributeError, match="refit=False"):
        s.predict(X_test)


def test_time_trade_off_and_max_fit_time() -> None:
    s = search(tradeoff_scr_per_sec=1e6, steps=6).fit(X_train, y_train)
    adopted = s.cv_results_[s.cv_results_["improved"]]
    assert (adopted["mean_fit_time"].diff().dropna() < 0).all()  # only faster fits adopted
    s = search(max_fit_time=1e-9, steps=2).fit(X_train, y_train)
    assert s.cv_results_["improved"].tolist() == [True, False, False]  # the start, then none


def test_stall_handling_changes_more_parameters_after_unadopted_steps() -> None:
    plain = search(stall_steps=0).fit(X_train, y_train)
    assert all(c.count(" from ") == 1 for c in plain.cv_results_["changes"][1:])
    stalled = search(stall_steps=1, stall_growth=2.0).fit(X_train, y_train)
    assert stalled.get_params()["stall_steps"] == 1
    assert any(c.count(" from ") >= 2 for c in stalled.cv_results_["changes"][1:])


def test_all_failing_candidates_raise_the_estimators_own_error() -> None:
    bad = np.array(X_train, dtype=object)
    bad[0, 0] = "not a number"
    with pytest.raises(ValueError, match="could not convert"):
        StepSearchCV(LogisticRegression(), {"C": 1.0}, steps=1).fit(bad, y_train)


@parametrize_with_checks(
    [StepSearchCV(DecisionTreeClassifier(random_state=0), {"max_depth": 3}, steps=2,
                  cv_folds=2),
     StepSearchCV(Ridge(), {"alpha": 1.0}, steps=2, cv_folds=2)],
)
def test_scikit_learn_estimator_checks(estimator, check) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


def test_random_starts_draw_inside_param_bounds_and_keep_parameters_without_bounds() -> None:
    start = {**START, "logisticregression__tol": 1e-4}
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    s = StepSearchCV(pipe, start, param_options_str={
        "logisticregression__solver": ["lbfgs", "liblinear"]}, steps=6, random_state=0,
        random_starts=3, param_bounds={"logisticregression__C": (0.01, 10.0)}
    ).fit(X_train, y_train)
    table = s.cv_results_
    assert table["origin"].tolist()[:4] == ["initial"] + ["random start"] * 3
    starts = table.iloc[1:4]
    assert starts["param_logisticregression__C"].between(0.01, 10.0).all()
    assert (starts["param_logisticregression__tol"] == 1e-4).all()  # no range: kept
    assert len(set(starts["param_logisticregression__C"])) == 3
    assert search().get_params()["random_starts"] == 0  # the seed's class: from the start
