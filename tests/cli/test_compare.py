"""`modelmap compare` and the tied-with-best line of `modelmap run`, run as a user does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import modelmap, write_job

pytestmark = pytest.mark.timeout(300)

IRIS = {
    "data": {"title": "Iris small", "dataset": "sklearn_iris", "test_size": 0.2,
             "random_state": 42},
    "classifiers": [
        {"title": "Naive", "method": "naive"},
        {"title": "KNN {n_neighbors}", "method": "kneighbors",
         "n_neighbors": {"is_meta": True, "values": [1, 3, 5]}},
        {"title": "SVM {kernel}", "method": "svm", "random_state": 42,
         "kernel": {"is_meta": True, "values": ["linear", "rbf"]}},
        {"title": "=Broken", "method": "sklearn", "estimator": "sklearn.svm.SVC", "C": -1.0},
    ],
}
OTHER = {**IRIS, "data": {**IRIS["data"], "title": "Iris other", "random_state": 7}}
CV = {
    "data": {"title": "Digits CV", "dataset": "sklearn_digits_cross_validation",
             "test_size": 0, "subset_train": 0.15, "random_state": 3,
             "disable_cross_validation": False},
    "classifiers": [
        {"title": "Optimal", "method": "optimal"},
        {"title": "KNN {n_neighbors}", "method": "kneighbors",
         "n_neighbors": {"is_meta": True, "values": [1, 5, 25]}},
    ],
}
MULTI = {
    "data": {"title": "Multi", "dataset": "multi_label_test", "test_size": 0.25,
             "random_state": 42},
    "classifiers": [
        {"title": "Optimal", "method": "optimal_multi_label"},
        {"title": "RF {n_estimators}", "method": "random_forest_multi_label",
         "n_estimators": {"is_meta": True, "values": [5, 20]}, "random_state": 0},
    ],
}


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("compare")
    modelmap("init", "w", cwd=root, check=0)
    ws = root / "w"
    for name, job in (("small", IRIS), ("other", OTHER), ("cv", CV), ("multi", MULTI)):
        write_job(ws, name, job)
    proc = modelmap("run", "small", "other", "cv", "multi", "-j", "1", "-q", cwd=ws)
    assert proc.returncode == 1, proc.stderr  # =Broken fails on purpose
    return ws, proc.stdout


def test_run_ends_with_the_best_and_how_many_are_tied_with_it(ws):
    _, stdout = ws
    line = next(x for x in stdout.splitlines() if x.startswith("Iris small best:"))
    assert "[" in line and "tied with it at α=0.05 (exact McNemar test, Holm)" in line
    assert any(x.startswith("Digits CV best:") for x in stdout.splitlines())


def test_compare_one_job_prints_the_table_with_its_method(ws):
    root, _ = ws
    proc = modelmap("compare", "Iris small", cwd=root, check=0)
    out = proc.stdout
    assert "tied with best" in out and "CI low" in out and "Holm p" in out
    assert "interval: Wilson score interval of the accuracy over 30 test samples, 95 %" in out
    assert "test: exact McNemar test vs the best, Holm-adjusted" in out
    assert "reference" in out and "=Broken" in proc.stderr
    assert "is real" not in out


def test_compare_json_has_the_agreed_fields_and_two_runs_agree(ws):
    root, _ = ws
    args = ("compare", "Iris small", "--score", "test_balanced_accuracy", "--json")
    first = json.loads(modelmap(*args, cwd=root, check=0).stdout)
    again = json.loads(modelmap(*args, cwd=root, check=0).stdout)
    assert first == again
    fields = {"title", "score", "ci_low", "ci_high", "rank", "p_vs_best", "p_holm",
              "tied_with_best"}
    assert all(fields <= set(row) for row in first["rows"])
    assert first["method"].startswith("paired bootstrap percentile interval")
    assert [r["title"] for r in first["references"]] == ["Naive"]
    with_refs = json.loads(modelmap(*args, "--include-references", cwd=root, check=0).stdout)
    assert "Naive" in [r["title"] for r in with_refs["rows"]]


def test_compare_cross_validation_and_multi_label_jobs(ws):
    root, _ = ws
    cv = json.loads(modelmap("compare", "Digits CV", "--json", cwd=root, check=0).stdout)
    assert cv["method"].startswith("Nadeau-Bengio corrected t interval over")
    assert all(r["ci_low"] is not None for r in cv["rows"])
    multi = json.loads(modelmap("compare", "Multi", "--score", "test_hamming_loss", "--json",
                                cwd=root, check=0).stdout)
    assert multi["higher_is_better"] is False
    assert all(r["ci_low"] <= r["score"] <= r["ci_high"] for r in multi["rows"])


def test_compare_several_jobs_with_a_cd_diagram(ws):
    root, _ = ws
    proc = modelmap("compare", "Iris small", "Iris other", "--png", "cd.png", cwd=root,
                    check=0)
    assert "Friedman χ²" in proc.stdout and "Nemenyi critical difference" in proc.stdout
    assert "Holm-adjusted Wilcoxon" in proc.stdout
    assert (root / "cd.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads(modelmap("compare", "Iris small", "Iris other", "--json", "--png",
                               "cd.svg", cwd=root, check=0).stdout)
    assert set(data["average_ranks"]) == {"KNN 1", "KNN 3", "KNN 5", "SVM linear", "SVM rbf"}
    assert {"friedman_p", "critical_difference", "pairs"} <= set(data)
    assert {"a", "b", "p_holm"} <= set(data["pairs"][0])
    assert (root / "cd.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    by_method = json.loads(modelmap("compare", "Iris small", "Iris other", "--by", "method",
                                    "--json", cwd=root, check=0).stdout)
    assert set(by_method["average_ranks"]) == {"kneighbors", "svm"}


def test_bad_input_gets_a_clear_message(ws):
    root, _ = ws
    proc = modelmap("compare", "Iris small", "--score", "test_hamming_loss", cwd=root, check=2)
    assert "cannot compare single-label classifiers on 'test_hamming_loss'" in proc.stderr
    assert "Traceback" not in proc.stderr
    missing = modelmap("compare", "Nope", cwd=root, check=2)
    assert "no job 'Nope' in the store" in missing.stderr
    typo = modelmap("compare", "Iris smal", cwd=root, check=2)
    assert "hint: did you mean 'Iris small'?" in typo.stderr
    png = modelmap("compare", "Iris small", "--png", "x.png", cwd=root, check=2)
    assert "--png draws the critical-difference diagram of several jobs" in png.stderr
    wrong = modelmap("compare", "Iris small", "Iris other", "--png", "cd.gif", cwd=root,
                     check=2)
    assert "name the file .png or .svg" in wrong.stderr


def test_pairwise_comparisons_of_a_selection(ws):
    import numpy as np

    from modelmap import Store
    from modelmap import queries

    root, _ = ws
    with Store(root / "modelmap.db") as store:
        cv_keys = [r["key"] for r in store.result_rows("Digits CV", include_folds=False)
                   if r["method"] == "kneighbors"]
        cv = queries.compare_pairwise(store, cv_keys)
        assert cv["omnibus"]["name"].startswith("Friedman over") and len(cv["titles"]) == 3
        assert cv["test"].startswith("z-test on average ranks over folds")
        assert cv["omnibus"]["critical_difference"] > 0
        keys = [r["key"] for r in store.result_rows("Iris small") if r["status"] == "ok"][:3]
        boot = queries.compare_pairwise(store, keys, score="test_f1_macro")
        assert boot["test"] == "paired bootstrap (2000 resamples), Holm-adjusted"
        assert boot["omnibus"]["p"] is None and boot["omnibus"]["name"].startswith("none")
        matrix = np.array(boot["p_holm"], dtype=float)
        assert np.allclose(matrix, matrix.T, equal_nan=True) and np.nanmax(matrix) <= 1


def test_a_job_whose_every_config_failed_ends_without_a_traceback(tmp_path):
    import shutil

    from tests.conftest import FIXTURES, write_job

    root = tmp_path / "ws"
    (root / "jobs").mkdir(parents=True)
    shutil.copytree(FIXTURES / "plugins", root / "plugins")
    (root / "modelmap.toml").write_text('[store]\nurl = "modelmap.db"\n', encoding="utf-8")
    write_job(root, "bad", {"data": {"title": "All failed", "dataset": "sklearn_iris"},
                            "classifiers": [{"title": "raises {n}", "method": "misbehave",
                                             "behaviour": "raise",
                                             "n": {"is_meta": True, "values": [1, 2]}}]})
    run = modelmap("run", "bad", "-j", "1", cwd=root, check=1)
    assert "Traceback" not in run.stderr and "best:" not in run.stdout
    proc = modelmap("compare", "All failed", cwd=root)
    assert proc.returncode in (0, 2) and "Traceback" not in proc.stderr
