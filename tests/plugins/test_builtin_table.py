"""The built-ins made from one table (plugins/classifiers/_table.py) are the plugins they were.

The fixtures in ``fixtures/`` were captured with the code before the table, when each
built-in was a folder of its own: ``modelmap plugins`` (the classifier table, every
``modelmap plugins NAME`` and ``--json``), and the result keys of a job with one config
per built-in (``builtin_keys.json``, from ``builtins_job.json`` and
``builtins_multi_label_job.json``).
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import load_iris
from typer.testing import CliRunner

import modelmap
from modelmap.cli import app
from modelmap.plugins import Registry, _registry
from modelmap.plugins.classifiers import GENERATED, _generated, _table

FIXTURES = Path(__file__).parent / "fixtures"
SOURCE = str(Path(modelmap.__file__).parent)
BUILTIN_CLASSIFIERS = [
    "adaboost", "decisiontree", "gaussiannb", "gaussianprocess", "hist_gradient_boosting",
    "kneighbors", "logistic_regression", "mlpc", "naive", "optimal", "optimal_multi_label",
    "qda", "random_forest_multi_label", "randomforest", "sklearn", "svm", "svm_multi_label",
]


def plugins_cli(tmp_path: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["plugins", *args, "-w", str(tmp_path)],
                                env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.output


def classifier_table(text: str) -> str:
    """The 'Classifiers' table of ``modelmap plugins`` (the other two are not built here)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Classifiers")
    end = next(i for i, line in enumerate(lines) if line.strip() == "Projections")
    return "\n".join(lines[start:end])


def test_the_table_makes_every_builtin_that_was_a_folder() -> None:
    assert set(GENERATED) == {row["name"] for row in _table.BUILTINS}
    assert Registry.discover(entry_points=False).classifier_names() == BUILTIN_CLASSIFIERS
    folders = {p.name for p in (Path(SOURCE) / "plugins" / "classifiers").iterdir()
               if (p / "__init__.py").is_file()}
    assert folders.isdisjoint(GENERATED)  # a generated plugin has no folder of its own


def test_plugins_list_is_unchanged(tmp_path: Path) -> None:
    expected = (FIXTURES / "plugins_list.txt").read_text(encoding="utf-8")
    assert classifier_table(plugins_cli(tmp_path)) == classifier_table(expected)


def test_plugins_name_is_unchanged_for_every_builtin(tmp_path: Path) -> None:
    expected = (FIXTURES / "plugins_each.txt").read_text(encoding="utf-8")
    shown = "".join(f"### {name}\n" + plugins_cli(tmp_path, name) for name in BUILTIN_CLASSIFIERS)
    assert shown == expected


def test_plugins_json_is_unchanged_paths_and_source_hashes_included(tmp_path: Path) -> None:
    expected = json.loads((FIXTURES / "plugins.json").read_text(encoding="utf-8"))
    shown = json.loads(plugins_cli(tmp_path, "--json").replace(SOURCE, "<modelmap>"))
    assert shown["classifiers"] == expected["classifiers"]


def test_stored_keys_do_not_change_and_a_store_made_before_resumes(tmp_path: Path) -> None:
    expected = json.loads((FIXTURES / "builtin_keys.json").read_text(encoding="utf-8"))
    store = tmp_path / "keys.db"
    jobs = [FIXTURES / "builtins_job.json", FIXTURES / "builtins_multi_label_job.json"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reports = [modelmap.run_job(job, store=store, n_jobs=1) for job in jobs]
    assert [(r.trained, r.n_errors) for r in reports] == [(14, 0), (3, 0)]
    from modelmap.store import Store

    with Store(store) as opened:
        keys = {title: dict(zip(opened.results(title)["title"], opened.results(title)["key"]))
                for title in expected}
    assert keys == expected
    again = [modelmap.run_job(job, store=store, n_jobs=1) for job in jobs]
    assert [(r.trained, r.skipped) for r in again] == [(0, 14), (0, 3)]


def test_every_row_still_has_the_recorded_fingerprint() -> None:
    """Fails when a row or the adapter changes: results of those built-ins will then be
    trained again (new keys).  That is right, but should be on purpose: update the
    fixtures (builtin_keys.json, plugins.json) in the same commit."""
    registry = Registry.discover(entry_points=False)
    for row in _table.BUILTINS:
        recorded, old = _table.LEGACY_HASHES[row["name"]]
        assert _generated.fingerprint(row) == recorded, row["name"]
        assert registry.classifier(row["name"]).source_hash == old
    assert _generated.adapter_hash() == _table.LEGACY_HASHES["sklearn"][0]
    assert registry.classifier("sklearn").source_hash == _table.LEGACY_HASHES["sklearn"][1]


def test_a_changed_row_gets_a_new_hash_so_its_cache_is_never_stale() -> None:
    row = next(r for r in _table.BUILTINS if r["name"] == "kneighbors")
    changed = {**row, "fixed": {"n_jobs": 1}}
    old_hash = _table.LEGACY_HASHES["kneighbors"][1]
    plugin = _registry._make_plugin("classifier", _generated.make_module(changed), "builtin")
    assert plugin.source_hash == _generated.fingerprint(changed)
    assert plugin.source_hash not in (old_hash, _generated.fingerprint(row))
    assert _generated.reported_hash("kneighbors", "another fingerprint") == "another fingerprint"


def test_adding_an_estimator_is_one_row() -> None:
    row = {"name": "extra_trees", "short": "ET", "description": "Extremely Randomized Trees",
           "estimator": "sklearn.ensemble.ExtraTreesClassifier", "zero_is_none": ["max_depth"],
           "parameters": [
               {"name": "n_estimators", "description": "Number of trees", "type": "integer",
                "range": [1, 1000], "default_value": 20},
               {"name": "max_depth", "description": "Maximum depth (0 = unlimited)",
                "type": "integer", "range": [0, 100], "default_value": 0},
               {"name": "random_state", "description": "Random seed", "type": "integer",
                "range": [0, 4294967295], "default_value": 0}]}
    plugin = _registry._make_plugin("classifier", _generated.make_module(row), "builtin")
    assert (plugin.name, plugin.path.name, plugin.info["short"]) == ("extra_trees",
                                                                     "extra_trees", "ET")
    X, y = load_iris(return_X_y=True)
    clf = plugin.module.get_clf({"title": "ET", "method": "extra_trees", "max_depth": 3},
                                {"num_classes": 3})
    assert (clf.clf.n_estimators, clf.clf.max_depth, clf.clf.random_state) == (20, 3, 0)
    clf.fit(X, y)
    proba = clf.predict_proba(X, y)
    assert np.array_equal(clf.predict(X, y), clf.clf.predict(X))
    assert proba.shape == (150, 3) and np.allclose(proba.sum(axis=1), 1)
    assert not hasattr(clf, "decision_function")


def test_a_builtin_takes_only_its_declared_parameters() -> None:
    """As the hand-written ones did: other keys of the config (title, a stray
    random_state) are not passed to the estimator."""
    module = Registry.discover(entry_points=False).classifier("gaussiannb").module
    clf = module.get_clf({"title": "GNB", "method": "gaussiannb", "random_state": 3,
                          "var_smoothing": 1e-3}, {"num_classes": 3})
    assert clf.clf.get_params() == {"priors": None, "var_smoothing": 1e-3}
    assert re.fullmatch(r"Gaussian Naive Bayes \(scikit-learn's GaussianNB\), from _table\.",
                        module.__doc__)


def test_finding_the_generated_builtins_reads_no_file_of_the_current_folder(tmp_path,
                                                                            monkeypatch):
    """A generated built-in has no file of its own: its code identity comes from the table.
    Hashing its module path ('.') read every .py file under the current folder, seconds in
    a project with a .venv each time plugins were found (configs then ran past their
    timeout in the workers)."""
    from modelmap.plugins import Registry, _loading

    hashed = []
    original = _loading.source_hash
    monkeypatch.setattr(_loading, "source_hash", lambda path: hashed.append(path) or
                        original(path))
    monkeypatch.chdir(tmp_path)
    Registry.discover(None)
    assert all(Path(p).resolve() != tmp_path.resolve() for p in hashed), hashed
