"""`modelmap run` end to end, as a user runs it: real processes, real store."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modelmap.store import Store
from tests.conftest import FIXTURES, modelmap, write_job

pytestmark = pytest.mark.timeout(240)
EXAMPLES = Path(__file__).parents[2] / "src" / "modelmap" / "examples" / "jobs"


def seed_workspace(tmp_path: Path) -> Path:
    root = tmp_path / "seedws"
    shutil.copytree(FIXTURES / "seed", root / "plugins")
    (root / "jobs").mkdir()
    shutil.move(root / "plugins" / "seed_job.json", root / "jobs" / "my_job.json")
    return root


def test_seed_plugins_and_seed_job_work_unchanged(tmp_path):
    ws = seed_workspace(tmp_path)
    proc = modelmap("run", "jobs/my_job.json", "-j", "2", cwd=ws, check=0)
    out = proc.stdout + proc.stderr
    assert "'KNN 1' is the same configuration as classifiers[2]; the two were merged" in out
    df = Store(ws / "modelmap.db").results(job="Your batch job title")
    assert sorted(df["title"]) == sorted(["🟊 Optimal", "Ⓝ Naive", "KNN 1", "KNN 2", "KNN 3",
                                          "🌲 RF 100"])
    assert (df["status"] == "ok").all()
    opt = df.set_index("title").loc["🟊 Optimal"]
    assert opt["test_accuracy"] == 1.0
    assert df.set_index("title").loc["KNN 1", "test_accuracy"] > 0.9
    # the workspace plugins (not the built-ins) were used: the override is announced
    assert "override" in out.lower() and "randomforest" in out and "kneighbors" in out


def test_rerun_trains_nothing_and_plugin_edit_retrains_exactly_its_configs(ws, tmp_path):
    markers = tmp_path / "m"
    markers.mkdir()
    write_job(ws, "two", {
        "data": {"title": "Two", "dataset": "sklearn_iris"},
        "classifiers": [
            {"title": "mis {n}", "method": "misbehave", "marker_dir": str(markers),
             "n": {"is_meta": True, "values": [1, 2, 3]}},
            {"title": "KNN", "method": "kneighbors"},
        ],
    })
    modelmap("run", "two", "-j", "2", cwd=ws, check=0)
    assert len(list(markers.iterdir())) == 3
    proc = modelmap("run", "two", "-j", "2", cwd=ws, check=0)
    assert "4 already in the store (skipped)" in proc.stdout
    assert len(list(markers.iterdir())) == 3
    plugin = ws / "plugins" / "classifiers" / "misbehave" / "__init__.py"
    plugin.write_text(plugin.read_text() + "\n# edited\n")
    proc = modelmap("run", "two", "-j", "2", cwd=ws, check=0)
    assert "1 already in the store (skipped)" in proc.stdout  # only KNN kept
    assert len(list(markers.iterdir())) == 6
    df = Store(ws / "modelmap.db").results(job="Two")
    assert len(df) == 4 and df["key"].is_unique


def test_killed_run_resumes_without_retraining_finished_configs(ws, tmp_path):
    markers = tmp_path / "m"
    markers.mkdir()
    write_job(ws, "slow", {
        "data": {"title": "Slow", "dataset": "sklearn_iris"},
        "classifiers": [{"title": "c{n}", "method": "misbehave", "behaviour": "sleep",
                         "seconds": 0.4, "marker_dir": str(markers),
                         "n": {"is_meta": True, "min": 1, "max": 16,
                               "step": {"type": "add", "value": 1}}}],
    })
    env = {**os.environ, "NO_COLOR": "1"}
    driver = subprocess.Popen([sys.executable, "-m", "modelmap", "run", "slow", "-j", "2"],
                              cwd=ws, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    db = ws / "modelmap.db"
    deadline = time.time() + 60
    while time.time() < deadline:
        time.sleep(0.3)
        if db.exists():
            try:
                if len(Store(db).results(job="Slow")) >= 4:
                    break
            except Exception:  # noqa: BLE001 - the store may not be created yet
                pass
    os.killpg(driver.pid, signal.SIGKILL)
    driver.wait(10)
    finished = set(Store(db).results(job="Slow")["title"])
    assert 4 <= len(finished) < 16
    before = {p.name.split(".")[0] for p in markers.iterdir()}
    for p in markers.iterdir():
        p.unlink()
    modelmap("run", "slow", "-j", "2", cwd=ws, check=0)
    retrained = {p.name.split(".")[0] for p in markers.iterdir()}
    assert not retrained & finished
    assert retrained | finished == {f"c{n}" for n in range(1, 17)}
    assert before >= finished
    df = Store(db).results(job="Slow")
    assert len(df) == 16 and df["title"].is_unique and (df["status"] == "ok").all()


@pytest.mark.parametrize("name,title,check", [
    ("multi_label", "Multi-label", "hamming"),
    ("digits_cross_validation", "Digits CV", "folds"),
    ("breast_cancer", "Breast cancer CV", "cv"),
])
def test_example_jobs_multilabel_and_both_cv_modes(tmp_path, name, title, check):
    modelmap("init", str(tmp_path / "w"), cwd=tmp_path, check=0)
    ws = tmp_path / "w"
    modelmap("run", f"jobs/{name}.json", "-j", "2", "-q", cwd=ws, check=0)
    store = Store(ws / "modelmap.db")
    df = store.results(job=title, include_folds=True)
    assert (df["status"] == "ok").all()
    main = df[df["fold"].isna()]
    if check == "hamming":
        assert "test_hamming_loss" in df.columns
        assert main.set_index("title").loc["🟊 Optimal", "test_accuracy"] == 1.0
    elif check == "folds":
        assert len(df[df["fold"].notna()]) == 5 * len(main)  # save_clfs_for_folds
        assert "test_std_accuracy" in df.columns or "test_accuracy_std" in df.columns
    else:
        full = store.result(main.iloc[0]["key"], job=title)
        assert full["arrays"]["pred_test"].shape == (569,)  # out-of-fold over every sample


def test_strict_reports_bad_values_before_training(ws, tmp_path):
    markers = tmp_path / "m"
    markers.mkdir()
    write_job(ws, "bad", {
        "data": {"title": "Bad", "dataset": "sklearn_iris"},
        "classifiers": [
            {"title": "ok", "method": "misbehave", "marker_dir": str(markers)},
            {"title": "knn", "method": "kneighbors", "n_neighbors": "abc"},
        ],
    })
    proc = modelmap("run", "bad", "--strict", cwd=ws, check=2)
    assert ("The 'n_neighbors' parameter of kneighbors must be an integer in [1, 1000]; got "
            "'abc'. Using the default 5.") in proc.stderr
    assert "nothing was trained" in proc.stderr
    assert not list(markers.iterdir())
    proc = modelmap("run", "bad", cwd=ws, check=0)  # without --strict: default + warning
    assert "got 'abc'" in proc.stdout


def test_bad_job_file_gives_one_clear_message(ws):
    (ws / "jobs" / "broken.json").write_text('{"data": {"title": "x",,}}', encoding="utf-8")
    proc = modelmap("run", "jobs/broken.json", cwd=ws, check=2)
    assert "broken.json:1:" in proc.stderr and "Traceback" not in proc.stderr
    proc = modelmap("run", "nope", cwd=ws, check=2)
    assert "job file not found: nope" in proc.stderr


def test_dataset_plugin_failure_is_shown_and_other_jobs_run(ws):
    d = ws / "plugins" / "datasets" / "broken_data"
    d.mkdir(parents=True)
    (d / "__init__.py").write_text(
        "def get_info():\n    return {'name': 'broken_data', 'description': 'x', "
        "'class_names': ['a', 'b']}\n\ndef get_data(path):\n    raise OSError('disk on fire')\n")
    write_job(ws, "a", {"data": {"title": "A", "dataset": "broken_data"},
                        "classifiers": [{"title": "n", "method": "naive"}]})
    write_job(ws, "b", {"data": {"title": "B", "dataset": "sklearn_iris"},
                        "classifiers": [{"title": "n", "method": "naive"}]})
    proc = modelmap("run", "a", "b", cwd=ws, check=1)
    assert "get_data() failed: OSError: disk on fire" in proc.stderr
    assert len(Store(ws / "modelmap.db").results(job="B")) == 1


def test_table_dataset_reads_a_csv_relative_to_the_workspace(tmp_path):
    modelmap("init", str(tmp_path / "w"), cwd=tmp_path, check=0)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = modelmap("run", "table", "-q", "--workspace", str(tmp_path / "w"), cwd=elsewhere,
                    check=0)
    assert "Wine table" in proc.stdout
    store = Store(tmp_path / "w" / "modelmap.db")
    summary = store.datasets()[0]["summary"]
    assert summary["class_names"] == ["Barbera", "Barolo", "Grignolino"]
    assert summary["n_features"] == 8 and summary["n_train"] + summary["n_test"] == 178
