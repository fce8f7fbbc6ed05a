"""Scores of one prediction: single-label and multi-label."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn import metrics


def single_label(y: np.ndarray, pred: np.ndarray, proba: np.ndarray | None,
                 n_classes: int) -> tuple[dict[str, float], np.ndarray]:
    """Return (scores, confusion matrix) for integer labels ``y``."""
    labels = np.arange(n_classes)
    scores: dict[str, float] = {
        "accuracy": float(metrics.accuracy_score(y, pred)),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores["balanced_accuracy"] = float(metrics.balanced_accuracy_score(y, pred))
        for avg in ("macro", "weighted"):
            p, r, f, _ = metrics.precision_recall_fscore_support(
                y, pred, labels=labels, average=avg, zero_division=0
            )
            scores[f"precision_{avg}"] = float(p)
            scores[f"recall_{avg}"] = float(r)
            scores[f"f1_{avg}"] = float(f)
        if proba is not None and proba.shape == (len(y), n_classes):
            scores.update(_probability_scores(y, proba, labels))
    confusion = metrics.confusion_matrix(y, pred, labels=labels)
    return scores, confusion


def _probability_scores(y: np.ndarray, proba: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    out: dict[str, float] = {}
    p = np.clip(proba, 1e-15, 1.0)
    p = p / p.sum(axis=1, keepdims=True)
    try:
        out["log_loss"] = float(metrics.log_loss(y, p, labels=labels))
    except ValueError:
        pass
    present = np.unique(y)
    try:
        if len(labels) == 2 and len(present) == 2:
            out["roc_auc"] = float(metrics.roc_auc_score(y, p[:, 1]))
        elif len(present) == len(labels) > 2:
            out["roc_auc"] = float(
                metrics.roc_auc_score(y, p, multi_class="ovr", average="macro", labels=labels)
            )
    except ValueError:
        pass
    return out


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
