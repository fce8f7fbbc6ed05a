"""The same fault handling on a real Dask cluster: `dask scheduler` + two `dask worker`s."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modelmap.store import Store
from tests.conftest import modelmap, write_job

pytestmark = pytest.mark.timeout(240)
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster():
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    time.sleep(2)
    workers = [subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1",
                                 "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for _ in range(2)]
    procs += workers
    from distributed import Client

    with Client(address, timeout="30s") as client:
        client.wait_for_workers(2, timeout=60)
    yield address, workers
    for p in reversed(procs):
        p.terminate()
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


def test_faults_on_the_cluster(ws, cluster):
    address, _ = cluster
    write_job(ws, "faults", {
        "data": {"title": "Faults", "dataset": "sklearn_iris", "timeout": 4},
        "classifiers": [
            {"title": "healthy {n}", "method": "misbehave", "n": {"is_meta": True,
                                                                  "values": [1, 2, 3]}},
            {"title": "raises", "method": "misbehave", "behaviour": "raise"},
            {"title": "segfaults", "method": "misbehave", "behaviour": "segfault"},
            {"title": "exits", "method": "misbehave", "behaviour": "exit"},
            {"title": "sleeps", "method": "misbehave", "behaviour": "sleep", "seconds": 60},
            {"title": "hog", "method": "misbehave", "behaviour": "allocate"},
        ],
    })
    proc = modelmap("run", "faults", "--cluster", address, "--retries", "0", "--max-memory", "2G",
                    cwd=ws, check=1)
    assert "on the Dask cluster" in proc.stdout
    df = Store(ws / "modelmap.db").results(job="Faults").set_index("title")
    assert df["status"].to_dict() == {
        "healthy 1": "ok", "healthy 2": "ok", "healthy 3": "ok", "raises": "failed",
        "segfaults": "failed", "exits": "failed", "sleeps": "timeout", "hog": "failed"}
    assert df.loc["segfaults", "error"] == "worker died: signal 11 (SIGSEGV)"
    assert df.loc["exits", "error"] == "worker died: exit code 3"
    assert df.loc["raises", "error"] == "RuntimeError: raises refuses to train"


def test_a_worker_killed_mid_job_loses_nothing(ws, cluster, tmp_path):
    address, workers = cluster
    write_job(ws, "slow", {
        "data": {"title": "Slow", "dataset": "sklearn_iris"},
        "classifiers": [{"title": "c{n}", "method": "misbehave", "behaviour": "sleep",
                         "seconds": 0.5, "n": {"is_meta": True, "min": 1, "max": 12,
                                               "step": {"type": "add", "value": 1}}}],
    })
    env = {**os.environ, "NO_COLOR": "1"}
    driver = subprocess.Popen([sys.executable, "-m", "modelmap", "run", "slow", "--cluster",
                               address], cwd=ws, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    db = ws / "modelmap.db"
    deadline = time.time() + 90
    while time.time() < deadline:
        time.sleep(0.3)
        try:
            if db.exists() and len(Store(db).results(job="Slow")) >= 2:
                break
        except Exception:  # noqa: BLE001 - not created yet
            pass
    workers[0].send_signal(signal.SIGKILL)
    out, _ = driver.communicate(timeout=180)
    assert driver.returncode == 0, out
    df = Store(db).results(job="Slow")
    assert len(df) == 12 and df["title"].is_unique and (df["status"] == "ok").all()


def _worker_children(key: tuple) -> list[int]:
    """The pids of this Dask worker's supervised children for runs with these settings."""
    from modelmap.execution import _dask

    executor = _dask._EXECUTORS.get(key)
    if executor is None:
        return []
    executor._warmed()
    return [w.process.pid for w in executor._workers if w.process.is_alive()]


def test_prestart_starts_every_workers_child_before_the_first_task(cluster):
    """Prestart has each worker start its training child (whose fork server imports
    scikit-learn) before the first task: `modelmap run --cluster local:N` calls it while
    the driver prepares the job, a cluster's address when the executor connects (at the
    first run, so that the driver's memory peak, while it prepares, has no Dask client)."""
    from modelmap.execution._dask import DaskExecutor

    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers lack `tests`
    address, _ = cluster
    with DaskExecutor(address, timeout=123.0) as executor:
        executor.prestart()
        deadline = time.time() + 60
        children: dict = {}
        while time.time() < deadline:
            # keyed by memory limit and retries: the time limit travels on each item
            children = executor._client.run(_worker_children, (None, 1))
            if all(children.values()):
                break
            time.sleep(0.5)
        workers = executor._client.scheduler_info(n_workers=-1)["workers"]
        assert set(children) == set(workers)  # (a test before may have killed one)
        assert all(len(pids) == 1 for pids in children.values()), children
        # the tasks of this run use that very child: the same pid trains the config
        again = executor._client.run(_worker_children, (None, 1))
        assert again == children


def test_the_run_id_travels_with_each_task(monkeypatch):
    """A Dask worker's child looks each plugin up once per run, which needs the driver's
    run id in the context it trains with (it was lost: one plugin look-up per config)."""
    from modelmap.execution import WorkItem, _dask

    seen = []
    monkeypatch.setattr(_dask.mp, "current_process", lambda: type("P", (), {"daemon": True}))
    monkeypatch.setattr(_dask, "run_item", lambda context, item: seen.append(context) or [])
    key, pieces = _dask.zip_chunks(Path(__file__).parent, "bundle")
    item = WorkItem(key="k", title="t", method="naive", args={})
    _dask.run_on_worker((key, list(pieces)), None, item, None, None, 1, "run-42")
    assert seen[0].run_id == "run-42"


def test_a_local_cluster_turns_dasks_monitoring_down():
    """`--cluster local:N` workers run without Dask's 10 ms profiler and 20 ms ticks."""
    import dask

    from modelmap.execution._dask import QUIET_MONITORING, DaskExecutor

    with DaskExecutor("local:1") as executor:
        for key, value in QUIET_MONITORING.items():
            assert set(executor._client.run(dask.config.get, key).values()) == {value}


def test_dask_workers_read_the_data_once_each(ws, cluster):
    """Each Dask worker's training child reads the shipped data once for all its configs."""
    from tests.execution.test_data_loaded_once import loads_per_process, sleepy_job

    address, _ = cluster
    write_job(ws, "once", sleepy_job("Once", 12))
    modelmap("run", "once", "--cluster", address, "-q", cwd=ws, check=0)
    seen = loads_per_process(ws / "modelmap.db", "Once")
    assert 1 <= len(seen) <= 2, seen  # one training child per Dask worker
    # the children live on between runs (a test before may have loaded other data): the
    # count is the same for all 12 configs, so none of them read the data again
    assert all(len(values) == 1 for values in seen.values()), seen


def test_an_unreachable_scheduler_is_reported_at_once_without_importing_dask():
    """The driver joins a cluster only when the first job's data is ready (its memory
    peak is before that), so a wrong address must still fail at the start, and fast."""
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = ("import sys, modelmap.execution._dask as d\n"
            "try:\n"
            f"    d.DaskExecutor('tcp://127.0.0.1:{port}')\n"
            "except Exception as e:\n"
            "    print(type(e).__name__, e)\n"
            "print('distributed' in sys.modules)\n")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60).stdout.splitlines()
    assert time.perf_counter() - start < 30
    assert out[0].startswith("ModelmapError cannot reach the Dask scheduler at tcp://127.0.0.1:")
    assert out[-1] == "False"  # distributed was never imported
