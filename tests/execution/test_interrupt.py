"""Ctrl-C: the first stops submitting and lets running configs finish; the second cancels."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from modelmap.store import Store
from tests.conftest import write_job

pytestmark = pytest.mark.timeout(120)


def start(ws, seconds):
    write_job(ws, "slow", {
        "data": {"title": "Slow", "dataset": "sklearn_iris"},
        "classifiers": [{"title": "c{n}", "method": "misbehave", "behaviour": "sleep",
                         "seconds": seconds, "n": {"is_meta": True, "min": 1, "max": 20,
                                                   "step": {"type": "add", "value": 1}}}],
    })
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen([sys.executable, "-m", "modelmap", "run", "slow", "-j", "2"], cwd=ws,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for_results(db, n, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        time.sleep(0.2)
        try:
            if db.exists() and len(Store(db).results(job="Slow")) >= n:
                return
        except Exception:  # noqa: BLE001 - store not created yet
            pass
    raise AssertionError("no results appeared")


def test_first_ctrl_c_finishes_running_configs_and_says_how_to_resume(ws):
    proc = start(ws, 1.5)
    wait_for_results(ws / "modelmap.db", 2)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    assert "Run the same command again to resume" in out
    df = Store(ws / "modelmap.db").results(job="Slow")
    assert 2 <= len(df) < 20 and (df["status"] == "ok").all()  # running ones finished, not lost
    left = int(out.split(" config(s) left")[0].split()[-1])
    assert left == 20 - len(df)


def test_second_ctrl_c_cancels_running_configs(ws):
    proc = start(ws, 30)
    db = ws / "modelmap.db"
    deadline = time.time() + 60
    while time.time() < deadline and not (db.exists() and Store(db).jobs()):
        time.sleep(0.2)
    time.sleep(3)  # workers are busy with 30-second configs
    proc.send_signal(signal.SIGINT)
    time.sleep(1)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 130, out
    assert "Cancelled. Finished results are saved" in out and "Traceback" not in out
