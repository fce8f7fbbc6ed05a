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
- the same jobs on Dask: a ``dask scheduler`` and N ``dask worker`` processes on
  127.0.0.1, started and stopped here, ``modelmap run --cluster tcp://...``;
- how often the data is prepared (calls of ``prepare`` in the driver) and read by each
  worker process (``machine.data_loads`` of its results);
- store bytes per result and bytes per stored probability value (target <= 2.5);
- peak RSS of the driver (target <= 1.5 x the prepared data + 300 MB) and of the largest
  worker process (sampled every 0.2 s);
- time to open the job as the app does (job list, result listing, data projection),
  to compute a classifier map of all results' test probabilities, and of
  ``modelmap compare`` on the job.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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


# Both scripts report their process's own peak RSS with this
PEAK = r'''
import resource
def _peak_kb():  # VmHWM: this process's own peak; ru_maxrss also counts the parent's RSS at fork
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
'''

DRIVER = PEAK + r'''
import sys, time
import modelmap.batch._data as data
from modelmap.cli import app
prepares = [0]
_prepare = data.prepare
def counted(*args, **kwargs):  # every preparation of a job's data in this process
    prepares[0] += 1
    return _prepare(*args, **kwargs)
data.prepare = counted
sys.argv = ["modelmap", *sys.argv[1:]]
start = time.perf_counter()
try:
    app()
except SystemExit as exc:
    if exc.code:
        print("EXIT", exc.code)
print("WALL", time.perf_counter() - start)
print("RSS", _peak_kb())
print("PREPARES", prepares[0])
'''

LOOP = PEAK + r'''
import json, sys, time
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
print("RSS", _peak_kb())
'''


def env() -> dict:
    out = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**out, "NO_COLOR": "1", "COLUMNS": "200"}


def figures(stdout: str) -> dict[str, float]:
    out = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("WALL", "RSS", "PREPARES", "EXIT"):
            out[parts[0]] = float(parts[1])
    return out


class Sampler:
    """Peak RSS of every process under some roots, sampled every 0.2 s in a thread."""

    def __init__(self, roots: list[int], include_roots: bool) -> None:
        import threading

        self.roots, self.include_roots = roots, include_roots
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        import psutil

        while not self._stop.is_set():
            for root in self.roots:
                try:
                    top = psutil.Process(root)
                    procs = top.children(recursive=True) + ([top] if self.include_roots else [])
                except psutil.Error:
                    continue
                for proc in procs:
                    try:
                        self.peaks[proc.pid] = max(self.peaks.get(proc.pid, 0),
                                                   proc.memory_info().rss)
                    except psutil.Error:
                        pass
            self._stop.wait(0.2)

    def stop(self) -> dict[int, int]:
        self._stop.set()
        self._thread.join()
        return self.peaks


def run_cli(ws: Path, args: list[str], workers: list[int] | None = None) -> dict[str, float]:
    """A modelmap command in a fresh process; its wall time, peak RSS, prepare calls, and
    the largest worker process's peak RSS (the driver's children, or under ``workers``)."""
    start = time.perf_counter()
    proc = subprocess.Popen([PY, "-c", DRIVER, *args], cwd=ws, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(workers or [proc.pid], include_roots=bool(workers))
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    peaks = sampler.stop()
    found = figures(stdout)
    if proc.returncode or "WALL" not in found or "EXIT" in found:
        raise SystemExit(f"modelmap {' '.join(args)} failed:\n{stdout[-3000:]}\n"
                         f"{stderr[-3000:]}")
    return {"wall_s": wall, "driver_rss_mb": found["RSS"] / 1024,
            "worker_rss_mb": max(peaks.values(), default=0) / 2**20,
            "processes_sampled": len(peaks), "prepare_calls": int(found["PREPARES"])}


def run_modelmap(ws: Path, job_file: str, n_jobs: int, db: str,
                 cluster: tuple[str, list[int]] | None = None) -> dict[str, float]:
    args = ["run", job_file, "-q", "--store", db]
    args += ["--cluster", cluster[0]] if cluster else ["-j", str(n_jobs)]
    return run_cli(ws, args, cluster[1] if cluster else None)


def data_loads(db: Path, title: str) -> dict[str, Any]:
    """How many times each worker process read the prepared data (its results' largest
    ``machine.data_loads``), over the processes that trained the job's configs."""
    from modelmap.store import Store

    store = Store(db)
    seen: dict[int, list[int]] = {}
    for row in store.result_rows(title, columns=("machine",)):
        machine = row["machine"] or {}
        seen.setdefault(machine.get("pid"), []).append(int(machine.get("data_loads", 0)))
    store.close()
    # a Dask worker's child lives on between runs: its count goes on from the last job,
    # so the reads during this job are the last count minus the first plus one
    return {"worker_processes": len(seen),
            "configs_per_process": sorted(len(v) for v in seen.values()),
            "data_loads_per_process": sorted(max(v) - min(v) + 1 for v in seen.values())}


class DaskCluster:
    """``dask scheduler`` and ``n`` ``dask worker`` processes on 127.0.0.1."""

    def __init__(self, n: int) -> None:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.address = f"tcp://127.0.0.1:{port}"
        dask = str(Path(PY).parent / "dask")
        quiet = {"DASK_DISTRIBUTED__WORKER__DAEMON": "False",
                 "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}
        self.procs = [subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            env={**env(), **quiet}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        time.sleep(2)
        self.workers = [subprocess.Popen(
            [dask, "worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
             "--host", "127.0.0.1"], env={**env(), **quiet}, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL) for _ in range(n)]
        self.procs += self.workers
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(n, timeout=120)

    def __enter__(self) -> DaskCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


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


def local_phase(ws: Path, args: argparse.Namespace, out: dict[str, Any], save: Any) -> None:
    """``modelmap run -j N`` of both jobs, the store's figures, the app's and compare's."""
    db = ws / "modelmap.db"
    out["modelmap"] = run_modelmap(ws, "jobs/main.json", args.jobs, str(db))
    out["modelmap_knn"] = run_modelmap(ws, "jobs/knn.json", args.jobs, str(db))
    out["modelmap_wall_s"] = out["modelmap"]["wall_s"] + out["modelmap_knn"]["wall_s"]
    out["data_loads"] = {t: data_loads(db, t) for t in ("Scale", "Scale kNN")}
    out.update(store_figures(db))
    save("modelmap run")
    out.update(app_figures(db, "Scale"))
    out["compare"] = run_cli(ws, ["compare", "Scale", "--store", str(db)])
    save("app and compare")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=50)
    parser.add_argument("--configs", type=int, default=300)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--skip-loop", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-local", action="store_true",
                        help="skip the local run and the app/compare figures (Dask only)")
    parser.add_argument("--out", type=Path, default=None,
                        help="write the figures as JSON (after every phase)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary workspace (table, jobs, stores)")
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
    out: dict[str, Any] = {
        "machine": f"{platform.processor() or platform.machine()}, nproc {os.cpu_count()}",
        "python": platform.python_version(), "rows": args.rows, "features": args.features,
        "configs": args.configs, "n_jobs": args.jobs, "n_train": n_train,
        "prepared_data_mb": prepared_mb, "driver_rss_target_mb": 1.5 * prepared_mb + 300,
        "load_average_start": os.getloadavg(), "started": time.strftime("%H:%M:%S UTC",
                                                                       time.gmtime())}

    def save(phase: str) -> None:
        out["phases_done"] = [*out.get("phases_done", []), phase]
        out["load_average_now"] = os.getloadavg()
        print(f"[{time.strftime('%H:%M:%S')}] {phase} done", file=sys.stderr, flush=True)
        if args.out:
            args.out.write_text(json.dumps(out, indent=2))

    if not args.skip_local:
        local_phase(ws, args, out, save)
    if not args.skip_loop:
        out["loop"] = run_loop(table, main_configs + knn_configs, args.jobs)
        if "modelmap_wall_s" in out:
            out["ratio"] = out["modelmap_wall_s"] / out["loop"]["wall_s"]
        save("plain loop")
    if not args.skip_dask:
        dask_db = ws / "dask.db"
        with DaskCluster(args.jobs) as cluster:
            where = (cluster.address, [w.pid for w in cluster.workers])
            out["dask"] = run_modelmap(ws, "jobs/main.json", args.jobs, str(dask_db), where)
            out["dask_knn"] = run_modelmap(ws, "jobs/knn.json", args.jobs, str(dask_db), where)
        out["dask_wall_s"] = out["dask"]["wall_s"] + out["dask_knn"]["wall_s"]
        out["dask_data_loads"] = {t: data_loads(dask_db, t) for t in ("Scale", "Scale kNN")}
        if "loop" in out:
            out["dask_ratio"] = out["dask_wall_s"] / out["loop"]["wall_s"]
        save("dask")
    out["self_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    save("all")
    print(json.dumps(out, indent=2))
    if args.keep:
        print(f"workspace kept: {ws}", file=sys.stderr)
    else:
        shutil.rmtree(ws, ignore_errors=True)


if __name__ == "__main__":
    main()
