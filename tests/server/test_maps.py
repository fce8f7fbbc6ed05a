"""Classifier maps: vectorized distances equal scipy's, projections, caching, real errors."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist, squareform

from modelmap.errors import DataError
from modelmap.projection import classical_mds, classifier_map, distance_matrix, embed

pytestmark = pytest.mark.timeout(180)


def _vectors(n: int = 40, d: int = 60, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 3, d)
    noise = rng.random((n, 1)) * 0.5
    flips = rng.random((n, d)) < noise
    return np.where(flips, rng.integers(0, 3, (n, d)), truth).astype(float)


@pytest.mark.parametrize("metric", ["euclidean", "cosine", "correlation", "hamming"])
def test_distances_match_scipy(metric):
    V = _vectors() + 0.5  # no all-zero or constant rows
    np.testing.assert_allclose(distance_matrix(V, metric), squareform(pdist(V, metric)),
                               atol=1e-10)


def test_identical_classifiers_are_at_distance_zero():
    V = np.repeat(_vectors(3), 2, axis=0)
    D = distance_matrix(V, "euclidean")
    assert D[0, 1] == pytest.approx(0, abs=1e-9) and D[0, 2] > 1


@pytest.mark.parametrize("metric,rows,expected", [
    ("cosine", [[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]], "The cosine distance is undefined for "
     "'zero': their vectors are all zero."),
    ("correlation", [[2.0, 2.0, 2.0], [1.0, 2.0, 3.0]], "The correlation distance is "
     "undefined for 'zero': their values are constant."),
    ("euclidean", [[np.nan, 1.0, 2.0], [1.0, 2.0, 3.0]], "The values of 'zero' contain NaN "
     "or infinite numbers, so their distances are undefined."),
])
def test_undefined_distances_raise_instead_of_becoming_zero(metric, rows, expected):
    with pytest.raises(DataError) as caught:
        distance_matrix(rows, metric, labels=["zero", "other"])
    assert caught.value.message == expected and caught.value.hint


def test_classical_mds_is_pca_for_euclidean_distances():
    from sklearn.decomposition import PCA

    V = _vectors(30, 10)
    points = classical_mds(distance_matrix(V))
    reference = PCA(n_components=2).fit_transform(V)
    for axis in range(2):  # equal up to the sign of each axis
        assert min(np.abs(points[:, axis] - reference[:, axis]).max(),
                   np.abs(points[:, axis] + reference[:, axis]).max()) < 1e-8


@pytest.mark.parametrize("projection", ["pca", "mds", "tsne"])
def test_projections_keep_two_groups_apart_and_are_seeded(projection):
    rng = np.random.default_rng(1)
    V = np.vstack([rng.normal(0, 0.1, (15, 8)), rng.normal(5, 0.1, (15, 8))])
    args = {"perplexity": 5} if projection == "tsne" else {}
    first = classifier_map(V, projection=projection, args=args)
    second = classifier_map(V, projection=projection, args=args)
    np.testing.assert_array_equal(first.points, second.points)
    a, b = first.points[:15], first.points[15:]
    gap = np.linalg.norm(a.mean(0) - b.mean(0))
    spread = max(np.linalg.norm(a - a.mean(0), axis=1).max(),
                 np.linalg.norm(b - b.mean(0), axis=1).max())
    assert first.points.shape == (30, 2) and gap > 2 * spread


def test_umap_without_the_package_says_how_to_install_it():
    try:
        import umap  # noqa: F401
    except ImportError:
        from modelmap.errors import PluginError

        with pytest.raises(PluginError, match="pip install modelmap"):
            embed(np.ones((5, 5)) - np.eye(5), "umap")
    else:
        assert embed(np.ones((5, 5)) - np.eye(5), "umap").shape == (5, 2)


def test_map_endpoint_computes_once_then_reads_the_cache(client, ids):
    chosen = [ids[t] for t in ("KNN 1", "KNN 3", "KNN 5", "SVM linear", "SVM rbf")]
    body = {"results": chosen[::-1], "values": "proba_test", "metric": "euclidean",
            "projection": "mds"}
    first = client.post("/api/maps", json=body).json()
    assert first["cached"] is False and first["results"] == sorted(chosen)
    assert len(first["points"]["data"]) == 5 and len(first["distances"]["data"]) == 5
    D = np.array(first["distances"]["data"])
    np.testing.assert_allclose(D, D.T)
    np.testing.assert_allclose(np.diag(D), 0)
    second = client.post("/api/maps", json={**body, "results": chosen}).json()
    assert second["cached"] is True and second["points"] == first["points"]
    by_key = client.get(f"/api/maps/{first['key']}", params={"distances": False}).json()
    assert by_key["points"] == first["points"] and "distances" not in by_key
    other = client.post("/api/maps", json={**body, "metric": "cosine"}).json()
    assert other["key"] != first["key"] and other["cached"] is False


@pytest.mark.parametrize("values", ["pred_test", "pred_train", "confusion_test", "scores"])
def test_every_kind_of_values_maps(client, ids, values):
    chosen = [ids[t] for t in ("KNN 1", "KNN 3", "SVM linear", "SVM rbf")]
    answer = client.post("/api/maps", json={"results": chosen, "values": values,
                                            "metric": "euclidean", "projection": "pca"})
    assert answer.status_code == 200, answer.text
    assert np.isfinite(np.array(answer.json()["points"]["data"])).all()


def test_map_errors_are_422_with_the_classifier_named(client, ids):
    failed = client.post("/api/maps", json={"results": [ids["KNN 1"], ids["=Broken"]]})
    assert failed.status_code == 422
    assert "'=Broken'" in failed.json()["detail"] and failed.json()["hint"]
    constant = client.post("/api/maps", json={"results": [ids["Naive"], ids["KNN 1"]],
                                              "metric": "correlation"})
    assert constant.status_code == 422 and "'Naive'" in constant.json()["detail"]
    bad_param = client.post("/api/maps", json={"results": [ids["KNN 1"]],
                                               "projection": "tsne",
                                               "params": {"perplexity": -3}})
    assert bad_param.status_code == 400 and "perplexity" in bad_param.json()["detail"]
    unknown = client.post("/api/maps", json={"results": [ids["KNN 1"]], "params": {"x": 1}})
    assert unknown.status_code == 400
    assert client.get("/api/maps/" + "0" * 64).status_code == 404
