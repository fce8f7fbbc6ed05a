"""The seed system's own plugins and jobs run unchanged (issue 15), through the real CLI."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from modelmap.plugins import Registry
from modelmap.store import Store
from tests.conftest import modelmap

from ._seed_style import (SEED_GAUSSIAN_NB, SEED_INT_CLASSES, SEED_IRIS_CV, SEED_MLPC_KERAS,
                          SEED_NAIVE, SEED_NAIVE_TERMCOLOR, SEED_SAVES_BY_TITLE, classifier,
                          dataset, job)

pytestmark = pytest.mark.timeout(240)


def test_underscore_folders_load_and_the_override_is_announced(ws: Path) -> None:
    path = classifier(ws, "_naive", SEED_NAIVE).parent
    proc = modelmap("plugins", cwd=ws, check=0)
    builtin = Path(Registry.discover().classifier("naive").path)
    notice = (f"workspace classifier 'naive' ({path.resolve()}) overrides the builtin one "
              f"({builtin}); jobs naming 'naive' use the workspace one.")
    assert notice in proc.stderr.replace("\n", "")
    assert "Naive classifier (seed" in proc.stdout
    job(ws, "naive", {"data": {"title": "N", "dataset": "sklearn_iris"},
                      "classifiers": [{"title": "Ⓝ Naive", "method": "naive"}]})
    proc = modelmap("run", "naive", "-j", "1", cwd=ws, check=0)
    assert proc.stdout.splitlines()[0].startswith("notice: workspace classifier 'naive'")
    df = Store(ws / "modelmap.db").results(job="N")
    assert list(df["status"]) == ["ok"]
    assert df["test_accuracy"].iloc[0] < 0.5  # the majority class of iris: about 1/3


def test_parameters_none_and_integer_class_names_run(ws: Path) -> None:
    classifier(ws, "gaussian_nb", SEED_GAUSSIAN_NB)
    dataset(ws, "iris_numbers", SEED_INT_CLASSES)
    job(ws, "gnb", {"data": {"title": "G", "dataset": "iris_numbers", "random_state": 1},
                    "classifiers": [{"title": "GNB", "method": "gaussian_nb_seed"}]})
    proc = modelmap("run", "gnb", "-j", "1", cwd=ws, check=0)
    assert ("notice: dataset plugin 'iris_numbers' gives class_names as numbers; they are "
            "used as the strings ['0', '1', '2']") in proc.stdout.replace("\n", "")
    store = Store(ws / "modelmap.db")
    df = store.results(job="G")
    assert list(df["status"]) == ["ok"] and df["test_accuracy"].iloc[0] > 0.85
    spec = json.loads(modelmap("plugins", "--json", cwd=ws, check=0).stdout)
    gnb = next(e for e in spec["classifiers"] if e["name"] == "gaussian_nb_seed")
    assert (gnb["parameters"], gnb["default_config"]) == ([], {"title": "GNB",
                                                             "method": "gaussian_nb_seed"})
    iris = next(e for e in spec["datasets"] if e["name"] == "iris_numbers")
    assert iris["class_names"] == ["0", "1", "2"]


def test_validate_info_accepts_parameters_none_or_missing_and_names_a_wrong_type() -> None:
    from modelmap.plugins import validate_info

    base = {"name": "p", "description": "d"}
    assert validate_info({**base, "parameters": None}) == []
    assert validate_info(base) == []
    assert validate_info({**base, "parameters": "n_neighbors"}) == [
        "'parameters' must be a list of parameter dicts (or None when the plugin has none); "
        "got str."]


def test_class_names_numbers_become_strings_and_other_values_are_still_refused() -> None:
    import numpy as np

    from modelmap.data._plugin_output import check_plugin_output
    from modelmap.errors import DataError

    raw = {"X_train": [[0.0]], "y_train": [0], "X_test": [], "y_test": [],
           "class_names": np.array([0, 1])}
    assert check_plugin_output(raw, "here")["class_names"] == ["0", "1"]
    with pytest.raises(DataError, match="class_names must be a non-empty list of strings"):
        check_plugin_output({**raw, "class_names": [True, False]}, "here")


def test_a_title_clash_runs_both_configs_renamed_and_strict_refuses_it(ws: Path) -> None:
    # as in the seed's own scaling jobs: the title leaves out the degree that differs
    job(ws, "scaling", {"data": {"title": "S", "dataset": "sklearn_iris", "random_state": 1},
                        "classifiers": [{"title": "SVM {kernel} rs{random_state}",
                                         "method": "svm", "kernel": "rbf", "random_state": 1,
                                         "degree": {"is_meta": True, "values": [2, 3]}}]})
    refused = modelmap("run", "scaling", "--strict", cwd=ws)
    assert refused.returncode != 0
    assert ("classifiers[0]: title 'SVM rbf rs1' is given to 2 different configurations "
            "(degree: 3 vs 2); titles must be unique") in refused.stderr.replace("\n", "")
    assert not (ws / "modelmap.db").exists() or Store(ws / "modelmap.db").results().empty
    proc = modelmap("run", "scaling", "-j", "1", cwd=ws, check=0)
    out = proc.stdout.replace("\n", "")
    assert out.count("title(s) were shared by different configurations") == 1
    assert ("classifiers: 2 title(s) were shared by different configurations and were made "
            "unique by appending the parameters that differ: 'SVM rbf rs1' → 'SVM rbf rs1 "
            "(degree=2)', 'SVM rbf rs1' → 'SVM rbf rs1 (degree=3)'") in out
    df = Store(ws / "modelmap.db").results(job="S")
    assert sorted(df["title"]) == ["SVM rbf rs1 (degree=2)", "SVM rbf rs1 (degree=3)"]
    assert (df["status"] == "ok").all()


def _skip_if_installed(module: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is not None:
        pytest.skip(f"{module} is installed here; the test needs it missing")


def _failed_in_the_app(ws: Path, job_title: str) -> dict[str, str]:
    """What the app's API lists as failed in a job: title → error."""
    from fastapi.testclient import TestClient

    from modelmap.app import create_app

    store = Store(ws / "modelmap.db")
    job_id = store.job(job_title)["id"]
    with TestClient(create_app(store), base_url="http://127.0.0.1") as client:
        items = client.get(f"/api/jobs/{job_id}/results", params={"status": "failed"}).json()
    return {row["title"]: row["error"] for row in items["items"]}


def test_configs_of_a_plugin_that_cannot_import_fail_alone(ws: Path) -> None:
    _skip_if_installed("keras")
    folder = classifier(ws, "mlpc_keras", SEED_MLPC_KERAS).parent.resolve()
    job(ws, "mixed", {"data": {"title": "M", "dataset": "sklearn_iris", "random_state": 1},
                      "classifiers": [
                          {"title": "Ⓝ Naive", "method": "naive"},
                          {"title": "MLPC d{dropout}", "method": "mlpc_keras",
                           "dropout": {"is_meta": True, "values": [0.3, 0.5]}},
                          {"title": "KNN 3", "method": "kneighbors", "n_neighbors": 3}]})
    proc = modelmap("run", "mixed", "-j", "1", cwd=ws)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    error = ("PluginError: the classifier plugin 'mlpc_keras' failed to load: "
             "ModuleNotFoundError: No module named 'keras' "
             f"({folder / '__init__.py'}:1) — the module 'keras' is not installed")
    assert "failed: M / MLPC d0.3: " + error in proc.stderr.replace("\n", "")
    df = Store(ws / "modelmap.db").results(job="M").set_index("title")
    assert dict(df["status"]) == {"Ⓝ Naive": "ok", "MLPC d0.3": "failed", "MLPC d0.5": "failed",
                                  "KNN 3": "ok"}
    assert df.loc["MLPC d0.5", "error"].startswith(error)
    assert re.search(r"│ M\s+│ sklearn_iris\s+│\s+4 │\s+0 │\s+2 │", proc.stdout)  # summary
    in_the_app = _failed_in_the_app(ws, "M")
    assert sorted(in_the_app) == ["MLPC d0.3", "MLPC d0.5"]
    # the API keeps absolute paths out of its answers: the plugin file is named, not its folder
    shown = error.replace(f"{folder / '__init__.py'}", "__init__.py")
    assert all(text.startswith(shown) for text in in_the_app.values()), in_the_app
    # a typo is refused before anything trains, with the close match
    job(ws, "typo", {"data": {"title": "T", "dataset": "sklearn_iris"},
                     "classifiers": [{"title": "K", "method": "kneigbors"},
                                     {"title": "MLPC", "method": "mlpc_keras"}]})
    typo = modelmap("run", "typo", cwd=ws)
    assert typo.returncode != 0
    assert ("classifiers[0].method: unknown classifier 'kneigbors' (did you mean "
            "'kneighbors'?)") in typo.stderr.replace("\n", "")
    assert Store(ws / "modelmap.db").job("T") is None


def test_a_missing_third_party_module_is_named_and_never_replaced_silently(ws: Path) -> None:
    _skip_if_installed("termcolor")
    folder = classifier(ws, "_naive", SEED_NAIVE_TERMCOLOR).parent.resolve()
    proc = modelmap("plugins", cwd=ws)
    assert proc.returncode == 1
    hint = ("ModuleNotFoundError: No module named 'termcolor' "
            f"({folder / '__init__.py'}:1) — the module 'termcolor' is not installed in this "
            f"Python ({sys.executable}); install it with `pip install termcolor`")
    err = proc.stderr.replace("\n", "")
    assert f"not loaded: {folder}: {hint}" in err
    assert (f"classifier 'naive' at {folder} failed to load ({hint}); the builtin one") in err
    job(ws, "naive", {"data": {"title": "N", "dataset": "sklearn_iris"},
                      "classifiers": [{"title": "Ⓝ Naive", "method": "naive"}]})
    run = modelmap("run", "naive", "-j", "1", cwd=ws, check=0)
    out = run.stdout.replace("\n", "")
    assert f"notice: classifier 'naive' at {folder} failed to load ({hint}); the builtin" in out


def test_load_job_accepts_a_failed_classifier_and_refuses_a_failed_dataset(ws: Path) -> None:
    from modelmap.errors import JobError
    from modelmap.jobs import load_job

    classifier(ws, "mlpc_keras", "import keras_is_not_installed\nCLF_INFO = {'name': 'mlpc_k'}\n")
    dataset(ws, "broken_data", "raise RuntimeError('no data today')\n")
    registry = Registry.discover(ws, entry_points=False)
    assert registry.failed_names("classifier") == ["mlpc_k"]  # the name its source declares
    assert registry.problem("classifier", "naive") is None
    body = {"data": {"title": "J", "dataset": "sklearn_iris"},
            "classifiers": [{"title": "M", "method": "mlpc_k", "anything": 1}]}
    loaded = load_job(body, registry=registry)
    assert [c.title for c in loaded.classifiers] == ["M"] and loaded.notices == ()
    with pytest.raises(JobError) as info:  # a tuning run cannot record failed configs
        load_job(body, registry=registry, allow_tuning=True)
    clf_folder = ws.resolve() / "plugins" / "classifiers" / "mlpc_keras"
    assert str(info.value).startswith(
        "<job>: classifiers[0].method: the classifier plugin 'mlpc_k' failed to load: "
        "ModuleNotFoundError: No module named 'keras_is_not_installed' "
        f"({clf_folder / '__init__.py'}:1) — the module 'keras_is_not_installed' is not "
        "installed")
    with pytest.raises(JobError) as info:
        load_job({**body, "data": {"title": "J", "dataset": "broken_data"}}, registry=registry)
    folder = ws.resolve() / "plugins" / "datasets" / "broken_data"
    assert str(info.value) == (
        "<job>: data.dataset: the dataset plugin 'broken_data' failed to load: RuntimeError: "
        f"no data today ({folder / '__init__.py'}:1)\n"
        f"  hint: fix the plugin at {folder} and run again")


def test_each_fold_gets_its_own_title_so_saved_models_do_not_overwrite(ws: Path) -> None:
    dataset(ws, "iris_cv", SEED_IRIS_CV)
    classifier(ws, "knn_saved", SEED_SAVES_BY_TITLE)
    job(ws, "cv", {"data": {"title": "CV", "dataset": "iris_cv", "save_clfs_for_folds": True},
                   "classifiers": [{"title": "KNN", "method": "knn_saved"}]})
    modelmap("run", "cv", "-j", "1", cwd=ws, check=0)
    saved = ws / "saved_models" / "CV"
    # n is the fold's stored number (0, 1, 2: the dataset's labels 1 to 3 in order)
    assert sorted(p.name for p in saved.iterdir()) == ["KNN fold0.txt", "KNN fold1.txt",
                                                       "KNN fold2.txt"]
    assert {p.read_text() for p in saved.iterdir()} == {"100"}  # each trained on 2 of 3 folds
    df = Store(ws / "modelmap.db").results(job="CV", include_folds=True)
    assert sorted(zip(df["title"], df["fold"].fillna(-1).astype(int))) == [
        ("KNN", -1), ("KNN", 0), ("KNN", 1), ("KNN", 2)]


def test_true_for_an_integer_trains_as_1_and_strict_refuses_it(ws: Path) -> None:
    from tests.plugins._seed_plugins import SEED_KNN

    classifier(ws, "kneighbors", SEED_KNN)
    job(ws, "knn", {"data": {"title": "B", "dataset": "sklearn_iris", "random_state": 1},
                    "classifiers": [{"title": "KNN true", "method": "kneighbors",
                                     "n_neighbors": True},
                                    {"title": "KNN 1", "method": "kneighbors",
                                     "n_neighbors": 1}]})
    message = ("The 'n_neighbors' parameter of kneighbors must be an integer in [1, 1000]; got "
               "True, used as 1 as the seed does (--strict refuses it).")
    refused = modelmap("run", "knn", "--strict", cwd=ws, check=2)
    assert message in refused.stderr.replace("\n", "")
    proc = modelmap("run", "knn", "-j", "1", cwd=ws, check=0)
    assert message in proc.stdout.replace("\n", "")
    df = Store(ws / "modelmap.db").results(job="B").set_index("title")
    assert df.loc["KNN true", "test_accuracy"] == df.loc["KNN 1", "test_accuracy"]
