"""Two processes writing the same results at once end with every result exactly once."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from pathlib import Path

import pytest

N_WRITERS = 2


@pytest.mark.slow
def test_concurrent_writers_never_duplicate(store, store_url, job_id, monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    import _store_worker

    keys = [f"key{i:02d}" for i in range(24)]
    for key in keys[:8]:  # failed earlier: both writers will try to replace these
        store.add_result(job_id, _store_worker.result(key, status="failed"))
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(N_WRITERS)
    out = context.Queue()
    writers = [
        context.Process(target=_store_worker.write, args=(store_url, job_id, keys, barrier, out))
        for _ in range(N_WRITERS)
    ]
    for writer in writers:
        writer.start()
    returned = [out.get(timeout=120) for _ in writers]
    for writer in writers:
        writer.join(timeout=60)
        assert writer.exitcode == 0

    written = [i for ids in returned for i in ids if i is not None]
    assert len(written) == len(keys)  # each key was written by exactly one process
    frame = store.results(job_id)
    assert Counter(frame["key"]) == Counter(keys)
    assert set(frame["status"]) == {"ok"}
    assert sorted(written) == sorted(frame["id"])
    assert store.done_keys(job_id) == set(keys)


def _backend_pid(store) -> int:
    with store._engine.connect() as conn:
        return conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs os.fork")
def test_forked_child_opens_its_own_connections(store, job_id):
    if store.dialect != "postgresql":
        pytest.skip("only PostgreSQL names the server process behind a connection")
    parent = _backend_pid(store)
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    child = context.Process(target=lambda: out.put(_backend_pid(store)))
    child.start()
    in_child = out.get(timeout=60)
    child.join(timeout=60)
    assert child.exitcode == 0
    assert in_child != parent
    assert _backend_pid(store) == parent  # the parent's pooled connection still works
