"""Registry discovery: built-ins, workspace folders (seed plugins verbatim), entry points."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sklearn.datasets import load_iris

from modelmap.errors import PluginError
from modelmap.plugins import LoadProblem, Plugin, Registry, check_argument, load_plugin
from modelmap.plugins import tools

from ._seed_plugins import SEED_IRIS, SEED_KNN, SEED_RANDOM_FOREST

PIP_HINT = (f" — the module 'keras_is_not_installed' is not installed in this Python "
            f"({sys.executable}); install it with `pip install keras_is_not_installed`")
SPECS = {"job_title": "Test", "dataset_name": "sklearn_iris", "num_classes": 3}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    clf = root / "plugins" / "classifiers"
    write(clf / "kneighbors" / "__init__.py", SEED_KNN)
    write(clf / "random_forest" / "__init__.py", SEED_RANDOM_FOREST)
    write(clf / "broken" / "__init__.py", "import os\nimport keras_is_not_installed\n")
    write(clf / "typo" / "__init__.py", "def get_info(:\n    pass\n")
    write(clf / "no_init" / "model.py", "X = 1\n")
    write(clf / "_private" / "__init__.py", "raise RuntimeError('imported like the seed')\n")
    write(clf / ".hidden" / "__init__.py", "raise RuntimeError('never imported')\n")
    (clf / "data_only").mkdir()
    write(clf / "bad_info" / "__init__.py", """\
        def get_info():
            return {'name': 'bad info', 'description': 'x', 'parameters': []}
        def get_clf(args, data_specs):
            return None
    """)
    write(clf / "with_helper" / "__init__.py", """\
        from . import helper
        from ...tools import check_argument as check
        CLF_INFO = {'name': 'with_helper', 'description': 'uses a sibling module',
                    'parameters': [{'name': 'k', 'description': 'k', 'type': 'integer',
                                    'range': [1, 9], 'default_value': helper.DEFAULT}]}
        def get_info():
            return CLF_INFO
        def get_clf(args, data_specs):
            return check('k', args, CLF_INFO)
    """)
    write(clf / "with_helper" / "helper.py", "DEFAULT = 4\n")
    write(clf / "info_fails" / "__init__.py", """\
        def get_info():
            raise RuntimeError('no info today')
        def get_clf(args, data_specs):
            return None
    """)
    write(root / "plugins" / "datasets" / "iris_copy" / "__init__.py", SEED_IRIS)
    return root


def test_seed_plugins_copied_verbatim_load_from_a_workspace_and_train(workspace: Path) -> None:
    registry = Registry.discover(workspace, entry_points=False)
    X, y = load_iris(return_X_y=True)

    knn = registry.classifier("kneighbors")
    assert (knn.kind, knn.origin, knn.path) == (
        "classifier", "workspace", workspace.resolve() / "plugins/classifiers/kneighbors")
    assert knn.module.__name__.startswith("modelmap_ws_")
    assert knn.module.check is check_argument
    assert knn.parameters() == [{"name": "n_neighbors", "description": "Number of neighbors",
                                 "type": "integer", "range": [1, 1000], "default_value": 5}]
    model = knn.module.get_clf({"title": "KNN 3", "method": "kneighbors", "n_neighbors": 3}, SPECS)
    assert model.clf.n_neighbors == 3
    model.fit(X, y)
    assert model.predict(X, y).shape == (150,)
    assert model.predict_proba(X, y).shape == (150, 3)

    forest = registry.classifier("randomforest")
    assert forest.origin == "workspace"
    model = forest.module.get_clf({"title": "RF", "method": "randomforest", "n_estimators": 5},
                                  SPECS)
    model.fit(X, y)
    assert model.clf.n_estimators == 5
    assert model.predict_proba(X, y).shape == (150, 3)

    helper = registry.classifier("with_helper")
    assert helper.module.get_clf({}, SPECS) == 4
    iris = registry.dataset("sklearn_iris")
    assert iris.origin == "workspace"
    assert iris.module.get_data(str(workspace))["X_train"].shape == (150, 4)


def test_broken_plugins_become_problems_and_the_others_still_load(workspace: Path) -> None:
    registry = Registry.discover(workspace, entry_points=False)
    folder = workspace.resolve() / "plugins" / "classifiers"
    assert registry.problems == (
        LoadProblem("classifier", str(folder / "_private"),
                    "RuntimeError: imported like the seed "
                    f"({folder / '_private' / '__init__.py'}:1)", "_private"),
        LoadProblem("classifier", str(folder / "bad_info"),
                    "PluginError: invalid get_info(): the name 'bad info' may only contain "
                    "A-Z, a-z, 0-9 and _.", "bad_info"),
        LoadProblem("classifier", str(folder / "broken"),
                    "ModuleNotFoundError: No module named 'keras_is_not_installed' "
                    f"({folder / 'broken' / '__init__.py'}:2){PIP_HINT}", "broken"),
        LoadProblem("classifier", str(folder / "info_fails"),
                    "get_info() failed: RuntimeError: no info today "
                    f"({folder / 'info_fails' / '__init__.py'}:2)", "info_fails"),
        LoadProblem("classifier", str(folder / "no_init"),
                    "PluginError: the folder has Python files but no __init__.py; add "
                    f"{folder / 'no_init' / '__init__.py'} defining get_info and get_clf.",
                    "no_init"),
        LoadProblem("classifier", str(folder / "typo"),
                    f"SyntaxError: invalid syntax ({folder / 'typo' / '__init__.py'}:1)", "typo"),
    )
    assert "naive" in registry.classifier_names()
    assert "with_helper" in registry.classifier_names()
    assert ".hidden" not in str(registry.problems)
    with pytest.raises(PluginError) as info:
        registry.classifier("broken")
    assert str(info.value) == (
        f"{folder / 'broken'}: The classifier plugin 'broken' failed to load: "
        "ModuleNotFoundError: No module named 'keras_is_not_installed' "
        f"({folder / 'broken' / '__init__.py'}:2){PIP_HINT}\n"
        "  hint: fix the plugin and run again; `modelmap plugins` lists every problem."
    )


def test_workspace_plugins_override_builtins_with_a_notice(workspace: Path) -> None:
    registry = Registry.discover(workspace, entry_points=False)
    builtin = Path(tools.__file__).parent
    ws = workspace.resolve() / "plugins"
    assert registry.notices == (
        f"workspace dataset 'sklearn_iris' ({ws / 'datasets/iris_copy'}) overrides the "
        f"builtin one ({builtin / 'datasets/sklearn_iris'}); jobs naming 'sklearn_iris' use "
        "the workspace one.",
        f"workspace classifier 'kneighbors' ({ws / 'classifiers/kneighbors'}) overrides the "
        f"builtin one ({builtin / 'classifiers/kneighbors'}); jobs naming 'kneighbors' use "
        "the workspace one.",
        f"workspace classifier 'randomforest' ({ws / 'classifiers/random_forest'}) overrides "
        f"the builtin one ({builtin / 'classifiers/randomforest'}); jobs naming "
        "'randomforest' use the workspace one.",
    )
    assert registry.classifier("naive").origin == "builtin"


def test_discovery_is_cached_until_a_plugin_file_changes(workspace: Path) -> None:
    first = Registry.discover(workspace, entry_points=False)
    assert Registry.discover(workspace, entry_points=False) is first
    path = workspace / "plugins" / "classifiers" / "kneighbors" / "__init__.py"
    path.write_text(SEED_KNN.replace("k Nearest Neighbors Classifier", "Edited KNN"))
    second = Registry.discover(workspace, entry_points=False)
    assert second is not first
    assert second.classifier("kneighbors").info["description"] == "Edited KNN"
    assert first.classifier("kneighbors").info["description"] == "k Nearest Neighbors Classifier"
    assert second.classifier("kneighbors").source_hash != first.classifier("kneighbors").source_hash
    assert not list(workspace.rglob("__pycache__"))
    loaded = load_plugin("classifier", "kneighbors", workspace)
    assert loaded == second.classifier("kneighbors")
    assert loaded.info["description"] == "Edited KNN"
    assert load_plugin("classifier", "kneighbors", workspace) is loaded


def test_source_hash_covers_every_python_file_of_the_folder(workspace: Path) -> None:
    registry = Registry.discover(workspace, entry_points=False)
    folder = workspace.resolve() / "plugins" / "classifiers" / "with_helper"
    digest = hashlib.sha256()
    for name in ("__init__.py", "helper.py"):
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    assert registry.classifier("with_helper").source_hash == digest.hexdigest()


def fake_plugin(name: str) -> Plugin:
    info = {"name": name, "description": name, "parameters": []}
    return Plugin("classifier", name, sys, info, "builtin", Path(name), "0")


def test_unknown_names_list_what_is_available_with_a_suggestion() -> None:
    registry = Registry({}, {n: fake_plugin(n) for n in ("kneighbors", "naive", "svm")})
    with pytest.raises(PluginError) as info:
        registry.classifier("kneighbor")
    assert str(info.value) == (
        "There is no classifier plugin named 'kneighbor'.\n"
        "  hint: did you mean 'kneighbors'? Available classifiers: kneighbors, naive, svm."
    )
    with pytest.raises(PluginError) as info:
        registry.dataset("iris")
    assert str(info.value) == (
        "There is no dataset plugin named 'iris'.\n  hint: Available datasets: (none)."
    )
    with pytest.raises(PluginError) as info:
        registry.parameters("projection", "t-sne")
    assert str(info.value) == (
        "There is no projection plugin named 't-sne'.\n  hint: did you mean 'tsne'? Available "
        "projections: isomap, lle, mds, pca, spectral_embedding, tsne, umap."
    )


def test_builtins_parameters_and_spec() -> None:
    registry = Registry.discover(entry_points=False)
    assert registry.dataset_names() == [
        "multi_label_test", "sklearn_breast_cancer", "sklearn_digits",
        "sklearn_digits_cross_validation", "sklearn_iris", "sklearn_wine", "table"]
    assert registry.classifier_names() == [
        "adaboost", "decisiontree", "gaussiannb", "gaussianprocess", "hist_gradient_boosting",
        "kneighbors", "logistic_regression", "mlpc", "naive", "optimal", "optimal_multi_label",
        "qda", "random_forest_multi_label", "randomforest", "sklearn", "svm", "svm_multi_label"]
    assert registry.problems == ()
    assert registry.projection_names() == [
        "isomap", "lle", "mds", "pca", "spectral_embedding", "tsne", "umap"]
    assert registry.parameters("classifier", "sklearn") is None
    assert registry.parameters("dataset", "table") == []
    assert [p["name"] for p in registry.parameters("projection", "tsne")] == [
        "perplexity", "max_iter", "random_state"]
    spec = json.loads(json.dumps(registry.spec()))
    knn = next(e for e in spec["classifiers"] if e["name"] == "kneighbors")
    assert knn["default_config"] == {"title": "KNN", "method": "kneighbors", "n_neighbors": 5}
    assert (knn["short"], knn["origin"], knn["any_parameters"]) == ("KNN", "builtin", False)
    assert knn["parameters"] == [{"name": "n_neighbors", "description": "Number of neighbors",
                                  "type": "integer", "range": [1, 1000], "default_value": 5}]
    iris = next(e for e in spec["datasets"] if e["name"] == "sklearn_iris")
    assert iris["class_names"] == ["Iris Setosa", "Iris Versicolor", "Iris Virginica"]
    assert [e["name"] for e in spec["projections"]] == registry.projection_names()
    assert (spec["problems"], spec["notices"]) == ([], [])


def test_rediscovery_is_cheap() -> None:
    Registry.discover(entry_points=False)
    start = time.perf_counter()
    for _ in range(20):
        Registry.discover(entry_points=False)
    assert time.perf_counter() - start < 1.0


ENTRY_POINTS = """\
[modelmap.classifiers]
ep_knn = fake_mm_plugins.ep_knn
naive = fake_mm_plugins.naive_override
missing = fake_mm_plugins.does_not_exist

[modelmap.datasets]
ep_data = fake_mm_plugins.ep_data
"""


def test_entry_point_plugins_are_discovered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    write(site / "fake_mm-1.0.dist-info" / "METADATA",
          "Metadata-Version: 2.1\nName: fake-mm\nVersion: 1.0\n")
    write(site / "fake_mm-1.0.dist-info" / "entry_points.txt", ENTRY_POINTS)
    write(site / "fake_mm_plugins" / "__init__.py", "")
    write(site / "fake_mm_plugins" / "ep_knn.py",
          SEED_KNN.replace("from ...tools", "from modelmap.plugins.tools")
          .replace("'kneighbors'", "'ep_knn'"))
    write(site / "fake_mm_plugins" / "naive_override" / "__init__.py", """\
        def get_info():
            return {'name': 'naive', 'description': 'replaced', 'parameters': []}
        def get_clf(args, data_specs):
            return None
    """)
    write(site / "fake_mm_plugins" / "ep_data.py",
          SEED_IRIS.replace("'sklearn_iris'", "'ep_data'"))
    monkeypatch.syspath_prepend(str(site))
    registry = Registry.discover()
    knn = registry.classifier("ep_knn")
    assert (knn.origin, knn.path) == ("entrypoint:fake-mm", site / "fake_mm_plugins" / "ep_knn.py")
    assert knn.module.get_clf({"n_neighbors": 2}, SPECS).clf.n_neighbors == 2
    assert registry.classifier("naive").info["description"] == "replaced"
    assert registry.dataset("ep_data").origin == "entrypoint:fake-mm"
    builtin = Path(tools.__file__).parent / "classifiers" / "naive"
    assert registry.notices == (
        f"entrypoint:fake-mm classifier 'naive' ({site / 'fake_mm_plugins/naive_override'}) "
        f"overrides the builtin one ({builtin}); jobs naming 'naive' use the "
        "entrypoint:fake-mm one.",
    )
    assert registry.problems == (LoadProblem(
        "classifier", "entry point 'missing = fake_mm_plugins.does_not_exist' of fake-mm",
        "ModuleNotFoundError: No module named 'fake_mm_plugins.does_not_exist'", "missing"),)
    assert "ep_knn" not in Registry.discover(entry_points=False).classifier_names()


def test_a_fresh_worker_process_loads_a_workspace_plugin(workspace: Path) -> None:
    code = (
        "import sys, numpy as np\n"
        "from modelmap.plugins import load_plugin\n"
        "plugin = load_plugin('classifier', 'kneighbors', sys.argv[1])\n"
        "clf = plugin.module.get_clf({'n_neighbors': 1}, {})\n"
        "clf.fit(np.array([[0.0], [1.0]]), np.array([0, 1]))\n"
        "print(plugin.origin, clf.predict(np.array([[0.9]]), None).tolist())\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(workspace)], capture_output=True,
                          text=True, timeout=120)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "workspace [1]\n", "")
