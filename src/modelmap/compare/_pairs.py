"""Two classifiers on the same samples: McNemar's test, and which samples each got wrong.

- :func:`mcnemar`: McNemar's test on two classifiers' per-sample correctness;
- :func:`wrong_matrix` / :func:`wrong_counts`: which classifier got which sample wrong
  (hard samples have high counts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

@dataclass(frozen=True)
class McNemar:
    """McNemar's test: ``b`` samples only A got right, ``c`` only B got right."""

    b: int
    c: int
    statistic: float
    p_value: float
    method: str  # "exact" (binomial, b + c < 25) or "chi2" (continuity-corrected)

    def significant(self, alpha: float = 0.05) -> bool:
        return self.p_value < alpha


def mcnemar(correct_a: Sequence[bool], correct_b: Sequence[bool]) -> McNemar:
    """McNemar's test on two classifiers' per-sample correctness (paired, same samples).

    Exact two-sided binomial test when the discordant pairs are fewer than 25, else the
    chi-square test with continuity correction, ``(|b - c| - 1)² / (b + c)``.
    """
    from scipy.stats import binomtest, chi2

    a = np.asarray(correct_a, dtype=bool)
    b_arr = np.asarray(correct_b, dtype=bool)
    if a.shape != b_arr.shape:
        raise ValueError(f"the two classifiers were scored on different samples "
                         f"({a.shape} and {b_arr.shape})")
    b = int((a & ~b_arr).sum())
    c = int((~a & b_arr).sum())
    n = b + c
    if n == 0:
        return McNemar(b, c, 0.0, 1.0, "exact")
    if n < 25:
        return McNemar(b, c, float(min(b, c)), float(binomtest(b, n, 0.5).pvalue), "exact")
    statistic = (abs(b - c) - 1) ** 2 / n
    return McNemar(b, c, float(statistic), float(chi2.sf(statistic, 1)), "chi2")


def wrong_matrix(predictions: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Boolean (n_classifiers, n_samples): which classifier got which sample wrong.

    ``predictions`` is (n_classifiers, n_samples) of labels or, multi-label,
    (n_classifiers, n_samples, n_labels) of 0/1 — a sample is then wrong unless every
    label is right.
    """
    preds = np.asarray(predictions)
    y = np.asarray(truth)
    if preds.ndim == 1:
        preds = preds[None]
    if preds.shape[1:] != y.shape:
        raise ValueError(f"predictions of shape {preds.shape[1:]} do not match the "
                         f"labels of shape {y.shape}")
    wrong = preds != y[None]
    return wrong.reshape(wrong.shape[0], wrong.shape[1], -1).any(axis=2)


def wrong_counts(predictions: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """How many classifiers got each sample wrong (hard samples have high counts)."""
    return wrong_matrix(predictions, truth).sum(axis=0)


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm's step-down adjustment of ``p_values`` (``None``/NaN entries are left out).

    The smallest of m p-values is multiplied by m, the next by m - 1, ...; each adjusted
    value is at least the one before it and at most 1 (as statsmodels' ``multipletests``
    with ``method="holm"``).
    """
    values = [None if p is None or not np.isfinite(p) else float(p) for p in p_values]
    present = [i for i, p in enumerate(values) if p is not None]
    out: list[float | None] = [None] * len(values)
    m = len(present)
    running = 0.0
    for rank, i in enumerate(sorted(present, key=lambda i: values[i])):
        running = max(running, min(1.0, (m - rank) * values[i]))
        out[i] = running
    return out


def exact_mcnemar_p(b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Two-sided exact McNemar p-values, vectorized: ``b``, ``c`` are the discordant counts.

    ``2 * P(X <= min(b, c))`` for ``X ~ Binomial(b + c, 1/2)``, at most 1 (1 when there
    are no discordant pairs), as statsmodels' ``mcnemar(table, exact=True)``.
    """
    from scipy.stats import binom

    b = np.asarray(b, dtype=np.int64)
    c = np.asarray(c, dtype=np.int64)
    return np.minimum(1.0, 2.0 * binom.cdf(np.minimum(b, c), b + c, 0.5))


def discordant(correct: np.ndarray, reference: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``b[j]``: samples only ``reference`` got right; ``c[j]``: only classifier ``j`` did.

    ``correct`` is (n_classifiers, n_samples) boolean, ``reference`` (n_samples,).
    """
    correct = np.asarray(correct, dtype=bool)
    reference = np.asarray(reference, dtype=bool)
    both = correct.astype(np.float32) @ reference.astype(np.float32)
    b = int(reference.sum()) - np.rint(both).astype(np.int64)
    c = correct.sum(axis=1) - np.rint(both).astype(np.int64)
    return b, c


@dataclass(frozen=True)
class Omnibus:
    """An omnibus test over several classifiers: its name, statistic, degrees of freedom, p."""

    name: str
    statistic: float
    df: float
    p_value: float


def cochrans_q(correct: np.ndarray) -> Omnibus:
    """Cochran's Q: do k classifiers (rows of boolean ``correct``) share one accuracy?

    ``Q = (k - 1) (k Σ C_j² - N²) / (k N - Σ R_i²)`` with column totals ``C_j`` (per
    classifier), row totals ``R_i`` (per sample) and ``N`` correct answers in all;
    chi-square with k - 1 degrees of freedom (as statsmodels' ``cochrans_q``).  When
    every sample is right for all or wrong for all classifiers, Q is 0 and p is 1.
    """
    from scipy.stats import chi2

    x = np.asarray(correct, dtype=np.float64)
    k = x.shape[0]
    if k < 2:
        return Omnibus("Cochran's Q", 0.0, 0.0, 1.0)
    per_classifier, per_sample = x.sum(axis=1), x.sum(axis=0)
    total = per_classifier.sum()
    denominator = k * total - float((per_sample ** 2).sum())
    if denominator <= 0:
        return Omnibus("Cochran's Q", 0.0, float(k - 1), 1.0)
    q = (k - 1) * (k * float((per_classifier ** 2).sum()) - total ** 2) / denominator
    return Omnibus("Cochran's Q", float(q), float(k - 1), float(chi2.sf(q, k - 1)))


def pairwise_mcnemar(correct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact McNemar p-values of every pair of rows of ``correct`` and their Holm
    adjustment over the k(k-1)/2 pairs; both (k, k) with NaN on the diagonal."""
    x = np.asarray(correct, dtype=bool)
    k = x.shape[0]
    f = x.astype(np.float32)
    both = np.rint(f @ f.T).astype(np.int64)
    right = x.sum(axis=1)
    only_row = right[:, None] - both  # right by the row classifier, wrong by the column one
    raw = exact_mcnemar_p(only_row, only_row.T)
    upper = np.triu_indices(k, 1)
    adjusted = np.full((k, k), np.nan)
    adjusted[upper] = np.array(holm(raw[upper].tolist()), dtype=np.float64)
    adjusted.T[upper] = adjusted[upper]
    raw = raw.astype(np.float64)
    np.fill_diagonal(raw, np.nan)
    return raw, adjusted
