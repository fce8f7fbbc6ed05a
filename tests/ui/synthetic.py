"""A job of N generated classifiers (no training) for the web app's size tests and benchmark.

The job reuses a real job's data (labels, dataset); each result has a method
from a list of 14, parameters, test/train scores, times and test predictions made by
flipping a random share of the true labels, so Map, Data and Comparison have real arrays.
"""

from __future__ import annotations

import json

import numpy as np

import modelmap
from modelmap.training._result import TrainResult

METHODS = ("adaboost", "decisiontree", "gaussiannb", "gaussianprocess", "hist_gradient_boosting",
           "kneighbors", "logistic_regression", "mlpc", "qda", "randomforest", "sklearn", "svm",
           "naive", "optimal")


def _args(method: str, k: int, rng: np.random.Generator) -> dict:
    if method in ("naive", "optimal"):
        return {}
    args = {"C": float(np.round(10 ** rng.uniform(-2, 2), 4)),
            "max_depth": int(rng.integers(0, 21)), "n_neighbors": int(rng.integers(1, 50)),
            "random_state": k % 10}
    keep = {"svm": ("C",), "logistic_regression": ("C",), "decisiontree": ("max_depth",),
            "randomforest": ("max_depth", "random_state"), "kneighbors": ("n_neighbors",)}
    return {name: args[name] for name in keep.get(method, ())} | {"k": k}


def result(k: int, y_test: np.ndarray, n_classes: int, rng: np.random.Generator) -> TrainResult:
    method = METHODS[k % len(METHODS)] if k >= len(METHODS) else METHODS[k]
    share = 0.0 if method == "optimal" else float(rng.uniform(0.0, 0.5))
    pred = y_test.copy()
    if method == "naive":
        pred[:] = np.bincount(y_test).argmax()
    else:
        flip = rng.random(len(pred)) < share
        pred[flip] = (pred[flip] + rng.integers(1, n_classes, flip.sum())) % n_classes
    accuracy = float((pred == y_test).mean())
    confusion = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(confusion, (y_test, pred), 1)
    fit = float(10 ** rng.uniform(-4, 1))
    return TrainResult(
        key=f"synthetic-{k}", title=f"{method} #{k}", method=method, args=_args(method, k, rng),
        scores={"test": {"accuracy": accuracy, "f1_macro": accuracy * float(rng.uniform(.9, 1))},
                "train": {"accuracy": min(1.0, accuracy + float(rng.uniform(0, .1)))}},
        times={"fit": fit, "predict_test": fit / 10, "total": fit * 1.2},
        arrays={"pred_test": pred, "confusion_test": confusion}, started_at=1.0 + k,
        finished_at=2.0 + k)


def fill(store: modelmap.Store, n: int, title: str, like: str = "Iris", seed: int = 0) -> int:
    """Add the job ``title`` with ``n`` generated results on the data of job ``like``."""
    base = store.job(like)
    arrays = store.arrays(f"job:{base['id']}")
    config = base["config"] if isinstance(base["config"], dict) else json.loads(base["config"])
    job_id = store.put_job(title, base["dataset_id"], None, {**config, "data": {
        **config.get("data", {}), "title": title}}, base["data_key"], arrays)
    y_test = np.asarray(arrays["y_test"])
    n_classes = int(max(y_test.max(), np.asarray(arrays["y_train"]).max())) + 1
    rng = np.random.default_rng(seed)
    for start in range(0, n, 1000):
        store.add_results(job_id, [result(k, y_test, n_classes, rng)
                                   for k in range(start, min(n, start + 1000))])
    return job_id
