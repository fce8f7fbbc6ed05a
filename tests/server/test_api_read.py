"""Every read endpoint against a store filled by a real run of a small job."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest

from tests.server.conftest import N_RESULTS

pytestmark = pytest.mark.timeout(180)


def test_health_info_and_openapi(client):
    assert client.get("/api/health").json()["status"] == "ok"
    info = client.get("/api/info").json()
    svm = next(c for c in info["classifiers"] if c["name"] == "svm")
    c_param = next(p for p in svm["parameters"] if p["name"] == "C")
    assert c_param["type"] == "float" and c_param["default_value"] is not None
    assert "range" in c_param and "path" not in svm
    assert {p["name"] for p in info["projections"]} >= {"pca", "tsne", "mds"}
    assert info["maps"]["metrics"] == ["euclidean", "cosine", "correlation", "hamming"]
    assert {p["name"] for p in info["maps"]["projections"]} == {"pca", "mds", "tsne", "umap"}
    schema = client.get("/api/openapi.json").json()
    assert all(path.startswith("/api/") for path in schema["paths"])
    root = client.get("/", follow_redirects=False)  # the web app is mounted at /
    assert root.status_code == 200 and "<title>modelmap</title>" in root.text


def test_datasets_and_jobs_with_counts(client):
    (dataset,) = client.get("/api/datasets").json()
    assert dataset["name"] == "sklearn_iris" and dataset["n_jobs"] == 1
    assert dataset["counts"] == {"ok": N_RESULTS - 1, "failed": 1}
    assert dataset["class_names"] == ["Iris Setosa", "Iris Versicolor", "Iris Virginica"]
    assert (dataset["n_train"], dataset["n_test"]) == (120, 30)
    (job,) = client.get("/api/jobs").json()
    assert job["title"] == "Iris small" and job["n_classifiers"] == N_RESULTS
    assert job["counts"] == {"failed": 1, "ok": 6} and job["projections"] == ["PCA"]
    assert client.get("/api/datasets/sklearn_iris/jobs").json()[0]["id"] == job["id"]
    assert client.get("/api/jobs", params={"dataset": "sklearn_iris"}).json() == [job]
    full = client.get(f"/api/jobs/{job['id']}").json()
    assert len(full["config"]["classifiers"]) == N_RESULTS


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


def test_results_listing_sorts_filters_and_pages(client):
    url = "/api/jobs/1/results"
    page = client.get(url).json()
    assert page["total"] == N_RESULTS and len(page["items"]) == N_RESULTS
    first = page["items"][0]
    assert {"args", "scores", "times", "status", "fold", "machine", "method"} <= set(first)
    assert _titles(client.get(url, params={"sort": "param_n_neighbors,title",
                                           "method": "kneighbors"})) == [
        "KNN 1", "KNN 3", "KNN 5"]
    assert _titles(client.get(url, params={"sort": "-param_n_neighbors",
                                           "filter": "param_n_neighbors>=3"})) == [
        "KNN 5", "KNN 3"]
    assert _titles(client.get(url, params={"filter": "param_kernel=rbf"})) == ["SVM rbf"]
    assert _titles(client.get(url, params={"status": "failed"})) == ["=Broken"]
    assert _titles(client.get(url, params={"q": "svm", "sort": "title"})) == [
        "SVM linear", "SVM rbf"]
    ranked = client.get(url, params={"sort": "-test_accuracy", "limit": 2, "offset": 1}).json()
    assert ranked["total"] == N_RESULTS and len(ranked["items"]) == 2
    everything = client.get(url, params={"sort": "-test_accuracy"}).json()["items"]
    scores = [i["scores"].get("test", {}).get("accuracy") for i in everything]
    assert scores[-1] is None  # the failed result has no score: it sorts last
    assert scores[:-1] == sorted(scores[:-1], reverse=True)
    assert [i["id"] for i in ranked["items"]] == [i["id"] for i in everything[1:3]]
    by_dataset = client.get("/api/datasets/sklearn_iris/results").json()
    assert by_dataset["total"] == N_RESULTS


@pytest.mark.parametrize("params", [{"filter": "nosuchfield=1"}, {"filter": "no operator"},
                                    {"sort": "nosuchfield"}, {"sort": "a,,b"}])
def test_bad_filters_and_sorts_are_400_with_a_hint(client, params):
    response = client.get("/api/jobs/1/results", params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_query" and body["detail"] and body["hint"]


def test_one_result_in_full_and_by_key_prefix(client, ids):
    svm = client.get(f"/api/results/{ids['SVM rbf']}").json()
    assert svm["status"] == "ok" and svm["args"]["kernel"] == "rbf"
    matrix = np.array(svm["confusion_test"])
    assert matrix.shape == (3, 3) and matrix.sum() == 30
    assert svm["arrays"]["proba_test"]["shape"] == [30, 3]
    broken = client.get(f"/api/results/{ids['=Broken']}").json()
    assert broken["status"] == "failed" and "InvalidParameterError" in broken["error"]
    assert "Traceback" in broken["traceback"]
    by_key = client.get(f"/api/results/by-key/{svm['key'][:10]}").json()
    assert by_key["id"] == svm["id"]
    assert client.get("/api/results/by-key/ffffffff").status_code == 404


def test_predictions_and_probabilities_in_bulk(client, store, ids):
    chosen = [ids["KNN 1"], ids["SVM rbf"], ids["=Broken"]]
    body = {"ids": chosen, "names": ["pred_test", "proba_test"]}
    plain = client.post("/api/results/arrays", json=body).json()
    preds = plain["arrays"]["pred_test"]
    assert preds["ids"] == chosen[:2] and preds["missing"] == [ids["=Broken"]]
    stored = store.arrays(f"result:{ids['SVM rbf']}")
    assert preds["data"][1] == stored["pred_test"].tolist()
    packed = client.post("/api/results/arrays", json={**body, "encoding": "base64"}).json()
    proba = packed["arrays"]["proba_test"]
    raw = np.frombuffer(base64.b64decode(proba["data"]), dtype=proba["dtype"])
    np.testing.assert_allclose(raw.reshape(proba["shape"])[1], stored["proba_test"], atol=1e-6)
    missing = client.post("/api/results/arrays", json={"ids": [999999]})
    assert missing.status_code == 404 and "999999" in missing.json()["detail"]


def test_data_projections_with_labels(client):
    data = client.get("/api/jobs/1/projections").json()
    (pca,) = data["projections"]
    assert pca["title"] == "PCA" and pca["points"]["shape"] == [150, 2]
    assert len(data["labels"]["data"]) == 150 == data["n_train"] + data["n_test"]
    assert set(data["labels"]["data"]) == {0, 1, 2}
    (again,) = client.get("/api/datasets/sklearn_iris/projections",
                          params={"encoding": "base64"}).json()
    points = np.frombuffer(base64.b64decode(again["projections"][0]["points"]["data"]),
                           dtype="float32").reshape(150, 2)
    np.testing.assert_allclose(points, pca["points"]["data"], rtol=1e-5, atol=1e-5)


def test_export_csv_and_excel(client):
    csv = client.get("/api/jobs/1/export", params={"format": "csv"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0].startswith("id,job,dataset,key,title") and len(lines) == N_RESULTS + 1
    assert "'=Broken" in csv.text  # a title that looks like a formula stays text
    xlsx = client.get("/api/jobs/1/export", params={"format": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    titles = [row[rows[0].index("title")] for row in rows[1:]]
    assert "=Broken" in titles and sheet.max_row == N_RESULTS + 1
    assert "attachment" in xlsx.headers["content-disposition"]


def test_sizes(client):
    kinds = {row["kind"] for row in client.get("/api/sizes").json()}
    assert {"results", "result arrays", "projections"} <= kinds


def test_new_results_appear_without_restart(client, store_path):
    import modelmap
    from tests.server.conftest import JOB

    url, params = "/api/jobs/1/results", {"sort": "title"}
    before = [client.get(url, params=params).json() for _ in range(2)]  # second: cached
    assert before[0] == before[1] and before[0]["total"] == N_RESULTS
    more = {**JOB, "classifiers": JOB["classifiers"] + [
        {"title": "KNN 9", "method": "kneighbors", "n_neighbors": 9}]}
    modelmap.run_job(more, store=store_path, n_jobs=1)  # another writer, same file
    after = client.get(url, params=params).json()
    assert after["total"] == N_RESULTS + 1 and "KNN 9" in _titles_of(after)
    assert client.get("/api/jobs").json()[0]["counts"]["ok"] == N_RESULTS


def _titles_of(page: dict) -> list[str]:
    return [item["title"] for item in page["items"]]


def test_api_paths_never_fall_through_to_the_web_app(client):
    for method, path, status in [("PUT", "/api/jobs", 405), ("TRACE", "/api/jobs", 405),
                                 ("POST", "/api/health", 405), ("GET", "/api/nope", 404),
                                 ("DELETE", "/api", 404)]:
        response = client.request(method, path)
        assert response.status_code == status, (method, path)
        assert set(response.json()) >= {"error", "detail"}
    assert client.request("PUT", "/api/jobs").headers["allow"] == "GET"
