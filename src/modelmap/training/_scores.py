"""Scores of one prediction: single-label and multi-label."""

from __future__ import annotations

import warnings

import numpy as np


def confusion(y: np.ndarray, pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Confusion matrix (rows: true class, columns: predicted class) in one bincount."""
    flat = np.bincount(y * n_classes + pred, minlength=n_classes * n_classes)
    return flat.reshape(n_classes, n_classes)


def single_label(y: np.ndarray, pred: np.ndarray, proba: np.ndarray | None,
                 n_classes: int) -> tuple[dict[str, float], np.ndarray]:
    """Return (scores, confusion matrix) for integer labels ``y``.

    Everything is derived from the confusion matrix with NumPy (the same values as
    scikit-learn's metrics with ``labels=range(n_classes)`` and ``zero_division=0``, at a
    fraction of the cost: this runs for every config and split).
    """
    cm = confusion(y, pred, n_classes)
    total = cm.sum()
    tp = np.diag(cm).astype(np.float64)
    support = cm.sum(axis=1).astype(np.float64)
    predicted = cm.sum(axis=0).astype(np.float64)
    recall = np.divide(tp, support, out=np.zeros_like(tp), where=support > 0)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    weights = support / total if total else np.zeros_like(support)
    seen = support > 0
    n_seen = int(np.count_nonzero(seen))
    scores: dict[str, float] = {
        "accuracy": float(tp.sum() / total) if total else 0.0,
        "balanced_accuracy": float(recall[seen].sum() / n_seen) if n_seen else 0.0,
    }
    # sums, not .mean(): on a few classes NumPy's mean costs more than the arithmetic
    for name, values in (("precision", precision), ("recall", recall), ("f1", f1)):
        scores[f"{name}_macro"] = float(values.sum() / n_classes)
        scores[f"{name}_weighted"] = float(values @ weights)
    if proba is not None and proba.shape == (len(y), n_classes):
        scores.update(_probability_scores(y, proba, n_classes))
    return scores, cm


def _probability_scores(y: np.ndarray, proba: np.ndarray, n_classes: int) -> dict[str, float]:
    out: dict[str, float] = {}
    p = np.clip(proba, 1e-15, None)
    p = p / p.sum(axis=1, keepdims=True)
    out["log_loss"] = float(-np.log(p[np.arange(len(y)), y]).sum() / len(y))
    present = np.count_nonzero(np.bincount(y, minlength=n_classes))
    if n_classes == 2 and present == 2:
        out["roc_auc"] = float(_one_vs_rest_auc(y, proba[:, 1:], [1])[0])
    elif n_classes > 2 and present == n_classes:  # ranks of the scores as given (ties kept)
        out["roc_auc"] = float(_one_vs_rest_auc(y, proba, range(n_classes)).sum() / n_classes)
    return out


def _one_vs_rest_auc(y: np.ndarray, scores: np.ndarray, classes) -> np.ndarray:
    """ROC AUC of each column of ``scores`` for its class in ``classes`` against the rest,
    as the Mann-Whitney statistic with tied scores given their average rank (the value of
    ``roc_auc_score``), for all columns at once."""
    n = len(y)
    order = np.argsort(scores, axis=0, kind="stable")
    ranked = np.take_along_axis(scores, order, axis=0)
    first = np.ones(ranked.shape, dtype=bool)  # first of a run of tied scores
    first[1:] = ranked[1:] != ranked[:-1]
    last = np.ones(ranked.shape, dtype=bool)
    last[:-1] = first[1:]
    rows = np.arange(n)[:, None]
    start = np.maximum.accumulate(np.where(first, rows, 0), axis=0)
    end = np.minimum.accumulate(np.where(last, rows, n)[::-1], axis=0)[::-1]
    positive = y[:, None] == np.asarray(list(classes))[None, :]
    in_order = np.take_along_axis(positive, order, axis=0)
    rank_sum = (((start + end) / 2.0 + 1.0) * in_order).sum(axis=0)
    n_pos = positive.sum(axis=0)
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * (n - n_pos))


def multi_label(y: np.ndarray, pred: np.ndarray, proba: np.ndarray | None
                ) -> tuple[dict[str, float], np.ndarray]:
    """Return (scores, per-label confusion matrices of shape (n_labels, 2, 2))."""
    from sklearn import metrics

    pred = np.asarray(pred).astype(np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = {
            "accuracy": float(metrics.accuracy_score(y, pred)),  # subset accuracy
            "hamming_loss": float(metrics.hamming_loss(y, pred)),
        }
        for avg in ("micro", "macro"):
            p, r, f, _ = metrics.precision_recall_fscore_support(
                y, pred, average=avg, zero_division=0
            )
            scores[f"precision_{avg}"] = float(p)
            scores[f"recall_{avg}"] = float(r)
            scores[f"f1_{avg}"] = float(f)
        if proba is not None and proba.shape == y.shape:
            try:
                scores["roc_auc"] = float(metrics.roc_auc_score(y, proba, average="macro"))
            except ValueError:
                pass
    return scores, metrics.multilabel_confusion_matrix(y, pred)


def mean_std(per_fold: list[dict[str, float]]) -> tuple[dict[str, float], dict[str, float]]:
    """Mean and standard deviation of every score present in all folds."""
    if not per_fold:
        return {}, {}
    names = set(per_fold[0]).intersection(*per_fold[1:])
    mean = {n: float(np.mean([f[n] for f in per_fold])) for n in sorted(names)}
    std = {n: float(np.std([f[n] for f in per_fold])) for n in sorted(names)}
    return mean, std
