"""Datasets, jobs, job arrays, projections and the classifier-map cache."""

from __future__ import annotations

import math

import numpy as np
import pytest

from modelmap.errors import StoreError


def test_dataset_upsert_by_name_and_fingerprint(store):
    first = store.put_dataset("iris", "fp1", {"test_size": 0.3}, {"n": 150})
    assert store.put_dataset("iris", "fp1", {"test_size": 0.3}, {"n": 151}) == first
    second = store.put_dataset("iris", "fp2", {"test_size": 0.5}, {"n": 150})
    assert second != first
    rows = store.datasets()
    assert [(d["id"], d["name"], d["fingerprint"], d["summary"]) for d in rows] == [
        (first, "iris", "fp1", {"n": 151}),
        (second, "iris", "fp2", {"n": 150}),
    ]
    assert rows[0]["args"] == {"test_size": 0.3} and rows[0]["n_jobs"] == 0


def test_job_upsert_keeps_results_when_data_changes(store, job_id, make_result):
    store.add_result(job_id, make_result("k1"))
    assert store.put_job("iris-svm", None, "new.json", {"v": 2}, "dk2") == job_id
    job = store.job("iris-svm")
    assert (job["file"], job["config"], job["data_key"], job["dataset"]) == (
        "new.json",
        {"v": 2},
        "dk2",
        None,
    )
    assert job["updated_at"] >= job["created_at"]
    assert store.done_keys(job_id) == {"k1"}


def test_job_row_counts_and_lookups(store, job_id, make_result, failed_result):
    store.add_result(job_id, make_result("a"))
    store.add_result(job_id, make_result("b"))
    store.add_result(job_id, failed_result("c"))
    job = store.job(job_id)
    assert job["id"] == job_id and job["title"] == "iris-svm" and job["dataset"] == "iris"
    assert job["counts"] == {"failed": 1, "ok": 2} and job["n_results"] == 3
    assert job["config"] == {"classifiers": []} and job["file"] == "jobs/iris.json"
    assert store.job(str(job_id))["title"] == "iris-svm"  # digits that are no title
    assert store.job("nope") is None and store.job(job_id + 5) is None
    assert [j["title"] for j in store.jobs()] == ["iris-svm"]
    assert store.datasets()[0]["n_jobs"] == 1


def test_job_with_unknown_dataset(store):
    with pytest.raises(StoreError) as info:
        store.put_job("j", 77, None, {}, "dk")
    assert str(info.value) == (
        f"{store.url}: job 'j' refers to dataset id 77, which is not in the store\n"
        "  hint: store the dataset first with put_dataset() and use the id it returns"
    )


def test_job_arrays_are_replaced_or_kept(store):
    labels = {"y_test": np.array(["a", "b"]), "classes": np.array(["a", "b", "c"])}
    job = store.put_job("j", None, None, {}, "dk", labels)
    assert store.job("j")["array_names"] == ["classes", "y_test"]
    store.put_job("j", None, None, {}, "dk")  # arrays=None keeps them
    np.testing.assert_array_equal(store.arrays(f"job:{job}")["classes"], ["a", "b", "c"])
    store.put_job("j", None, None, {}, "dk2", {"y_test": np.array([True, False])})
    got = store.arrays(f"job:{job}")
    assert list(got) == ["y_test"] and got["y_test"].dtype == bool


def test_config_with_unstorable_value(store):
    with pytest.raises(StoreError) as info:
        store.put_job("j", None, None, {"classifiers": [{"C": object}]}, "dk")
    assert str(info.value) == (
        "job 'j' config.classifiers[0].C cannot be stored: type is not JSON\n"
        "  hint: store only numbers, strings, booleans, None, lists and dicts with string keys"
    )


def test_projections(store, job_id):
    points = np.arange(10, dtype=np.float32).reshape(5, 2)
    first = store.put_projection(job_id, "p1", "PCA", "pca", {"n": 2, "tol": math.inf}, points)
    again = store.put_projection("iris-svm", "p1", "PCA 2", "pca", {"n": 2}, points * 2)
    assert again == first
    second = store.put_projection(job_id, "p2", "MDS", "mds", {}, np.zeros((5, 2)))
    rows = store.projections(job_id)
    assert [(p["id"], p["key"], p["title"], p["args"]) for p in rows] == [
        (first, "p1", "PCA 2", {"n": 2}),
        (second, "p2", "MDS", {}),
    ]
    np.testing.assert_array_equal(rows[0]["points"], points * 2)
    assert rows[0]["points"].dtype == np.float32


def test_maps(store):
    arrays = {"points": np.ones((3, 2)), "distances": np.eye(3)}
    map_id = store.put_map("m1", {"metric": "hamming", "ids": [1, 2, 3]}, arrays)
    got = store.get_map("m1")
    assert (got["id"], got["key"], got["params"]) == (
        map_id,
        "m1",
        {"metric": "hamming", "ids": [1, 2, 3]},
    )
    assert sorted(got["arrays"]) == ["distances", "points"]
    np.testing.assert_array_equal(got["arrays"]["distances"], np.eye(3))
    assert store.put_map("m1", {"metric": "l2"}, {"points": np.zeros((3, 2))}) == map_id
    got = store.get_map("m1")
    assert got["params"] == {"metric": "l2"} and list(got["arrays"]) == ["points"]
    assert store.get_map("m2") is None
