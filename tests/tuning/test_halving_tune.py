"""``tune()`` with halving and hyperband: real training at a fidelity, the store's rung tags,
the outputs, resuming without evaluating a rung twice, the time budget and bad input."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from modelmap.errors import JobError
from modelmap.jobs import load_job
from modelmap.plugins import Registry
from modelmap.store import Store
from modelmap.tuning import load_tuning_job, tune
from tests.tuning.conftest import toy_job, write
from tests.tuning.test_tune import Crash, CrashingExecutor

pytestmark = pytest.mark.timeout(180)


def run(ws: Path, executor, job: dict, name: str = "job", **options):
    path = write(ws, name, job)
    options.setdefault("store", ws / "modelmap.db")
    return tune(path, workspace=ws, executor=executor, **options)


@pytest.mark.parametrize("strategy", ["halving", "hyperband"])
def test_subsample_rungs_end_to_end(toy_ws: Path, executor, strategy: str) -> None:
    job = toy_job(dataset="sklearn_digits", tuning={"strategy": strategy, "budget": 14,
                                                    "keep": 2, "batch_size": 2})
    result = run(toy_ws, executor, job)
    assert len(result.trials) == 14 and result.strategy == strategy
    assert {t.candidate.fidelity for t in result.top} == {1.0}
    with Store(toy_ws / "modelmap.db") as store:
        frame = store.results("Toy · tuning")
    assert sorted(frame["key"]) == sorted(t.key for t in result.trials)
    fidelities = sorted(set(frame["tag_fidelity"].round(4)))
    # the default lowest rung fits the data: 1/27 of digits' 1437 training rows would leave
    # a class fewer than 5 rows in a fold's training part, 1/9 leaves every class 10
    assert fidelities == pytest.approx([1 / 9, 1 / 3, 1.0], abs=1e-4)
    rows = frame.groupby("tag_rung")["tag_resource"].first()
    assert rows.is_monotonic_increasing and rows.iloc[-1] == 1437  # digits' training rows
    assert frame["tag_config"].notna().all() and frame["tag_bracket"].notna().all()
    # a full-fidelity result is the score of the whole validation data, as any candidate's
    full = frame[frame["tag_fidelity"] == 1.0]
    assert set(full["key"]) >= {t.key for t in result.top}
    # outputs: the result job, the rung table of the report, the history's rung column
    batch = load_job(result.files["result"], registry=Registry.discover(toy_ws))
    assert [c.title for c in batch.classifiers] == [t.title for t in result.top]
    report = result.files["report"].read_text(encoding="utf-8")
    assert "## Rungs" in report and "| 0 | 0 | 1/9 of the training set |" in report
    # how the search's time went, per rung (no time budget: shares of the search itself)
    assert sum(r["configs"] for r in result.rungs) == 14
    assert sum(r["seconds"] for r in result.rungs) == pytest.approx(
        sum(t.seconds for t in result.trials))
    inside = sum(r["wall_seconds"] for r in result.rungs)
    assert 0 < inside <= result.seconds
    assert "Share of the search's wall time" in report
    assert f"| | | **search** | | | | | | **{result.seconds:.1f}** | **100 %** |" in report
    history = pd.read_csv(result.files["history_csv"])
    assert history["rung"].tolist() == [t.candidate.rung for t in result.trials]
    assert all(result.test_score(t, "accuracy") is not None for t in result.top)


def test_a_parameter_fidelity_sets_the_parameter_per_rung(toy_ws: Path, executor) -> None:
    job = toy_job(dataset="sklearn_iris",
                  tuning={"strategy": "halving", "budget": 13, "keep": 1,
                          "fidelity": {"param": "noise", "min": 1, "max": 9}})
    result = run(toy_ws, executor, job)
    with Store(toy_ws / "modelmap.db") as store:
        frame = store.results("Toy · tuning")
    assert sorted(set(frame["tag_resource"])) == [1, 3, 9]
    assert frame.loc[frame["tag_rung"] == 2, "tag_resource"].eq(9).all()
    batch = load_job(result.files["result"], registry=Registry.discover(toy_ws))
    assert batch.classifiers[0].args["noise"] == 9  # the chosen config at full fidelity


def test_resume_evaluates_no_rung_twice(toy_ws: Path, executor, tmp_path: Path) -> None:
    from modelmap.execution import LocalExecutor

    job = toy_job(dataset="sklearn_digits", tuning={"strategy": "halving", "budget": 14})

    def again(store: str, **options):
        options.setdefault("executor", executor)
        return run(toy_ws, options.pop("executor"), job, store=tmp_path / store,
                   outputs=False, **options)

    reference = again("reference.db")
    with LocalExecutor(1) as inner, pytest.raises(Crash):
        again("crash.db", executor=CrashingExecutor(inner, after=9))
    resumed = again("crash.db", resume=True)
    assert [t.reused for t in resumed.trials] == [True] * 9 + [False] * 5
    assert [t.candidate.signature for t in resumed.trials] == [
        t.candidate.signature for t in reference.trials]
    with Store(tmp_path / "crash.db") as store:
        frame = store.results("Toy · tuning")
    assert len(frame) == 14 and frame["key"].is_unique
    assert len(frame.groupby(["tag_config", "tag_rung"])) == 14  # each rung of a config once


def test_time_budget_holds_and_ends_with_a_full_fidelity_result(toy_ws: Path, executor
                                                                ) -> None:
    job = toy_job(dataset="sklearn_digits",
                  tuning={"strategy": "halving", "budget": 200, "time_budget": 12,
                          "fidelity": {"param": "sleep_per_depth", "min": 0.002,
                                       "max": 0.054}},
                  depth={"tune": True, "type": "int", "min": 1, "max": 30, "initial": 2})
    run(toy_ws, executor, toy_job(tuning={"strategy": "random", "budget": 1}), "warm",
        outputs=False)  # a worker that still has to start would take the budget
    started = time.time()
    result = run(toy_ws, executor, job, outputs=False)
    assert result.stop_reason == "time budget"
    # 12 s: the climb of one config through the four rungs takes ~6 s of fit time here, and
    # its pessimistic estimate (TIME_MARGIN, a measured exponent) about twice that
    assert sum(t.seconds for t in result.trials) <= 12 * 1.05
    assert result.best is not None and result.best.candidate.fidelity == 1.0
    assert time.time() - started < 12 + 20


@pytest.mark.parametrize("strategy", ["hyperband", "halving"])
def test_a_tight_time_budget_from_the_command_line_ends_at_the_full_fidelity(
        toy_ws: Path, strategy: str) -> None:
    """A cold command (workers not started yet) with a 6 s budget: fits that cost about
    the same at every rung (a sleep per depth level, as small data under load), so the
    lowest rungs save little and one bracket does not fit. The run ends with the best
    config at the full fidelity, and the search (what the budget covers: from the first
    candidate to the last result) stays within 5 % of the budget."""
    import os
    import re
    import subprocess
    import sys

    job = toy_job(dataset="sklearn_digits", tuning={"strategy": strategy, "budget": 1000},
                  depth={"tune": True, "type": "int", "min": 1, "max": 12, "initial": 3},
                  sleep_per_depth=0.02)
    write(toy_ws, "tight", job)
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    started = time.time()
    proc = subprocess.run([sys.executable, "-m", "modelmap", "tune", "jobs/tight.json",
                           "--time-budget", "6", "-j", "2", "--store", "tight.db"],
                          cwd=toy_ws, env=env, text=True, capture_output=True, timeout=120)
    wall = time.time() - started
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Best configs" in proc.stdout and "stopped: time budget" in proc.stdout
    search = float(re.search(r"candidates \(.*\) in ([\d.]+) s", proc.stdout).group(1))
    assert search <= 6 * 1.05, proc.stdout
    # the rung table: each rung's wall seconds and share of the budget, summed in "search"
    assert "Rungs (eta 3): wall seconds and share of the 6 s time budget" in proc.stdout
    rows = re.findall(r"│\s*\d+\s*│\s*\d+\s*│ (.+?)\s*│.*│\s*([\d.]+)\s*│\s*(\d+) % │",
                      proc.stdout)
    assert rows and {name for name, _, _ in rows} <= {"1/9", "1/3", "all"}
    [(total, percent)] = re.findall(r"│ search\s*│.*│\s*([\d.]+)\s*│\s*(\d+) % │",
                                    proc.stdout)
    assert float(total) == pytest.approx(search, abs=0.051)
    assert abs(int(percent) - 100 * float(total) / 6) <= 1.5  # both rounded for print
    # every printed figure, the total too, is rounded to 0.1 s: 0.05 each (3.5 + 1.9 is
    # 5.4 against a total of 5.3 printed for 5.35)
    assert sum(float(wall) for _, wall, _ in rows) <= float(total) + 0.05 * (len(rows) + 1) \
        + 1e-9
    report = (toy_ws / "jobs" / "tight.report.md").read_text(encoding="utf-8")
    assert "Share of the time budget" in report and "outside the rungs" in report
    assert wall < 6 + 60  # the process, the workers' start and the test-set scoring
    with Store(toy_ws / "tight.db") as store:
        frame = store.results("Toy · tuning")
    assert (frame["tag_fidelity"] == 1.0).any() and (frame["tag_fidelity"] < 1).any()


def test_a_subsample_too_small_for_the_folds_is_rejected_before_training(
        toy_ws: Path, executor) -> None:
    job = toy_job(dataset="sklearn_iris",
                  tuning={"strategy": "halving", "fidelity": {"subsample": {"min": 0.02}}})
    with pytest.raises(JobError) as info:
        run(toy_ws, executor, job)
    assert info.value.where == "tuning.fidelity.subsample.min"
    assert "fewer than the 3 validation folds" in str(info.value)
    assert "set min to at least" in str(info.value)
    with Store(toy_ws / "modelmap.db") as store:
        assert store.results("Toy · tuning").empty  # nothing ran


def test_the_default_lowest_rung_leaves_a_calibrating_svm_enough_rows(toy_ws: Path, executor
                                                                      ) -> None:
    """The digits example (718 training rows): the old default 1/27 left about 2 rows per
    class and every SVM failed there (its probabilities calibrate on 5 folds); the default
    now is the lowest rung with 5 rows of every class in every fold's training part."""
    from modelmap.tuning._events import SilentTuneEvents

    job = {"data": {"title": "Digits SVM", "dataset": "sklearn_digits", "test_size": 0.2,
                    "subset_train": 0.5, "scale": True, "random_state": 42},
           "tuning": {"strategy": "halving", "budget": 4, "cv": 3},
           "classifiers": [{"title": "SVM C{C}", "method": "svm", "kernel": "rbf",
                            "C": {"tune": True, "type": "float", "min": 0.1, "max": 100,
                                  "initial": 1, "log": True}}]}
    events = SilentTuneEvents()
    result = run(toy_ws, executor, job, outputs=False, events=events)
    assert [t.status for t in result.trials] == ["ok"] * 4
    assert [round(t.candidate.fidelity, 4) for t in result.trials] == [0.1111, 0.1111,
                                                                       0.3333, 1.0]
    [line] = [n for n in events.notices if n.startswith("rungs")]
    assert line == ("rungs (training rows of the validation folds): 1/9 = 90, 1/3 = 240, "
                    "all = 718; the lowest, 1/9, chosen from the data: it has at least 50 rows "
                    "and every class at least 5 (here 6) in the training part of every "
                    "validation fold (tuning.fidelity.subsample.min sets it)")


def test_an_explicit_min_too_small_for_the_folds_is_refused_by_the_command_line(
        toy_ws: Path) -> None:
    import os
    import subprocess
    import sys

    write(toy_ws, "small", toy_job(dataset="sklearn_iris", tuning={
        "strategy": "hyperband", "fidelity": {"subsample": {"min": 0.02}}}))
    proc = subprocess.run([sys.executable, "-m", "modelmap", "tune", "jobs/small.json",
                           "--store", "small.db"], cwd=toy_ws, text=True, capture_output=True,
                          timeout=120, env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Traceback" not in out
    assert "tuning.fidelity.subsample.min: the lowest rung" in out
    assert "fewer than the 3 validation folds" in out and "set min to at least" in out
    assert out.count("tuning.fidelity.subsample.min") == 1  # one message
    assert "✓" not in out and "✗" not in out  # nothing ran


def test_a_fidelity_parameter_must_be_the_plugins_and_not_tuned(toy_ws: Path) -> None:
    registry = Registry.discover(toy_ws)
    job = toy_job(tuning={"strategy": "halving",
                          "fidelity": {"param": "n_estimators", "min": 10, "max": 90}})
    with pytest.raises(JobError) as info:
        load_tuning_job(job, registry=registry)
    assert str(info.value).startswith(
        "<job>: tuning.fidelity.param: classifier 'toy' (classifiers[0]) has no parameter "
        "'n_estimators'\n  hint: its parameters are: depth, flip, fail_above")
    tuned = toy_job(tuning={"strategy": "halving",
                            "fidelity": {"param": "depth", "min": 1, "max": 9}})
    with pytest.raises(JobError) as info:
        load_tuning_job(tuned, registry=registry)
    assert "tuning.fidelity.param: 'depth' is tuned in classifiers[0]" in str(info.value)


def test_halving_from_the_command_line(toy_ws: Path) -> None:
    import os
    import subprocess
    import sys

    write(toy_ws, "cli", toy_job(dataset="sklearn_digits"))
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    args = ["tune", "jobs/cli.json", "--strategy", "halving", "--budget", "14",
            "--batch-size", "2", "-j", "2", "--store", "cli.db"]
    proc = subprocess.run([sys.executable, "-m", "modelmap", *args], cwd=toy_ws, env=env,
                          text=True, capture_output=True, timeout=150)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "halving search" in proc.stdout and "Best configs" in proc.stdout
    assert "14 candidates" in proc.stdout and "stopped: budget" in proc.stdout
    assert "@ 1/9 of the training set" in proc.stdout  # lower rungs say their fidelity
    assert proc.stdout.count("rungs (training rows of the validation folds): 1/9 = 150, "
                             "1/3 = 478, all = 1437; the lowest, 1/9, chosen from the data") == 1
    report = (toy_ws / "jobs" / "cli.report.md").read_text(encoding="utf-8")
    assert "## Rungs" in report
    bad = subprocess.run([sys.executable, "-m", "modelmap", "tune", "jobs/cli.json",
                          "--strategy", "halvng"], cwd=toy_ws, env=env, text=True,
                         capture_output=True, timeout=60)
    assert bad.returncode != 0 and "did you mean 'halving'?" in bad.stderr + bad.stdout
    assert "Traceback" not in bad.stderr


def test_subsample_rungs_on_a_dask_cluster(toy_ws: Path) -> None:
    from modelmap.execution._dask import DaskExecutor

    job = toy_job(dataset="sklearn_digits", tuning={"strategy": "hyperband", "budget": 14,
                                                    "batch_size": 2})
    with DaskExecutor("local:2") as executor:
        result = run(toy_ws, executor, job, outputs=False)
    assert len(result.trials) == 14 and all(t.ok for t in result.trials)
    assert len({t.candidate.fidelity for t in result.trials}) >= 3
    with Store(toy_ws / "modelmap.db") as store:
        frame = store.results("Toy · tuning")
    assert len(frame) == 14 and frame["tag_resource"].nunique() >= 3


def test_epochs_of_the_mlp_with_a_history_as_the_fidelity(toy_ws: Path, executor) -> None:
    """The built-in ``mlpc`` (one history value per epoch) with ``max_iter`` as the fidelity:
    each rung trains that many epochs, and the chosen config has the full number."""
    job = {"data": {"title": "Epochs", "dataset": "sklearn_iris", "random_state": 3},
           "tuning": {"strategy": "halving", "budget": 13, "keep": 1,
                      "fidelity": {"param": "max_iter", "min": 5, "max": 45}},
           "classifiers": [{"title": "MLP {learning_rate_init}", "method": "mlpc",
                            "hidden_layer_sizes": [8],
                            "learning_rate_init": {"tune": True, "type": "float",
                                                   "min": 0.01, "max": 0.5, "log": True}}]}
    result = run(toy_ws, executor, job)
    with Store(toy_ws / "modelmap.db") as store:
        frame = store.results("Epochs · tuning")
    assert sorted(set(frame["tag_resource"])) == [5, 15, 45]
    assert frame.loc[frame["tag_rung"] == 2, "tag_resource"].eq(45).all()
    assert frame.loc[frame["tag_rung"] == 0].shape[0] == 9
    batch = load_job(result.files["result"], registry=Registry.discover(toy_ws))
    assert batch.classifiers[0].args["max_iter"] == 45
    best = result.best  # 45 epochs at a learning rate that learns: a model, not a guess
    assert best is not None and best.score is not None and best.score > 0.8
