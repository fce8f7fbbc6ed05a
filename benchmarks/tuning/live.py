"""Live runs: every strategy through ``modelmap.tuning.tune`` with real training.

Two tasks confirm the replay: SVM (C × gamma, log scales) on breast_cancer and random
forest (trees × depth) on wine, each with the same budget, seed and start for every
strategy.  Printed per task and strategy: the best validation accuracy, the test
accuracy of that config (measured after the search, never used to choose), candidates
trained, the summed candidate time (all folds) and the summed mean fit time.

    python benchmarks/tuning/live.py                 # budget 30, seeds 0 1 2, 2 workers
    python benchmarks/tuning/live.py --budget 20 --seeds 0 --jobs 4
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2] / "src"))

from modelmap.execution import LocalExecutor  # noqa: E402
from modelmap.tuning import tune  # noqa: E402

STRATEGIES = ("random", "evolutionary", "stepwise", "tpe")
TASKS = {
    "svm_breast_cancer": {
        "data": {"title": "Live SVM", "dataset": "sklearn_breast_cancer", "test_size": 0.25,
                 "scale": True, "tuning_rounds": 100, "tuning_population": 5,
                 "tuning_offspring": 4},
        "classifiers": [{
            "title": "SVM C{C} g{gamma}", "method": "svm", "kernel": "rbf",
            "C": {"tune": True, "type": "float", "min": 0.01, "max": 10000, "initial": 0.1,
                  "log": True, "sigma": 1},
            "gamma": {"tune": True, "type": "float", "min": 0.00001, "max": 10,
                      "initial": 1, "log": True, "sigma": 1}}],
    },
    "rf_wine": {
        "data": {"title": "Live RF", "dataset": "sklearn_wine", "test_size": 0.25,
                 "tuning_rounds": 100, "tuning_population": 5, "tuning_offspring": 4},
        "classifiers": [{
            "title": "RF {n_estimators} d{max_depth}", "method": "randomforest",
            "n_estimators": {"tune": True, "type": "int", "min": 5, "max": 200, "initial": 5,
                             "log": True, "sigma": 0.5},
            "max_depth": {"tune": True, "type": "int", "min": 1, "max": 32, "initial": 1,
                          "log": True, "sigma": 0.5},
            "random_state": 0}],
    },
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=30)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    print("| task | strategy | best validation | its test | candidates | candidate s | fit s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp, LocalExecutor(options.jobs) as executor:
        for task, job in TASKS.items():
            for strategy in STRATEGIES:
                rows = [_run(job, strategy, seed, options.budget, executor, Path(tmp))
                        for seed in options.seeds]
                med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
                print(f"| {task} | {strategy} | {med['best']:.4f} | {med['test']:.4f} | "
                      f"{med['n']:g} | {med['search']:.1f} | {med['fit']:.2f} |", flush=True)
    print(f"\nmedians over seeds {options.seeds}; {time.time() - started:.0f} s in all, "
          f"{options.jobs} workers")


def _run(job: dict, strategy: str, seed: int, budget: int, executor, tmp: Path) -> dict:
    data = {**job["data"], "random_state": seed}
    tuned = {**job, "data": data, "tuning": {"strategy": strategy, "budget": budget}}
    result = tune(tuned, store=tmp / f"{strategy}-{seed}.db", executor=executor,
                  outputs=False)
    best = result.best
    return {"best": best.score, "test": result.test_score(best, "accuracy") or float("nan"),
            "n": len(result.trials), "search": sum(t.seconds for t in result.trials),
            "fit": sum(t.fit_time or 0 for t in result.trials)}


if __name__ == "__main__":
    main()
