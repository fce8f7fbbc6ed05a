"""Classifier maps: 2-D views of many classifiers from what they predicted.

Each classifier is one row vector (its predictions, probabilities, confusion-matrix
values or scores).  The distances between all rows are computed once, vectorized
(BLAS matrix products for euclidean, cosine and correlation; ``scipy.spatial.distance.pdist``
for hamming), and the 2-D projection works on that precomputed matrix:

- ``pca``: classical (Torgerson) MDS of the distances, i.e. PCA of the points the
  distances describe (identical to PCA of the vectors for euclidean distances);
- ``mds``: metric MDS (SMACOF, :func:`modelmap.projection._layouts.smacof`), started from
  the classical solution;
- ``tsne``: exact t-SNE (:func:`modelmap.projection._layouts.tsne`; scikit-learn's
  Barnes-Hut t-SNE above a few thousand classifiers), started from the classical solution;
- ``umap``: UMAP with ``metric="precomputed"`` (needs ``pip install modelmap[umap]``).

Nothing is patched over: a distance that is undefined (cosine of an all-zero vector,
correlation of a constant one) or a non-finite value raises :class:`DataError` naming the
classifiers, instead of silently becoming zero.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmap.errors import DataError, PluginError
from modelmap.params import check_argument as check
from modelmap.projection._layouts import single_threaded

#: What can be compared: stored result arrays, or the result's scores.
MAP_VALUES = ("pred_test", "pred_train", "proba_test", "proba_train", "confusion_test",
              "confusion_train", "scores")
#: Distances between the classifiers' vectors.
MAP_METRICS = ("euclidean", "cosine", "correlation", "hamming")

#: Distance products up to this many multiply-adds (n * n * d) run in one BLAS thread:
#: a second thread costs more in waiting than it saves, above all on busy cores.
_SMALL_PRODUCT = 10**8

_SEED = {"name": "random_state", "description": "Random seed", "type": "integer",
         "range": [0, 4294967295], "default_value": 42}


def _info(name: str, short: str, description: str, *params: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "short": short, "description": description,
            "parameters": [*params, dict(_SEED)]}


#: Projections of a classifier map, in the plugin info format (parameters are checked
#: with :func:`modelmap.params.check_argument`).
MAP_PROJECTIONS: dict[str, dict[str, Any]] = {
    "pca": _info("pca", "PCA", "Classical MDS of the distances (PCA of the implied points)"),
    "mds": _info("mds", "MDS", "Metric MDS (SMACOF) of the distances, started from PCA",
                 {"name": "max_iter", "description": "Most SMACOF iterations",
                  "type": "integer", "range": [1, 3000], "default_value": 300},
                 {"name": "eps", "description": "SMACOF stops when an iteration lowers the "
                  "stress by less than eps times the sum of squared map distances",
                  "type": "float", "range": [0, 1], "default_value": 1e-5}),
    "tsne": _info("tsne", "t-SNE", "t-SNE of the distances, started from PCA",
                  {"name": "perplexity", "description": "Effective number of neighbours "
                   "(clamped to (n - 1) / 3)", "type": "float", "range": [1, 10000],
                   "default_value": 30.0},
                  {"name": "max_iter", "description": "Most optimisation iterations (stops "
                   "earlier once the KL divergence no longer falls)",
                   "type": "integer", "range": [250, 5000], "default_value": 1000}),
    "umap": _info("umap", "UMAP", "UMAP of the distances (needs pip install modelmap[umap])",
                  {"name": "n_neighbors", "description": "Number of neighbours (at most n - 1)",
                   "type": "integer", "range": [2, 10000], "default_value": 15},
                  {"name": "min_dist", "description": "Minimum distance of embedded points",
                   "type": "float", "range": [0, 1], "default_value": 0.1}),
}


@dataclass(frozen=True)
class ClassifierMap:
    """A computed map: ``points`` (n, 2) and the symmetric ``distances`` (n, n)."""

    points: np.ndarray
    distances: np.ndarray
    metric: str
    projection: str


def _names(rows: Sequence[int], labels: Sequence[str] | None) -> str:
    shown = [repr(labels[i]) if labels is not None else f"row {i}" for i in rows[:5]]
    more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
    return ", ".join(shown) + more


def as_vectors(vectors: Any, labels: Sequence[str] | None = None) -> np.ndarray:
    """``vectors`` as a finite float64 (n, d) matrix, or a :class:`DataError`."""
    try:
        X = np.asarray(vectors, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"The classifier vectors are not numeric: {exc}",
                        hint="compare predictions, probabilities, confusion matrices or "
                        "scores") from None
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise DataError(f"A classifier map needs one non-empty vector per classifier; got an "
                        f"array of shape {X.shape}.", hint="select at least one classifier")
    bad = np.flatnonzero(~np.isfinite(X).all(axis=1))
    if len(bad):
        raise DataError(f"The values of {_names(bad.tolist(), labels)} contain NaN or "
                        "infinite numbers, so their distances are undefined.",
                        hint="leave these classifiers out of the map or compare other values")
    return X


def _gram_distances(X: np.ndarray) -> np.ndarray:
    """Euclidean distances of the rows of ``X`` through one matrix product."""
    X = X - X.mean(axis=0)  # centring keeps the cancellation error small
    norms = np.einsum("ij,ij->i", X, X)
    squared = norms[:, None] + norms[None, :] - 2.0 * (X @ X.T)
    np.maximum(squared, 0.0, out=squared)
    np.fill_diagonal(squared, 0.0)
    return np.sqrt(squared, out=squared)


def _unit_rows(X: np.ndarray, what: str, labels: Sequence[str] | None, hint: str) -> np.ndarray:
    norms = np.linalg.norm(X, axis=1)
    scale = np.abs(X).max(axis=1)
    bad = np.flatnonzero(norms <= 1e-12 * np.maximum(scale, 1e-300))
    if len(bad):
        why = "their vectors are all zero" if what == "cosine" else "their values are constant"
        raise DataError(f"The {what} distance is undefined for "
                        f"{_names(bad.tolist(), labels)}: {why}.", hint=hint)
    return X / norms[:, None]


def _angular(U: np.ndarray) -> np.ndarray:
    distances = 1.0 - U @ U.T
    np.clip(distances, 0.0, 2.0, out=distances)
    np.fill_diagonal(distances, 0.0)
    return distances


def distance_matrix(vectors: Any, metric: str = "euclidean",
                    labels: Sequence[str] | None = None) -> np.ndarray:
    """The (n, n) distances between the rows of ``vectors`` (vectorized, no Python loop).

    Matches ``scipy.spatial.distance.pdist(vectors, metric)`` up to rounding; rows for
    which the metric is undefined raise :class:`DataError` (``labels`` name them).
    """
    if metric not in MAP_METRICS:
        raise DataError(f"There is no map distance named {metric!r}.",
                        hint=f"use one of {', '.join(MAP_METRICS)}")
    X = as_vectors(vectors, labels)
    if X.shape[0] ** 2 * X.shape[1] <= _SMALL_PRODUCT:
        with single_threaded():
            return _distances(X, metric, labels)
    return _distances(X, metric, labels)


def _distances(X: np.ndarray, metric: str, labels: Sequence[str] | None) -> np.ndarray:
    if metric == "euclidean":
        return _gram_distances(X)
    if metric == "hamming":
        from scipy.spatial.distance import pdist, squareform

        return squareform(pdist(X, "hamming"))
    other = "euclidean or hamming"
    if metric == "cosine":
        hint = f"leave these classifiers out of the map or use the {other} distance"
        return _angular(_unit_rows(X, "cosine", labels, hint))
    hint = (f"leave out classifiers that predict the same for every sample (such as the naive "
            f"baseline) or use the {other} distance")
    return _angular(_unit_rows(X - X.mean(axis=1, keepdims=True), "correlation", labels, hint))


def _check_distances(D: Any) -> np.ndarray:
    D = np.asarray(D, dtype=np.float64)
    if D.ndim != 2 or D.shape[0] != D.shape[1] or D.shape[0] == 0:
        raise DataError(f"A distance matrix must be square and non-empty; got shape {D.shape}.")
    if not np.isfinite(D).all() or (D < 0).any():
        raise DataError("The distance matrix contains negative, NaN or infinite values.",
                        hint="compute it with modelmap.projection.distance_matrix")
    return D


def _top_eigen(B: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` largest eigenpairs of the symmetric ``B`` (Lanczos for large matrices)."""
    n = len(B)
    if n > 200:
        from scipy.sparse.linalg import ArpackNoConvergence, eigsh

        start = np.random.default_rng(0).standard_normal(n)  # fixed: same input, same output
        try:
            return eigsh(B, k=k, which="LA", v0=start, tol=1e-10)
        except ArpackNoConvergence:
            pass
    from scipy.linalg import eigh

    return eigh(B, subset_by_index=[n - k, n - 1], driver="evr")


def classical_mds(distances: Any) -> np.ndarray:
    """Classical (Torgerson) MDS: the (n, 2) coordinates whose distances best fit ``D``.

    Signs are fixed (the largest coordinate of each axis is positive), so equal input
    gives equal output.  Axes the distances do not span are zero.
    """
    D = _check_distances(distances)
    n = len(D)
    B = D**2
    B -= B.mean(axis=0)
    B -= B.mean(axis=1, keepdims=True)
    B *= -0.5
    k = min(2, n)
    with single_threaded():  # Lanczos: many small products, where threads only wait
        values, vectors = _top_eigen(B, k)
    order = np.argsort(values)[::-1]
    values, vectors = np.maximum(values[order], 0.0), vectors[:, order]
    points = np.zeros((n, 2))
    points[:, :k] = vectors * np.sqrt(values)
    for axis in range(2):
        column = points[:, axis]
        if column[np.argmax(np.abs(column))] < 0:
            column *= -1
    return points


def _mds(D: np.ndarray, args: Mapping[str, Any], seed: int) -> np.ndarray:
    from modelmap.projection._layouts import smacof

    info = MAP_PROJECTIONS["mds"]
    max_iter, eps = check("max_iter", args, info), check("eps", args, info)
    start = classical_mds(D)
    with single_threaded():
        return smacof(D, start, max_iter, eps)[0]


def _tsne(D: np.ndarray, args: Mapping[str, Any], seed: int) -> np.ndarray:
    from modelmap.projection._layouts import EXACT_TSNE_MAX, tsne

    info = MAP_PROJECTIONS["tsne"]
    perplexity = min(check("perplexity", args, info), max(1.0, (len(D) - 1) / 3))
    max_iter = check("max_iter", args, info)
    start = classical_mds(D)
    spread = start[:, 0].std()
    rng = np.random.default_rng(seed)
    if spread == 0:
        start = rng.normal(size=start.shape)
    elif start[:, 1].std() < 1e-6 * spread:  # one-dimensional: give the second axis room
        start[:, 1] = rng.normal(scale=1e-3 * spread, size=len(start))
    start = start / start[:, 0].std() * 1e-4
    if len(D) <= EXACT_TSNE_MAX:
        with single_threaded():
            return tsne(D, start, perplexity, max_iter)[0]
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits

    model = TSNE(n_components=2, metric="precomputed", perplexity=perplexity, init=start,
                 max_iter=max_iter, random_state=seed)
    # Barnes-Hut's OpenMP threads gain little and lose a lot when the cores are busy
    with threadpool_limits(limits=1, user_api="openmp"):
        return model.fit_transform(D)


def _umap(D: np.ndarray, args: Mapping[str, Any], seed: int) -> np.ndarray:
    try:
        import umap
    except ImportError as exc:
        raise PluginError("The umap map projection needs the umap-learn package, which is not "
                          "installed.", hint="pip install modelmap[umap]  (or use pca, mds, "
                          "tsne)") from exc
    info = MAP_PROJECTIONS["umap"]
    n_neighbors = max(2, min(check("n_neighbors", args, info), len(D) - 1))
    model = umap.UMAP(n_components=2, metric="precomputed", n_neighbors=n_neighbors,
                      min_dist=check("min_dist", args, info), random_state=seed)
    return model.fit_transform(D)


_EMBED = {"mds": _mds, "tsne": _tsne, "umap": _umap}


def check_projection(projection: str) -> dict[str, Any]:
    """The info of a map projection, or a :class:`PluginError` naming the known ones."""
    if projection not in MAP_PROJECTIONS:
        close = difflib.get_close_matches(str(projection), list(MAP_PROJECTIONS), n=1)
        hint = (f"did you mean '{close[0]}'? " if close else "") + \
            f"Available map projections: {', '.join(MAP_PROJECTIONS)}."
        raise PluginError(f"There is no map projection named {projection!r}.", hint=hint)
    return MAP_PROJECTIONS[projection]


def embed(distances: Any, projection: str = "pca",
          args: Mapping[str, Any] | None = None) -> np.ndarray:
    """Project a precomputed distance matrix to (n, 2) float64 points."""
    info = check_projection(projection)
    args = dict(args or {})
    D = _check_distances(distances)
    seed = check("random_state", args, info)
    if projection == "pca" or len(D) < 4 or not D.any():
        points = classical_mds(D)
    else:
        points = np.asarray(_EMBED[projection](D, args, seed), dtype=np.float64)[:, :2]
    if not np.isfinite(points).all():
        raise DataError(f"The {projection} projection produced NaN or infinite coordinates.",
                        hint="try another projection, such as pca")
    return np.ascontiguousarray(points)


def classifier_map(vectors: Any, *, metric: str = "euclidean", projection: str = "pca",
                   args: Mapping[str, Any] | None = None,
                   labels: Sequence[str] | None = None) -> ClassifierMap:
    """Map classifiers (rows of ``vectors``) to 2-D: distances once, then the projection.

    ``args`` holds the projection's parameters (see :data:`MAP_PROJECTIONS`, e.g.
    ``{"perplexity": 10, "random_state": 0}``); ``labels`` name the rows in errors.
    """
    check_projection(projection)
    distances = distance_matrix(vectors, metric, labels)
    return ClassifierMap(embed(distances, projection, args), distances, metric, projection)
