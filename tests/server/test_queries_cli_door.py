"""The query functions `modelmap cache` and the web app read and write through (issue 12):
result look-up by key prefix, the removal plan, labels and histories."""

from __future__ import annotations

import numpy as np
import pytest

from modelmap import queries


def _keys(store) -> dict[str, str]:
    return {row["title"]: row["key"] for row in store.result_rows()}


def test_resolve_result_by_unique_prefix_checks_the_key(store):
    key = _keys(store)["KNN 3"]
    row = queries.resolve_result(store, key[:6])
    assert (row["key"], row["title"], row["job"], row["status"]) == (key, "KNN 3",
                                                                     "Iris small", "ok")
    assert queries.resolve_result(store, key[:6], "Iris small")["id"] == row["id"]
    with pytest.raises(queries.InvalidQueryError, match="is not a result key"):
        queries.resolve_result(store, "4ab")
    with pytest.raises(queries.NotFoundError, match="no result key starts with 'ffff'"):
        queries.resolve_result(store, "ffff")
    with pytest.raises(queries.NotFoundError, match="no job 'Irsi'"):
        queries.resolve_result(store, key[:6], "Irsi")


def test_a_removal_plan_checks_every_target_before_anything_goes(store):
    key = _keys(store)["KNN 3"]
    with pytest.raises(queries.NotFoundError, match="no dataset 'nope'"):
        queries.removal_plan(store, keys=[key[:8]], dataset="nope")
    assert "KNN 3" in _keys(store)  # nothing was removed
    plan = queries.removal_plan(store, keys=[key[:8]], job="Iris small", failed=True,
                                maps=True)
    assert [(step.kind, step.text) for step in plan] == [
        ("result", f"result {key[:12]} KNN 3 (job Iris small)"),
        ("failed", "1 failed or timed-out result(s)"),
        ("maps", "0 cached classifier map(s)")]
    counts = [queries.remove(store, step) for step in plan]
    assert counts[0]["results"] == 1 and counts[1]["results"] == 1
    assert set(_keys(store)) == {"Naive", "KNN 1", "KNN 5", "SVM linear", "SVM rbf"}


def test_what_the_plan_removed_is_gone_from_the_listing(store):
    job = queries.find_job(store, "Iris small")
    assert queries.list_results(store, job=job["id"])["total"] == 7
    key = _keys(store)["SVM rbf"]
    for step in queries.removal_plan(store, keys=[key[:8]]):
        queries.remove(store, step)
    listing = queries.list_results(store, job=job["id"])
    assert listing["total"] == 6 and "SVM rbf" not in {i["title"] for i in listing["items"]}
    plan = queries.removal_plan(store, job=str(job["id"]))  # digits: the id (no such title)
    assert [step.text for step in plan] == ["job Iris small with 6 result(s)"]
    queries.remove(store, plan[0])
    assert queries.list_jobs(store) == []


def test_labels_and_histories(store):
    y_train, y_test = queries.job_labels(store, "Iris small")
    assert (len(y_train), len(y_test)) == (120, 30) and set(np.unique(y_test)) <= {0, 1, 2}
    ids = [row["id"] for row in store.result_rows()]
    assert queries.result_histories(store, ids) == {}  # no classifier here records one
    with pytest.raises(queries.InvalidQueryError):
        queries.result_histories(store, [])
