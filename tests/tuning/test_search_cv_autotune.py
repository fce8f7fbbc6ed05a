"""``StepSearchCV`` called the way AutoTune's README and example notebooks call it (an MLP in
place of the Keras model): 30 steps that do not end early, continuing a search, AutoTune's
arguments and results table, and the two bugs that ended searches (integers stepping to 0,
one failing step ending the search)."""

from __future__ import annotations

import ast
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.neural_network import MLPRegressor
from sklearn.tree import DecisionTreeClassifier

from modelmap.errors import ModelmapError
from modelmap.tuning import StepSearchCV
from modelmap.tuning._space import Param
from modelmap.tuning._steps import StepRules, step_value

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
RNG = np.random.default_rng(0)
X = RNG.normal(scale=1, size=(200, 5))  # the notebooks' toy data, smaller
y = X[:, 0] + X[:, 1] + X[:, 0] * X[:, 1]
EXAMPLE_START = {"learning_rate_init": 0.1, "batch_size": 64, "hidden_layer_sizes": (4, 1)}
KERAS_START = {"learning_rate_init": 0.1, "hidden_layer_sizes": [4, 1], "activation": "tanh",
               "batch_size": 50, "max_iter": 2}  # the Keras notebook's, epochs -> max_iter


def keras_notebook_search(**options) -> StepSearchCV:
    """The Keras notebook's constructor call, with MLPRegressor for the Keras model."""
    return StepSearchCV(
        estimator=MLPRegressor(random_state=0), parameters_start=dict(KERAS_START),
        param_options_str={"activation": ["tanh", "logistic", "relu", "identity"]},
        scoring="neg_mean_squared_error", max_fit_time=60, tradeoff_scr_per_sec=0.01 / 60,
        param_bounds={"max_iter": (1, 8), "batch_size": (8, 200)},  # keeps the test fast
        cv_folds=2, **options)


def test_positive_integers_never_step_to_zero() -> None:
    rng = np.random.default_rng(0)
    rules = StepRules()
    for current in (1, 2, 3):
        param = Param("max_iter", "int", current)
        new = {step_value(param, current, rng, rules) for _ in range(300)}
        assert min(new) >= 1 and current not in new, (current, sorted(new))
    layers = Param("hidden_layer_sizes", "list", [4, 1], element="int", max_length=9)
    stepped = [step_value(layers, [4, 1], rng, rules) for _ in range(300)]
    assert min(min(s) for s in stepped) >= 1 and [4, 1] not in stepped
    bounded = Param("min_samples_leaf", "int", 1, low=0, high=5)  # 0 declared allowed
    assert 0 in {step_value(bounded, 1, rng, rules) for _ in range(300)}


@pytest.mark.parametrize("random_state", [0, 1, 2])
def test_the_example_mlp_search_runs_all_30_steps(random_state: int) -> None:
    # before the fix these ended after a few steps: a layer of 0 units failed every fold
    search = StepSearchCV(MLPRegressor(max_iter=10, random_state=0), EXAMPLE_START, steps=30,
                          random_state=random_state, refit=False, cv_folds=2)
    search.fit(X, y)
    table = search.results
    assert len(table) == 31 and (table["status"] == "ok").all()
    assert all(min(p["hidden_layer_sizes"]) >= 1 and p["batch_size"] >= 1
               for p in table["params"])


def test_the_first_notebooks_call_with_its_veto_rule(tmp_path) -> None:
    path = tmp_path / "cv_results.csv"
    searcher = StepSearchCV(
        estimator=MLPRegressor(max_iter=10, random_state=0),
        parameters_start=dict(EXAMPLE_START), steps=30, cv_folds=2,
        step_veto_rule=lambda x, y: y <= 0 or ((x >= 0.95 * y) and (x <= 1.05 * y)),
        save_location=str(path))
    searcher.fit(X, y)
    saved = pd.read_csv(path)
    assert len(saved) == 31 == len(searcher.results)
    for before, after in zip(searcher.results["params_previous"][1:],
                             searcher.results["params"][1:]):
        for name in ("learning_rate_init", "batch_size"):
            if before[name] != after[name]:  # the rule vetoes changes of 5 % or less
                assert abs(after[name] - before[name]) > 0.05 * after[name] - 1e-12


def test_the_keras_notebook_fit_steps_and_continuing_twice(tmp_path) -> None:
    searcher = keras_notebook_search(save_location=str(tmp_path / "cv_results.csv"))
    searcher.fit(X, y, steps=20)
    first = searcher.results.copy()
    assert len(first) == 21  # the start, then 20 steps
    assert first["params"][0]["hidden_layer_sizes"] == [4, 1]  # a list stays a list
    searcher.fit(X, y, steps=5)  # "continue tuning process where we left off"
    searcher.fit(X, y, steps=5)
    table = searcher.results
    assert len(table) == 31 and table["iteration"].tolist() == list(range(1, 32))
    assert table["improved"][:21].tolist() == first["improved"].tolist()
    assert [str(p) for p in table["params"][:21]] == [str(p) for p in first["params"]]
    assert table["changes"][21:].str.contains(" from ").all()  # steps, no new start
    assert searcher.best_score_ >= first.loc[first["improved"], "mean_test_score"].iloc[-1]
    assert len(pd.read_csv(tmp_path / "cv_results.csv")) == 31
    # the notebook's visualize_optimization reads results as it read AutoTune's dict
    indices = [idx for idx, value in enumerate(searcher.results["improved"]) if value]
    assert (-1 * searcher.results["mean_test_score"][indices] > 0).all()
    assert len(searcher.results["mean_fit_time"][indices]) == len(indices) >= 1
    searcher.fit(X, y)  # the steps asked for are done: nothing more to do
    assert len(searcher.results) == 31


def test_warm_start_false_starts_over_and_the_same_random_state_repeats() -> None:
    search = StepSearchCV(Ridge(), {"alpha": 1.0}, steps=6, random_state=3, warm_start=False)
    first = search.fit(X, y).results["changes"].tolist()
    again = search.fit(X, y).results["changes"].tolist()
    assert len(first) == 7 and again == first
    continued = StepSearchCV(Ridge(), {"alpha": 1.0}, steps=6, random_state=3).fit(X, y)
    with pytest.warns(UserWarning, match="other data"):
        continued.fit(X[:150], y[:150], steps=2)  # other data: a new search
    assert len(continued.results) == 3


def test_a_step_whose_folds_all_fail_is_recorded_and_the_search_goes_on() -> None:
    class Recording(Ridge):
        def fit(self, X, y):
            self.rows_ = len(y)
            return super().fit(X, y)

    Xc, yc = X, (y > 0).astype(int)
    search = StepSearchCV(DecisionTreeClassifier(random_state=0),
                          {"max_features": 0.9, "max_depth": 3}, steps=20, random_state=0,
                          meta_learner=Recording(), uncertainty="none")
    with pytest.warns(UserWarning, match="every fold of step"):
        search.fit(Xc, yc)  # max_features > 1.0 is invalid: those steps fail
    table = search.results
    failed = table[table["status"] == "failed"]
    assert len(table) == 21 and len(failed) >= 1 and failed.index[0] < 20
    assert failed["error"].str.contains("max_features").all()
    assert failed["mean_test_score"].isna().all() and not failed["improved"].any()
    assert table["rank_test_score"][failed.index].min() > table["rank_test_score"].max() - \
        len(failed)  # failures rank last
    # the meta-learners learned from every row; the time model from the successes only
    assert search.meta_learner_score_.rows_ == len(table)
    assert search.meta_learner_time_.rows_ == len(table) - len(failed)
    zero = StepSearchCV(DecisionTreeClassifier(random_state=0),
                        {"max_features": 0.9, "max_depth": 3}, steps=20, random_state=0,
                        error_score=0.0).fit(Xc, yc)  # as GridSearchCV: failed folds score 0
    scored = zero.results[zero.results["error"].notna()]
    assert len(scored) >= 1 and (scored["mean_test_score"] == 0).all()
    with pytest.raises(ValueError, match="max_features"):
        StepSearchCV(DecisionTreeClassifier(), {"max_features": 2.0}, steps=1,
                     error_score="raise").fit(Xc, yc)


def test_export_improvements_only_writes_after_adopted_steps(tmp_path, monkeypatch) -> None:
    import modelmap.tuning._search_cv as module

    writes: list[int] = []
    real = module.save_table
    monkeypatch.setattr(module, "save_table",
                        lambda frame, paths: (writes.append(len(frame)), real(frame, paths)))
    search = StepSearchCV(Ridge(), {"alpha": 1e4}, steps=8, random_state=0,
                          save_location=str(tmp_path / "r.csv"))
    search.fit(X, y, export_improvements_only=True)
    improved = [i + 1 for i, flag in enumerate(search.results["improved"]) if flag]
    assert writes == improved + [9]  # after each adopted step, and once at the end
    writes.clear()
    search.fit(X, y, steps=2)  # export_improvements_only=False: after every step
    assert writes == [10, 11, 11]


def test_test_starting_parameters_false_continues_from_prior_results() -> None:
    first = StepSearchCV(Ridge(), {"alpha": 10.0}, steps=4, random_state=0).fit(X, y)
    more = StepSearchCV(Ridge(), steps=3, prior_results=first, random_state=1)
    more.fit(X, y, test_starting_parameters=False)
    assert len(more.results) == 5 + 3
    assert more.results["origin"][:5].eq("prior").all()
    assert more.results["improved"][:5].tolist() == first.results["improved"].tolist()
    with pytest.raises(ModelmapError, match="test_starting_parameters=False"):
        StepSearchCV(Ridge(), {"alpha": 1.0}).fit(X, y, test_starting_parameters=False)


def autotune_table() -> pd.DataFrame:
    """Rows as AutoTune's cv_results.csv has them (its columns; params as Python text)."""
    rows = [  # iteration 3 scored higher than the best but AutoTune did not adopt it
        (True, 1, 0.5, "(4, 1)", 0.1, 64, "Picked original parameters"),
        (False, 2, 0.4, "(4, 2)", 0.1, 64, "hidden_layer_sizes from (4, 1) to (4, 2)"),
        (True, 3, 0.6, "(4, 1)", 0.1, 73, "batch_size from 64 to 73"),
        (False, 4, 0.9, "(4, 1)", 0.2, 73, "learning_rate_init from 0.1 to 0.2"),
    ]
    table = []
    for improved, iteration, score, layers, rate, batch, changes in rows:
        params = {"batch_size": batch, "hidden_layer_sizes": ast.literal_eval(layers),
                  "learning_rate_init": rate}
        table.append({"improved": improved, "iteration": iteration, "mean_fit_time": 0.1,
                      "mean_score_time": 0.0, "mean_test_score": score,
                      "param_batch_size": batch, "param_hidden_layer_sizes": layers,
                      "param_learning_rate_init": rate, "params": str(params),
                      "rank_test_score": 1, "split0_test_score": score,
                      "split1_test_score": score, "std_fit_time": 0.01, "std_score_time": 0.0,
                      "std_test_score": 0.0, "changes": changes})
    return pd.DataFrame(table)


@pytest.mark.parametrize("form", ["csv", "frame", "dict", "object"])
def test_prior_results_from_autotunes_table_keep_their_improved_flags(form, tmp_path) -> None:
    table = autotune_table()
    prior: object = table
    if form == "csv":
        table.to_csv(tmp_path / "cv_results.csv", index=False)
        prior = str(tmp_path / "cv_results.csv")
    elif form == "dict":  # AutoTune's results: arrays, tuples and dicts in object arrays
        prior = {k: np.asarray(v) for k, v in table.to_dict("list").items()}
        for name, values in (("param_hidden_layer_sizes", [(4, 1), (4, 2), (4, 1), (4, 1)]),
                             ("params", [ast.literal_eval(p) for p in table["params"]])):
            prior[name] = np.ma.MaskedArray(np.empty(4, dtype=object), mask=False)
            prior[name][:] = values
    elif form == "object":  # an AutoTune StepSearchCV: its results dict
        prior = type("AutoTuneSearch", (), {"results": table.to_dict("list"),
                                            "parameters_best": {}})()
    searcher = StepSearchCV(MLPRegressor(max_iter=10), prior_results=prior, steps=3,
                            random_state=0, cv_folds=2)
    searcher.fit(X, y, test_starting_parameters=False)
    results = searcher.results
    assert len(results) == 4 + 3
    assert results["improved"][:4].tolist() == [True, False, True, False]
    assert results["split1_test_score"][:4].tolist() == [0.5, 0.4, 0.6, 0.9]
    expected = {"batch_size": 73, "hidden_layer_sizes": (4, 1), "learning_rate_init": 0.1}
    assert results["params"][2] == expected  # tuples read back as tuples
    assert results["params_previous"][4] == expected  # steps go on from the last adopted row


def test_results_attributes_and_columns_in_autotunes_form(tmp_path) -> None:
    paths = [str(tmp_path / "cv_results.csv"), str(tmp_path / "cv_results.xlsx")]
    searcher = StepSearchCV(MLPRegressor(max_iter=10), EXAMPLE_START, steps=6,
                            random_state=0, save_location=paths)
    assert searcher.results is None and searcher.best_model_mean_fit_time is None
    searcher.fit(X, y)
    results = searcher.results
    assert results is searcher.cv_results_ is searcher.results_df
    for column in ("std_fit_time", "mean_score_time", "std_score_time"):
        assert results[column].notna().all() and (results[column] >= 0).all(), column
    assert all(isinstance(p, dict) and isinstance(q, dict) and set(p) == set(q)
               and isinstance(q["hidden_layer_sizes"], tuple)
               for p, q in zip(results["params"], results["params_previous"]))
    best = results.loc[searcher.best_index_]
    assert searcher.best_mean_fit_time_ == best["mean_fit_time"] == \
        searcher.best_model_mean_fit_time
    assert searcher.parameters_best == searcher.best_params_ == best["params"]
    assert searcher.best_score == searcher.best_score_
    assert searcher.meta_learner_score_ is searcher.meta_learner_score
    assert hasattr(searcher.meta_learner_score_, "coef_")
    assert hasattr(searcher.meta_learner_time_, "coef_")
    excel = pd.read_excel(paths[1])
    assert len(excel) == len(pd.read_csv(paths[0])) == 7
    assert excel.loc[0, "params"] == str(results.loc[0, "params"])


def test_missing_parameters_start_is_a_clear_error() -> None:
    with pytest.raises(ModelmapError, match="parameters_start is missing"):
        StepSearchCV(MLPRegressor()).fit(X, y)
    with pytest.raises(ValueError, match="parameters_start"):  # also a ValueError
        StepSearchCV(MLPRegressor(), {}).fit(X, y)
    with pytest.raises(ModelmapError, match="expected a dict"):
        StepSearchCV(MLPRegressor(), [("alpha", 0.1)]).fit(X, y)


def test_random_state_none_is_not_reproducible_and_says_so_once() -> None:
    search = StepSearchCV(Ridge(), {"alpha": 1.0}, steps=3, random_state=None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, y)
        search.fit(X, y, steps=2)  # the same search continued: no second warning
    said = [w for w in caught if "random_state=None" in str(w.message)]
    assert len(said) == 1 and "cannot be repeated" in str(said[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the default (7) is reproducible: no warning
        StepSearchCV(Ridge(), {"alpha": 1.0}, steps=1).fit(X, y)


def test_autotunes_other_arguments(tmp_path) -> None:
    for name in ("anticipate_changes", "delete_prior", "reset_session"):
        with pytest.warns(UserWarning, match=name):
            StepSearchCV(Ridge(), {"alpha": 1.0}, steps=1, **{name: True}).fit(X, y)
    first = StepSearchCV(Ridge(), {"alpha": 1.0}, steps=3, random_state=0).fit(X, y)
    barred = StepSearchCV(Ridge(), steps=4, prior_results=first, prior_best_score=1e9,
                          random_state=0).fit(X, y)
    assert not barred.results["improved"][4:].any()  # no step beats the prior best score
    assert barred.best_params_ == first.best_params_
    down = StepSearchCV(Ridge(), {"alpha": 1.0}, steps=5, step_veto_rule=lambda x, y: y > x,
                        random_state=0).fit(X, y)
    assert all(q["alpha"] < p["alpha"] for p, q in
               zip(down.results["params_previous"][1:], down.results["params"][1:]))
    with pytest.raises(ModelmapError, match="step_veto_rule"):
        StepSearchCV(Ridge(), {"alpha": 1.0}, step_veto_rule=0.05).fit(X, y)
    with pytest.raises(ModelmapError, match="steps and more_steps"):
        first.fit(X, y, steps=1, more_steps=1)
    first.fit(X, y, more_steps=2)  # the first notebook's older name
    assert len(first.results) == 6


def test_ctrl_c_keeps_the_steps_so_far_and_fit_continues(tmp_path) -> None:
    class Interrupted(Ridge):
        calls = 0

        def fit(self, X, y):
            Interrupted.calls += 1
            if Interrupted.calls == 7:  # during the fourth config (two folds each)
                raise KeyboardInterrupt
            return super().fit(X, y)

    path = tmp_path / "cv_results.csv"
    search = StepSearchCV(Interrupted(), {"alpha": 1.0}, steps=6, random_state=0, cv_folds=2,
                          save_location=str(path))
    with pytest.raises(KeyboardInterrupt):
        search.fit(X, y)
    assert len(search.results) == 3 and len(pd.read_csv(path)) == 3
    assert not hasattr(search, "best_estimator_")
    search.fit(X, y)  # goes on with the steps still missing, then refits
    assert len(search.results) == 7 and hasattr(search, "best_estimator_")
