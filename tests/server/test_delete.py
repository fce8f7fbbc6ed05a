"""Deleting through the API, also while a batch job is writing to the same store."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import modelmap

pytestmark = pytest.mark.timeout(240)


def test_delete_a_result_then_failed_then_the_job(client, ids):
    gone = client.delete(f"/api/results/{ids['KNN 1']}").json()["deleted"]
    assert gone["results"] == 1 and gone["arrays"] == 6
    assert client.get(f"/api/results/{ids['KNN 1']}").status_code == 404
    assert client.delete(f"/api/results/{ids['KNN 1']}").status_code == 404
    failed = client.delete("/api/results/failed", params={"job": 1}).json()["deleted"]
    assert failed["results"] == 1
    statuses = {i["status"] for i in client.get("/api/jobs/1/results").json()["items"]}
    assert statuses == {"ok"}
    job = client.delete("/api/jobs/1").json()["deleted"]
    # arrays: 6 per result, the projection's points, the job's y_train and y_test
    assert job == {"jobs": 1, "results": 5, "projections": 1, "arrays": 5 * 6 + 1 + 2}
    assert client.get("/api/jobs").json() == []


def test_delete_a_dataset_and_the_maps(client, ids):
    made = client.post("/api/maps", json={"results": [ids["KNN 1"], ids["KNN 3"]]})
    assert made.status_code == 200
    key = made.json()["key"]
    for _ in range(2):  # the second answer comes from the server's memory
        assert client.get(f"/api/maps/{key}").json()["points"] == made.json()["points"]
    assert client.delete("/api/maps").json()["deleted"]["maps"] == 1
    assert client.get(f"/api/maps/{key}").status_code == 404
    again = client.post("/api/maps", json={"results": [ids["KNN 1"], ids["KNN 3"]]}).json()
    assert again["cached"] is False and again["key"] == key
    dataset = client.delete("/api/datasets/sklearn_iris").json()["deleted"]
    assert dataset["datasets"] == 1 and dataset["results"] == 7
    assert client.get("/api/datasets").json() == []
    assert client.delete("/api/datasets/sklearn_iris").status_code == 404


def _writer(store_path: Path, folder: Path) -> subprocess.Popen:
    job = {"data": {"title": "Churn", "dataset": "sklearn_iris", "random_state": 1},
           "classifiers": [{"title": "KNN {n_neighbors}", "method": "kneighbors",
                            "n_neighbors": {"is_meta": True, "values": list(range(1, 61))}},
                           {"title": "Bad", "method": "sklearn",
                            "estimator": "sklearn.svm.SVC", "C": -1.0}]}
    (folder / "churn.json").write_text(json.dumps(job), encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen([sys.executable, "-m", "modelmap", "run", "churn.json", "-j", "1",
                             "-q", "--store", str(store_path)], cwd=folder, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _consistent(path: Path) -> None:
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("SELECT count(*) FROM results WHERE job_id NOT IN "
                          "(SELECT id FROM jobs)").fetchone() == (0,)
        ok_without_arrays = db.execute(
            "SELECT count(*) FROM results WHERE status = 'ok' AND "
            "'result:' || id NOT IN (SELECT owner FROM arrays)").fetchone()
        assert ok_without_arrays == (0,)
    with modelmap.Store(path) as store:
        assert store.vacuum() == {"arrays": 0}  # no array outlived its owner


def test_deleting_while_a_batch_job_writes_keeps_the_store_consistent(client, store_path,
                                                                      tmp_path):
    writer = _writer(store_path, tmp_path)
    deleted, deadline = 0, time.time() + 150
    try:
        while writer.poll() is None and time.time() < deadline:
            jobs = {j["title"]: j["id"] for j in client.get("/api/jobs").json()}
            if "Churn" in jobs:
                items = client.get(f"/api/jobs/{jobs['Churn']}/results",
                                   params={"sort": "-id", "limit": 2}).json()["items"]
                for item in items:
                    answer = client.delete(f"/api/results/{item['id']}")
                    assert answer.status_code in (200, 404), answer.text
                    deleted += answer.status_code == 200
                assert client.delete("/api/results/failed").status_code == 200
                if deleted >= 6:
                    assert client.delete("/api/jobs/1").status_code in (200, 404)
                if deleted >= 12:  # pull the dataset from under the writer
                    assert client.delete("/api/datasets/sklearn_iris").status_code in (200, 404)
            time.sleep(0.05)
    finally:
        writer.wait(timeout=60)
    assert deleted >= 1, writer.stderr.read() if writer.stderr else ""
    _consistent(store_path)
    listing = client.get("/api/datasets")
    assert listing.status_code == 200
