"""One rule for a config's time limit: the smaller of the job's data 'timeout' and --timeout."""

from __future__ import annotations

import pytest

from modelmap.execution import time_limit
from modelmap.store import Store
from tests.conftest import modelmap, write_job

pytestmark = pytest.mark.timeout(180)


def test_time_limit_is_the_smallest_of_those_set() -> None:
    assert time_limit() is None and time_limit(None, None) is None
    assert time_limit(5.0, None) == time_limit(None, 5.0) == 5.0
    assert time_limit(60, 2) == time_limit(2, 60) == 2
    assert time_limit(None, 7, 3.5) == 3.5


def sleeper_job(title: str, timeout: float) -> dict:
    return {"data": {"title": title, "dataset": "sklearn_iris", "timeout": timeout},
            "classifiers": [{"title": "sleeps", "method": "misbehave", "behaviour": "sleep",
                             "seconds": 60}]}


def test_run_applies_the_smaller_of_the_job_timeout_and_the_option(ws) -> None:
    """Neither overrides the other: --timeout 2 stops a config of a job that allows 60 s,
    and a job that allows 1.5 s stops its config at 1.5 s under the same --timeout 2."""
    write_job(ws, "long", sleeper_job("Long", 60))
    write_job(ws, "short", sleeper_job("Short", 1.5))
    modelmap("run", "jobs/long.json", "jobs/short.json", "--timeout", "2", "-j", "2", cwd=ws,
             check=1)
    with Store(ws / "modelmap.db") as store:
        errors = {job: store.results(job=job).set_index("title").loc["sleeps"]
                  for job in ("Long", "Short")}
    assert {job: row["status"] for job, row in errors.items()} == {"Long": "timeout",
                                                                  "Short": "timeout"}
    assert errors["Long"]["error"].endswith("(limit 2 s)")
    assert errors["Short"]["error"].endswith("(limit 1.5 s)")
