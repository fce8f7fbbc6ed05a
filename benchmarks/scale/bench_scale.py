"""A table a hundred times larger than the toy data: `modelmap run` against a plain loop.

    .venv/bin/python benchmarks/scale/bench_scale.py                 # 100,000 x 50, 300 configs
    .venv/bin/python benchmarks/scale/bench_scale.py --rows 10000 --configs 60   # reduced

The table is made here: ``--rows`` rows, ``--features`` columns (all but 6 numeric, 6
categorical text columns, 5 % empty cells in 5 numeric columns), a 3-class text label, as a
Parquet file.  The job reads it with the ``table`` dataset (20 % test, ``scale``, missing
values imputed) and trains ``--configs`` configs: decision trees, logistic regression,
hist gradient boosting, Gaussian naive Bayes and k-NN (k-NN on a 10,000-row subset of the
training rows, in a job of its own, as its prediction cost grows with the training rows).

Measured, each against its peer in the same run:

- wall time of ``modelmap run -j N`` (process start included) vs a plain loop over the
  same configs that stores nothing (pandas + scikit-learn Pipeline(ColumnTransformer,
  classifier), joblib ``n_jobs=N``, fit, predict test and train, accuracy); the ratio;
- store bytes per result and bytes per stored probability value (target <= 2.5);
- peak RSS of the driver (target <= 1.5 x the prepared data + 300 MB) and of the largest
  worker;
- time to open the job as the app does (job list, result listing, data projection) and
  to compute a classifier map of all results' test probabilities.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PY = sys.executable
N_CATEGORICAL = 6
N_MISSING = 5
KNN_SUBSET = 10_000


def make_table(path: Path, rows: int, features: int, seed: int = 0) -> None:
    import pandas as pd
    from sklearn.datasets import make_classification

    n_numeric = features - N_CATEGORICAL
    X, y = make_classification(rows, features, n_informative=12, n_redundant=6, n_classes=3,
                               random_state=seed)
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(X[:, :n_numeric].astype(np.float32),
                         columns=[f"x{i}" for i in range(n_numeric)])
    for i in range(N_MISSING):
        frame.loc[rng.random(rows) < 0.05, f"x{i}"] = np.nan
    for j in range(N_CATEGORICAL):  # binned informative columns, as text categories
        values = X[:, n_numeric + j]
        bins = np.quantile(values, np.linspace(0, 1, 3 + 2 * j)[1:-1])
        frame[f"c{j}"] = np.array([f"level_{k}" for k in range(len(bins) + 1)])[
            np.digitize(values, bins)]
    frame["label"] = np.array(["alpha", "beta", "gamma"])[y]
    frame.to_parquet(path)


def configs(n: int) -> tuple[list[dict], list[dict]]:
    """(main job's configs, k-NN configs): about 27 % trees, 20 % logistic regression,
    13 % hist gradient boosting, 27 % naive Bayes, 13 % k-NN."""
    n_knn = max(1, round(0.13 * n))
    n_tree, n_lr, n_hgb = round(0.27 * n), round(0.20 * n), round(0.13 * n)
    n_nb = max(0, n - n_knn - n_tree - n_lr - n_hgb)
    out = [{"title": f"tree {i}", "method": "decisiontree", "max_depth": 2 + i % 14,
            "random_state": i} for i in range(n_tree)]
    out += [{"title": f"lr {i}", "method": "logistic_regression",
             "C": float(10 ** (-3 + 5 * i / max(1, n_lr - 1)))} for i in range(n_lr)]
    out += [{"title": f"hgb {i}", "method": "hist_gradient_boosting", "max_iter": 10 + 5 * (i % 4),
             "learning_rate": 0.05 + 0.05 * (i % 5), "random_state": i} for i in range(n_hgb)]
    out += [{"title": f"nb {i}", "method": "gaussiannb",
             "var_smoothing": float(10 ** (-12 + 8 * i / max(1, n_nb - 1)))} for i in range(n_nb)]
    knn = [{"title": f"knn {i}", "method": "kneighbors", "n_neighbors": 1 + 2 * i}
           for i in range(n_knn)]
    return out, knn


def job(title: str, classifiers: list[dict], subset: int | None = None) -> dict:
    data = {"title": title, "dataset": "table", "path": "data/table.parquet", "label": "label",
            "test_size": 0.2, "scale": True, "random_state": 0}
    if subset:
        data["subset_train"] = subset
    projections = [{"title": "PCA", "method": "pca"}] if subset is None else []
    return {"data": data, "projections": projections, "classifiers": classifiers}


DRIVER = r'''
import resource, sys, threading, time
from modelmap.cli import app
peak = [0]
def watch():  # the largest worker's RSS, sampled (workers outlive RUSAGE_CHILDREN)
    try:
        import psutil
    except ImportError:
        return
    me = psutil.Process()
    while True:
        for child in me.children(recursive=True):
            try:
                peak[0] = max(peak[0], child.memory_info().rss // 1024)
            except psutil.Error:
                pass
        time.sleep(0.2)
threading.Thread(target=watch, daemon=True).start()
sys.argv = ["modelmap", "run", *sys.argv[1:]]
start = time.perf_counter()
try:
    app()
except SystemExit as exc:
    code = exc.code
print("WALL", time.perf_counter() - start)
print("RSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
print("CHILDREN", peak[0])
'''

LOOP = r'''
import json, resource, sys, time
import numpy as np, pandas as pd
from joblib import Parallel, delayed
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier

path, n_jobs, subset = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
configs = json.loads(sys.stdin.read())
start = time.perf_counter()
frame = pd.read_parquet(path)
y = pd.factorize(frame.pop("label"), sort=True)[0]
Xtr, Xte, ytr, yte = train_test_split(frame, y, test_size=0.2, random_state=0, stratify=y)
num = [c for c in frame.columns if c.startswith("x")]
cat = [c for c in frame.columns if c.startswith("c")]
MAKE = {"decisiontree": lambda a: DecisionTreeClassifier(max_depth=a["max_depth"],
                                                         random_state=a["random_state"]),
        "logistic_regression": lambda a: LogisticRegression(C=a["C"], max_iter=100),
        "hist_gradient_boosting": lambda a: HistGradientBoostingClassifier(
            max_iter=a["max_iter"], learning_rate=a["learning_rate"],
            random_state=a["random_state"]),
        "gaussiannb": lambda a: GaussianNB(var_smoothing=a["var_smoothing"]),
        "kneighbors": lambda a: KNeighborsClassifier(n_neighbors=a["n_neighbors"])}

def one(a):
    ct = ColumnTransformer([("n", SimpleImputer(strategy="median"), num),
                            ("c", make_pipeline(SimpleImputer(strategy="most_frequent"),
                             OneHotEncoder(handle_unknown="ignore", sparse_output=False)), cat)])
    X, yy = (Xtr, ytr)
    if a["method"] == "kneighbors":
        X, yy = Xtr.iloc[:subset], ytr[:subset]
    pipe = make_pipeline(ct, StandardScaler(), MAKE[a["method"]](a)).fit(X, yy)
    return (pipe.predict(Xte) == yte).mean(), (pipe.predict(X) == yy).mean()

scores = Parallel(n_jobs=n_jobs)(delayed(one)(a) for a in configs)
print("WALL", time.perf_counter() - start)
print("RSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
'''


def env() -> dict:
    out = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**out, "NO_COLOR": "1", "COLUMNS": "200"}


def figures(stdout: str) -> dict[str, float]:
    out = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("WALL", "RSS", "CHILDREN"):
            out[parts[0]] = float(parts[1])
    return out


def run_modelmap(ws: Path, job_file: str, n_jobs: int) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.run([PY, "-c", DRIVER, job_file, "-q", "-j", str(n_jobs)], cwd=ws,
                          env=env(), capture_output=True, text=True)
    wall = time.perf_counter() - start
    found = figures(proc.stdout)
    if proc.returncode or "WALL" not in found:
        raise SystemExit(f"modelmap failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return {"wall_s": wall, "driver_rss_mb": found["RSS"] / 1024,
            "worker_rss_mb": found["CHILDREN"] / 1024}


def run_loop(path: Path, all_configs: list[dict], n_jobs: int) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.run([PY, "-c", LOOP, str(path), str(n_jobs), str(KNN_SUBSET)],
                          input=json.dumps(all_configs), env=env(), capture_output=True,
                          text=True)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"loop failed:\n{proc.stderr[-3000:]}")
    return {"wall_s": wall, "driver_rss_mb": figures(proc.stdout)["RSS"] / 1024}


def store_figures(db: Path) -> dict[str, float]:
    con = sqlite3.connect(db)
    n_results = con.execute("select count(*) from results").fetchone()[0]
    rows = con.execute("select shape, length(data) from arrays where name like 'proba%'")
    values = stored = 0
    for shape, length in rows:
        values += int(np.prod(json.loads(shape))) if shape else 0
        stored += length
    all_arrays = con.execute("select sum(length(data)) from arrays").fetchone()[0] or 0
    con.close()
    size = db.stat().st_size
    return {"results": n_results, "store_mb": size / 2**20,
            "store_bytes_per_result": size / max(1, n_results),
            "array_bytes_per_result": all_arrays / max(1, n_results),
            "bytes_per_probability": stored / max(1, values)}


def app_figures(db: Path, title: str) -> dict[str, float]:
    from modelmap import queries
    from modelmap.store import Store

    start = time.perf_counter()
    store = Store(db)
    job_id = next(j["id"] for j in queries.list_jobs(store) if j["title"] == title)
    listing = queries.list_results(store, job=job_id, limit=1000)
    queries.data_projections(store, job_id, "base64")
    opened = time.perf_counter() - start
    ids = [r["id"] for r in listing["items"]]
    start = time.perf_counter()
    queries.classifier_map(store, ids, values="proba_test", projection="pca", distances=False,
                           encoding="base64")
    mapped = time.perf_counter() - start
    store.close()
    return {"open_job_s": opened, "map_s": mapped, "map_results": len(ids)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=50)
    parser.add_argument("--configs", type=int, default=300)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--skip-loop", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args()
    ws = Path(tempfile.mkdtemp(prefix="modelmap-scale-"))
    (ws / "data").mkdir()
    (ws / "jobs").mkdir()
    table = ws / "data" / "table.parquet"
    make_table(table, args.rows, args.features)
    main_configs, knn_configs = configs(args.configs)
    (ws / "jobs" / "main.json").write_text(json.dumps(job("Scale", main_configs)))
    (ws / "jobs" / "knn.json").write_text(json.dumps(job("Scale kNN", knn_configs,
                                                         KNN_SUBSET)))
    n_train = args.rows - int(np.ceil(0.2 * args.rows))
    prepared_mb = (args.rows * args.features * 8 + args.rows * 8) / 2**20
    mm = run_modelmap(ws, "jobs/main.json", args.jobs)
    knn = run_modelmap(ws, "jobs/knn.json", args.jobs)
    out = {"machine": f"{platform.processor() or platform.machine()}, nproc {os.cpu_count()}",
           "python": platform.python_version(), "rows": args.rows, "features": args.features,
           "configs": args.configs, "n_jobs": args.jobs, "n_train": n_train,
           "prepared_data_mb": prepared_mb, "modelmap": mm, "modelmap_knn": knn,
           "modelmap_wall_s": mm["wall_s"] + knn["wall_s"],
           "driver_rss_target_mb": 1.5 * prepared_mb + 300,
           "load_average": os.getloadavg()}
    out.update(store_figures(ws / "modelmap.db"))
    out.update(app_figures(ws / "modelmap.db", "Scale"))
    if not args.skip_loop:
        loop = run_loop(table, main_configs + knn_configs, args.jobs)
        out["loop"] = loop
        out["ratio"] = out["modelmap_wall_s"] / loop["wall_s"]
    out["self_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out, indent=2))
    if args.out:
        args.out.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
