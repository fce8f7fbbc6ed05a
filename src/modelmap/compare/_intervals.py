"""Confidence intervals and paired tests: exact binomial, paired bootstrap, corrected t.

All functions are vectorized over classifiers: one call answers for thousands of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Bootstrap resamples unless told otherwise.
RESAMPLES = 2000
_ROWS_PER_DRAW = 64  # resample rows drawn at once (bounds the index buffer)


def wilson(successes: np.ndarray, n: np.ndarray | int,
           alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion, per entry (as scipy's
    ``binomtest(k, n).proportion_ci(1 - alpha, method="wilson")``); NaN where n is 0."""
    from scipy.stats import norm

    k = np.asarray(successes, dtype=np.float64)
    n = np.broadcast_to(np.asarray(n, dtype=np.float64), k.shape)
    z = norm.isf(alpha / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def clopper_pearson(successes: np.ndarray, n: np.ndarray | int,
                    alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Clopper-Pearson (exact) interval of a proportion, per entry (as scipy's
    ``binomtest(k, n).proportion_ci(1 - alpha, method="exact")``); NaN where n is 0."""
    from scipy.stats import beta

    k = np.asarray(successes, dtype=np.float64)
    n = np.broadcast_to(np.asarray(n, dtype=np.float64), k.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(k > 0, beta.ppf(alpha / 2, k, n - k + 1), 0.0)
        high = np.where(k < n, beta.ppf(1 - alpha / 2, k + 1, n - k), 1.0)
    bad = n <= 0
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def bootstrap_weights(n: int, resamples: int = RESAMPLES, seed: int = 0) -> np.ndarray:
    """(resamples, n) float32 counts: how often each sample is drawn in each resample.

    Resample ``r`` draws n samples with replacement; weighting a per-sample quantity by
    row ``r`` gives its value on that resample.  Seeded: the same arguments give the same
    weights, and every classifier is scored on the same resamples (paired).
    """
    rng = np.random.default_rng(seed)
    out = np.empty((resamples, n), dtype=np.float32)
    for start in range(0, resamples, _ROWS_PER_DRAW):
        rows = min(_ROWS_PER_DRAW, resamples - start)
        draws = rng.integers(0, n, size=(rows, n), dtype=np.int64)
        for i in range(rows):  # one small bincount per row stays in the cache
            out[start + i] = np.bincount(draws[i], minlength=n)
    return out


def percentile_interval(replicates: np.ndarray,
                        alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """The α/2 and 1 - α/2 quantiles of each column of ``replicates`` (NaNs left out; NaN
    for a column without finite values)."""
    finite = np.isfinite(replicates)
    low = np.full(replicates.shape[1], np.nan)
    high = np.full(replicates.shape[1], np.nan)
    ok = finite.any(axis=0)
    if ok.all():
        low, high = np.quantile(replicates, [alpha / 2, 1 - alpha / 2], axis=0)
    elif ok.any():
        low[ok], high[ok] = np.nanquantile(replicates[:, ok], [alpha / 2, 1 - alpha / 2], axis=0)
    return low, high


def bootstrap_p(replicates: np.ndarray, reference: int) -> np.ndarray:
    """Two-sided paired-bootstrap p-values of each column against column ``reference``.

    With ``d`` the resampled differences, ``p = min(1, 2 min(1 + #(d <= 0),
    1 + #(d >= 0)) / (B + 1))``: the smallest α at which the percentile interval of the
    difference leaves out 0.  Identical classifiers get 1.  NaN for the reference itself.
    """
    d = replicates - replicates[:, [reference]]
    valid = np.isfinite(d)
    n = valid.sum(axis=0)
    below = ((d <= 0) & valid).sum(axis=0)
    above = ((d >= 0) & valid).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.minimum(1.0, 2.0 * (1 + np.minimum(below, above)) / (n + 1))
    p = np.where(n > 0, p, np.nan)
    p[reference] = np.nan
    return p


@dataclass(frozen=True)
class CorrectedT:
    """Nadeau-Bengio corrected resampled t over folds: means, interval and the factor
    ``1/F + n_test/n_train`` that replaces ``1/F`` in the variance of the mean."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    factor: float
    n_folds: int


def corrected_t(fold_scores: np.ndarray, test_fraction: float, alpha: float = 0.05,
                bounds: tuple[float, float] = (0.0, 1.0)) -> CorrectedT:
    """Intervals of each column of ``fold_scores`` (n_folds, k) by Nadeau and Bengio (2003).

    The folds' training sets overlap, so the plain standard error of the mean understates
    the variance; the corrected one is ``(1/F + n_test/n_train) s²`` with ``s²`` the fold
    variance.  ``test_fraction`` is ``n_test/n_train`` of one fold.  The interval uses the
    t distribution with F - 1 degrees of freedom, cut to the score's ``bounds`` (a t interval
    of an accuracy near 1 reaches past 1); NaN with fewer than two folds.
    """
    from scipy.stats import t

    scores = np.asarray(fold_scores, dtype=np.float64)
    n_folds = scores.shape[0]
    mean = np.nanmean(scores, axis=0) if n_folds else np.full(scores.shape[1], np.nan)
    factor = (1.0 / n_folds + test_fraction) if n_folds else float("nan")
    if n_folds < 2:
        nan = np.full(scores.shape[1], np.nan)
        return CorrectedT(mean, nan, nan.copy(), factor, n_folds)
    half = t.isf(alpha / 2, n_folds - 1) * np.sqrt(factor * np.var(scores, axis=0, ddof=1))
    low, high = np.clip(mean - half, *bounds), np.clip(mean + half, *bounds)
    return CorrectedT(mean, low, high, factor, n_folds)


def corrected_t_p(fold_scores: np.ndarray, reference: int, test_fraction: float) -> np.ndarray:
    """Two-sided p-values of the Nadeau-Bengio corrected paired t-test of each column of
    ``fold_scores`` (n_folds, k) against column ``reference``.

    Constant non-zero differences give 0, no differences 1; NaN for the reference itself
    and with fewer than two folds.
    """
    from scipy.stats import t

    scores = np.asarray(fold_scores, dtype=np.float64)
    n_folds, k = scores.shape
    p = np.full(k, np.nan)
    if n_folds < 2:
        return p
    d = scores - scores[:, [reference]]
    mean = d.mean(axis=0)
    se = np.sqrt((1.0 / n_folds + test_fraction) * np.var(d, axis=0, ddof=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        statistic = np.abs(mean) / se
    p = 2 * t.sf(statistic, n_folds - 1)
    p = np.where(se > 0, p, np.where(np.abs(mean) > 0, 0.0, 1.0))
    p = np.where(np.isfinite(mean), p, np.nan)
    p[reference] = np.nan
    return p
