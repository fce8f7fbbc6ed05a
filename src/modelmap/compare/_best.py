"""The classifiers of one job against the best: an interval for each, tied-with-best tests.

- split (hold-out) jobs: accuracy gets the Wilson score interval and the exact McNemar
  test; every other score the paired bootstrap over the test samples (the same resamples
  for every classifier), vectorized over classifiers;
- cross-validated jobs: the fold scores, with the Nadeau-Bengio corrected t interval and
  paired t-test.

p-values against the best are Holm-adjusted over the comparisons; a classifier is "tied
with the best" when its adjusted p-value is at least α (it cannot be told apart from the
best at that level, which is not the same as being equal to it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modelmap.compare import _intervals, _pairs, _scores
from modelmap.compare._describe import higher_is_better
from modelmap.errors import DataError


@dataclass(frozen=True)
class Truth:
    """What classifiers are scored against: labels (n,) or (n, L) 0/1, the number of
    classes, and for cross validation the fold (0..F-1) of every sample."""

    y: np.ndarray
    n_classes: int
    multilabel: bool = False
    folds: np.ndarray | None = None
    seed: int = 0


@dataclass(frozen=True)
class BestComparison:
    """Per classifier (index j): score, interval, rank, p-values against the best."""

    score: str
    alpha: float
    method: str
    test: str
    values: np.ndarray
    low: np.ndarray
    high: np.ndarray
    rank: np.ndarray
    p: np.ndarray
    p_holm: np.ndarray
    tied: np.ndarray
    best: int | None
    contenders: np.ndarray
    fold_scores: np.ndarray | None = None


def level(alpha: float) -> str:
    """``"95 %"`` for α = 0.05."""
    return f"{100 * (1 - alpha):g} %"


def check_alpha(alpha: float) -> float:
    if not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise DataError(f"alpha must be a number between 0 and 1; got {alpha!r}",
                        hint="use e.g. 0.05 (95 % intervals) or 0.01")
    return float(alpha)


def compare_to_best(truth: Truth, pred: np.ndarray, proba: np.ndarray | None, score: str,
                    alpha: float = 0.05, contenders: np.ndarray | None = None,
                    resamples: int = _intervals.RESAMPLES) -> BestComparison:
    """Intervals for every classifier (rows of ``pred``) and tests of the ``contenders``
    (default: all) against the best of them on ``score`` (``test_accuracy``, ...)."""
    alpha = check_alpha(alpha)
    name = _scores.check_score(score, truth.multilabel)
    k = pred.shape[0]
    if len(truth.y) == 0:
        raise DataError("the job has no test samples to compare classifiers on",
                        hint="give the job a test set (test_size) or cross validation")
    if pred.shape[1] != len(truth.y):
        raise DataError(f"predictions of {pred.shape[1]} samples do not match the "
                        f"{len(truth.y)} labels")
    chosen = np.ones(k, dtype=bool) if contenders is None else np.asarray(contenders, bool)
    if truth.folds is not None:
        return _over_folds(truth, pred, proba, name, alpha, chosen)
    if name == "accuracy":
        return _exact(truth, pred, name, alpha, chosen)
    return _bootstrap(truth, pred, proba, name, alpha, chosen, resamples)


def _best_and_ranks(values: np.ndarray, chosen: np.ndarray,
                    higher: bool) -> tuple[int | None, np.ndarray]:
    """Index of the best contender (first of equals) and competition ranks (1, 2, 2, 4)."""
    from scipy.stats import rankdata

    rank = np.full(len(values), np.nan)
    ok = np.flatnonzero(chosen & np.isfinite(values))
    if not len(ok):
        return None, rank
    rounded = np.round(values[ok], 12)  # sums in another order must not break ties
    signed = -rounded if higher else rounded
    rank[ok] = rankdata(signed, method="min")
    return int(ok[np.argmin(signed)]), rank


def _finish(name: str, alpha: float, method: str, test: str, values: np.ndarray,
            low: np.ndarray, high: np.ndarray, p_of, chosen: np.ndarray,
            fold_scores: np.ndarray | None = None) -> BestComparison:
    """Best, ranks, p-values (``p_of(best)`` gives the raw ones), Holm, tied flags."""
    best, rank = _best_and_ranks(values, chosen, higher_is_better(name))
    k = len(values)
    p = np.full(k, np.nan)
    if best is not None:
        tested = np.isfinite(rank)
        tested[best] = False
        p[tested] = np.asarray(p_of(best), dtype=np.float64)[tested]
    adjusted = np.array([np.nan if v is None else v for v in _pairs.holm(p.tolist())])
    tied = np.zeros(k, dtype=bool)
    with np.errstate(invalid="ignore"):
        tied |= np.isfinite(adjusted) & (adjusted >= alpha)
    if best is not None:
        tied[best] = True
    return BestComparison(f"test_{name}", alpha, method, test, values, low, high, rank, p,
                          adjusted, tied, best, chosen, fold_scores)


def _correct(truth: Truth, pred: np.ndarray) -> np.ndarray:
    right = pred == truth.y[None]  # (k, n) or, multi-label, (k, n, labels): every label right
    return right if right.ndim == 2 else right.all(axis=tuple(range(2, right.ndim)))


def _exact(truth: Truth, pred: np.ndarray, name: str, alpha: float,
           chosen: np.ndarray) -> BestComparison:
    correct = _correct(truth, pred)
    n = correct.shape[1]
    successes = correct.sum(axis=1)
    low, high = _intervals.wilson(successes, n, alpha)

    def p_of(best: int) -> np.ndarray:
        b, c = _pairs.discordant(correct, correct[best])
        return _pairs.exact_mcnemar_p(b, c)

    what = "subset accuracy" if truth.multilabel else "accuracy"
    return _finish(name, alpha, f"Wilson score interval of the {what} over {n} test samples, "
                   f"{level(alpha)}", "exact McNemar test vs the best, Holm-adjusted",
                   successes / n, low, high, p_of, chosen)


def _bootstrap(truth: Truth, pred: np.ndarray, proba: np.ndarray | None, name: str,
               alpha: float, chosen: np.ndarray, resamples: int) -> BestComparison:
    n = len(truth.y)
    args = (truth.y, pred, proba)
    values = _scores.weighted_scores(name, *args, np.ones((1, n), np.float32),
                                     truth.n_classes, truth.multilabel)[0]
    weights = _intervals.bootstrap_weights(n, resamples, truth.seed)
    replicates = _scores.weighted_scores(name, *args, weights, truth.n_classes,
                                         truth.multilabel)
    del weights
    low, high = _intervals.percentile_interval(replicates, alpha)
    return _finish(name, alpha, f"paired bootstrap percentile interval over {n} test "
                   f"samples, {resamples} resamples, {level(alpha)}",
                   f"paired bootstrap test vs the best ({resamples} resamples), Holm-adjusted",
                   values, low, high, lambda best: _intervals.bootstrap_p(replicates, best),
                   chosen)


def fold_weights(folds: np.ndarray) -> np.ndarray:
    """(F, n) 0/1 masks: row f selects the samples of fold f."""
    folds = np.asarray(folds, dtype=np.int64)
    return (folds[None, :] == np.arange(int(folds.max()) + 1)[:, None]).astype(np.float32)


def _over_folds(truth: Truth, pred: np.ndarray, proba: np.ndarray | None, name: str,
                alpha: float, chosen: np.ndarray) -> BestComparison:
    weights = fold_weights(truth.folds)
    n_folds = weights.shape[0]
    fold_scores = _scores.weighted_scores(name, truth.y, pred, proba, weights,
                                          truth.n_classes, truth.multilabel)
    size = float(weights.sum(axis=1).mean())
    fraction = size / max(len(truth.y) - size, 1.0)
    bounds = (0.0, np.inf) if name == "log_loss" else (0.0, 1.0)
    ct = _intervals.corrected_t(fold_scores, fraction, alpha, bounds)
    return _finish(name, alpha, f"Nadeau-Bengio corrected t interval over {n_folds} folds, "
                   f"{level(alpha)}", f"Nadeau-Bengio corrected paired t-test over {n_folds} "
                   "folds vs the best, Holm-adjusted", ct.mean, ct.low, ct.high,
                   lambda best: _intervals.corrected_t_p(fold_scores, best, fraction), chosen,
                   fold_scores)
