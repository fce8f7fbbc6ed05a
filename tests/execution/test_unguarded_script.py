"""A script that calls modelmap.run_job at top level, with no ``if __name__ == "__main__":``
guard, runs once and ends: the workers do not re-run the caller's main module (they used to,
each tried to start workers of its own, and the run waited for them forever)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = '''
import modelmap
print("script body ran")
report = modelmap.run_job({"data": {"title": "Iris", "dataset": "sklearn_iris"},
                           "classifiers": [{"title": "KNN", "method": "kneighbors"},
                                           {"title": "Naive", "method": "naive"}]},
                          store="unguarded.db", n_jobs=2)
print("trained", report.trained)
'''


@pytest.mark.timeout(200)
def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    (tmp_path / "script.py").write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run([sys.executable, "script.py"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["script body ran", "trained 2"]
    assert "RuntimeError" not in proc.stderr
