"""Built-in dataset plugins return the seed's data format; the table plugin reads files."""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from modelmap.errors import DataError
from modelmap.plugins import Registry

SHAPES = {
    "sklearn_iris": (150, 4, 3),
    "sklearn_wine": (178, 13, 3),
    "sklearn_breast_cancer": (569, 30, 2),
    "sklearn_digits": (1797, 64, 10),
    "sklearn_digits_cross_validation": (1797, 64, 10),
}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.discover(entry_points=False)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_single_label_datasets_follow_the_contract(registry: Registry, name: str) -> None:
    plugin = registry.dataset(name)
    data = plugin.module.get_data("unused")
    n, features, classes = SHAPES[name]
    assert data["X_train"].shape == (n, features)
    assert data["X_train"].dtype.kind == "f"
    assert data["y_train"].shape == (n,)
    assert sorted(np.unique(data["y_train"])) == list(range(classes))
    assert data["X_test"].shape == data["y_test"].shape == (0,)
    assert data["class_names"] == plugin.info["class_names"]
    assert len(data["class_names"]) == classes
    assert all(isinstance(c, str) for c in data["class_names"])


def test_digits_pass_their_original_shape(registry: Registry) -> None:
    specs = registry.dataset("sklearn_digits").module.get_data("")["specs"]
    assert specs == {"original_shape": (1797, 8, 8)}


def test_digits_cross_validation_has_five_stratified_seeded_folds(registry: Registry) -> None:
    module = registry.dataset("sklearn_digits_cross_validation").module
    data = module.get_data("")
    folds = data["specs"]["cv_folds"]
    assert folds.shape == (1797,)
    assert sorted(np.unique(folds)) == [1, 2, 3, 4, 5]
    assert np.bincount(folds)[1:].tolist() == [360, 360, 359, 359, 359]
    for label in range(10):
        per_fold = np.bincount(folds[data["y_train"] == label], minlength=6)[1:]
        assert per_fold.max() - per_fold.min() <= 1
    assert np.array_equal(folds, module.get_data("")["specs"]["cv_folds"])


def test_multi_label_test_is_an_indicator_matrix(registry: Registry) -> None:
    data = registry.dataset("multi_label_test").module.get_data("")
    assert data["X_train"].shape == (300, 20)
    assert data["y_train"].shape == (300, 5)
    assert set(np.unique(data["y_train"])) == {0, 1}
    assert data["class_names"] == ["Label A", "Label B", "Label C", "Label D", "Label E"]
    assert data["specs"] == {"multi_label": True}


def table(registry: Registry, args: dict) -> dict:
    get_data = registry.dataset("table").module.get_data
    assert list(inspect.signature(get_data).parameters) == ["datasets_path", "args"]
    return get_data("", args)


def test_table_reads_csv_with_label_names_sorted(registry: Registry, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "kind": ["dog", "cat", "emu", "cat"],
                          "b": [5, 6, 7, 8]})
    frame.to_csv(tmp_path / "animals.csv", index=False)
    monkeypatch.chdir(tmp_path)
    data = table(registry, {"path": "animals.csv", "label": "kind"})
    assert data["X_train"].tolist() == [[1, 5], [2, 6], [3, 7], [4, 8]]
    assert data["y_train"].tolist() == [1, 0, 2, 0]
    assert data["class_names"] == ["cat", "dog", "emu"]
    assert data["specs"] == {"feature_names": ["a", "b"]}
    assert data["X_test"].shape == (0,)
    assert registry.dataset("table").info["class_names"] == []


def test_table_reads_parquet_with_chosen_features_and_label_index(
        registry: Registry, tmp_path: Path) -> None:
    frame = pd.DataFrame({"x": [0.5, 1.5, 2.5], "y": [1, 1, 2], "cls": [10, 2, 10],
                          "note": ["a", "b", "c"]})
    frame.to_parquet(tmp_path / "t.parquet")
    data = table(registry, {"path": str(tmp_path / "t.parquet"), "label": 2,
                            "features": ["y", "x"]})
    assert data["X_train"].tolist() == [[1, 0.5], [1, 1.5], [2, 2.5]]
    assert data["y_train"].tolist() == [1, 0, 1]
    assert data["class_names"] == ["2", "10"]


def table_error(registry: Registry, args: dict) -> str:
    with pytest.raises(DataError) as info:
        table(registry, args)
    return str(info.value)


def test_table_errors_say_what_where_and_how(registry: Registry, tmp_path: Path) -> None:
    csv = tmp_path / "t.csv"
    pd.DataFrame({"x": [1, 2], "name": ["a", "b"], "label": [0, None]}).to_csv(csv, index=False)
    hint = ('  hint: the table dataset reads "path", "label" and optionally "features" from the '
            'job\'s data section, e.g. "path": "data.csv", "label": "class"')
    assert table_error(registry, {}) == (
        'data.path: No file to read: the data section has no "path".\n' + hint)
    assert table_error(registry, {"path": str(csv)}) == (
        'data.label: No label column: the data section has no "label".\n' + hint)
    assert table_error(registry, {"path": str(csv), "label": "cls"}) == (
        "data.label: The table has no column 'cls'.\n"
        "  hint: columns are: x, name, label (or give a 0-based index).")
    assert table_error(registry, {"path": str(csv), "label": "x"}) == (
        "data.features: Feature columns must be numeric; not numeric: name.\n"
        "  hint: list only numeric columns in \"features\", e.g. \"features\": ['label']")
    assert table_error(registry, {"path": str(csv), "label": "label", "features": ["x"]}) == (
        "data.label: 1 rows have no label (first rows: [1]).\n"
        "  hint: fill or drop the rows without a label.")
    missing = tmp_path / "nope.csv"
    assert table_error(registry, {"path": str(missing), "label": "x"}) == (
        f"data.path: The file {str(missing)!r} does not exist (resolved to {missing}).\n"
        "  hint: relative paths are looked up in the workspace folder, then next to the job "
        "file, then in the current folder.")
    assert table_error(registry, {"path": "data.xlsx", "label": "x"}) == (
        "data.path: Cannot read 'data.xlsx': unknown file type '.xlsx'.\n"
        "  hint: use a .csv, .tsv, .parquet or .pq file.")
