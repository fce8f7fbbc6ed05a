"""Code run in spawned processes by test_store_concurrency (importable by its own name)."""

from __future__ import annotations

from typing import Any

import numpy as np

from modelmap.store import Store
from modelmap.training._result import TrainResult


def result(key: str, status: str = "ok") -> TrainResult:
    return TrainResult(
        key=key,
        title=f"svm {key}",
        method="svm",
        args={"C": 1.0},
        status=status,
        scores={"test": {"accuracy": 0.5}} if status == "ok" else {},
        arrays={"pred_test": np.arange(4)},
        error=None if status == "ok" else "boom",
    )


def write(url: str, job_id: int, keys: list[str], barrier: Any, out: Any) -> None:
    """Open the store, wait for the other writers, add every key, report the ids."""
    with Store(url) as store:
        barrier.wait(timeout=60)
        out.put([store.add_result(job_id, result(key)) for key in keys])
