"""A fork server killed during a run is started again and the remaining configs run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modelmap.store import Store
from tests.conftest import write_job

pytestmark = [pytest.mark.timeout(240),
              pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")]


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def _forkserver_of(pid: int) -> int | None:
    for child in _children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"multiprocessing.forkserver import main" in cmdline:
            return child
    return None


def test_a_killed_fork_server_is_restarted_and_every_config_trains(ws):
    write_job(ws, "slow", {
        "data": {"title": "Slow", "dataset": "sklearn_iris"},
        "classifiers": [{"title": "c{n}", "method": "misbehave", "behaviour": "sleep",
                         "seconds": 0.4, "n": {"is_meta": True, "min": 1, "max": 8,
                                               "step": {"type": "add", "value": 1}}}],
    })
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    proc = subprocess.Popen([sys.executable, "-m", "modelmap", "run", "slow", "-j", "2",
                             "--retries", "0"], cwd=ws, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 120
        first = None
        while time.time() < deadline and proc.poll() is None:  # a config has finished
            line = proc.stdout.readline()
            if line.startswith("✓"):
                first = line
                break
        assert first, "no config finished"
        server = _forkserver_of(proc.pid)
        assert server is not None
        os.kill(server, signal.SIGKILL)
        out, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out + err
    assert "Traceback" not in err and "Aborted" not in out + err
    df = Store(ws / "modelmap.db").results(job="Slow")
    # --retries 0: the configs the dead server's workers held are not charged an attempt
    assert len(df) == 8 and (df["status"] == "ok").all(), df[["title", "status", "error"]]
