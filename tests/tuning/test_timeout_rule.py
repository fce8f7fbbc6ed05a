"""`modelmap tune` limits a candidate by the same rule as `run`: the smaller of the job's
data 'timeout' and --timeout (neither overrides the other)."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelmap.store import Store
from tests.conftest import modelmap
from tests.tuning.conftest import toy_job, write

pytestmark = pytest.mark.timeout(180)


@pytest.mark.parametrize(("job_timeout", "option", "limit"), [(60, "1.5", "1.5"),
                                                              (1.5, "60", "1.5")])
def test_tune_applies_the_smaller_of_the_job_timeout_and_the_option(
        toy_ws: Path, job_timeout: float, option: str, limit: str) -> None:
    job = toy_job(tuning={"strategy": "random", "budget": 2}, depth=10, sleep_per_depth=1.0)
    job["data"]["timeout"] = job_timeout  # each fold sleeps 10 s: every candidate times out
    write(toy_ws, "slow", job)
    modelmap("tune", "jobs/slow.json", "--timeout", option, "-j", "1", cwd=toy_ws)
    with Store(toy_ws / "modelmap.db") as store:
        frame = store.results("Toy · tuning")
    assert len(frame) == 2 and set(frame["status"]) == {"timeout"}
    assert all(error.endswith(f"(limit {limit} s)") for error in frame["error"])
