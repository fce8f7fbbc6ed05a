"""One bad config never costs the others: raise, segfault, os._exit, timeout, memory."""

from __future__ import annotations

import pytest

from modelmap.store import Store
from tests.conftest import modelmap, write_job

pytestmark = pytest.mark.timeout(180)


def job(*configs, **data):
    return {
        "data": {"title": "Faults", "dataset": "sklearn_iris", "test_size": 0.2, **data},
        "classifiers": [
            {"title": "healthy {n}", "method": "misbehave", "n": {"is_meta": True,
                                                                  "values": [1, 2, 3]}},
            *configs,
            {"title": "healthy after", "method": "misbehave", "n": 9},
        ],
    }


def statuses(ws):
    df = Store(ws / "modelmap.db").results(job="Faults")
    return dict(zip(df["title"], df["status"])), df.set_index("title")


def test_raise_segfault_and_exit_are_recorded_and_the_rest_trains(ws):
    write_job(ws, "faults", job(
        {"title": "raises", "method": "misbehave", "behaviour": "raise"},
        {"title": "segfaults", "method": "misbehave", "behaviour": "segfault"},
        {"title": "exits", "method": "misbehave", "behaviour": "exit"},
    ))
    proc = modelmap("run", "jobs/faults.json", "-j", "2", "--retries", "0", cwd=ws)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    status, df = statuses(ws)
    assert status == {"healthy 1": "ok", "healthy 2": "ok", "healthy 3": "ok",
                      "healthy after": "ok", "raises": "failed", "segfaults": "failed",
                      "exits": "failed"}
    assert df.loc["raises", "error"] == "RuntimeError: raises refuses to train"
    assert df.loc["segfaults", "error"] == "worker died: signal 11 (SIGSEGV)"
    assert df.loc["exits", "error"] == "worker died: exit code 3"
    assert "failed: Faults / segfaults: worker died: signal 11 (SIGSEGV)" in proc.stderr


def test_a_config_that_kills_workers_is_retried_then_given_up(ws, tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    write_job(ws, "faults", job({"title": "exits", "method": "misbehave", "behaviour": "exit",
                                 "marker_dir": str(markers)}))
    modelmap("run", "jobs/faults.json", "-j", "2", "--retries", "2", cwd=ws, check=1)
    status, df = statuses(ws)
    assert status["exits"] == "failed" and status["healthy after"] == "ok"
    assert df.loc["exits", "error"] == "worker died: exit code 3 (after 3 attempts)"
    assert len(list(markers.glob("exits.*"))) == 3


def test_timeout_stops_the_config_and_the_job_goes_on(ws):
    write_job(ws, "faults", job({"title": "sleeps", "method": "misbehave", "behaviour": "sleep",
                                 "seconds": 60}, timeout=3))
    proc = modelmap("run", "jobs/faults.json", "-j", "2", cwd=ws, check=1)
    status, df = statuses(ws)
    assert status["sleeps"] == "timeout" and status["healthy after"] == "ok"
    assert df.loc["sleeps", "error"].startswith("timeout: stopped after 3.")
    assert "(limit 3 s)" in df.loc["sleeps", "error"]
    assert "sleeps" in proc.stderr


def test_memory_limit_fails_the_oversized_config_alone(ws):
    write_job(ws, "faults", job({"title": "hog", "method": "misbehave", "behaviour": "allocate"}))
    modelmap("run", "jobs/faults.json", "-j", "2", "--max-memory", "2G", cwd=ws, check=1)
    status, df = statuses(ws)
    assert status["hog"] == "failed" and status["healthy after"] == "ok"
    assert df.loc["hog", "error"].startswith(("MemoryError", "worker died"))


def test_break_stops_at_the_first_error_and_shows_its_traceback(ws):
    write_job(ws, "faults", {
        "data": {"title": "Faults", "dataset": "sklearn_iris"},
        "classifiers": [{"title": "raises", "method": "misbehave", "behaviour": "raise"}] + [
            {"title": f"later {n}", "method": "misbehave", "behaviour": "sleep", "seconds": 0.3,
             "n": n} for n in range(12)],
    })
    proc = modelmap("run", "faults", "-j", "1", "--break", cwd=ws, check=1)
    assert "--break: raises failed" in proc.stderr
    assert "Traceback (most recent call last)" in proc.stderr
    assert "RuntimeError: raises refuses to train" in proc.stderr
    assert "training raises (raise)" in proc.stderr  # the captured output of the config
    status, _ = statuses(ws)
    assert status["raises"] == "failed" and len(status) < 13


def test_a_lone_config_that_kills_every_worker_is_still_retried_and_given_up(ws, tmp_path):
    """The last config of a job kills its worker: the retry needs a fresh worker even
    though nothing else is pending (this once waited forever)."""
    markers = tmp_path / "markers"
    markers.mkdir()
    write_job(ws, "lone", {"data": {"title": "Lone", "dataset": "sklearn_iris"},
                           "classifiers": [{"title": "exits", "method": "misbehave",
                                            "behaviour": "exit",
                                            "marker_dir": str(markers)}]})
    proc = modelmap("run", "jobs/lone.json", "-j", "2", "--retries", "2", cwd=ws, timeout=90,
                    check=1)
    assert "worker died: exit code 3 (after 3 attempts)" in proc.stderr + proc.stdout
    assert len(list(markers.glob("exits.*"))) == 3
