"""``modelmap tune`` as a user runs it: real processes, a real store, Ctrl-C and --resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from modelmap.store import Store
from tests.conftest import modelmap
from tests.tuning.conftest import toy_job, write

pytestmark = pytest.mark.timeout(180)
ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}


def test_each_strategy_from_the_command_line(toy_ws: Path, monkeypatch) -> None:
    monkeypatch.chdir(toy_ws)
    procs = {}
    for strategy in ("evolutionary", "stepwise", "tpe", "random"):
        job = toy_job(title=f"Toy {strategy}", dataset="sklearn_iris")
        job["data"].update(tuning_rounds=2, tuning_population=2, tuning_offspring=2)
        write(toy_ws, strategy, job)
        args = ["tune", f"jobs/{strategy}.json", "--strategy", strategy, "--budget", "3",
                "-j", "1", "--store", f"{strategy}.db"]
        procs[strategy] = subprocess.Popen([sys.executable, "-m", "modelmap", *args],
                                           cwd=toy_ws, env=ENV, text=True,
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for strategy, proc in procs.items():  # four runs at once: the test takes one run's time
        out, err = proc.communicate(timeout=150)
        assert proc.returncode == 0, f"{strategy}\n{out}\n{err}"
        assert f"{strategy} search" in out and "Best configs" in out
        assert "stopped: budget" in out or "stopped: strategy finished" in out
        assert "Test accuracy" in out
        for suffix in (".result.json", ".report.md", ".history.csv", ".history.xlsx",
                       ".scores.png", ".time.png"):
            assert (toy_ws / "jobs" / f"{strategy}{suffix}").is_file(), suffix
        with Store(toy_ws / f"{strategy}.db") as store:
            frame = store.results(f"Toy {strategy} · tuning")
        assert 2 <= len(frame) <= 3 and set(frame["tag_strategy"]) == {strategy}
    # the result job is a batch job `modelmap run` accepts as is
    from typer.testing import CliRunner

    from modelmap.cli import app

    ran = CliRunner().invoke(app, ["run", "jobs/stepwise.result.json", "-j", "1", "--store",
                                   "stepwise.db"])
    assert ran.exit_code == 0, ran.output
    with Store(toy_ws / "stepwise.db") as store:
        tuned = store.results("Toy stepwise · tuned")
    assert len(tuned) >= 1 and (tuned["status"] == "ok").all()


def test_ctrl_c_stops_after_the_running_candidate_and_resume_continues(toy_ws: Path) -> None:
    job = toy_job(tuning={"strategy": "stepwise", "budget": 4}, sleep_per_depth=0.1)
    write(toy_ws, "slow", job)
    proc = subprocess.Popen([sys.executable, "-m", "modelmap", "tune", "slow", "-j", "1"],
                            cwd=toy_ws, env=ENV, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None
    for line in proc.stdout:  # wait for the first finished candidate
        if line.lstrip().startswith(("▲ #1", "✓ #1")):
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, out + err
    assert "Interrupted." in out and "--resume" in out
    with Store(toy_ws / "modelmap.db") as store:
        done = len(store.results("Toy · tuning"))
    assert 1 <= done < 4
    assert (toy_ws / "jobs" / "slow.report.md").is_file()
    resumed = modelmap("tune", "slow", "--resume", "-j", "1", cwd=toy_ws, check=0)
    assert f"{done} candidates in the store (resumed)" in resumed.stdout
    assert resumed.stdout.count("(stored)") == done
    assert f"4 candidates (0 failed, {done} from the store)" in resumed.stdout
    result = json.loads((toy_ws / "jobs" / "slow.result.json").read_text())
    assert result["data"]["title"] == "Toy · tuned"
