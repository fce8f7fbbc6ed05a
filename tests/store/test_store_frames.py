"""``Store.results()``: one DataFrame row per result with flattened times, scores, args."""

from __future__ import annotations

import pandas as pd
import pytest

from modelmap.errors import StoreError

BASE = ["id", "job", "dataset", "key", "title", "method", "status", "fold", "parent_key"]
TIMES = ["fit_time", "predict_train_time", "predict_test_time", "total_time"]
TAIL = ["error", "started_at", "finished_at"]


def test_empty_store_has_the_fixed_columns(store):
    frame = store.results()
    assert list(frame.columns) == BASE + TIMES + TAIL
    assert len(frame) == 0


@pytest.fixture
def filled(store, job_id, make_result, failed_result):
    store.add_result(job_id, make_result("s1", args={"C": 1.0, "kernel": "rbf"}))
    store.add_result(
        job_id,
        make_result(
            "n1",
            method="knn",
            title="knn 5",
            args={"n_neighbors": 5},
            scores={
                "train": {"accuracy": 0.95},
                "test": {"accuracy": 0.8},
                "test_std": {"accuracy": 0.02},
            },
            times={"fit": 0.5, "queue": 0.1},
        ),
    )
    store.add_result(job_id, failed_result("s2", args={"C": -1.0, "kernel": "rbf"}))
    store.add_result(job_id, make_result("s1f0", fold=0, parent_key="s1", args={"C": 1.0}))
    other = store.put_job("other", None, None, {}, "dk")
    store.add_result(other, make_result("o1", args={"C": 2.0}))
    return store


def test_columns_and_values(filled):
    frame = filled.results("iris-svm")
    assert (
        list(frame.columns)
        == BASE
        + TIMES
        + [
            "queue_time",
            "test_accuracy",
            "train_accuracy",
            "train_f1",
            "test_std_accuracy",
            "param_C",
            "param_kernel",
            "param_n_neighbors",
        ]
        + TAIL
    )
    assert list(frame["key"]) == ["s1", "n1", "s2"]
    assert list(frame["job"]) == ["iris-svm"] * 3
    assert list(frame["dataset"]) == ["iris"] * 3
    assert list(frame["status"]) == ["ok", "ok", "failed"]
    assert frame["test_accuracy"].tolist()[:2] == [0.9, 0.8]
    assert pd.isna(frame.loc[2, "test_accuracy"])
    assert frame["param_C"].tolist()[0] == 1.0 and pd.isna(frame.loc[1, "param_C"])
    assert frame.loc[1, "param_n_neighbors"] == 5
    assert frame.loc[0, "fit_time"] == 0.25 and frame.loc[1, "queue_time"] == 0.1
    assert frame.loc[2, "error"] == "ValueError: C must be positive"
    assert frame.loc[0, "finished_at"] == 1700000001.5
    assert str(frame["fold"].dtype) == "Int64"


def test_filters(filled):
    assert list(filled.results()["key"]) == ["s1", "n1", "s2", "o1"]
    assert list(filled.results(status="failed")["key"]) == ["s2"]
    assert list(filled.results(status=["ok"], method="svm")["key"]) == ["s1", "o1"]
    assert list(filled.results(method=("knn", "svm"), job="iris-svm")["key"]) == ["s1", "n1", "s2"]
    assert list(filled.results(dataset="iris")["key"]) == ["s1", "n1", "s2"]
    assert list(filled.results(dataset="wine")["key"]) == []
    folds = filled.results("iris-svm", include_folds=True)
    assert list(folds["key"]) == ["s1", "n1", "s2", "s1f0"]
    assert folds["fold"].tolist()[3] == 0 and folds.loc[3, "parent_key"] == "s1"
    assert folds.loc[0, "dataset"] == "iris"


def test_unknown_job_is_an_error(filled):
    with pytest.raises(StoreError) as info:
        filled.results("nope")
    assert str(info.value) == (
        f"{filled.url}: no job 'nope' in the store (known jobs: 'iris-svm', 'other')\n"
        "  hint: run the job first (modelmap run JOB_FILE) or check its title"
    )
