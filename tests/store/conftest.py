"""Fixtures of the store tests: every test taking ``store`` runs on SQLite and PostgreSQL.

PostgreSQL needs ``MODELMAP_TEST_POSTGRES_URL`` (a user allowed to create schemas in
that database), e.g. from ``tests/store/pg_server.sh start DIR PORT``; without it those
runs are skipped.  Each PostgreSQL test gets a fresh, uniquely named schema (the store
URL sets ``search_path`` to it), dropped with everything in it afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from sqlalchemy import create_engine

from modelmap.store import Store
from modelmap.store._url import resolve
from modelmap.training._result import TrainResult

PG_ENV = "MODELMAP_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Any]:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (see tests/store/pg_server.sh)")
    engine = create_engine(resolve(url).url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def _pg_schema(admin: Any) -> Iterator[str]:
    """A URL whose ``search_path`` is a fresh, uniquely named schema (dropped afterwards)."""
    name = f"modelmap_test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        url = admin.url.update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """An unopened, empty store URL for each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'results.db'}"
        return
    yield from _pg_schema(request.getfixturevalue("pg_admin"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened


@pytest.fixture
def job_id(store: Store) -> int:
    dataset = store.put_dataset("iris", "fp1", {"test_size": 0.3}, {"n_train": 105})
    return store.put_job("iris-svm", dataset, "jobs/iris.json", {"classifiers": []}, "dk1")


def _make_result(key: str = "k1", **changes: Any) -> TrainResult:
    """A result with every field set (override any with keyword arguments)."""
    values: dict[str, Any] = {
        "key": key,
        "title": f"svm {key}",
        "method": "svm",
        "args": {"C": 1.0, "kernel": "rbf", "gamma": None, "layers": [8, 4]},
        "status": "ok",
        "scores": {"train": {"accuracy": 1.0, "f1": 0.99}, "test": {"accuracy": 0.9}},
        "times": {"fit": 0.25, "predict_train": 0.01, "predict_test": 0.02, "total": 0.3},
        "history": {"loss": [0.9, 0.5], "val_accuracy": [0.6, 0.8]},
        "arrays": {
            "pred_test": np.array([0, 2, 1], dtype=np.int64),
            "proba_test": np.array([[0.9, 0.05, 0.05], [0.1, 0.2, 0.7], [0.2, 0.6, 0.2]]),
            "correct": np.array([True, False, True]),
        },
        "log": "fitting...\ndone\n",
        "error": None,
        "traceback": None,
        "machine": {"host": "node1", "cpus": 2},
        "fold": None,
        "parent_key": None,
        "plugin_hash": "ph1",
        "started_at": 1700000000.125,
        "finished_at": 1700000001.5,
    }
    values.update(changes)
    return TrainResult(**values)


def _failed_result(key: str = "k1", **changes: Any) -> TrainResult:
    values: dict[str, Any] = {
        "status": "failed",
        "scores": {},
        "arrays": {},
        "error": "ValueError: C must be positive",
        "traceback": "Traceback (most recent call last):\n  ...\nValueError: C must be positive",
    }
    values.update(changes)
    return _make_result(key, **values)


@pytest.fixture
def make_result() -> Any:
    """``make_result(key, **changes)``: a successful result with every field set."""
    return _make_result


@pytest.fixture
def failed_result() -> Any:
    """``failed_result(key, **changes)``: a failed result with error and traceback."""
    return _failed_result
