"""Exact t-SNE on a precomputed distance matrix (see :mod:`._layouts` for the method).

Perplexity-calibrated Gaussian affinities over the ``3 * perplexity`` nearest neighbours
of each point, symmetrised; Student-t kernel; gradient descent on the KL divergence with
early exaggeration, momentum and per-coordinate gains (delta-bar-delta).
"""

from __future__ import annotations

import math
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


def _initial_log_beta(d: np.ndarray, k: int, perplexity: float) -> np.ndarray:
    """``log(beta)`` to start from: beta = 4 / (squared distance to the
    (1.5 perplexity)-th neighbour), within about 5 % of the solution on classifier
    vectors, digits, blobs and uniform points."""
    rank = min(k - 1, round(1.5 * perplexity))
    typical = np.partition(d, rank, axis=1)[:, rank]
    mean = d.mean(axis=1)
    typical = np.where(typical > 0, typical, np.where(mean > 0, mean, 1.0))
    return math.log(4.0) - np.log(typical)


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
    u = _initial_log_beta(d, k, perplexity)
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


class _Descent:
    """The gradient descent's state: the layout and every n x n and (2, n) buffer.

    The state is M = -Y, in rows (2, n) that double as the right factor of the distance
    product.  With num = 1 / (1 + d^2) and W = (P - num / Z) * num the gradient is
      grad_i = 4 sum_j W_ij (y_i - y_j) = 4 (y_i rowsum(W)_i - (W y)_i),
    so for M: grad_M / 4 = M * rowsum(W) - W M, from three matrix-vector products
    (faster than one product with an (n, 3) matrix), and 1 + d^2 comes from one
    (n, 4) x (4, n) product.  The optimiser (momentum, gains) is the same for M and Y.
    """

    def __init__(self, P: np.ndarray, start: np.ndarray) -> None:
        n, f32 = len(P), np.float32
        self.P = P
        self.right = np.ones((4, n), f32)      # rows m1, m2, 1, |m|^2
        self.left_rows = np.ones((4, n), f32)  # rows -2 m1, -2 m2, |m|^2 + 1, 1
        self.M = M = self.right[:2]
        M[:] = -start.T
        M -= M.mean(axis=1, keepdims=True)
        self.num = np.empty((n, n), f32)
        self.W = np.empty((n, n), f32)
        self.diagonal = self.num.reshape(-1)[::n + 1]
        self.rows = np.empty(n, f32)
        self.WM = np.empty((2, n), f32)
        self.W1 = np.empty(n, f32)
        self.grad, self.step, self.grown = (np.empty((2, n), f32) for _ in range(3))
        self.same_sign = np.empty((2, n), bool)
        self.update = np.zeros((2, n), f32)
        self.gains = np.ones((2, n), f32)  # delta-bar-delta gains, times the step
        self.scale = 0.0
        self.start_spread = float(M.std()) or 1.0

    def set_scale(self, scale: float) -> None:
        """Gains are kept multiplied by the step size (4 x rate x exaggeration)."""
        if scale != self.scale:
            self.gains *= scale / (self.scale or 1.0)
            self.scale = scale

    def kernel(self) -> float:
        """The Student-t kernel ``num`` of the current layout; returns its sum Z."""
        M, right, left_rows, num = self.M, self.right, self.left_rows, self.num
        np.multiply(M, M, out=self.step)
        np.add(self.step[0], self.step[1], out=right[3])
        np.multiply(M, -2.0, out=left_rows[:2])
        np.add(right[3], 1.0, out=left_rows[2])
        np.matmul(left_rows.T, right, out=num)    # 1 + d^2
        np.divide(1.0, num, out=num)               # Student-t kernel
        self.diagonal[:] = 0.0
        np.dot(num, right[2], out=self.rows)
        return float(self.rows.sum())

    def gradient(self, Z: float, factor: float) -> None:
        """``grad_M / 4``; with exaggeration a, W = a (P - num / (a Z)) num and the factor
        a goes to the step."""
        M, W, WM = self.M, self.W, self.WM
        np.multiply(self.num, -1.0 / (Z * factor), out=W)
        W += self.P
        W *= self.num
        np.dot(W, M[0], out=WM[0])
        np.dot(W, M[1], out=WM[1])
        np.dot(W, self.right[2], out=self.W1)
        np.multiply(M, self.W1, out=self.grad)
        self.grad -= WM

    def move(self, momentum: float) -> None:
        """One step: gains grow by 0.2 where the gradient kept its sign, shrink by 0.8
        elsewhere; momentum on the update."""
        gains, scale, step = self.gains, self.scale, self.step
        np.multiply(self.update, self.grad, out=step)
        np.less(step, 0.0, out=self.same_sign)     # the last update went against it
        np.add(gains, 0.2 * scale, out=self.grown)
        gains *= 0.8
        np.maximum(gains, 0.01 * scale, out=gains)
        np.copyto(gains, self.grown, where=self.same_sign)
        np.multiply(gains, self.grad, out=step)
        self.update *= momentum
        self.update -= step
        self.M += self.update

    def recentre(self, early: bool) -> None:
        """Centre the layout; while exaggerated, undo a contraction towards underflow."""
        M = self.M
        M -= M.mean(axis=1, keepdims=True)
        spread = float(M.std())
        if early and 0 < spread < 1e-6 * self.start_spread:
            # the exaggerated attraction contracts the layout while it is tiny, where
            # t-SNE's dynamics are linear: rescaling changes nothing but underflow
            M *= self.start_spread / spread
            self.update *= self.start_spread / spread

    def points(self) -> np.ndarray:
        return np.ascontiguousarray(-self.M.T, dtype=np.float64)


def _rates(n: int, exaggeration: float, learning_rate: float | None,
           early_rate: float | None, kl_tol: float | None) -> tuple[float, float, float]:
    """The step sizes after and during exaggeration, and the stopping tolerance."""
    if learning_rate is None:  # scikit-learn's "auto", at most n / 4 (stable on few points)
        learning_rate = min(max(n / exaggeration / 4.0, 50.0), n / 4.0)
    if early_rate is None:
        early_rate = n / exaggeration / 2.0
    if kl_tol is None:
        kl_tol = KL_TOL * min(1.0, KL_TOL_N / n)
    return learning_rate, early_rate, kl_tol


def _settled(history: list[float], kl_tol: float) -> bool:
    kl = history[-1]
    return (kl_tol > 0 and len(history) > KL_WINDOW and history[-2] >= kl
            and history[-1 - KL_WINDOW] - kl < KL_WINDOW * kl_tol * abs(kl))


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
    P = tsne_affinities(D, perplexity)
    nonzero = np.flatnonzero(P)
    p_nonzero = P.ravel()[nonzero]
    p64 = p_nonzero.astype(np.float64)
    neg_entropy = float(np.dot(p64, np.log(p64)))
    learning_rate, early_rate, kl_tol = _rates(len(D), exaggeration, learning_rate,
                                               early_rate, kl_tol)
    state = _Descent(P, start)
    kl = math.inf
    history: list[float] = []  # KL at the checks
    iteration = 0
    for iteration in range(1, max_iter + 1):
        early = iteration <= exaggeration_iter
        factor, momentum, rate = ((exaggeration, 0.5, early_rate) if early
                                  else (1.0, 0.8, learning_rate))
        state.set_scale(4.0 * rate * factor)
        Z = state.kernel()
        state.gradient(Z, factor)
        state.move(momentum)
        if iteration % CHECK_EVERY == 0:
            state.recentre(early)
            if not early:
                # KL(P || Q) = sum P log P - sum P log num + log Z  (P sums to one); the
                # float32 sum is good to about 1e-6, far below the stopping tolerance
                log_num = np.log(np.take(state.num.ravel(), nonzero))
                kl = neg_entropy - float(np.dot(p_nonzero, log_num)) + math.log(Z)
                history.append(kl)
                if _settled(history, kl_tol):
                    break
    return state.points(), {"kl": kl, "n_iter": iteration}
