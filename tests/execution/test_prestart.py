"""`modelmap run` starts the workers' fork server early; one never used must not linger."""

from __future__ import annotations

import os
import re
import time
from multiprocessing import forkserver

import pytest

from modelmap.execution import LocalExecutor
from modelmap.store import Store
from tests.conftest import modelmap, write_job

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the fork server is POSIX only")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_an_unused_prestarted_fork_server_is_stopped_at_shutdown():
    executor = LocalExecutor(2)
    executor.prestart()
    pid = forkserver._forkserver._forkserver_pid
    assert pid and _alive(pid)
    executor.shutdown()
    assert forkserver._forkserver._forkserver_pid is None  # a later run starts a new one
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)



def test_workers_start_with_the_fork_servers_modules_frozen(ws):
    """The fork server freezes what it preloaded, so workers' collections never walk it."""
    write_job(ws, "gc", {"data": {"title": "GC", "dataset": "sklearn_iris"},
                         "classifiers": [{"title": "gc", "method": "misbehave",
                                          "behaviour": "gc"}]})
    modelmap("run", "jobs/gc.json", "-j", "1", cwd=ws, check=0)
    store = Store(ws / "modelmap.db")
    log = store.result(store.results(job="GC")["key"].iloc[0])["log"]
    state = re.search(r"gc enabled=(\w+) frozen=(\d+)", log)
    assert state is not None, log
    assert state[1] == "True" and int(state[2]) > 10_000
