"""A job's prepared data is read once per worker process, never once per config.

Every result records the process that trained it (``machine.pid``) and how many times
that process had read prepared data by then (``machine.data_loads``).  The Dask half of
this property is in ``test_dask.py`` (it needs that file's cluster).
"""

from __future__ import annotations

from collections import defaultdict

from modelmap.store import Store
from tests.conftest import modelmap, write_job


def loads_per_process(db, title: str) -> dict[int, set[int]]:
    """{worker pid: the data_loads values its results recorded}."""
    seen: dict[int, set[int]] = defaultdict(set)
    store = Store(db)
    for row in store.result_rows(title, columns=("status", "machine")):
        assert row["status"] == "ok"
        seen[row["machine"]["pid"]].add(row["machine"]["data_loads"])
    store.close()
    return dict(seen)


def sleepy_job(title: str, n: int) -> dict:
    # a short sleep in fit, so that both workers get configs to train
    return {"data": {"title": title, "dataset": "sklearn_iris"},
            "classifiers": [{"title": f"slow {i}", "method": "misbehave", "behaviour": "sleep",
                             "seconds": 0.2, "n": i} for i in range(n)]}


def test_local_workers_read_the_data_once_each(ws):
    write_job(ws, "once", sleepy_job("Once", 12))
    modelmap("run", "once", "-j", "2", "-q", cwd=ws, check=0)
    seen = loads_per_process(ws / "modelmap.db", "Once")
    assert 1 <= len(seen) <= 2, seen  # the two workers
    assert all(values == {1} for values in seen.values()), seen  # 12 configs, 1 read each
