"""Rank statistics over blocks (data sets, or folds): Demšar (2006), "Statistical
comparisons of classifiers over multiple data sets", JMLR 7.

- :func:`average_ranks`: rank the k classifiers in each block (1 = best, ties averaged);
- :func:`friedman`: χ²_F = 12N / (k(k+1)) [Σ R_j² - k(k+1)²/4] from the average ranks
  (Demšar's formula, without scipy's correction for ties);
- :func:`iman_davenport`: F_F = (N-1) χ²_F / (N(k-1) - χ²_F), F with (k-1, (k-1)(N-1)) df;
- :func:`nemenyi_cd`: CD = q_α sqrt(k(k+1) / (6N)), q_α the studentized range quantile
  over √2;
- :func:`wilcoxon_holm`: Wilcoxon signed-rank test of every pair, Holm-adjusted;
- :func:`cliques`: the groups a critical-difference diagram joins with a bar.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from modelmap.compare._pairs import holm


def average_ranks(scores: np.ndarray, higher_better: bool = True) -> np.ndarray:
    """Mean rank of each column of ``scores`` (N blocks, k classifiers) over the rows."""
    from scipy.stats import rankdata

    values = np.asarray(scores, dtype=np.float64)
    ranks = rankdata(-values if higher_better else values, method="average", axis=1)
    return ranks.mean(axis=0)


def friedman(avg_ranks: np.ndarray, n_blocks: int) -> tuple[float, float]:
    """Friedman's χ²_F and its p-value (chi-square, k - 1 df) from the average ranks."""
    from scipy.stats import chi2

    r = np.asarray(avg_ranks, dtype=np.float64)
    k = len(r)
    if k < 2 or n_blocks < 1:
        return float("nan"), float("nan")
    statistic = 12 * n_blocks / (k * (k + 1)) * (float((r ** 2).sum()) - k * (k + 1) ** 2 / 4)
    statistic = max(statistic, 0.0)
    return statistic, float(chi2.sf(statistic, k - 1))


def iman_davenport(chi2_f: float, n_blocks: int, k: int) -> tuple[float, float]:
    """Iman and Davenport's F_F and its p-value; (inf, 0) when the ranks agree perfectly."""
    from scipy.stats import f

    if not math.isfinite(chi2_f) or k < 2 or n_blocks < 2:
        return float("nan"), float("nan")
    denominator = n_blocks * (k - 1) - chi2_f
    if denominator <= 0:
        return float("inf"), 0.0
    statistic = (n_blocks - 1) * chi2_f / denominator
    return statistic, float(f.sf(statistic, k - 1, (k - 1) * (n_blocks - 1)))


def nemenyi_q(k: int, alpha: float = 0.05) -> float:
    """The Nemenyi critical value q_α: studentized range quantile (k groups, ∞ df) / √2."""
    from scipy.stats import studentized_range

    return float(studentized_range.isf(alpha, k, np.inf) / math.sqrt(2))


def nemenyi_cd(k: int, n_blocks: int, alpha: float = 0.05) -> float:
    """The critical difference of average ranks (NaN with fewer than 2 classifiers)."""
    if k < 2 or n_blocks < 1:
        return float("nan")
    return nemenyi_q(k, alpha) * math.sqrt(k * (k + 1) / (6 * n_blocks))


def rank_z_p(avg_ranks: np.ndarray, n_blocks: int) -> np.ndarray:
    """(k, k) two-sided p-values of z = (R_i - R_j) / sqrt(k(k+1)/(6N)) (Demšar's post-hoc
    on average ranks); NaN on the diagonal."""
    from scipy.stats import norm

    r = np.asarray(avg_ranks, dtype=np.float64)
    k = len(r)
    se = math.sqrt(k * (k + 1) / (6 * n_blocks)) if k > 1 and n_blocks > 0 else float("nan")
    p = 2 * norm.sf(np.abs(r[:, None] - r[None, :]) / se)
    np.fill_diagonal(p, np.nan)
    return p


def wilcoxon_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p-value of paired ``a``, ``b`` (scipy's); 1 when
    they never differ."""
    from scipy.stats import wilcoxon

    d = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    d = d[np.isfinite(d)]
    if not len(d) or np.all(d == 0):
        return 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = float(wilcoxon(d).pvalue)
    return p if math.isfinite(p) else 1.0


def holm_matrix(p: np.ndarray) -> np.ndarray:
    """Holm adjustment over the upper triangle of a symmetric (k, k) p-value matrix."""
    k = p.shape[0]
    upper = np.triu_indices(k, 1)
    out = np.full((k, k), np.nan)
    out[upper] = np.array([np.nan if v is None else v for v in holm(p[upper].tolist())])
    out.T[upper] = out[upper]
    return out


def wilcoxon_holm(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Raw and Holm-adjusted (k, k) Wilcoxon p-values of every pair of columns."""
    x = np.asarray(scores, dtype=np.float64)
    k = x.shape[1]
    raw = np.full((k, k), np.nan)
    for i in range(k):
        for j in range(i + 1, k):
            raw[i, j] = raw[j, i] = wilcoxon_p(x[:, i], x[:, j])
    return raw, holm_matrix(raw)


def cliques(avg_ranks: np.ndarray, cd: float) -> list[list[int]]:
    """Maximal groups (indices, best first) whose average ranks lie within ``cd`` of each
    other: the bars of a critical-difference diagram.  Groups of one are left out."""
    r = np.asarray(avg_ranks, dtype=np.float64)
    if not math.isfinite(cd):
        return []
    order = [int(i) for i in np.argsort(r, kind="stable")]
    groups: list[list[int]] = []
    for start in range(len(order)):
        end = start
        while end + 1 < len(order) and r[order[end + 1]] - r[order[start]] < cd:
            end += 1
        group = order[start:end + 1]
        if len(group) > 1 and not (groups and set(group) <= set(groups[-1])):
            groups.append(group)
    return groups


@dataclass(frozen=True)
class RankAnalysis:
    """The across-blocks analysis of k classifiers over N blocks (data sets or folds)."""

    n_blocks: int
    avg_ranks: np.ndarray
    friedman_statistic: float
    friedman_p: float
    iman_davenport_F: float
    iman_davenport_p: float
    critical_difference: float
    p_pairs: np.ndarray
    p_holm: np.ndarray
    cliques: list[list[int]]
    alpha: float


def rank_analysis(scores: np.ndarray, higher_better: bool = True, alpha: float = 0.05,
                  post_hoc: str = "wilcoxon") -> RankAnalysis:
    """Average ranks, Friedman, Iman-Davenport, Nemenyi CD, pairwise post-hoc and cliques
    of ``scores`` (N blocks, k classifiers).  ``post_hoc`` is ``"wilcoxon"`` (signed-rank on
    the scores) or ``"ranks"`` (z-test on the average ranks); both Holm-adjusted."""
    x = np.asarray(scores, dtype=np.float64)
    n, k = x.shape
    avg = average_ranks(x, higher_better) if n else np.full(k, np.nan)
    chi2_f, p_f = friedman(avg, n)
    f_f, p_ff = iman_davenport(chi2_f, n, k)
    cd = nemenyi_cd(k, n, alpha)
    if post_hoc == "wilcoxon":
        raw, adjusted = wilcoxon_holm(x)
    else:
        raw = rank_z_p(avg, n)
        adjusted = holm_matrix(raw)
    return RankAnalysis(n, avg, chi2_f, p_f, f_f, p_ff, cd, raw, adjusted, cliques(avg, cd),
                        alpha)
