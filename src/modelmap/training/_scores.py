"""Scores of one prediction: single-label and multi-label."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn import metrics


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
    scores: dict[str, float] = {
        "accuracy": float(tp.sum() / total) if total else 0.0,
        "balanced_accuracy": float(recall[support > 0].mean()) if (support > 0).any() else 0.0,
    }
    for name, values in (("precision", precision), ("recall", recall), ("f1", f1)):
        scores[f"{name}_macro"] = float(values.mean())
        scores[f"{name}_weighted"] = float((values * weights).sum())
    if proba is not None and proba.shape == (len(y), n_classes):
        scores.update(_probability_scores(y, proba, n_classes))
    return scores, cm


def _probability_scores(y: np.ndarray, proba: np.ndarray, n_classes: int) -> dict[str, float]:
    out: dict[str, float] = {}
    p = np.clip(proba, 1e-15, None)
    p = p / p.sum(axis=1, keepdims=True)
    out["log_loss"] = float(-np.log(p[np.arange(len(y)), y]).mean())
    present = np.unique(y)
    if n_classes == 2 and len(present) == 2:
        out["roc_auc"] = _binary_auc(y == 1, p[:, 1])
    elif n_classes > 2 and len(present) == n_classes:
        out["roc_auc"] = float(np.mean([_binary_auc(y == c, p[:, c]) for c in range(n_classes)]))
    return out


def _binary_auc(positive: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC as the Mann-Whitney statistic (ties counted half), like roc_auc_score."""
    values, inverse, counts = np.unique(score, return_inverse=True, return_counts=True)
    ranks = (np.cumsum(counts) - (counts - 1) / 2.0)[inverse]  # average rank of ties
    n_pos = int(positive.sum())
    n_neg = len(positive) - n_pos
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def multi_label(y: np.ndarray, pred: np.ndarray, proba: np.ndarray | None
                ) -> tuple[dict[str, float], np.ndarray]:
    """Return (scores, per-label confusion matrices of shape (n_labels, 2, 2))."""
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
