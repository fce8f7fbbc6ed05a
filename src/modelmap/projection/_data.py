"""Data projections: 2-D views of a data set for the Data view (never fed to classifiers).

Each projection is described in the plugin info format (name, description, parameters)
and its parameters are checked with :func:`modelmap.params.check_argument`, so a
job's projection configurations behave like classifier configurations::

    {"title": "t-SNE p30", "method": "tsne", "perplexity": 30.0, "random_state": 42}
"""

from __future__ import annotations

import contextlib
import difflib
import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from modelmap.errors import DataError, PluginError
from modelmap.params import check_argument as check

_SEED = {"name": "random_state", "description": "Random seed", "type": "integer",
         "range": [0, 4294967295], "default_value": 42}


#: scikit-learn's LocallyLinearEmbedding methods (the seed's four).
LLE_METHODS = ("standard", "modified", "hessian", "ltsa")

#: umap-learn's named input metrics that the seed's projections accept (umap-learn spells
#: the seed's 'russelrao' as 'russellrao').  Those needing ``metric_kwds`` (mahalanobis,
#: seuclidean, wminkowski) fail with umap-learn's own error.
UMAP_METRICS = ("euclidean", "manhattan", "chebyshev", "minkowski", "canberra", "braycurtis",
                "mahalanobis", "wminkowski", "seuclidean", "cosine", "correlation", "haversine",
                "hamming", "jaccard", "dice", "russellrao", "kulsinski", "rogerstanimoto",
                "sokalmichener", "sokalsneath", "yule")


def _neighbors(default: int) -> dict[str, Any]:
    return {"name": "n_neighbors", "description": "Number of neighbours (at most n_samples - 1)",
            "type": "integer", "range": [2, 10000], "default_value": default}


def _info(name: str, short: str, description: str, *params: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "short": short, "description": description,
            "parameters": [*params, dict(_SEED)]}


#: Every data projection, in the plugin info format.
PROJECTIONS: dict[str, dict[str, Any]] = {
    "pca": _info("pca", "PCA", "Principal Component Analysis (fast, linear)"),
    "mds": _info("mds", "MDS", "Metric Multidimensional Scaling",
                 {"name": "max_iter", "description": "SMACOF iterations", "type": "integer",
                  "range": [1, 100000], "default_value": 300}),
    "tsne": _info("tsne", "t-SNE", "t-distributed Stochastic Neighbor Embedding",
                  {"name": "perplexity", "description": "Effective number of neighbours "
                   "(clamped to (n_samples - 1) / 3)", "type": "float", "range": [1, 10000],
                   "default_value": 30.0},
                  {"name": "max_iter", "description": "Optimisation iterations",
                   "type": "integer", "range": [250, 100000], "default_value": 1000}),
    "isomap": _info("isomap", "Isomap", "Isomap embedding (geodesic distances)",
                    _neighbors(5)),
    "lle": _info("lle", "LLE", "Locally Linear Embedding", _neighbors(10),
                 {"name": "lle_method", "description": "LLE variant ('method' is reserved); "
                  "hessian needs n_neighbors > 5 (n_components * (n_components + 3) / 2)",
                  "type": "string", "range": list(LLE_METHODS), "default_value": "standard"}),
    "spectral_embedding": _info("spectral_embedding", "Spectral",
                                "Spectral embedding (Laplacian eigenmaps)", _neighbors(10)),
    "umap": _info("umap", "UMAP", "Uniform Manifold Approximation and Projection "
                  "(needs pip install modelmap[umap])", _neighbors(15),
                  {"name": "min_dist", "description": "Minimum distance of embedded points "
                   "(at most spread)", "type": "float", "range": [0, 1000],
                   "default_value": 0.1},
                  {"name": "spread", "description": "Scale of the embedded points",
                   "type": "float", "range": [0, 1000], "default_value": 1.0},
                  {"name": "metric", "description": "Distance in the input space (umap-learn's "
                   "names)", "type": "string", "range": list(UMAP_METRICS),
                   "default_value": "euclidean"}),
}


def _kwargs(cls: type, **candidates: Any) -> dict[str, Any]:
    """The candidates the installed scikit-learn version of ``cls`` accepts."""
    accepted = inspect.signature(cls).parameters
    return {k: v for k, v in candidates.items() if k in accepted}


def _clamp_neighbors(args: Mapping[str, Any], info: Mapping[str, Any], n: int) -> int:
    return max(1, min(check("n_neighbors", args, info), n - 1))


def _pca(X: np.ndarray, args: Mapping[str, Any], seed: int) -> np.ndarray:
    from sklearn.decomposition import PCA

    return PCA(n_components=2, random_state=seed).fit_transform(X)


def _mds(X: np.ndarray, args: Mapping[str, Any], seed: int) -> np.ndarray:
    from sklearn.manifold import MDS

    kwargs = _kwargs(MDS, n_init=1, init="classical_mds", normalized_stress="auto",
                     max_iter=check("max_iter", args, PROJECTIONS["mds"]), random_state=seed)
    return MDS(n_components=2, **kwargs).fit_transform(X)


def _tsne(X: np.ndarray, args: Mapping[str, Any], seed: int) -> np.ndarray:
    from sklearn.manifold import TSNE

    info = PROJECTIONS["tsne"]
    perplexity = min(check("perplexity", args, info), max(1.0, (len(X) - 1) / 3))
    iterations = check("max_iter", args, info)
    kwargs = _kwargs(TSNE, max_iter=iterations) or {"n_iter": iterations}
    return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed,
                **kwargs).fit_transform(X)


@contextlib.contextmanager
def _seeded_global_numpy(seed: int) -> Iterator[None]:
    """Seed NumPy's global generator for the block and restore its state afterwards.

    Isomap has no ``random_state``; its ARPACK start vector comes from the global
    generator, so this is the only way to make it repeatable.
    """
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def _isomap(X: np.ndarray, args: Mapping[str, Any], seed: int) -> np.ndarray:
    from sklearn.manifold import Isomap

    n_neighbors = _clamp_neighbors(args, PROJECTIONS["isomap"], len(X))
    with _seeded_global_numpy(seed):
        return Isomap(n_components=2, n_neighbors=n_neighbors).fit_transform(X)


def _lle(X: np.ndarray, args: Mapping[str, Any], seed: int) -> np.ndarray:
    from sklearn.manifold import LocallyLinearEmbedding

    info = PROJECTIONS["lle"]
    n_neighbors = _clamp_neighbors(args, info, len(X))
    variant = check("lle_method", args, info)
    if variant in ("modified", "ltsa"):  # they need n_neighbors > n_components
        n_neighbors = max(n_neighbors, min(3, len(X) - 1))
    # hessian's rule (n_neighbors > 5) is scikit-learn's to check: its message is shown
    model = LocallyLinearEmbedding(n_components=2, n_neighbors=n_neighbors, method=variant,
                                   eigen_solver="auto", random_state=seed)
    return model.fit_transform(X)


def _spectral(X: np.ndarray, args: Mapping[str, Any], seed: int) -> np.ndarray:
    from sklearn.manifold import SpectralEmbedding

    n_neighbors = _clamp_neighbors(args, PROJECTIONS["spectral_embedding"], len(X))
    return SpectralEmbedding(n_components=2, n_neighbors=n_neighbors,
                             random_state=seed).fit_transform(X)


def _umap(X: np.ndarray, args: Mapping[str, Any], seed: int) -> np.ndarray:
    try:
        import umap
    except ImportError as exc:
        raise PluginError(
            "The umap projection needs the umap-learn package, which is not installed.",
            where="projections: method 'umap'",
            hint="pip install modelmap[umap]  (or pick pca, tsne, mds, isomap, lle, "
                 "spectral_embedding)",
        ) from exc
    info = PROJECTIONS["umap"]
    model = umap.UMAP(n_components=2, n_neighbors=_clamp_neighbors(args, info, len(X)),
                      min_dist=check("min_dist", args, info),
                      spread=check("spread", args, info),
                      metric=check("metric", args, info), random_state=seed)
    return model.fit_transform(X)


_METHODS: dict[str, Callable[[np.ndarray, Mapping[str, Any], int], np.ndarray]] = {
    "pca": _pca, "mds": _mds, "tsne": _tsne, "isomap": _isomap, "lle": _lle,
    "spectral_embedding": _spectral, "umap": _umap,
}


def _as_matrix(X: Any) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or len(X) == 0:
        raise DataError(f"A projection needs a 2-D array with samples in rows; got shape "
                        f"{X.shape}.", hint="flatten each sample to one row of features.")
    if not np.isfinite(X).all():
        raise DataError("The data to project contains NaN or infinite values.",
                        hint="impute or drop missing values in the dataset plugin.")
    return X


#: Above this many samples a data projection that can place new points (PCA) is fitted
#: on a seeded sample of this many and then applied to every sample, a chunk at a time.
FIT_LIMIT = 20_000
_FITS_ON_A_SAMPLE = frozenset({"pca"})


def fitted_on(method: str, n_samples: int) -> int | None:
    """How many of ``n_samples`` the projection ``method`` is fitted on when given rows
    (see :func:`project`), or None when it is fitted on all of them."""
    return FIT_LIMIT if method in _FITS_ON_A_SAMPLE and n_samples > FIT_LIMIT else None


def project(method: str, args: Mapping[str, Any], X: Any) -> np.ndarray:
    """Project ``X`` (n_samples, n_features) to (n_samples, 2) float64 with ``method``.

    ``args`` is the projection configuration (``title``/``method`` are ignored);
    randomness is seeded by ``args['random_state']`` (default 42).  Data with fewer than
    two features or three samples is returned as it is, padded with zeros.

    ``X`` may also be rows encoded on demand (``len``, ``take(index)``, ``chunks()``,
    ``materialize()``: a bundle's ``projection_rows()``).  PCA is then fitted on a seeded
    sample of :data:`FIT_LIMIT` rows when there are more (:func:`fitted_on`) and applied
    to all of them in chunks, so that a large data set is never held encoded as a whole.
    """
    if method not in _METHODS:
        close = difflib.get_close_matches(str(method), list(_METHODS), n=1)
        hint = (f"did you mean '{close[0]}'? " if close else "") + \
            f"Available projections: {', '.join(sorted(_METHODS))}."
        raise PluginError(f"There is no projection named '{method}'.", hint=hint)
    seed = check("random_state", args, PROJECTIONS[method])
    rows = X if hasattr(X, "chunks") else None
    if rows is None and fitted_on(method, len(X)):
        rows = _Rows(_as_matrix(X))
    if rows is not None:
        if fitted_on(method, len(rows)):
            return _pca_on_a_sample(rows, seed)
        X = rows.materialize()
    X = _as_matrix(X)
    if X.shape[1] < 2 or len(X) < 3:
        out = np.zeros((len(X), 2))
        out[:, : min(2, X.shape[1])] = X[:, :2]
        return out
    result = np.asarray(_METHODS[method](X, args, seed), dtype=np.float64)
    return np.ascontiguousarray(result[:, :2])


class _Rows:
    """A matrix seen as rows on demand (what :func:`project` takes from a bundle)."""

    def __init__(self, X: np.ndarray) -> None:
        self._X = X

    def __len__(self) -> int:
        return len(self._X)

    def take(self, index: np.ndarray) -> np.ndarray:
        return self._X[index]

    def chunks(self, size: int = 10_000) -> Iterator[np.ndarray]:
        for start in range(0, len(self._X), size):
            yield self._X[start:start + size]

    def materialize(self) -> np.ndarray:
        return self._X


def _pca_on_a_sample(rows: Any, seed: int) -> np.ndarray:
    """PCA fitted on :data:`FIT_LIMIT` seeded rows, every row projected chunk by chunk."""
    from sklearn.decomposition import PCA

    n = len(rows)
    index = np.sort(np.random.default_rng(seed).choice(n, FIT_LIMIT, replace=False))
    sample = _as_matrix(rows.take(index))
    out = np.zeros((n, 2))
    if sample.shape[1] < 2:  # one feature: the points are that feature, as for small data
        offset = 0
        for chunk in rows.chunks():
            out[offset:offset + len(chunk), :1] = _as_matrix(chunk)[:, :1]
            offset += len(chunk)
        return out
    model = PCA(n_components=2, random_state=seed).fit(sample)
    del sample
    offset = 0
    for chunk in rows.chunks():
        out[offset:offset + len(chunk)] = model.transform(_as_matrix(chunk))
        offset += len(chunk)
    return out
