"""`modelmap init`, `plugins`, `expand` and every command's --help."""

from __future__ import annotations

import json

import pytest

from tests.conftest import modelmap

pytestmark = pytest.mark.timeout(120)


def test_init_creates_a_workspace_with_examples(tmp_path):
    proc = modelmap("init", "w", cwd=tmp_path, check=0)
    ws = tmp_path / "w"
    assert (ws / "modelmap.toml").is_file()
    jobs = sorted(p.name for p in (ws / "jobs").glob("*.json"))
    assert {"iris.json", "wine.json", "breast_cancer.json", "digits.json",
            "digits_cross_validation.json", "multi_label.json"} <= set(jobs)
    assert (ws / "plugins" / "datasets" / "example_iris" / "__init__.py").is_file()
    assert (ws / "plugins" / "classifiers" / "example_knn" / "__init__.py").is_file()
    assert "modelmap run jobs/iris.json" in proc.stdout
    again = modelmap("init", "w", cwd=tmp_path, check=2)
    assert "is already a modelmap workspace" in again.stderr


def test_plugins_lists_everything_with_origin(tmp_path):
    modelmap("init", "w", cwd=tmp_path, check=0)
    proc = modelmap("plugins", "--json", cwd=tmp_path / "w", check=0)
    spec = json.loads(proc.stdout)
    classifiers = {c["name"]: c for c in spec["classifiers"]}
    assert {"optimal", "naive", "kneighbors", "svm", "mlpc", "sklearn",
            "example_knn"} <= set(classifiers)
    assert classifiers["example_knn"]["origin"] == "workspace"
    assert classifiers["svm"]["origin"] == "builtin"
    assert {p["name"] for p in spec["projections"]} >= {"pca", "tsne", "mds", "umap"}
    one = modelmap("plugins", "kneighbors", cwd=tmp_path / "w", check=0)
    assert '"method": "kneighbors"' in one.stdout and "n_neighbors" in one.stdout


def test_plugins_reports_a_broken_plugin_and_lists_the_rest(tmp_path):
    modelmap("init", "w", cwd=tmp_path, check=0)
    broken = tmp_path / "w" / "plugins" / "classifiers" / "broken"
    broken.mkdir()
    (broken / "__init__.py").write_text("import keras_that_is_not_here\n")
    proc = modelmap("plugins", cwd=tmp_path / "w", check=1)
    assert "broken" in proc.stderr and "keras_that_is_not_here" in proc.stderr
    assert "example_knn" in proc.stdout


def test_expand_prints_a_runnable_job(tmp_path):
    modelmap("init", "w", cwd=tmp_path, check=0)
    ws = tmp_path / "w"
    proc = modelmap("expand", "jobs/iris.json", cwd=ws, check=0)
    expanded = json.loads(proc.stdout)
    titles = [c["title"] for c in expanded["classifiers"]]
    assert titles[:4] == ["🟊 Optimal", "Ⓝ Naive", "KNN 1", "KNN 2"]
    assert "SVM rbf C100.0" in titles
    assert not any(isinstance(v, dict) and v.get("is_meta") for c in expanded["classifiers"]
                   for v in c.values())
    (ws / "jobs" / "expanded.json").write_text(proc.stdout)
    again = json.loads(modelmap("expand", "jobs/expanded.json", cwd=ws, check=0).stdout)
    assert again["classifiers"] == expanded["classifiers"]
    short = modelmap("expand", "jobs/iris.json", "--titles", cwd=ws, check=0)
    assert "classifier  KNN 15" in short.stdout


@pytest.mark.parametrize("command", ["init", "run", "expand", "plugins", "tune", "serve",
                                     "compare"])
def test_every_command_has_help_with_an_example(tmp_path, command):
    proc = modelmap(command, "--help", cwd=tmp_path, check=0)
    assert "Example" in proc.stdout and f"modelmap {command}" in proc.stdout
