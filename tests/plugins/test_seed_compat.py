"""The seed system's own plugins and jobs run unchanged (issue 15), through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelmap.plugins import Registry
from modelmap.store import Store
from tests.conftest import modelmap

from ._seed_style import SEED_GAUSSIAN_NB, SEED_INT_CLASSES, SEED_NAIVE, classifier, dataset, job

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

    from modelmap.data._validate import check_plugin_output
    from modelmap.errors import DataError

    raw = {"X_train": [[0.0]], "y_train": [0], "X_test": [], "y_test": [],
           "class_names": np.array([0, 1])}
    assert check_plugin_output(raw, "here")["class_names"] == ["0", "1"]
    with pytest.raises(DataError, match="class_names must be a non-empty list of strings"):
        check_plugin_output({**raw, "class_names": [True, False]}, "here")
