"""The iterative map layouts on a precomputed distance matrix: t-SNE and SMACOF.

Both are written for the sizes of classifier maps (tens to a few thousand points), where
dense O(n^2) NumPy steps beat tree or grid approximations and their set-up:

- :func:`tsne` (in :mod:`._tsne`): exact t-SNE.  Perplexity-calibrated Gaussian affinities over the
  ``3 * perplexity`` nearest neighbours of each point (all rows solved at once by a
  safeguarded Newton iteration on ``log(beta)``), symmetrised; Student-t kernel; gradient
  descent on the KL divergence with early exaggeration, momentum and per-coordinate gains
  (delta-bar-delta), as in van der Maaten's t-SNE.  Started from the given layout (the
  classical-MDS solution) scaled to a standard deviation of 1e-4, so a short
  early-exaggeration phase suffices, and stopped once the KL divergence no longer falls.
- :func:`smacof`: metric MDS by majorisation (the Guttman transform) from the given
  layout, stopped by scikit-learn's criterion (a transform lowered the stress by less than
  ``eps`` times the sum of the squared map distances).

The n x n work runs in single-threaded BLAS: on a few thousand points a second thread
gains little and loses a lot when the cores are busy (a server answering requests).
"""

from __future__ import annotations

import math
from contextlib import AbstractContextManager
from typing import Any

import numpy as np

from modelmap.projection._tsne import (CHECK_EVERY, EXAGGERATION, EXAGGERATION_ITER, KL_TOL,
                                       KL_TOL_N, KL_WINDOW, conditional_affinities, tsne,
                                       tsne_affinities)

__all__ = ["CHECK_EVERY", "EXACT_TSNE_MAX", "EXAGGERATION", "EXAGGERATION_ITER", "KL_TOL",
           "KL_TOL_N", "KL_WINDOW", "conditional_affinities", "single_threaded", "smacof",
           "stress", "tsne", "tsne_affinities"]

#: Above this many points the maps use scikit-learn's Barnes-Hut t-SNE (O(n log n) memory
#: and time per step) instead of the exact one (three n x n float32 matrices; on 2,000
#: points about 5 s against Barnes-Hut's 30 s, on 4,000 about as slow as Barnes-Hut).
EXACT_TSNE_MAX = 3000

_controller: Any = None


def single_threaded() -> AbstractContextManager[Any]:
    """A context in which BLAS uses one thread (cached controller: microseconds, not ms)."""
    global _controller
    if _controller is None:
        import scipy.linalg  # noqa: F401  (load scipy's BLAS first, so it is limited too)
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def stress(D: np.ndarray, points: np.ndarray) -> float:
    """Raw stress: the sum over pairs i < j of (||x_i - x_j|| - D_ij)^2."""
    X = np.asarray(points, dtype=np.float64)
    diff = X[:, None, :] - X[None, :, :]
    distances = np.sqrt((diff**2).sum(axis=2))
    return float(((distances - D) ** 2).sum() / 2)


def smacof(D: np.ndarray, start: np.ndarray, max_iter: int = 300,
           eps: float = 1e-5) -> tuple[np.ndarray, dict[str, Any]]:
    """Metric MDS of ``D`` by SMACOF from the layout ``start`` (n, 2).

    Iterates the Guttman transform ``X <- B(X) X / n`` (``B_ij = -D_ij / d_ij(X)`` off the
    diagonal, zero where ``d_ij(X) = 0``; rows sum to zero), which never increases the raw
    stress, until a transform lowered the stress by less than ``eps`` times the sum of the
    squared map distances (scikit-learn's criterion) or ``max_iter`` transforms were made.
    Returns the points and ``{"n_iter": transforms}``.

    The squared map distances come from one float64 (n, 4) x (4, n) product; the ratios
    ``D_ij / d_ij`` and the products with them are float32 (half the memory traffic; the
    configuration, the stress and the stopping rule stay float64).  The stress of X needs
    no pass over the n x n matrices: ``stress(X) = eta2(X) - 2 rho(X) + eta2(D)`` with
    ``eta2(X) = n sum_i |x_i|^2`` for a centred X and ``rho(X) = sum_i x_i . (B(X) X)_i``,
    the transform's own product.
    """
    n = len(D)
    f32 = np.float32
    X = np.array(start, dtype=np.float64)
    X -= X.mean(axis=0)
    eta2_D = float(np.dot(D.ravel(), D.ravel())) / 2
    D32 = D.astype(f32)
    left = np.ones((n, 4))   # columns x1, x2, |x|^2, 1
    right = np.ones((4, n))  # rows -2 x1, -2 x2, 1, |x|^2
    squared = np.empty((n, n))
    ratio = np.empty((n, n), f32)
    ones = np.ones(n, f32)
    XT = np.empty((2, n), f32)
    diagonal = ratio.reshape(-1)[::n + 1]
    BX = np.empty((n, 2))
    previous = math.inf
    transforms = 0
    while True:
        squares = np.einsum("ij,ij->i", X, X)
        left[:, :2] = X
        left[:, 2] = squares
        np.multiply(X.T, -2.0, out=right[:2])
        right[3] = squares
        np.matmul(left, right, out=squared)      # squared distances of X
        with np.errstate(divide="ignore", invalid="ignore"):
            np.sqrt(squared, out=ratio, dtype=f32)  # NaN where rounding made d^2 < 0
            diagonal[:] = 1.0                      # D_ii = 0: no term
            np.divide(D32, ratio, out=ratio)       # D_ij / d_ij(X)
        row = np.dot(ratio, ones)
        if not np.isfinite(row).all():  # coincident points: their term is zero
            ratio[~np.isfinite(ratio)] = 0.0
            row = np.dot(ratio, ones)
        XT[:] = X.T
        BX[:, 0] = np.dot(ratio, XT[0])
        BX[:, 1] = np.dot(ratio, XT[1])
        np.subtract(X * row[:, None], BX, out=BX)  # B(X) X
        eta2 = n * float(squares.sum())
        value = eta2 - 2.0 * float(np.einsum("ij,ij->", X, BX)) + eta2_D  # stress of X
        if transforms == max_iter or (transforms and previous - value < eps * eta2):
            break
        previous = value
        X = BX / n
        transforms += 1
    return X, {"n_iter": transforms}
