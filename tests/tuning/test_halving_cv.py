"""``HalvingSearchCV``: the schedule of successive halving, nested subsamples, a parameter
resource, agreement with HalvingRandomSearchCV's common arguments and scikit-learn's checks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.stats import loguniform
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import Ridge
from sklearn.model_selection import HalvingRandomSearchCV
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from modelmap.tuning import HalvingSearchCV

pytestmark = pytest.mark.filterwarnings("ignore")
X, y = load_digits(return_X_y=True)
SPACE = {"C": loguniform(1e-2, 1e2), "gamma": loguniform(1e-4, 1e-1)}


def test_iterations_keep_a_third_with_three_times_the_samples() -> None:
    search = HalvingSearchCV(SVC(), SPACE, n_candidates=27, factor=3, min_resources=60,
                             cv=3, random_state=0).fit(X, y)
    assert search.n_candidates_ == [27, 9, 3, 1][:search.n_iterations_]
    assert search.n_resources_ == [60, 180, 540, 1620][:search.n_iterations_]
    assert search.n_iterations_ == 4 and search.n_remaining_candidates_ == 1
    results = search.cv_results_
    assert list(np.bincount(results["iter"])) == [27, 9, 3, 1]
    last = results["iter"] == 3
    assert search.best_index_ == int(np.flatnonzero(last)[0])
    assert search.best_score_ == results["mean_test_score"][search.best_index_]
    assert search.best_score_ > 0.95 and search.score(X, y) > 0.95
    # the survivors of an iteration are its best third (ties: either)
    for i in range(3):
        here = np.flatnonzero(results["iter"] == i)
        kept = {str(results["params"][j]) for j in np.flatnonzero(results["iter"] == i + 1)}
        score = results["mean_test_score"]
        survivors = [j for j in here if str(results["params"][j]) in kept]
        dropped = [j for j in here if str(results["params"][j]) not in kept]
        assert len(survivors) == search.n_candidates_[i + 1]
        assert min(score[survivors]) >= max(score[dropped])


def test_same_schedule_as_halving_random_search_cv() -> None:
    common = dict(n_candidates=20, factor=3, cv=3, random_state=0, min_resources="smallest")
    ours = HalvingSearchCV(SVC(), SPACE, **common).fit(X, y)
    theirs = HalvingRandomSearchCV(SVC(), SPACE, **common).fit(X, y)
    assert ours.n_resources_ == theirs.n_resources_
    assert ours.n_candidates_ == theirs.n_candidates_
    assert ours.min_resources_ == theirs.min_resources_
    assert ours.max_resources_ == theirs.max_resources_
    assert ours.best_score_ >= theirs.best_score_ - 0.02


def test_a_parameter_resource() -> None:
    search = HalvingSearchCV(RandomForestClassifier(random_state=0),
                             {"max_depth": [2, 4, 8, None], "max_features": [0.2, 0.5, 1.0]},
                             resource="n_estimators", max_resources=27, min_resources=3,
                             n_candidates=9, cv=3, random_state=0).fit(X, y)
    assert search.n_resources_ == [3, 9, 27]
    assert search.best_params_["n_estimators"] == 27
    assert search.best_estimator_.n_estimators == 27


def test_bad_arguments_say_what_to_fix() -> None:
    with pytest.raises(ValueError, match="needs max_resources"):
        HalvingSearchCV(SVC(), SPACE, resource="n_estimators").fit(X, y)
    with pytest.raises(ValueError, match="is not a parameter of SVC"):
        HalvingSearchCV(SVC(), SPACE, resource="n_estimators", max_resources=9).fit(X, y)
    with pytest.raises(ValueError, match="factor must be a number > 1"):
        HalvingSearchCV(SVC(), SPACE, factor=1).fit(X, y)


@parametrize_with_checks(
    [HalvingSearchCV(DecisionTreeClassifier(random_state=0), {"max_depth": [2, 3]}, cv=2,
                     random_state=0),
     HalvingSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, cv=2, random_state=0)],
    expected_failed_checks=lambda estimator: {
        "check_supervised_y_2d": "as for GridSearchCV: DataConversionWarning not caught"},
)
def test_scikit_learn_estimator_checks(estimator, check) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


def test_the_refit_overlapping_the_last_iteration_is_the_plain_refit() -> None:
    common = dict(n_candidates=9, factor=3, cv=3, random_state=0, min_resources=180)
    parallel = HalvingSearchCV(SVC(), SPACE, n_jobs=2, **common)
    parallel.fit(X, y)
    plain = HalvingSearchCV(SVC(), SPACE, n_jobs=1, **common).fit(X, y)
    assert parallel.refit is True  # restored after the search
    assert parallel.n_candidates_[-1] == 1
    assert parallel.best_params_ == plain.best_params_
    assert parallel.best_score_ == plain.best_score_
    assert (parallel.predict(X) == plain.predict(X)).all()
    assert parallel.refit_time_ > 0 and parallel.best_estimator_ is not plain.best_estimator_


def test_candidates_are_dispatched_slowest_first() -> None:
    from modelmap.tuning._overlap import slowest_first

    assert slowest_first([0.1, 3.0, 0.5, 3.0]) == [1, 3, 2, 0]
    assert slowest_first([0.0, 0.0]) == [0, 1]


def test_multi_metric_scoring_with_refit_true_is_refused_as_by_scikit_learn() -> None:
    search = HalvingSearchCV(SVC(), SPACE, n_candidates=3, cv=3, random_state=0, n_jobs=2,
                             scoring=["accuracy", "balanced_accuracy"])
    with pytest.raises(ValueError, match="refit"):
        search.fit(X, y)
    assert search.refit is True
