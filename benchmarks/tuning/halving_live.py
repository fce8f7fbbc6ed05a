"""Live, same run, same candidates: successive halving in scikit-learn and modelmap, and
Optuna's TPE with its HyperbandPruner, on the same data, ``factor``/``eta`` and workers.

Per task and seed: ``HalvingRandomSearchCV`` and ``modelmap.tuning.HalvingSearchCV`` with
the same ``n_candidates``, ``factor``, ``cv``, ``random_state`` (hence the same sampled
candidates) and ``n_jobs``; Optuna TPE + HyperbandPruner over the same rungs (training-set
fractions ``min_resources * factor**i``), reporting each rung's CV score.  Printed: the best
validation score (at full resources), the wall time, and the ratios to HalvingRandomSearchCV.

    python benchmarks/tuning/halving_live.py                    # 27 candidates, seed 0
    python benchmarks/tuning/halving_live.py --candidates 81 --seeds 0 1 2 --jobs 2
    python benchmarks/tuning/halving_live.py --tasks svc_digits --train-scores
    python benchmarks/tuning/halving_live.py --tasks rf_generated hgb_generated --rows 5000 \
        --no-optuna                  # the 20,000-row table at a quarter of its size, briefly

The two halving searches run one after the other, HalvingRandomSearchCV first for even
seeds and modelmap's first for odd ones.  ``return_train_score`` is each class's default
(True for HalvingRandomSearchCV, False for modelmap's, as GridSearchCV) unless
``--train-scores`` sets it True for both.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[2] / "src"))

from scipy.stats import loguniform, randint, uniform  # noqa: E402
from sklearn.datasets import load_digits, make_classification  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier  # noqa: E402
from sklearn.experimental import enable_halving_search_cv  # noqa: E402,F401
from sklearn.model_selection import (HalvingRandomSearchCV, StratifiedKFold,  # noqa: E402
                                     cross_val_score)
from sklearn.svm import SVC  # noqa: E402

from modelmap.tuning import HalvingSearchCV  # noqa: E402
from modelmap.tuning._fidelity import nested_subsample  # noqa: E402


def tasks(rows: int) -> dict:
    X_d, y_d = load_digits(return_X_y=True)
    X_g, y_g = make_classification(rows, 20, n_informative=10, n_classes=3, random_state=0)
    return {
        "svc_digits": (SVC(), {"C": loguniform(1e-2, 1e3), "gamma": loguniform(1e-5, 1e-1)},
                       X_d, y_d),
        f"rf_generated_{rows}": (
            RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1),
            {"max_depth": randint(2, 32), "max_features": uniform(0.05, 0.6),
             "min_samples_leaf": randint(1, 20)}, X_g, y_g),
        f"hgb_generated_{rows}": (
            HistGradientBoostingClassifier(max_iter=100, random_state=0),
            {"learning_rate": loguniform(1e-3, 1), "max_leaf_nodes": randint(4, 64),
             "min_samples_leaf": randint(2, 100)}, X_g, y_g),
    }


def searches(estimator, space, X, y, n: int, seed: int, jobs: int,
             train_scores: bool = False, optuna: bool = True) -> dict:
    common = dict(n_candidates=n, factor=3, cv=3, random_state=seed, n_jobs=jobs,
                  min_resources="exhaust")
    if train_scores:
        common["return_train_score"] = True
    out = {}
    pair = [("HalvingRandomSearchCV", HalvingRandomSearchCV),
            ("modelmap HalvingSearchCV", HalvingSearchCV)]
    for name, cls in pair[::-1] if seed % 2 else pair:  # odd seeds: modelmap's first
        started = time.time()
        search = cls(estimator, space, **common).fit(X, y)
        out[name] = (search.best_score_, time.time() - started)
    out = {name: out[name] for name, _ in pair}
    if not optuna:
        return out
    out["optuna TPE + HyperbandPruner"] = _optuna(estimator, space, X, y, n, seed, jobs,
                                                  search.n_resources_)
    return out


def _optuna(estimator, space, X, y, n: int, seed: int, jobs: int, rungs: list[int]):
    import optuna
    from sklearn.base import clone

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    cv = StratifiedKFold(3, shuffle=True, random_state=seed)

    def objective(trial):
        params = {k: (trial.suggest_int(k, d.a, d.b) if d.kind == "int" else
                      trial.suggest_float(k, d.a, d.b, log=d.kind == "log"))
                  for k, d in _bounds(space).items()}
        score = 0.0
        for step, size in enumerate(rungs):
            rows = nested_subsample(y, np.zeros(len(y), dtype=np.int64), size / len(y), seed)
            model = clone(estimator).set_params(**params)
            score = cross_val_score(model, X[rows], y[rows], cv=cv, n_jobs=jobs).mean()
            trial.report(score, step)
            if step < len(rungs) - 1 and trial.should_prune():
                raise optuna.TrialPruned()
        return score

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        study = optuna.create_study(
            direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed),
            pruner=optuna.pruners.HyperbandPruner(min_resource=1, max_resource=len(rungs),
                                                  reduction_factor=3))
        started = time.time()
        study.optimize(objective, n_trials=n)
    complete = [t.value for t in study.trials if t.state.name == "COMPLETE"]
    return (max(complete) if complete else float("nan")), time.time() - started


class _Range:
    def __init__(self, a, b, kind):
        self.a, self.b, self.kind = a, b, kind  # kind: "log", "float" or "int"


def _bounds(space: dict) -> dict:
    out = {}
    for name, dist in space.items():
        low, high = dist.support()
        kind = {"loguniform": "log", "uniform": "float"}.get(dist.dist.name, "int")
        out[name] = _Range(int(low), int(high), kind) if kind == "int" else \
            _Range(float(low), float(high), kind)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=27)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--tasks", nargs="+", help="svc_digits, rf_generated, hgb_generated")
    parser.add_argument("--train-scores", action="store_true",
                        help="return_train_score=True for both halving searches")
    parser.add_argument("--no-optuna", action="store_true",
                        help="only the two halving searches (Optuna's side takes 2-5 x their "
                        "time)")
    options = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    X, y = load_digits(return_X_y=True)  # start the worker pools before anything is timed
    HalvingRandomSearchCV(SVC(), {"C": [1, 2]}, cv=3, n_jobs=options.jobs).fit(X, y)
    print("| task | seed | search | best validation | wall s | score - HRS | wall / HRS |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for task, (estimator, space, X, y) in tasks(options.rows).items():
        if options.tasks and not any(task.startswith(t) for t in options.tasks):
            continue
        for seed in options.seeds:
            results = searches(estimator, space, X, y, options.candidates, seed, options.jobs,
                               options.train_scores, optuna=not options.no_optuna)
            ref_score, ref_wall = results["HalvingRandomSearchCV"]
            for name, (score, wall) in results.items():
                print(f"| {task} | {seed} | {name} | {score:.4f} | {wall:.1f} | "
                      f"{score - ref_score:+.4f} | {wall / ref_wall:.2f} |", flush=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
