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


def _sleep_job(ws, markers, n=16, seconds=0.5):
    write_job(ws, "shared", {
        "data": {"title": "Shared", "dataset": "sklearn_iris"},
        "classifiers": [{"title": "c{n}", "method": "misbehave", "behaviour": "sleep",
                         "seconds": seconds, "marker_dir": str(markers),
                         "n": {"is_meta": True, "min": 1, "max": n,
                               "step": {"type": "add", "value": 1}}}],
    })


def test_two_runs_at_once_share_the_configs_each_trained_once(ws, tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    _sleep_job(ws, markers)
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    cmd = [sys.executable, "-m", "modelmap", "run", "shared", "-j", "1"]
    procs = [subprocess.Popen(cmd, cwd=ws, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=200)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], "\n----\n".join(outs)
    fits = sorted(p.name.split(".")[0] for p in markers.iterdir())
    assert fits == sorted(f"c{n}" for n in range(1, 17)), "a config was trained twice"
    df = Store(ws / "modelmap.db").results(job="Shared")
    assert len(df) == 16 and (df["status"] == "ok").all()
    with Store(ws / "modelmap.db") as store:  # both runs ended: no claim is left
        assert store.claims.held(store.job("Shared")["id"]) == {}


def test_a_killed_run_leaves_no_claim_that_blocks_the_rerun(ws, tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    _sleep_job(ws, markers, n=8, seconds=0.5)
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    cmd = [sys.executable, "-m", "modelmap", "run", "shared", "-j", "2"]
    first = subprocess.Popen(cmd, cwd=ws, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    for line in first.stdout:  # kill it (no clean-up) once a config has finished
        if line.startswith("✓"):
            break
    first.kill()
    first.communicate(timeout=60)
    again = subprocess.run(cmd, cwd=ws, env=env, capture_output=True, text=True, timeout=200)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "left to another run" not in again.stdout + again.stderr
    df = Store(ws / "modelmap.db").results(job="Shared")
    assert len(df) == 8 and (df["status"] == "ok").all()
