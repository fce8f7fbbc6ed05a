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
from urllib.parse import urlencode

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


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


class _Connection:
    """A keep-alive HTTP/1.1 connection on raw asyncio streams.

    The clients share the machine's two cores with the server and the batch job; httpx
    spends a few milliseconds of CPU per request, which on this machine would be the
    bottleneck and would measure the load generator rather than the server.  This client
    only writes the request and reads the status line, the headers and the body."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, target: str, body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = (f"{method} {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length, chunked = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if not chunked:
            return status, await self.reader.readexactly(length)
        parts = []
        while (size := int((await self.reader.readline()).strip(), 16)) > 0:
            parts.append(await self.reader.readexactly(size))
            await self.reader.readline()
        await self.reader.readline()
        return status, b"".join(parts)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def _client(base: str, job: int, bodies: dict, until: float,
                  record: dict[str, list[float]], errors: list[str]) -> None:
    kinds = list(REQUESTS)
    url = httpx.URL(base)
    conn = _Connection(url.host, url.port)
    targets = {}
    for kind, (method, path, extra) in REQUESTS.items():
        path = path.format(job=job)
        if method == "GET":
            targets[kind] = (method, f"{path}?{urlencode(extra)}", b"")
        else:
            targets[kind] = (method, path, json.dumps(bodies[extra]).encode())
    turn = 0
    try:
        while time.perf_counter() < until:
            kind = kinds[turn % len(kinds)]
            turn += 1
            method, target, body = targets[kind]
            started = time.perf_counter()
            try:
                status, _ = await conn.request(method, target, body)
                ok = status == 200
                what = status
            except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
                ok, what = False, repr(exc)
                conn.close()
            record[kind].append(time.perf_counter() - started)
            if not ok:
                errors.append(f"{kind}: {what}")
    finally:
        conn.close()


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
        asyncio.run(_same_answers(base, job, bodies))
        writer = None if options.no_writer else _writer(folder, store)
        time.sleep(0 if writer is None else 3)  # let the writer start training
        record: dict[str, list[float]] = {kind: [] for kind in REQUESTS}
        errors: list[str] = []
        until = time.perf_counter() + options.seconds
        server_cpu = _cpu(server.pid)
        asyncio.run(_all(base, job, bodies, until, record, errors, options.clients))
        server_cpu = _cpu(server.pid) - server_cpu
        total = sum(len(v) for v in record.values())
        writing = writer is not None and writer.poll() is None
        print(f"{options.clients} clients, {options.seconds:.0f} s, batch job writing: "
              f"{'yes' if writing else 'no (finished early)' if writer else 'no'}")
        print(f"throughput {total / options.seconds:.1f} requests/s, errors {len(errors)}; "
              f"server CPU {server_cpu / options.seconds:.0%} of a core, "
              f"{server_cpu / max(total, 1) * 1000:.1f} ms per request")
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


async def _same_answers(base: str, job: int, bodies: dict) -> None:
    """The load client reads the same answers as httpx (a check of the client itself)."""
    url = httpx.URL(base)
    conn = _Connection(url.host, url.port)
    try:
        for method, path, extra in REQUESTS.values():
            path = path.format(job=job)
            if method == "GET":
                status, body = await conn.request(method, f"{path}?{urlencode(extra)}")
                want = httpx.get(base + path, params=extra, timeout=60)
            else:
                status, body = await conn.request(method, path, json.dumps(bodies[extra]).encode())
                want = httpx.post(base + path, json=bodies[extra], timeout=60)
            assert status == want.status_code == 200, (path, status, want.status_code)
            assert json.loads(body) == want.json(), path
    finally:
        conn.close()


async def _all(base: str, job: int, bodies: dict, until: float, record: dict,
               errors: list[str], clients: int) -> None:
    await asyncio.gather(*(_client(base, job, bodies, until, record, errors)
                           for _ in range(clients)))


if __name__ == "__main__":
    main()
