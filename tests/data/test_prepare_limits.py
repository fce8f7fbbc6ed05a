"""Data that cannot be trained on is refused when it is prepared, with a message, not a
traceback from scikit-learn or NumPy (too many folds, too many classes, one-hot labels)."""

from __future__ import annotations

import numpy as np
import pytest

from modelmap.data import prepare
from modelmap.errors import DataError
from modelmap.store import Store
from tests.conftest import modelmap, write_job
from tests.data.test_prepare import DATA, raw

pytestmark = pytest.mark.timeout(120)


def test_more_folds_than_samples_is_refused_at_prepare():
    with pytest.raises(DataError) as info:
        prepare(raw(), {**DATA, "test_size": 0, "cv": 1000}, dataset="d")
    assert str(info.value) == (
        "dataset plugin 'd': data.cv = 1000 folds need at least 1000 training samples; the "
        "dataset has 150\n  hint: use at most 150 folds (5 or 10 are usual)")


def test_as_many_folds_as_samples_is_leave_one_out():
    b = prepare(raw(), {**DATA, "test_size": 0, "cv": 150}, dataset="d")
    assert sorted(np.bincount(b.folds)) == [1] * 150


def test_a_hundred_thousand_classes_are_refused_before_any_allocation():
    n = 100_000
    y = np.arange(150) * 600
    with pytest.raises(DataError) as info:
        prepare(raw(y=y, names=[str(i) for i in range(n)]), DATA, dataset="d")
    assert str(info.value) == (
        "dataset plugin 'd': class_names lists 100,000 classes; modelmap handles at most "
        "10,000 (each config's confusion matrix alone would need 74.5 GiB)\n  hint: group rare "
        "classes, or check that y holds class indices and not values such as ids or targets "
        "of a regression")


def test_one_hot_labels_without_multi_label_are_refused_at_prepare():
    y = np.eye(3, dtype=int)[load_iris_target()]
    with pytest.raises(DataError) as info:
        prepare(raw(y=y), DATA, dataset="d")
    assert str(info.value) == (
        "dataset plugin 'd': y_train must have the shape (num_samples,); got (150, 3)\n  hint: "
        "pass class indices, not a one-hot matrix (multi-label data sets specs "
        "{'multi_label': True})")
    assert prepare(raw(y=y, specs={"multi_label": True}), DATA, dataset="d").multilabel


def load_iris_target() -> np.ndarray:
    from sklearn.datasets import load_iris

    return load_iris().target


ONE_HOT = '''
import numpy as np
from sklearn.datasets import load_iris


def get_info():
    return {'name': 'one_hot', 'description': 'iris with one-hot labels'}


def get_data(datasets_path):
    d = load_iris()
    return {'X_train': d.data, 'y_train': np.eye(3, dtype=int)[d.target],
            'X_test': np.array([]), 'y_test': np.array([]), 'class_names': ['a', 'b', 'c']}
'''


def test_run_says_at_load_time_that_2d_labels_need_multi_label(ws):
    folder = ws / "plugins" / "datasets" / "one_hot"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(ONE_HOT, encoding="utf-8")
    write_job(ws, "oh", {"data": {"title": "OH", "dataset": "one_hot"},
                         "classifiers": [{"title": "knn", "method": "kneighbors"},
                                         {"title": "naive", "method": "naive"}]})
    proc = modelmap("run", "oh", "-j", "1", cwd=ws, check=1)
    text = " ".join(proc.stderr.split())
    assert "error in job OH: dataset plugin 'one_hot': y_train must have the shape " \
        "(num_samples,); got (150, 3)" in text
    with Store(ws / "modelmap.db") as store:  # no config ran, each to fail on its own
        assert store.jobs() == []


def test_run_with_cv_1000_on_150_samples_prints_the_message(ws):
    write_job(ws, "cv", {"data": {"title": "CV", "dataset": "sklearn_iris", "cv": 1000},
                         "classifiers": [{"title": "naive", "method": "naive"}]})
    proc = modelmap("run", "cv", "-j", "1", cwd=ws, check=1)
    assert "data.cv = 1000 folds need at least 1000 training samples; the dataset has 150" \
        in " ".join(proc.stderr.split())
    assert "Traceback" not in proc.stderr


# Written the way the seed system's own multi-label dataset is: a dense 0/1 incidence matrix
# from make_multilabel_classification, integer class names, and no specs at all.
SEED_MULTI_LABEL = '''
import numpy as np
from sklearn.datasets import make_multilabel_classification

NUM_CLASSES = 4


def get_info():
    return {'name': 'seed_multi_label', 'description': 'Multi-label (seed style)',
            'class_names': [x for x in range(NUM_CLASSES)]}


def get_data(datasets_path):
    X, y = make_multilabel_classification(n_samples=120, n_features=6, n_classes=NUM_CLASSES,
                                          n_labels=2, allow_unlabeled=True,
                                          return_indicator='dense', random_state=42)
    return {'X_train': np.array(X), 'y_train': np.array(y), 'X_test': np.array([]),
            'y_test': np.array([]), 'class_names': [x for x in range(NUM_CLASSES)]}
'''


def test_an_incidence_matrix_without_specs_is_multi_label_as_in_the_seed():
    from sklearn.datasets import make_multilabel_classification

    X, y = make_multilabel_classification(n_samples=150, n_classes=3, random_state=0)
    b = prepare(raw(X=X, y=y, names=["a", "b", "c"]), DATA, dataset="d")
    assert b.multilabel and b.y_train.shape[1] == 3


def test_the_seeds_multi_label_dataset_runs_unchanged(ws):
    folder = ws / "plugins" / "datasets" / "seed_multi_label"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(SEED_MULTI_LABEL, encoding="utf-8")
    write_job(ws, "ml", {"data": {"title": "ML", "dataset": "seed_multi_label",
                                  "test_size": 0.25},
                         "classifiers": [{"title": "RF", "method": "random_forest_multi_label",
                                          "n_estimators": 10}]})
    modelmap("run", "ml", "-j", "1", cwd=ws, check=0)
    with Store(ws / "modelmap.db") as store:
        df = store.results(job="ML")
    assert list(df["status"]) == ["ok"]
