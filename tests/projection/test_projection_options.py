"""The projection options the seed's jobs use: the four LLE methods and UMAP's options."""

from __future__ import annotations

import sys
import types
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.manifold import LocallyLinearEmbedding

from modelmap.errors import ArgumentWarning
from modelmap.projection import PROJECTIONS, project
from modelmap.store import Store
from tests.conftest import modelmap, write_job

X = load_iris().data


@pytest.mark.parametrize("method", ["standard", "modified", "hessian", "ltsa"])
def test_every_lle_method_is_scikit_learns_and_never_replaced(method: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ArgumentWarning)  # no "using the default" fallback
        got = project("lle", {"lle_method": method, "n_neighbors": 12, "random_state": 3}, X)
    expected = LocallyLinearEmbedding(n_components=2, n_neighbors=12, method=method,
                                      eigen_solver="auto", random_state=3).fit_transform(X)
    np.testing.assert_allclose(got, expected)


def test_hessian_with_too_few_neighbours_shows_scikit_learns_error() -> None:
    with pytest.raises(ValueError, match=r"for method='hessian', n_neighbors must be greater "
                       r"than \[n_components \* \(n_components \+ 3\) / 2\]"):
        project("lle", {"lle_method": "hessian", "n_neighbors": 5}, X)


def test_umap_options_are_passed_to_umap_learn(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict = {}

    class FakeUMAP:
        def __init__(self, **kwargs: object) -> None:
            seen.update(kwargs)

        def fit_transform(self, data: np.ndarray) -> np.ndarray:
            return data[:, :2]

    monkeypatch.setitem(sys.modules, "umap", types.SimpleNamespace(UMAP=FakeUMAP))
    args = {"metric": "cosine", "spread": 2.5, "min_dist": 0.5, "n_neighbors": 7,
            "random_state": 1}
    np.testing.assert_array_equal(project("umap", args, X), X[:, :2])
    assert seen == {"n_components": 2, "n_neighbors": 7, "min_dist": 0.5, "spread": 2.5,
                    "metric": "cosine", "random_state": 1}
    with pytest.warns(ArgumentWarning, match="The 'metric' parameter of umap must be one of "
                      "'euclidean', .*; got 'cosinus'. Using the default 'euclidean'."):
        project("umap", {"metric": "cosinus"}, X)
    assert seen["metric"] == "euclidean"
    assert [p["name"] for p in PROJECTIONS["umap"]["parameters"]] == [
        "n_neighbors", "min_dist", "spread", "metric", "random_state"]


def test_a_seed_job_with_lle_hessian_and_umap_metric_runs(ws) -> None:
    write_job(ws, "proj", {
        "data": {"title": "P", "dataset": "sklearn_iris"},
        "projections": [
            {"title": "LLE hessian", "method": "lle", "lle_method": "hessian",
             "n_neighbors": 10, "random_state": 42},
            {"title": "LLE h5", "method": "lle", "lle_method": "hessian", "n_neighbors": 5},
            {"title": "UMAP cos", "method": "umap", "n_neighbors": 15, "min_dist": 0.1,
             "spread": 1.0, "metric": "cosine", "random_state": 42},
        ],
        "classifiers": [{"title": "Naive", "method": "naive"}],
    })
    proc = modelmap("run", "proj", "-j", "1", cwd=ws)
    out = (proc.stdout + proc.stderr).replace("\n", "")
    assert proc.returncode == 1  # the hessian with 5 neighbours cannot run: an error
    assert "has no parameter" not in out and "Using the default" not in out
    assert "for method='hessian', n_neighbors must be greater than" in out
    stored = {p["title"]: p for p in Store(ws / "modelmap.db").projections("P")}
    assert stored["LLE hessian"]["points"].shape == (150, 2)
    assert "LLE h5" not in stored
    import importlib.util

    if importlib.util.find_spec("umap") is None:
        assert "The umap projection needs the umap-learn package" in out
    else:
        assert stored["UMAP cos"]["points"].shape == (150, 2)
