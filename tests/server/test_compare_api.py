"""The comparison routes and queries on a store filled by really running a small job."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar

from modelmap import queries

ROW_FIELDS = {"key", "title", "method_name", "score", "ci_low", "ci_high", "rank", "p_vs_best",
              "p_holm", "tied_with_best", "is_reference"}


def test_compare_job_names_its_method_and_keeps_references_and_failures_apart(client, store):
    body = client.get("/api/compare", params={"job": 1}).json()
    assert body["method"] == ("Wilson score interval of the accuracy over 30 test samples, "
                              "95 %")
    assert body["test"] == "exact McNemar test vs the best, Holm-adjusted"
    assert body["alpha"] == 0.05 and body["score"] == "test_accuracy"
    titles = [row["title"] for row in body["rows"]]
    assert sorted(titles) == ["KNN 1", "KNN 3", "KNN 5", "SVM linear", "SVM rbf"]
    assert [r["title"] for r in body["references"]] == ["Naive"]
    assert body["references"][0]["is_reference"] and body["references"][0]["rank"] is None
    assert [f["title"] for f in body["failed"]] == ["=Broken"]
    for row in body["rows"]:
        assert set(row) >= ROW_FIELDS
        assert row["ci_low"] <= row["score"] <= row["ci_high"]
    ranks = [row["rank"] for row in body["rows"]]
    assert ranks == sorted(ranks) and body["rows"][0]["title"] == body["best"]
    best = body["rows"][0]
    assert best["tied_with_best"] and best["p_vs_best"] is None


def test_the_p_value_against_the_best_is_statsmodels_exact_mcnemar(store):
    body = queries.compare_job(store, 1)
    y = store.arrays("job:1", ["y_test"])["y_test"]
    keys = {row["key"]: row["id"] for row in store.result_rows(1)}
    best = next(r for r in body["rows"] if r["title"] == body["best"])
    right = {}
    for row in body["rows"]:
        pred = store.arrays(f"result:{keys[row['key']]}", ["pred_test"])["pred_test"]
        right[row["title"]] = pred == y
    for row in body["rows"][1:]:
        a, b = right[best["title"]], right[row["title"]]
        table = [[0, int((a & ~b).sum())], [int((~a & b).sum()), 0]]
        assert row["p_vs_best"] == pytest.approx(sm_mcnemar(table, exact=True).pvalue)
        assert row["tied_with_best"] == (row["p_holm"] >= 0.05)


def test_references_can_take_part(client):
    body = client.get("/api/compare", params={"job": 1, "include_references": True}).json()
    assert "Naive" in [row["title"] for row in body["rows"]] and body["references"] == []
    naive = next(row for row in body["rows"] if row["title"] == "Naive")
    assert not naive["tied_with_best"] and naive["p_holm"] < 0.05


def test_bootstrap_scores_agree_on_two_calls_and_match_the_stored_scores(client, store):
    answer = client.get("/api/compare", params={"job": 1, "score": "test_f1_macro"})
    assert answer.status_code == 200, answer.text
    first = answer.json()
    queries._compare._MEMO._data.clear()
    client.app.state.responses.clear()
    again = client.get("/api/compare", params={"job": 1, "score": "test_f1_macro"}).json()
    assert first == again
    assert first["method"].startswith("paired bootstrap percentile interval over 30 test")
    stored = {r["title"]: r["scores"]["test"]["f1_macro"] for r in store.result_rows(1)
              if r["status"] == "ok"}
    for row in first["rows"]:
        assert row["score"] == pytest.approx(stored[row["title"]])


def test_pairwise_gives_cochrans_q_and_a_holm_matrix(client, store):
    keys = [r["key"] for r in store.result_rows(1) if r["status"] == "ok"][:4]
    body = client.get("/api/compare/pairwise", params={"keys": ",".join(keys)}).json()
    assert body["omnibus"]["name"] == "Cochran's Q" and 0 <= body["omnibus"]["p"] <= 1
    assert body["test"] == "exact McNemar, Holm-adjusted"
    matrix = np.array(body["p_holm"], dtype=float)
    assert matrix.shape == (4, 4) and all(body["p_holm"][i][i] is None for i in range(4))
    assert np.allclose(matrix, matrix.T, equal_nan=True)


def test_bad_requests_get_clear_answers(client):
    unknown = client.get("/api/compare", params={"job": 1, "score": "test_nonsense"})
    assert unknown.status_code == 400
    assert "cannot compare single-label classifiers on 'test_nonsense'" in unknown.json()["detail"]
    assert client.get("/api/compare", params={"job": 99}).status_code == 404
    assert client.get("/api/compare", params={"job": 1, "alpha": 2}).status_code == 422
    one_job = client.get("/api/compare/jobs", params={"jobs": "1,1"})
    assert one_job.status_code == 400 and "compare 2 to 200 jobs" in one_job.json()["detail"]


def test_compare_jobs_ranks_the_classifiers_every_job_has(store_path):
    import modelmap
    from tests.server.conftest import JOB

    other = {**JOB, "data": {**JOB["data"], "title": "Iris other", "random_state": 7}}
    modelmap.run_job(other, store=store_path, n_jobs=1)
    with modelmap.Store(store_path) as store:
        body = queries.compare_jobs(store, ["Iris small", "Iris other"])
        assert body["jobs"] == ["Iris small", "Iris other"] and body["n_datasets"] == 2
        assert set(body["average_ranks"]) == {"KNN 1", "KNN 3", "KNN 5", "SVM linear",
                                              "SVM rbf"}  # no references, no failures
        assert sum(body["average_ranks"].values()) == pytest.approx(15.0)  # 1 + ... + 5
        assert body["critical_difference"] == pytest.approx(
            2.728 * np.sqrt(5 * 6 / (6 * 2)), abs=1e-3)  # q_0.05 for k = 5 (Demšar Table 5)
        assert 0 <= body["friedman_p"] <= 1
        assert len(body["pairs"]) == 10 and {"a", "b", "p_holm"} <= set(body["pairs"][0])
        assert "Wilcoxon" in body["test"] and "Nemenyi" in body["method"]
        by_method = queries.compare_jobs(store, [1, 2], by="method")
        assert set(by_method["average_ranks"]) == {"kneighbors", "svm"}


def test_store_compare_returns_the_agreed_columns(store):
    frame = store.compare(job="Iris small", score="test_accuracy")
    assert list(frame.columns)[:8] == ["title", "score", "ci_low", "ci_high", "rank",
                                       "p_vs_best", "p_holm", "tied_with_best"]
    assert frame["title"].tolist()[-1] == "Naive" and frame["is_reference"].tolist()[-1]
    assert frame.attrs["method"].startswith("Wilson score interval")
    assert frame.attrs["test"] == "exact McNemar test vs the best, Holm-adjusted"
    contenders = frame[~frame["is_reference"]]
    assert contenders["rank"].is_monotonic_increasing
    assert not frame[["score", "ci_low", "ci_high"]].isna().any().any()


def test_a_classifier_without_test_predictions_is_listed_without_an_interval(store_path):
    import sqlite3

    import modelmap

    with modelmap.Store(store_path) as store:
        knn1 = next(r["id"] for r in store.result_rows(1) if r["title"] == "KNN 1")
    with sqlite3.connect(store_path) as conn:
        conn.execute("DELETE FROM arrays WHERE owner = ? AND name = 'pred_test'",
                     (f"result:{knn1}",))
    with modelmap.Store(store_path) as store:
        body = queries.compare_job(store, 1)
        row = next(r for r in body["rows"] if r["title"] == "KNN 1")
        assert row["ci_low"] is None and row["rank"] is None and not row["tied_with_best"]
        assert row["score"] is not None and row["reason"] == "no stored test predictions"
        assert any("KNN 1 (no stored test predictions)" in note for note in body["notes"])
        assert len([r for r in body["rows"] if r["rank"] is not None]) == 4


@pytest.mark.parametrize("job", ["+1", "1.0", "01", " 1", "1_0"])
def test_compare_takes_only_canonical_job_ids(client, job):
    assert client.get("/api/compare", params={"job": job}).status_code == 422


@pytest.mark.parametrize("jobs", ["01,1", "+1,2", "1,0"])
def test_compare_jobs_takes_only_canonical_job_ids(client, jobs):
    assert client.get("/api/compare/jobs", params={"jobs": jobs}).status_code == 422
