"""What comparisons read from the store: a job's labels, folds and classifiers' arrays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmap.compare import PROBABILITY_SCORES, Truth, check_score
from modelmap.errors import StoreError

JobRef = int | str

#: Reference classifiers (perfect predictions, the majority class): shown, not contenders.
REFERENCE_METHODS = frozenset({"optimal", "optimal_multi_label", "naive", "naive_multi_label"})


@dataclass(frozen=True)
class JobData:
    """A job's truth, its scored classifiers (rows with stacked arrays), the others."""

    job: dict[str, Any]
    truth: Truth
    mode: str
    score: str
    rows: list[dict[str, Any]]
    pred: np.ndarray
    proba: np.ndarray | None
    unscored: list[dict[str, Any]]
    failed: list[dict[str, Any]]


def first_line(text: str | None) -> str | None:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1][:500] if lines else None


def summary_of(store: Any, job: dict[str, Any]) -> dict[str, Any]:
    for data in store.datasets():
        if data["id"] == job["dataset_id"]:
            return data.get("summary") or {}
    return {}


def truth_of(store: Any, job: dict[str, Any]) -> tuple[Truth, str]:
    """The labels classifiers are scored on, the folds for cross validation, the seed."""
    summary = summary_of(store, job)
    arrays = store.arrays(f"job:{job['id']}", ["y_train", "y_test", "folds"])
    mode = summary.get("mode") or "holdout"
    seed = ((job.get("config") or {}).get("data") or {}).get("random_state")
    seed = seed if isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0 else 0
    multilabel = bool(summary.get("multilabel"))
    n_classes = int(summary.get("n_classes") or 0)
    if mode == "cv" and "folds" in arrays:
        y = arrays.get("y_train", np.zeros(0, np.int64))
        return Truth(y, n_classes, multilabel, arrays["folds"], seed), mode
    y = arrays.get("y_test", np.zeros(0, np.int64))
    return Truth(y, n_classes, multilabel, None, seed), mode


def stored_score(row: dict[str, Any], name: str) -> float | None:
    value = ((row.get("scores") or {}).get("test") or {}).get(name)
    return float(value) if isinstance(value, (int, float)) else None


def load(store: Any, ref: JobRef, score: str) -> JobData:
    """Everything a comparison needs of job ``ref`` for ``score``."""
    job = store.job(ref)
    if job is None:
        raise StoreError(f"no job {ref!r} in the store",
                         hint="list the jobs with `modelmap cache ls`")
    truth, mode = truth_of(store, job)
    name = check_score(score, truth.multilabel)
    columns = ("key", "title", "method", "status", "scores", "error")
    light = store.result_rows(job["id"], include_folds=False, columns=columns)
    ok = [row for row in light if row["status"] == "ok"]
    failed = [{"key": r["key"], "title": r["title"], "error": first_line(r["error"]) or r["status"]}
              for r in light if r["status"] != "ok"]
    names = ["pred_test"] + (["proba_test"] if name in PROBABILITY_SCORES else [])
    rows, unscored = [], []
    shape = truth.y.shape
    pred = np.empty((len(ok), *shape), dtype=np.int16)
    proba = None
    if name in PROBABILITY_SCORES:
        width = shape[1] if len(shape) == 2 else max(truth.n_classes, 1)
        proba = np.empty((len(ok), len(truth.y), width), dtype=np.float64)
    for start in range(0, len(ok), _BATCH):  # a few at a time: never all decoded at once
        part = ok[start:start + _BATCH]
        stored = store.arrays_many([f"result:{row['id']}" for row in part], names)
        for row in part:
            arrays = stored.pop(f"result:{row['id']}")
            reason = _missing(arrays.get("pred_test"), arrays.get("proba_test"), name, shape,
                              truth.n_classes)
            if reason:
                unscored.append({**row, "reason": reason})
                continue
            pred[len(rows)] = _labels(arrays["pred_test"], truth.n_classes)
            if proba is not None:
                proba[len(rows)] = arrays["proba_test"]
            rows.append(row)
    pred, proba = pred[:len(rows)], None if proba is None else proba[:len(rows)]
    return JobData(job, truth, mode, name, rows, pred, proba, unscored, failed)


#: Results whose arrays are decoded at once while a comparison reads a job.
_BATCH = 32


def _labels(pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Predicted labels for a stack of int16 (a job has at most 10,000 classes): a value
    outside [0, classes) matches no class before and after, so it is clipped to -1 or
    ``classes`` rather than wrapped (multi-label 0/1 stays 0/1)."""
    return np.clip(pred, -1, max(n_classes, 2))


def _missing(pred: np.ndarray | None, proba: np.ndarray | None, name: str,
             shape: tuple[int, ...], n_classes: int) -> str | None:
    if pred is None:
        return "no stored test predictions"
    if pred.shape != shape:
        return f"test predictions of shape {list(pred.shape)}, labels {list(shape)}"
    if name in PROBABILITY_SCORES:
        want = shape if len(shape) == 2 else (*shape, n_classes)
        if proba is None or proba.shape != want:
            return "no stored test probabilities"
    return None


def is_reference(row: dict[str, Any]) -> bool:
    return row.get("method") in REFERENCE_METHODS
