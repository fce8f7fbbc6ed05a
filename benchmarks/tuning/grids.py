"""Precompute the benchmark grids: 3-fold CV accuracy and fit time of every grid config.

Nine tasks — SVC (C × gamma), random forest (trees × depth × max_features) and MLP
(width × alpha × learning rate) on digits, breast_cancer and wine — 144 configs each.
Each row: the parameters, ``score`` (mean 3-fold stratified CV accuracy, seed 0) and
``fit_time`` (mean seconds per fold fit).  The tables are small CSVs in
``benchmarks/tuning/grids/`` so the replay (``replay.py``) needs no training at all.

    python benchmarks/tuning/grids.py            # all tasks, all cores
    python benchmarks/tuning/grids.py svc_wine   # one task

Only NumPy and scikit-learn are needed (it runs on a bare machine with those).
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

HERE = Path(__file__).parent
DATASETS = {"digits": load_digits, "breast_cancer": load_breast_cancer, "wine": load_wine}

# name -> (parameter grid, estimator factory); the grids are the search spaces in replay.py
GRIDS = {
    "svc": ({"C": np.logspace(-2, 4, 12), "gamma": np.logspace(-5, 1, 12)},
            lambda p: make_pipeline(StandardScaler(), SVC(C=p["C"], gamma=p["gamma"]))),
    "rf": ({"n_estimators": [5, 10, 20, 50, 100, 200], "max_depth": [1, 2, 4, 8, 16, 32],
            "max_features": [0.05, 0.15, 0.3, 0.6]},
           lambda p: RandomForestClassifier(n_estimators=int(p["n_estimators"]),
                                            max_depth=int(p["max_depth"]),
                                            max_features=float(p["max_features"]),
                                            random_state=0, n_jobs=1)),
    "mlp": ({"width": [4, 8, 16, 32, 64, 128], "alpha": np.logspace(-5, 1, 6),
             "learning_rate_init": np.logspace(-4, -1, 4)},
            lambda p: make_pipeline(StandardScaler(), MLPClassifier(
                hidden_layer_sizes=(int(p["width"]),), alpha=p["alpha"],
                learning_rate_init=p["learning_rate_init"], max_iter=200, random_state=0))),
}


def configs(model: str) -> list[dict]:
    grid, _ = GRIDS[model]
    names = list(grid)
    return [dict(zip(names, values)) for values in itertools.product(*grid.values())]


def evaluate(model: str, dataset: str, params: dict) -> dict:
    import warnings

    warnings.simplefilter("ignore")
    X, y = DATASETS[dataset](return_X_y=True)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    out = cross_validate(GRIDS[model][1](params), X, y, cv=cv, scoring="accuracy")
    return {**params, "score": float(out["test_score"].mean()),
            "fit_time": float(out["fit_time"].mean())}


def main(tasks: list[str]) -> None:
    import csv

    (HERE / "grids").mkdir(exist_ok=True)
    for task in tasks:
        model, dataset = task.split("_", 1)
        started = time.time()
        rows = Parallel(n_jobs=os.cpu_count())(
            delayed(evaluate)(model, dataset, p) for p in configs(model))
        path = HERE / "grids" / f"{task}.csv"
        with open(path, "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            for row in rows:
                writer.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v)
                                 for k, v in row.items()})
        best = max(r["score"] for r in rows)
        print(f"{task}: {len(rows)} configs, best {best:.4f}, {time.time() - started:.0f} s",
              flush=True)


if __name__ == "__main__":
    all_tasks = [f"{m}_{d}" for m in GRIDS for d in DATASETS]
    main(sys.argv[1:] or all_tasks)
