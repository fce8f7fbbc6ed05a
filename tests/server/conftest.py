"""A results store filled by really running a small job, and API clients for it."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import pytest

import modelmap

warnings.filterwarnings("ignore", message=".*httpx2.*")

#: Iris with a baseline, a few KNN and SVM configs, one config that fails, one projection.
JOB = {
    "data": {"title": "Iris small", "dataset": "sklearn_iris", "test_size": 0.2,
             "random_state": 42},
    "projections": [{"title": "PCA", "method": "pca", "random_state": 42}],
    "classifiers": [
        {"title": "Naive", "method": "naive"},
        {"title": "KNN {n_neighbors}", "method": "kneighbors",
         "n_neighbors": {"is_meta": True, "values": [1, 3, 5]}},
        {"title": "SVM {kernel}", "method": "svm", "C": 1.0, "random_state": 42,
         "kernel": {"is_meta": True, "values": ["linear", "rbf"]}},
        {"title": "=Broken", "method": "sklearn", "estimator": "sklearn.svm.SVC", "C": -1.0},
    ],
}
N_RESULTS = 7


def copy_store(source: Path, target: Path) -> Path:
    """A consistent copy of a SQLite store (the backup API, WAL included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a store holding the results of :data:`JOB` (built once per session)."""
    path = tmp_path_factory.mktemp("served") / "served.db"
    report = modelmap.run_job(JOB, store=path, n_jobs=1)
    assert report.trained == N_RESULTS and report.n_errors == 1
    return path


@pytest.fixture
def store_path(built_store: Path, tmp_path: Path) -> Path:
    """A private copy of the built store, free to delete from."""
    return copy_store(built_store, tmp_path / "store.db")


@pytest.fixture
def store(store_path: Path):
    with modelmap.Store(store_path) as opened:
        yield opened


@pytest.fixture
def client(store):
    from fastapi.testclient import TestClient

    from modelmap.app import create_app

    with TestClient(create_app(store), base_url="http://127.0.0.1") as test_client:
        yield test_client


@pytest.fixture
def ids(store) -> dict[str, int]:
    """Result ids by title."""
    return {row["title"]: row["id"] for row in store.result_rows()}
