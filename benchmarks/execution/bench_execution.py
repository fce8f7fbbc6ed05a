"""Execution benchmarks for `modelmap run`, each against its peer in the same run.

    .venv/bin/python benchmarks/execution/bench_execution.py \
        [throughput speedup tiny resume memory dask] [--repeats 3]

1. throughput — a 200-config digits job (SVC, random forest, k-NN, logistic regression, MLP)
   with `modelmap run -j 2` vs scikit-learn GridSearchCV(n_jobs=2) over the same configs and
   the same train/test split (PredefinedSplit).  Target ratio <= 1.1.
2. speedup   — the same job with -j 1 vs -j 2.  Target >= 1.7.
3. tiny      — 1,000 iris configs of < 10 ms each vs a plain sequential loop calling
   fit/predict.  Target <= 1.5.
4. resume    — rerunning the finished 1,000-config job.  Target <= 3 s.
5. memory    — peak RSS of the driver for 1,000 vs 100 configs.  Target <= 1.2.
6. dask      — the 200-config job on a 2-worker LocalCluster vs the local pool.  Target <= 1.3.

Every figure is wall time of the whole command as a user runs it (process start included).
Throughput (with dask) and tiny run each side ``--repeats`` times (default 3), alternating
with the peer, and compare the medians: on a shared VM one run of either side can be 30 %
off.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
ESTIMATORS = {
    "svc": ("sklearn.svm.SVC", {"C": [0.1, 1, 10, 100, 1000],
                                "gamma": [0.0003, 0.001, 0.003, 0.01],
                                "kernel": ["rbf", "poly"]}),  # 40
    "rf": ("sklearn.ensemble.RandomForestClassifier",
           {"n_estimators": [10, 30, 60, 100, 150], "max_depth": [4, 8, 16, None],
            "random_state": [0, 1]}),  # 40
    "knn": ("sklearn.neighbors.KNeighborsClassifier",
            {"n_neighbors": list(range(1, 21)), "weights": ["uniform", "distance"]}),  # 40
    "lr": ("sklearn.linear_model.LogisticRegression",
           {"C": [0.001, 0.01, 0.1, 1, 10], "max_iter": [100, 200, 400, 800],
            "tol": [1e-4, 1e-3]}),  # 40
    "mlp": ("sklearn.neural_network.MLPClassifier",
            {"hidden_layer_sizes": [[32], [64], [128], [64, 32], [128, 64]],
             "alpha": [1e-4, 1e-3], "max_iter": [50, 100], "random_state": [0, 1]}),  # 40
}


def grid(params: dict) -> list[dict]:
    from sklearn.model_selection import ParameterGrid

    return list(ParameterGrid(params))


def digits_job(title: str = "Bench digits") -> dict:
    classifiers = []
    for short, (path, params) in ESTIMATORS.items():
        for i, p in enumerate(grid(params)):
            classifiers.append({"title": f"{short} {i}", "method": "sklearn", "estimator": path,
                                **p})
    return {"data": {"title": title, "dataset": "sklearn_digits", "test_size": 0.25,
                     "random_state": 42, "scale": True}, "classifiers": classifiers}


def iris_tiny_job(n: int, title: str) -> dict:
    return {"data": {"title": title, "dataset": "sklearn_iris", "random_state": 42},
            "classifiers": [{"title": f"tree {i}", "method": "decisiontree", "max_depth": 1 + i % 5,
                             "random_state": i} for i in range(n)]}


GRIDSEARCH = r'''
import json, sys, time, warnings
import numpy as np
from sklearn import datasets
from sklearn.model_selection import GridSearchCV, PredefinedSplit, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
import importlib
warnings.simplefilter("ignore")
spec = json.loads(sys.argv[1])
d = datasets.load_digits()
Xtr, Xte, ytr, yte = train_test_split(d.data, d.target, test_size=0.25, random_state=42,
                                      stratify=d.target)
X = np.vstack([Xtr, Xte]); y = np.concatenate([ytr, yte])
fold = np.r_[np.full(len(ytr), -1), np.zeros(len(yte), dtype=int)]
grids = []
for path, params in spec:
    mod, cls = path.rsplit(".", 1)
    est = getattr(importlib.import_module(mod), cls)()
    g = {"clf": [est]}
    g.update({f"clf__{k}": [tuple(x) if isinstance(x, list) else x for x in v]
              for k, v in params.items()})
    grids.append(g)
pipe = Pipeline([("scale", StandardScaler()), ("clf", grids[0]["clf"][0])])
search = GridSearchCV(pipe, grids, cv=PredefinedSplit(fold), n_jobs=2, refit=False)
search.fit(X, y)
print(len(search.cv_results_["params"]))
'''


def base_env() -> dict:
    """The environment of every timed command: like a user's shell, where Python caches
    compiled modules (some sandboxes set PYTHONDONTWRITEBYTECODE, which would make every
    start of modelmap, installed in editable mode, recompile its own sources)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "NO_COLOR": "1"}


def sh(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env={**base_env(), **(env or {})},
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0,):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed


def workspace(tmp: Path, name: str, job: dict) -> Path:
    ws = tmp / name
    (ws / "jobs").mkdir(parents=True)
    (ws / "jobs" / "job.json").write_text(json.dumps(job))
    return ws


def run_modelmap(ws: Path, *args: str) -> float:
    return sh([PY, "-m", "modelmap", "run", "jobs/job.json", "-q", *args], ws)


def peak_rss_run(ws: Path) -> int:
    """Peak RSS (KiB) of the driver process alone (workers are separate processes)."""
    code = ("import resource, sys; from modelmap.cli import app; sys.argv=['modelmap','run',"
            "'jobs/job.json','-q','-j','2'];\ntry:\n    app()\nexcept SystemExit:\n    pass\n"
            "print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    proc = subprocess.run([PY, "-c", code], cwd=ws, capture_output=True, text=True,
                          env=base_env())
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RSS")]
    if not line:
        raise SystemExit(proc.stdout + proc.stderr)
    return int(line[-1].split()[1])


def main(which: list[str], repeats: int = 3) -> None:
    results: dict[str, dict] = {}
    tmp = Path(tempfile.mkdtemp(prefix="modelmap-bench-"))
    # compile modelmap's modules once, as installing a wheel would, outside the timings
    subprocess.run([PY, "-m", "compileall", "-q", str(Path(__file__).parents[2] / "src")],
                   env=base_env(), check=True)
    try:
        if {"throughput", "speedup", "dask"} & set(which):
            ws = workspace(tmp, "digits", digits_job())
            spec = json.dumps([[p, g] for p, g in ESTIMATORS.values()])
            gs_runs, mm_runs, dask_runs = [], [], []
            for _ in range(repeats):
                gs_runs.append(sh([PY, "-c", GRIDSEARCH, spec], tmp))
                (ws / "modelmap.db").unlink(missing_ok=True)
                mm_runs.append(run_modelmap(ws, "-j", "2"))
                if "dask" in which:  # alternating with the local pool, like the peer
                    dask_runs.append(run_modelmap(ws, "--cluster", "local:2", "--force"))
            gs, mm2 = statistics.median(gs_runs), statistics.median(mm_runs)
            results["throughput"] = {"modelmap_j2_s": mm2, "gridsearchcv_s": gs,
                                     "ratio": mm2 / gs, "target": "<= 1.1",
                                     "modelmap_runs": mm_runs, "gridsearchcv_runs": gs_runs}
            print(f"throughput: modelmap -j 2 {mm2:.1f}s, GridSearchCV(n_jobs=2) {gs:.1f}s, "
                  f"ratio {mm2 / gs:.2f} (target <= 1.1; medians of {repeats})", flush=True)
            if "speedup" in which:
                mm1 = run_modelmap(ws, "-j", "1", "--force")
                results["speedup"] = {"j1_s": mm1, "j2_s": mm2, "ratio": mm1 / mm2,
                                      "target": ">= 1.7"}
                print(f"speedup: -j 1 {mm1:.1f}s / -j 2 {mm2:.1f}s = {mm1 / mm2:.2f} "
                      "(target >= 1.7)", flush=True)
            if "dask" in which:
                dk = statistics.median(dask_runs)
                results["dask"] = {"dask_s": dk, "local_s": mm2, "ratio": dk / mm2,
                                   "target": "<= 1.3", "dask_runs": dask_runs}
                print(f"dask: LocalCluster(2) {dk:.1f}s / local pool {mm2:.1f}s = "
                      f"{dk / mm2:.2f} (target <= 1.3; medians of {repeats})", flush=True)
        if {"tiny", "resume", "memory"} & set(which):
            ws = workspace(tmp, "tiny", iris_tiny_job(1000, "Tiny 1000"))
            loop_runs, mm_runs = [], []
            for _ in range(repeats):
                loop_runs.append(sh([PY, "-c", TINY_LOOP], tmp))
                (ws / "modelmap.db").unlink(missing_ok=True)
                mm_runs.append(run_modelmap(ws, "-j", "2"))
            loop, mm = statistics.median(loop_runs), statistics.median(mm_runs)
            results["tiny"] = {"modelmap_s": mm, "loop_s": loop, "ratio": mm / loop,
                               "target": "<= 1.5", "modelmap_runs": mm_runs,
                               "loop_runs": loop_runs}
            print(f"tiny: modelmap {mm:.1f}s vs sequential loop {loop:.1f}s, ratio "
                  f"{mm / loop:.2f} (target <= 1.5; medians of {repeats})", flush=True)
            again = run_modelmap(ws, "-j", "2")
            results["resume"] = {"rerun_s": again, "target": "<= 3 s"}
            print(f"resume: rerun of the finished 1,000-config job {again:.2f}s (target <= 3 s)",
                  flush=True)
            if "memory" in which:
                big = workspace(tmp, "mem1000", iris_tiny_job(1000, "Mem 1000"))
                small = workspace(tmp, "mem100", iris_tiny_job(100, "Mem 100"))
                r1000, r100 = peak_rss_run(big), peak_rss_run(small)
                results["memory"] = {"rss_1000_kib": r1000, "rss_100_kib": r100,
                                     "ratio": r1000 / r100, "target": "<= 1.2"}
                print(f"memory: driver peak RSS {r1000 / 1024:.0f} MiB (1,000 configs) / "
                      f"{r100 / 1024:.0f} MiB (100) = {r1000 / r100:.2f} (target <= 1.2)",
                      flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["machine"] = {"platform": platform.platform(), "cpus": os.cpu_count(),
                          "python": platform.python_version()}
    out = Path(__file__).with_name("last_results.json")
    out.write_text(json.dumps(results, indent=2))
    print(f"written {out}")


TINY_LOOP = r'''
import numpy as np
from sklearn import datasets
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
d = datasets.load_iris()
Xtr, Xte, ytr, yte = train_test_split(d.data, d.target, test_size=0.2, random_state=42,
                                      stratify=d.target)
for i in range(1000):
    clf = DecisionTreeClassifier(max_depth=1 + i % 5, random_state=i).fit(Xtr, ytr)
    clf.predict(Xtr); clf.predict(Xte); clf.predict_proba(Xte)
'''

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="*", default=["throughput", "speedup", "tiny", "resume",
                                                     "memory", "dask"])
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of each side of throughput, dask and tiny (medians compared)")
    options = parser.parse_args()
    main(options.which, options.repeats)
