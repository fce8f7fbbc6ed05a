"""The iterative map layouts on a precomputed distance matrix: t-SNE and SMACOF.

Both are written for the sizes of classifier maps (tens to a few thousand points), where
dense O(n^2) NumPy steps beat tree or grid approximations and their set-up:

- :func:`tsne`: exact t-SNE.  Perplexity-calibrated Gaussian affinities over the
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

#: Early exaggeration: factor and number of iterations.
EXAGGERATION = 12.0
EXAGGERATION_ITER = 50
#: After early exaggeration the KL divergence is computed every CHECK_EVERY iterations;
#: optimisation stops once it fell by less than KL_TOL (relative) per CHECK_EVERY
#: iterations on average over the last KL_WINDOW checks.  Maps of more than KL_TOL_N
#: points settle more slowly (their KL keeps falling a little for longer, and their
#: neighbourhoods with it), so their tolerance is KL_TOL * KL_TOL_N / n.
CHECK_EVERY = 10
KL_WINDOW = 3
KL_TOL = 1e-3
KL_TOL_N = 500
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


def _neighbours(D: np.ndarray, k: int, block: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` nearest other points: indices and squared distances (n, k).

    Rows are handled in blocks so the temporaries stay small on a few thousand points.
    """
    n = len(D)
    index = np.empty((n, k), dtype=np.intp)
    d = np.empty((n, k))
    for first in range(0, n, block):
        last = min(n, first + block)
        rows = D[first:last] ** 2
        rows[np.arange(last - first), np.arange(first, last)] = np.inf  # not itself
        chosen = np.argpartition(rows, k - 1, axis=1)[:, :k] if k < n - 1 else \
            np.argsort(rows, axis=1)[:, :k]
        index[first:last] = chosen
        d[first:last] = np.take_along_axis(rows, chosen, axis=1)
    return index, d


def conditional_affinities(D: np.ndarray, perplexity: float, tol: float = 1e-5,
                           max_steps: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Each point's neighbours (n, k) and conditional probabilities p_j|i over them (n, k).

    The neighbours are the ``k = min(n - 1, 3 * perplexity + 1)`` nearest other points;
    ``p_j|i`` is proportional to ``exp(-beta_i * d_ij^2)`` with ``beta_i`` such that the
    row's entropy is ``log(min(perplexity, k))`` within ``tol`` nats.  All rows are solved
    at once: Newton steps on ``u = log(beta)``, where ``dH/du = -beta^2 Var(d^2)``, kept
    inside a bracket of the root and replaced by bisection when they leave it or fail to
    halve the error (3 to 5 steps in practice).
    """
    n = len(D)
    k = max(1, min(n - 1, int(3.0 * perplexity + 1)))
    neighbours, d = _neighbours(D, k)
    d -= d.min(axis=1, keepdims=True)  # same distribution, no underflow: z >= 1
    d_squared = d * d
    target = math.log(min(perplexity, k))
    # start: beta = 4 / (squared distance to the (1.5 perplexity)-th neighbour), within
    # about 5 % of the solution on classifier vectors, digits, blobs and uniform points
    rank = min(k - 1, round(1.5 * perplexity))
    typical = np.partition(d, rank, axis=1)[:, rank]
    mean = d.mean(axis=1)
    typical = np.where(typical > 0, typical, np.where(mean > 0, mean, 1.0))
    u = math.log(4.0) - np.log(typical)
    low = np.full(n, -np.inf)
    high = np.full(n, np.inf)
    previous = np.full(n, np.inf)
    active = np.arange(n)  # rows whose entropy is not yet within tol
    for _ in range(max_steps):
        every = len(active) == n
        rows = d if every else d[active]
        beta = np.exp(u[active])
        w = np.multiply(rows, -beta[:, None])
        np.exp(w, out=w)
        z = w.sum(axis=1)
        mean = np.einsum("ij,ij->i", w, rows) / z
        error = np.log(z) + beta * mean - target  # entropy - log(perplexity)
        done = np.abs(error) < tol
        if done.all():
            break
        squares = d_squared if every else d_squared[active]
        var = np.maximum(np.einsum("ij,ij->i", w, squares) / z - mean * mean, 0.0)
        ua, lo, hi = u[active], low[active], high[active]
        too_flat = error > 0  # entropy too high: beta must grow
        lo = np.where(too_flat, ua, lo)
        hi = np.where(too_flat, hi, ua)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            step = error / (beta * beta * var)
        step = np.where(np.isfinite(step), np.clip(step, -2.0, 2.0),
                        np.where(too_flat, 2.0, -2.0))
        new = ua + step
        bisect = ((new <= lo) | (new >= hi) | (np.abs(error) > 0.5 * previous[active])) \
            & np.isfinite(lo) & np.isfinite(hi)
        new = np.clip(np.where(bisect, 0.5 * (lo + hi), new), -700.0, 700.0)  # exp(u) finite
        keep = ~done
        u[active[keep]] = new[keep]
        low[active], high[active], previous[active] = lo, hi, np.abs(error)
        active = active[keep]
    p = np.multiply(d, -np.exp(u)[:, None])
    np.exp(p, out=p)
    p /= p.sum(axis=1, keepdims=True)
    return neighbours, p


def tsne_affinities(D: np.ndarray, perplexity: float) -> np.ndarray:
    """The symmetric t-SNE affinities ``P = (C + C^T) / 2n`` (dense float32, sums to one).

    ``C`` holds the conditional probabilities of :func:`conditional_affinities`.
    """
    n = len(D)
    neighbours, p = conditional_affinities(D, perplexity)
    P = np.zeros((n, n), dtype=np.float32)
    np.put_along_axis(P, neighbours, p.astype(np.float32), axis=1)
    P += P.T  # numpy buffers the overlapping transpose
    P /= P.sum(dtype=np.float64)
    return P


def tsne(D: np.ndarray, start: np.ndarray, perplexity: float, max_iter: int = 1000, *,
         exaggeration: float = EXAGGERATION, exaggeration_iter: int = EXAGGERATION_ITER,
         learning_rate: float | None = None, early_rate: float | None = None,
         kl_tol: float | None = None) -> tuple[np.ndarray, dict[str, Any]]:
    """Exact t-SNE of the distances ``D`` from the layout ``start`` (n, 2), in float32.

    Returns the (n, 2) float64 points and ``{"kl": ..., "n_iter": ...}``.  Steps:
    ``exaggeration_iter`` iterations with P multiplied by ``exaggeration``, momentum 0.5
    and step ``early_rate`` (default ``n / (2 * exaggeration)``, about the largest for which
    the exaggerated attraction stays stable: the layout contracts smoothly towards the
    neighbourhood graph's main directions instead of oscillating), then momentum 0.8 and
    step ``learning_rate`` (default scikit-learn's "auto",
    ``max(n / (4 * exaggeration), 50)``, but at most ``n / 4``: a step of 50 makes the
    attraction within groups oscillate on a few dozen points) until ``max_iter``
    iterations or until the KL divergence fell by less than ``kl_tol`` (relative, default
    ``KL_TOL * min(1, KL_TOL_N / n)``) per ``CHECK_EVERY`` iterations, on average over the
    last ``KL_WINDOW`` checks.  ``kl_tol=0`` runs all ``max_iter`` iterations.
    """
    n = len(D)
    f32 = np.float32
    P = tsne_affinities(D, perplexity)
    nonzero = np.flatnonzero(P)
    p_nonzero = P.ravel()[nonzero]
    p64 = p_nonzero.astype(np.float64)
    neg_entropy = float(np.dot(p64, np.log(p64)))
    if learning_rate is None:  # scikit-learn's "auto", at most n / 4 (stable on few points)
        learning_rate = min(max(n / exaggeration / 4.0, 50.0), n / 4.0)
    if early_rate is None:
        early_rate = n / exaggeration / 2.0
    if kl_tol is None:
        kl_tol = KL_TOL * min(1.0, KL_TOL_N / n)

    # The state is M = -Y, in rows (2, n) that double as the right factor of the distance
    # product.  With num = 1 / (1 + d^2) and W = (P - num / Z) * num the gradient is
    #   grad_i = 4 sum_j W_ij (y_i - y_j) = 4 (y_i rowsum(W)_i - (W y)_i),
    # so for M: grad_M / 4 = M * rowsum(W) - W M, from three matrix-vector products
    # (faster than one product with an (n, 3) matrix), and 1 + d^2 comes from one
    # (n, 4) x (4, n) product.  The optimiser (momentum, gains) is the same for M and Y.
    right = np.ones((4, n), f32)     # rows m1, m2, 1, |m|^2
    left_rows = np.ones((4, n), f32)  # rows -2 m1, -2 m2, |m|^2 + 1, 1
    M = right[:2]
    M[:] = -start.T
    M -= M.mean(axis=1, keepdims=True)
    num = np.empty((n, n), f32)
    W = np.empty((n, n), f32)
    diagonal = num.reshape(-1)[::n + 1]
    rows = np.empty(n, f32)
    WM = np.empty((2, n), f32)
    W1 = np.empty(n, f32)
    grad = np.empty((2, n), f32)
    step = np.empty((2, n), f32)
    grown = np.empty((2, n), f32)
    same_sign = np.empty((2, n), bool)
    update = np.zeros((2, n), f32)
    gains = np.ones((2, n), f32)  # delta-bar-delta gains, times the step (see below)
    start_spread = float(M.std()) or 1.0
    kl = math.inf
    history: list[float] = []  # KL at the checks
    iteration = 0
    scale = 0.0
    for iteration in range(1, max_iter + 1):
        early = iteration <= exaggeration_iter
        # with exaggeration a: W = a (P - num / (a Z)) num; the factor a goes to the step
        factor, momentum, rate = ((exaggeration, 0.5, early_rate) if early
                                  else (1.0, 0.8, learning_rate))
        if 4.0 * rate * factor != scale:  # gains are kept multiplied by the step size
            gains *= 4.0 * rate * factor / (scale or 1.0)
            scale = 4.0 * rate * factor
        np.multiply(M, M, out=step)
        np.add(step[0], step[1], out=right[3])
        np.multiply(M, -2.0, out=left_rows[:2])
        np.add(right[3], 1.0, out=left_rows[2])
        np.matmul(left_rows.T, right, out=num)    # 1 + d^2
        np.divide(1.0, num, out=num)               # Student-t kernel
        diagonal[:] = 0.0
        np.dot(num, right[2], out=rows)
        Z = float(rows.sum())
        np.multiply(num, -1.0 / (Z * factor), out=W)
        W += P
        W *= num
        np.dot(W, M[0], out=WM[0])
        np.dot(W, M[1], out=WM[1])
        np.dot(W, right[2], out=W1)
        np.multiply(M, W1, out=grad)               # grad_M / 4
        grad -= WM
        # gains grow by 0.2 where the gradient kept its sign, shrink by 0.8 elsewhere
        np.multiply(update, grad, out=step)
        np.less(step, 0.0, out=same_sign)          # the last update went against it
        np.add(gains, 0.2 * scale, out=grown)
        gains *= 0.8
        np.maximum(gains, 0.01 * scale, out=gains)
        np.copyto(gains, grown, where=same_sign)
        np.multiply(gains, grad, out=step)
        update *= momentum
        update -= step
        M += update
        if iteration % CHECK_EVERY == 0:
            M -= M.mean(axis=1, keepdims=True)
            spread = float(M.std())
            if early and 0 < spread < 1e-6 * start_spread:
                # the exaggerated attraction contracts the layout while it is tiny, where
                # t-SNE's dynamics are linear: rescaling changes nothing but underflow
                M *= start_spread / spread
                update *= start_spread / spread
            if not early:
                # KL(P || Q) = sum P log P - sum P log num + log Z  (P sums to one); the
                # float32 sum is good to about 1e-6, far below the stopping tolerance
                log_num = np.log(np.take(num.ravel(), nonzero))
                kl = neg_entropy - float(np.dot(p_nonzero, log_num)) + math.log(Z)
                history.append(kl)
                if (kl_tol > 0 and len(history) > KL_WINDOW and history[-2] >= kl
                        and history[-1 - KL_WINDOW] - kl < KL_WINDOW * kl_tol * abs(kl)):
                    break
    return np.ascontiguousarray(-M.T, dtype=np.float64), {"kl": kl, "n_iter": iteration}


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
