"""Precompute learning-curve tables: every grid config's 3-fold CV accuracy and fit time on
nested, stratified subsamples of 1/27, 1/9, 1/3 and all of the rows.

The full-fidelity rows repeat the grid's scores but time every config again in the same
run, so a rung's fit time can be taken as a ratio to the full fit measured under the same
load (the grid itself was timed on another machine).

The subsample is the one ``modelmap tune --strategy halving`` trains on: the rows of the
same 3 stratified folds as ``grids.py`` (seed 0), ``fraction`` of every (class, fold) cell
and at least one row of each, nested (``modelmap.tuning._fidelity.nested_subsample``, seed
0); each row keeps its fold.  Written to ``grids/curves/<task>.csv`` with a ``fidelity``
column.  Forests need no table for their parameter fidelity: their grid has ``n_estimators``
at 6 values, which the replay uses as the fidelity parameter (``rf_*`` here computes a
subsample table of the forests too).

    python benchmarks/tuning/curves.py                    # svc_* and mlp_* (the default)
    python benchmarks/tuning/curves.py mlp_wine --jobs 2
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from sklearn.model_selection import StratifiedKFold

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1] / "src"))
sys.path.insert(0, str(HERE))

from grids import DATASETS, GRIDS, configs  # noqa: E402

from modelmap.tuning._fidelity import nested_subsample  # noqa: E402

FIDELITIES = (1 / 27, 1 / 9, 1 / 3, 1.0)


def folds_of(y: np.ndarray) -> np.ndarray:
    folds = np.empty(len(y), dtype=np.int64)
    for k, (_, test) in enumerate(StratifiedKFold(3, shuffle=True, random_state=0).split(
            np.zeros(len(y)), y)):
        folds[test] = k
    return folds


def evaluate(model: str, dataset: str, params: dict, fidelity: float) -> dict:
    import warnings

    warnings.simplefilter("ignore")
    X, y = DATASETS[dataset](return_X_y=True)
    folds = folds_of(y)
    rows = nested_subsample(y, folds, fidelity, 0)
    scores, fits = [], []
    for k in range(3):
        train, test = rows[folds[rows] != k], rows[folds[rows] == k]
        model_ = GRIDS[model][1](params)
        started = time.perf_counter()
        model_.fit(X[train], y[train])
        fits.append(time.perf_counter() - started)
        scores.append(float(np.mean(model_.predict(X[test]) == y[test])))
    return {**params, "fidelity": fidelity, "rows": len(rows), "score": float(np.mean(scores)),
            "fit_time": float(np.mean(fits))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tasks", nargs="*",
                        default=[f"{m}_{d}" for m in ("svc", "mlp") for d in DATASETS])
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    (HERE / "grids" / "curves").mkdir(parents=True, exist_ok=True)
    for task in options.tasks:
        model, dataset = task.split("_", 1)
        started = time.time()
        rows = Parallel(n_jobs=options.jobs)(
            delayed(evaluate)(model, dataset, p, f) for f in FIDELITIES for p in configs(model))
        path = HERE / "grids" / "curves" / f"{task}.csv"
        with open(path, "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            for row in rows:
                writer.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v)
                                 for k, v in row.items()})
        print(f"{task}: {len(rows)} rows, {time.time() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
