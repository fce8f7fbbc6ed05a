"""Built-in dataset plugins return the seed's data format (the table plugin: test_table.py)."""

from __future__ import annotations


import numpy as np
import pytest

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
