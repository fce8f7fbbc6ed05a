"""Two `modelmap run` processes writing one store at once: every result present once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from modelmap.store import Store
from tests.conftest import write_job

pytestmark = pytest.mark.timeout(240)


def test_two_runs_at_once_store_every_result_once(ws, store_url):
    write_job(ws, "both", {
        "data": {"title": "Both", "dataset": "sklearn_iris"},
        "classifiers": [{"title": "c{n}", "method": "misbehave", "behaviour": "sleep",
                         "seconds": 0.1, "n": {"is_meta": True, "min": 1, "max": 12,
                                               "step": {"type": "add", "value": 1}}},
                        {"title": "KNN {n_neighbors}", "method": "kneighbors",
                         "n_neighbors": {"is_meta": True, "values": [1, 3, 5]}}],
    })
    env = {**os.environ, "NO_COLOR": "1"}
    cmd = [sys.executable, "-m", "modelmap", "run", "both", "-j", "1", "--store", store_url]
    procs = [subprocess.Popen(cmd, cwd=ws, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=200)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], "\n----\n".join(outs)
    with Store(store_url) as store:
        df = store.results(job="Both")
        assert len(df) == 15 and df["key"].is_unique and df["title"].is_unique
        assert (df["status"] == "ok").all()
        assert len(store.jobs()) == 1
