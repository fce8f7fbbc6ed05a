"""The application service: plugins → job → store → executor → Batch, opened when needed."""

from __future__ import annotations

import pytest

from modelmap.batch import Batch, Service, prepare_data, store_job
from modelmap.errors import JobError
from modelmap.store import Store

pytestmark = pytest.mark.timeout(180)

JOB = {"data": {"title": "Service", "dataset": "sklearn_iris", "timeout": 30},
       "classifiers": [{"title": "Naive", "method": "naive"}]}


class _Executor:
    """Counts shutdowns; runs nothing (the tests here train nothing)."""

    n_jobs = 1

    def __init__(self) -> None:
        self.shutdowns: list[bool] = []

    def shutdown(self, kill: bool = False) -> None:
        self.shutdowns.append(kill)


def test_an_invalid_job_opens_no_store(tmp_path) -> None:
    service = Service.open(store=tmp_path / "s.db")
    with pytest.raises(JobError):
        service.load_job({"data": {"title": "x"}, "classifiers": []})
    service.close()
    assert not (tmp_path / "s.db").exists()


def test_the_service_closes_only_what_it_opened(tmp_path, monkeypatch) -> None:
    closed: list[str] = []
    real_close = Store.close
    monkeypatch.setattr(Store, "close", lambda self: (closed.append(self.url), real_close(self)))
    given = _Executor()
    with Store(tmp_path / "s.db") as store:
        with Service.open(store=store, executor=given) as service:
            assert service.store is store and service.executor is given
            assert isinstance(service.batch(), Batch)
        assert given.shutdowns == [] and closed == []  # the caller's, for the caller to close
    owned = Service.open(store=tmp_path / "t.db", n_jobs=1)
    executor = owned.executor
    assert owned.executor is executor and executor.n_jobs == 1
    owned.close()
    assert not (tmp_path / "t.db").exists()  # the store was never needed, so never opened
    with Service.open(store=tmp_path / "u.db") as service:
        url = service.store.url
    assert closed == [store.url, url]  # the caller closed its own; the service only its own


def test_run_job_stores_the_results_and_a_rerun_skips_them(tmp_path) -> None:
    with Service.open(store=tmp_path / "s.db", n_jobs=1) as service:
        first = service.run_job(JOB)
        again = service.run_job(JOB)
    assert (first.trained, first.n_errors, again.trained, again.skipped) == (1, 0, 0, 1)


def test_prepare_data_keys_the_data_as_a_batch_run_does(tmp_path) -> None:
    service = Service.open(store=tmp_path / "s.db", n_jobs=1)
    job = service.load_job(JOB)
    bundle, data_key = prepare_data(job, service.registry)
    assert service.batch().prepare(job)[1] == data_key
    notices: list[str] = []
    assert service.prepare_data(job, notices.append)[1] == data_key
    job_id = store_job(service.store, "Prepared", bundle, {"dataset": "sklearn_iris"}, None,
                       job.to_dict(), data_key)
    row = service.store.job("Prepared")
    assert row is not None and row["id"] == job_id and row["data_key"] == data_key
    report = service.run_job(JOB)
    assert service.store.job("Service")["data_key"] == data_key  # timeout is not in the key
    assert report.trained == 1
    service.close()
