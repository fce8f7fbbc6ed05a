"""A store made by older code (tests/fixtures/stores/README.md) is read, resumed without
retraining and served: the content keys of jobs and results do not change (issue 12)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import modelmap as mm

#: The old store as SQL text (sqlite3's iterdump of the file the old code wrote).
FIXTURE = Path(__file__).parents[1] / "fixtures" / "stores" / "before_12e.sql"
JOB = {
    "data": {"title": "Iris before 12e", "dataset": "sklearn_iris", "test_size": 0.25,
             "random_state": 7, "timeout": 60},
    "projections": [{"title": "PCA", "method": "pca", "random_state": 42}],
    "classifiers": [
        {"title": "Naive", "method": "naive"},
        {"title": "KNN {n_neighbors}", "method": "kneighbors",
         "n_neighbors": {"is_meta": True, "values": [1, 3]}},
        {"title": "SVM linear", "method": "svm", "C": 1.0, "kernel": "linear"},
    ],
}
#: What the old code stored (printed when the fixture was made).
KEYS = {
    "Naive": "b165eb76cd231c6c7d175f7ec7fb31ce29dbf5155887274ebf13917e98b1cda5",
    "KNN 1": "07804dc027687f474679184be2fc2aa70977159a32e5f7de4a3a106e5e6305c4",
    "KNN 3": "f1860358a1231251cbef354c4c5edea4821e90af38ac8512aeec0963536e28c9",
    "SVM linear": "92f6250aa8718f04cd8494015209edffd93e1fd66cb41437b16334d445f25b84",
}
DATA_KEY = "5a89abf7e3d2fa292f0b64133e81ca3dbb507cf4202f9f9067bb349940369c29"

pytestmark = pytest.mark.timeout(240)


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    path = tmp_path / "before.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(FIXTURE.read_text(encoding="utf-8"))
    conn.close()
    return path


def test_the_old_store_is_read(old_store: Path) -> None:
    with mm.Store(old_store, read_only=True) as store:
        assert {r["title"]: r["key"] for r in store.result_rows()} == KEYS
        assert store.job("Iris before 12e")["data_key"] == DATA_KEY


def test_a_rerun_on_the_old_store_trains_nothing(old_store: Path) -> None:
    report = mm.run_job(JOB, store=old_store, n_jobs=1)
    assert (report.trained, report.n_errors) == (0, 0)
    with mm.Store(old_store, read_only=True) as store:
        assert {r["title"]: r["key"] for r in store.result_rows()} == KEYS
        assert store.job("Iris before 12e")["data_key"] == DATA_KEY


def test_a_fresh_store_gets_the_same_keys_and_then_trains_nothing(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    assert mm.run_job(JOB, store=path, n_jobs=1).trained == 4
    assert mm.run_job(JOB, store=path, n_jobs=1).trained == 0
    with mm.Store(path, read_only=True) as store:
        assert {r["title"]: r["key"] for r in store.result_rows()} == KEYS
        assert store.job("Iris before 12e")["data_key"] == DATA_KEY


def test_the_old_store_is_served(old_store: Path) -> None:
    from fastapi.testclient import TestClient

    from modelmap.server import create_app

    with mm.Store(old_store, read_only=True) as store, TestClient(
            create_app(store), base_url="http://127.0.0.1") as client:
        jobs = client.get("/api/jobs").json()
        assert [j["title"] for j in jobs] == ["Iris before 12e"]
        listing = client.get(f"/api/jobs/{jobs[0]['id']}/results").json()
        assert {item["title"] for item in listing["items"]} == set(KEYS)
        assert client.get("/api/health").json()["status"] == "ok"
