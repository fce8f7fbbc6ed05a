"""Scores of many classifiers under many sample weightings at once.

A weighting is one row of a (R, n) matrix: bootstrap counts (how often each test sample
is drawn in a resample), a fold's 0/1 mask, or all ones (the score itself).  Every score
is a function of weighted per-sample sums, so R weightings of k classifiers cost a few
(R, n) × (n, k) matrix products instead of R × k Python calls.  The values are those of
:mod:`modelmap.training._scores` (scikit-learn's, ``zero_division=0``) on the weighted
samples.
"""

from __future__ import annotations

import numpy as np

from modelmap.errors import DataError

SINGLE_LABEL = ("accuracy", "balanced_accuracy", "precision_macro", "precision_weighted",
                "recall_macro", "recall_weighted", "f1_macro", "f1_weighted", "log_loss",
                "roc_auc")
MULTI_LABEL = ("accuracy", "hamming_loss", "precision_micro", "precision_macro",
               "recall_micro", "recall_macro", "f1_micro", "f1_macro", "roc_auc")
PROBABILITY_SCORES = ("log_loss", "roc_auc")
_CELLS = 16_000_000  # classifier x sample cells per chunk (bounds memory)


def score_names(multilabel: bool) -> tuple[str, ...]:
    return MULTI_LABEL if multilabel else SINGLE_LABEL


def check_score(name: str, multilabel: bool) -> str:
    """``name`` without a ``test_`` prefix, or :class:`DataError` naming the choices."""
    bare = name[5:] if name.startswith("test_") else name
    names = score_names(multilabel)
    if bare not in names:
        kind = "multi-label" if multilabel else "single-label"
        raise DataError(f"cannot compare {kind} classifiers on {name!r}",
                        hint="use one of " + ", ".join(f"test_{n}" for n in names))
    return bare


def weighted_scores(name: str, y: np.ndarray, pred: np.ndarray, proba: np.ndarray | None,
                    weights: np.ndarray, n_classes: int, multilabel: bool) -> np.ndarray:
    """(R, k) values of score ``name`` for each weighting (row of ``weights``, (R, n)) and
    each classifier (``pred`` (k, n) labels, or (k, n, L) 0/1 when multi-label; ``proba``
    (k, n, C) when the score needs probabilities).  NaN where a weighting leaves the score
    undefined (no positive sample for a ROC AUC, no sample at all)."""
    k, n = pred.shape[0], pred.shape[1]
    if name in PROBABILITY_SCORES and proba is None:
        raise DataError(f"{name} needs predicted probabilities",
                        hint="compare classifiers that predict probabilities, or another score")
    step = max(1, _CELLS // max(n, 1))
    parts = []
    for start in range(0, k, step):
        chunk = slice(start, min(k, start + step))
        p = None if proba is None else proba[chunk]
        scorer = _multi_label if multilabel else _single_label
        parts.append(scorer(name, y, pred[chunk], p, weights, n_classes))
    return np.hstack(parts) if parts else np.zeros((weights.shape[0], 0))


def _sums(weights: np.ndarray, values: np.ndarray, exact: bool = False) -> np.ndarray:
    """(R, k) weighted sums ``weights @ values.T``; float32 products are exact for counts."""
    dtype = np.float64 if exact else np.float32
    return (weights.astype(dtype, copy=False) @ values.astype(dtype).T).astype(np.float64)


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b, 0 where b is 0 (scikit-learn's ``zero_division=0``)."""
    return np.divide(a, b, out=np.zeros(np.broadcast(a, b).shape), where=b > 0)


def _per_sample_mean(weights: np.ndarray, values: np.ndarray, exact: bool = False) -> np.ndarray:
    totals = weights.sum(axis=1, dtype=np.float64)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, _sums(weights, values, exact) / totals, np.nan)


def _single_label(name: str, y: np.ndarray, pred: np.ndarray, proba: np.ndarray | None,
                  weights: np.ndarray, n_classes: int) -> np.ndarray:
    if name == "accuracy":
        return _per_sample_mean(weights, pred == y[None])
    if name == "log_loss":
        p = np.clip(proba, 1e-15, None)
        p = p / p.sum(axis=2, keepdims=True)
        return _per_sample_mean(weights, -np.log(p[:, np.arange(len(y)), y]), exact=True)
    if name == "roc_auc":
        return _multiclass_auc(y, proba, weights, n_classes)
    tp, support = [], []
    for c in range(n_classes):
        cols = y == c
        tp.append(_sums(weights[:, cols], pred[:, cols] == c))
        support.append(weights[:, cols].sum(axis=1, dtype=np.float64)[:, None])
    tp_, support_ = np.stack(tp), np.stack(support)  # (C, R, k), (C, R, 1)
    recall = _ratio(tp_, support_)
    if name == "balanced_accuracy":
        seen = (support_ > 0).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(seen > 0, recall.sum(axis=0) / seen, np.nan)
    predicted = np.stack([_sums(weights, pred == c) for c in range(n_classes)])
    measure, average = name.rsplit("_", 1)
    values = {"recall": recall, "precision": _ratio(tp_, predicted),
              "f1": _ratio(2 * tp_, predicted + support_)}[measure]
    if average == "macro":
        return values.sum(axis=0) / n_classes
    total = support_.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (values * support_).sum(axis=0) / total, np.nan)


def _multi_label(name: str, y: np.ndarray, pred: np.ndarray, proba: np.ndarray | None,
                 weights: np.ndarray, n_classes: int) -> np.ndarray:
    y = np.asarray(y).astype(bool)
    pred = np.asarray(pred).astype(bool)
    if name == "accuracy":
        return _per_sample_mean(weights, (pred == y[None]).all(axis=2))
    if name == "hamming_loss":
        return _per_sample_mean(weights, (pred != y[None]).mean(axis=2), exact=True)
    if name == "roc_auc":
        per_label = [_auc(y[:, lab], proba[:, :, lab], weights) for lab in range(y.shape[1])]
        return np.mean(per_label, axis=0)
    measure, average = name.rsplit("_", 1)
    if average == "micro":
        tp = _sums(weights, (pred & y[None]).sum(axis=2))
        predicted = _sums(weights, pred.sum(axis=2))
        actual = _sums(weights, y.sum(axis=1)[None])
        return _prf(measure, tp, predicted, actual)
    values = []
    for lab in range(y.shape[1]):
        rows = y[:, lab]
        tp = _sums(weights[:, rows], pred[:, rows, lab])
        predicted = _sums(weights, pred[:, :, lab])
        actual = weights[:, rows].sum(axis=1, dtype=np.float64)[:, None]
        values.append(_prf(measure, tp, predicted, actual))
    return np.mean(values, axis=0)


def _prf(measure: str, tp: np.ndarray, predicted: np.ndarray, actual: np.ndarray) -> np.ndarray:
    if measure == "precision":
        return _ratio(tp, predicted)
    if measure == "recall":
        return _ratio(tp, np.broadcast_to(actual, tp.shape))
    return _ratio(2 * tp, predicted + actual)


def _multiclass_auc(y: np.ndarray, proba: np.ndarray, weights: np.ndarray,
                    n_classes: int) -> np.ndarray:
    if n_classes == 2:
        return _auc(y == 1, proba[:, :, 1], weights)
    return np.mean([_auc(y == c, proba[:, :, c], weights) for c in range(n_classes)], axis=0)


def _auc(positive: np.ndarray, scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(R, k) weighted ROC AUC (Mann-Whitney, tied scores count one half) of each row of
    ``scores`` (k, n) for the boolean labels ``positive`` (n,); NaN without positives or
    negatives.  Per classifier: one sort, then a few passes over the (R, n) weights."""
    pos = np.asarray(positive, dtype=bool)
    w32 = weights.astype(np.float32, copy=False)
    total = (w32 @ pos.astype(np.float32)).astype(np.float64) * \
        (w32 @ (~pos).astype(np.float32)).astype(np.float64)
    out = np.empty((weights.shape[0], scores.shape[0]))
    for j in range(scores.shape[0]):
        order = np.argsort(scores[j], kind="stable")
        ranked = scores[j][order]
        in_pos = pos[order]
        w = np.take(w32, order, axis=1)
        tied = ranked[1:] == ranked[:-1]
        if tied.any():
            starts = np.flatnonzero(np.r_[True, ~tied])
            w_pos = np.add.reduceat(w * in_pos, starts, axis=1, dtype=np.float64)
            w_neg = np.add.reduceat(w * ~in_pos, starts, axis=1, dtype=np.float64)
            below = np.cumsum(w_neg, axis=1) - w_neg
            numerator = (w_pos * (below + 0.5 * w_neg)).sum(axis=1)
        else:  # no ties: the negative weight below each positive, summed over positives
            below = w * ~in_pos
            np.cumsum(below, axis=1, out=below)  # counts: exact in float32
            np.multiply(below, w, out=below)
            numerator = (below @ in_pos.astype(np.float32)).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, j] = np.where(total > 0, numerator / total, np.nan)
    return out
