"""A generated store with one job of 100,000 samples (80,000 train, 20,000 test, 3 classes),
a data projection of every sample and three classifiers (one of them the naive reference),
for the Data view at scale; nothing is trained."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import modelmap
from tests.ui.synthetic import result

TITLE = "Large table"
CLASSES = ["alpha", "beta", "gamma"]


def build_large_store(path: Path, n_train: int = 80_000, n_test: int = 20_000) -> Path:
    rng = np.random.default_rng(0)
    y_train = rng.choice(3, n_train, p=[0.5, 0.3, 0.2]).astype(np.int64)
    y_test = rng.choice(3, n_test, p=[0.5, 0.3, 0.2]).astype(np.int64)
    y = np.concatenate([y_train, y_test])
    centres = np.array([[0.0, 0.0], [3.0, 1.0], [1.0, 3.0]])
    points = centres[y] + rng.normal(size=(len(y), 2))
    summary = {"dataset": "table", "n_train": n_train, "n_test": n_test, "n_features": 2,
               "n_classes": 3, "class_names": CLASSES,
               "train_counts": np.bincount(y_train, minlength=3).tolist(),
               "test_counts": np.bincount(y_test, minlength=3).tolist(),
               "multilabel": False, "mode": "holdout", "n_folds": 0, "scale": False,
               "save_train_predictions": False}
    config = {"data": {"title": TITLE, "dataset": "table"}, "classifiers": []}
    with modelmap.Store(path) as store:
        dataset = store.put_dataset("table", "generated-large", {}, summary)
        job_id = store.put_job(TITLE, dataset, None, config, "generated-large",
                               arrays={"y_train": y_train, "y_test": y_test})
        store.put_projection(job_id, "generated-pca", "PCA", "pca", {}, points)
        # k = 12 is naive (all majority class); 0 and 1 flip a random share of the labels
        store.add_results(job_id, [result(k, y_test, 3, rng) for k in (0, 1, 12)])
    return path
