"""Data projections: (n, 2) float64, finite, seeded, with checked parameters."""

from __future__ import annotations

import importlib.util
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris

from modelmap.errors import ArgumentWarning, DataError, PluginError
from modelmap.plugins import validate_info
from modelmap.projection import PROJECTIONS, project

pytestmark = [
    pytest.mark.filterwarnings("ignore:Graph is not fully connected"),
    pytest.mark.filterwarnings("ignore:The number of connected components"),
    pytest.mark.filterwarnings("ignore::scipy.sparse.SparseEfficiencyWarning"),
]

X = load_iris().data[::2]  # 75 samples keep t-SNE and MDS quick
AVAILABLE = [m for m in PROJECTIONS if m != "umap" or importlib.util.find_spec("umap")]


def test_projection_infos_are_valid_plugin_infos() -> None:
    assert sorted(PROJECTIONS) == [
        "isomap", "lle", "mds", "pca", "spectral_embedding", "tsne", "umap"]
    for name, info in PROJECTIONS.items():
        assert info["name"] == name
        assert validate_info(info) == []
        assert info["parameters"][-1]["name"] == "random_state"
        assert info["parameters"][-1]["default_value"] == 42


@pytest.mark.parametrize("method", AVAILABLE)
def test_projection_is_2d_finite_and_deterministic(method: str) -> None:
    fast = {"max_iter": 250} if method == "tsne" else {}
    first = project(method, {"title": method, "method": method, **fast}, X)
    assert first.shape == (75, 2)
    assert first.dtype == np.float64
    assert np.all(np.isfinite(first))
    assert first[:, 0].std() > 0 and first[:, 1].std() > 0
    second = project(method, {"random_state": 42, **fast}, X.tolist())
    assert np.array_equal(first, second)


def test_perplexity_is_clamped_below_the_number_of_samples() -> None:
    small = X[:12]
    result = project("tsne", {"perplexity": 500.0, "max_iter": 250}, small)
    assert result.shape == (12, 2)
    assert np.array_equal(result, project("tsne", {"perplexity": 11 / 3, "max_iter": 250}, small))


def test_neighbour_counts_are_clamped_for_small_data() -> None:
    small = X[:6]
    for method in ("isomap", "lle", "spectral_embedding"):
        assert project(method, {"n_neighbors": 50}, small).shape == (6, 2)


def test_invalid_parameters_warn_and_use_the_default() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = project("tsne", {"perplexity": "high", "max_iter": 250, "random_state": -1},
                         X[:30])
    assert [str(w.message) for w in caught if w.category is ArgumentWarning] == [
        "The 'random_state' parameter of tsne must be an integer in [0, 4294967295]; got -1. "
        "Using the default 42.",
        "The 'perplexity' parameter of tsne must be a float in [1, 10000]; got 'high'. "
        "Using the default 30.0.",
    ]
    assert np.array_equal(result, project("tsne", {"max_iter": 250}, X[:30]))


def test_tiny_or_one_feature_data_is_padded_not_projected() -> None:
    assert project("pca", {}, [[1.0], [2.0], [4.0]]).tolist() == [[1, 0], [2, 0], [4, 0]]
    assert project("tsne", {}, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).tolist() == [[1, 2], [4, 5]]


def test_unknown_method_and_bad_data_are_explained() -> None:
    with pytest.raises(PluginError) as info:
        project("t-sne", {}, X)
    assert str(info.value) == (
        "There is no projection named 't-sne'.\n  hint: did you mean 'tsne'? Available "
        "projections: isomap, lle, mds, pca, spectral_embedding, tsne, umap."
    )
    with pytest.raises(DataError) as info:
        project("pca", {}, np.zeros(5))
    assert str(info.value) == (
        "A projection needs a 2-D array with samples in rows; got shape (5,).\n"
        "  hint: flatten each sample to one row of features."
    )
    with pytest.raises(DataError) as info:
        project("pca", {}, [[1.0, np.nan], [1.0, 2.0], [3.0, 4.0]])
    assert str(info.value) == (
        "The data to project contains NaN or infinite values.\n"
        "  hint: impute or drop missing values in the dataset plugin."
    )


@pytest.mark.skipif(importlib.util.find_spec("umap") is not None, reason="umap-learn installed")
def test_umap_without_umap_learn_says_how_to_install_it() -> None:
    with pytest.raises(PluginError) as info:
        project("umap", {}, X)
    assert str(info.value) == (
        "projections: method 'umap': The umap projection needs the umap-learn package, which "
        "is not installed.\n  hint: pip install modelmap[umap]  (or pick pca, tsne, mds, "
        "isomap, lle, spectral_embedding)"
    )
