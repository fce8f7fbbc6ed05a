"""Load on the results server: 20 concurrent clients listing a job's classifiers and
fetching cached classifier maps, while a batch job writes to the same store.

The store gets 1,000 results (synthetic records with predictions and probabilities for
300 test samples, written through the public Store API); the server is a real
``modelmap serve`` process on 127.0.0.1; the writer is a real ``modelmap run`` of a job
with many quick configs.  Reports throughput, p50/p95 latency per request kind and the
errors (any non-200 answer or transport failure).

    .venv/bin/python benchmarks/load/bench_load.py                 # 20 clients, 20 s
    .venv/bin/python benchmarks/load/bench_load.py --clients 5 --seconds 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from modelmap.store import Store
from modelmap.training._result import TrainResult

N_RESULTS = 1000
N_TEST = 300


def fill(path: Path) -> int:
    """A store with one job of ``N_RESULTS`` results; returns the job id."""
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, N_TEST)
    with Store(path) as store:
        dataset = store.put_dataset("sklearn_iris", "bench", {}, {"class_names": ["a", "b", "c"],
                                                                 "n_classes": 3})
        job = store.put_job("Load", dataset, None, {"classifiers": []}, "bench-data",
                            arrays={"y_test": truth})
        for i in range(N_RESULTS):
            noise = 0.05 + 0.4 * (i % 10) / 10
            pred = np.where(rng.random(N_TEST) < noise, rng.integers(0, 3, N_TEST), truth)
            proba = rng.dirichlet(np.ones(3), N_TEST)
            accuracy = float((pred == truth).mean())
            store.add_result(job, TrainResult(
                key=f"{i:064x}", title=f"KNN {i}", method=("kneighbors", "svm")[i % 2],
                args={"n_neighbors": i % 50 + 1, "weights": ("uniform", "distance")[i % 2]},
                scores={"test": {"accuracy": accuracy, "f1_macro": accuracy * 0.98},
                        "train": {"accuracy": min(1.0, accuracy + 0.05)}},
                times={"fit": 0.01 * (i % 7), "total": 0.02}, machine={"host": "bench"},
                arrays={"pred_test": pred, "proba_test": proba,
                        "confusion_test": np.bincount(truth * 3 + pred, minlength=9).reshape(3, 3)},
                started_at=time.time(), finished_at=time.time()))
        return job


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(args: list[str], cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen([sys.executable, "-m", "modelmap", *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _writer(folder: Path, store: Path) -> subprocess.Popen:
    job = {"data": {"title": "Writer", "dataset": "sklearn_digits", "random_state": 0},
           "classifiers": [{"title": "KNN {n_neighbors}", "method": "kneighbors",
                            "n_neighbors": {"is_meta": True, "values": list(range(1, 401))}}]}
    (folder / "writer.json").write_text(json.dumps(job), encoding="utf-8")
    return _start(["run", "writer.json", "-j", "1", "-q", "--store", str(store)], folder)


REQUESTS = {
    "listing (page of 100, sorted)": ("GET", "/api/jobs/{job}/results",
                                      {"sort": "-test_accuracy", "limit": 100}),
    "listing (all 1000, filtered)": ("GET", "/api/jobs/{job}/results",
                                     {"filter": "param_n_neighbors>=1", "limit": 1000}),
    "cached map (1000 points)": ("POST", "/api/maps", "map_all"),
    "cached map (200, with distances)": ("POST", "/api/maps", "map_200"),
}


async def _client(base: str, job: int, bodies: dict, until: float,
                  record: dict[str, list[float]], errors: list[str]) -> None:
    kinds = list(REQUESTS)
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        turn = 0
        while time.perf_counter() < until:
            kind = kinds[turn % len(kinds)]
            turn += 1
            method, url, extra = REQUESTS[kind]
            url = url.format(job=job)
            started = time.perf_counter()
            try:
                if method == "GET":
                    response = await http.get(url, params=extra)
                else:
                    response = await http.post(url, json=bodies[extra])
                response.read()
                ok = response.status_code == 200
            except httpx.HTTPError as exc:
                ok, response = False, exc
            record[kind].append(time.perf_counter() - started)
            if not ok:
                errors.append(f"{kind}: {getattr(response, 'status_code', response)}")


def _wait(base: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"server exited: {server.stderr.read()}")
        try:
            httpx.get(f"{base}/api/health", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--no-writer", action="store_true")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="modelmap-load-"))
    store = folder / "load.db"
    started = time.perf_counter()
    job = fill(store)
    print(f"filled {N_RESULTS} results in {time.perf_counter() - started:.1f} s", flush=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start(["serve", "--port", str(port), "--store", str(store)], folder)
    writer = None
    try:
        _wait(base, server)
        ids = [i["id"] for i in httpx.get(f"{base}/api/jobs/{job}/results",
                                         params={"limit": 1000}).json()["items"]]
        bodies = {"map_all": {"results": ids, "values": "pred_test", "distances": False},
                  "map_200": {"results": ids[:200], "values": "proba_test",
                              "encoding": "base64"}}
        for name, body in bodies.items():  # compute once: the clients read the cache
            first = httpx.post(f"{base}/api/maps", json=body, timeout=300).json()
            print(f"computed {name}: {first['seconds']:.2f} s", flush=True)
        writer = None if options.no_writer else _writer(folder, store)
        time.sleep(0 if writer is None else 3)  # let the writer start training
        record: dict[str, list[float]] = {kind: [] for kind in REQUESTS}
        errors: list[str] = []
        until = time.perf_counter() + options.seconds
        asyncio.run(_all(base, job, bodies, until, record, errors, options.clients))
        total = sum(len(v) for v in record.values())
        writing = writer is not None and writer.poll() is None
        print(f"{options.clients} clients, {options.seconds:.0f} s, batch job writing: "
              f"{'yes' if writing else 'no (finished early)' if writer else 'no'}")
        print(f"throughput {total / options.seconds:.1f} requests/s, errors {len(errors)}")
        for kind, times in record.items():
            ms = sorted(t * 1000 for t in times)
            p95 = ms[int(0.95 * (len(ms) - 1))] if ms else float("nan")
            print(f"  {kind:<34} n={len(ms):<5} p50 {statistics.median(ms):7.1f} ms  "
                  f"p95 {p95:7.1f} ms")
        for line in errors[:10]:
            print("  error:", line)
        if writer is not None:
            with Store(store) as check:
                written = check.job("Writer")
            print(f"results written by the batch job meanwhile: "
                  f"{written['n_results'] if written else 0}")
    finally:
        for proc in (writer, server):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)


async def _all(base: str, job: int, bodies: dict, until: float, record: dict,
               errors: list[str], clients: int) -> None:
    await asyncio.gather(*(_client(base, job, bodies, until, record, errors)
                           for _ in range(clients)))


if __name__ == "__main__":
    main()
