"""`modelmap run` starts the workers' fork server early; one never used must not linger."""

from __future__ import annotations

import os
import time
from multiprocessing import forkserver

import pytest

from modelmap.execution import LocalExecutor

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
