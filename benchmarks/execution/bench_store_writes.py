"""The driver's cost of storing tiny results: one transaction per result (the old way)
against groups of results encoded in the workers, as `modelmap run` stores them now.

    .venv/bin/python benchmarks/execution/bench_store_writes.py

300 results of iris decision trees (trained once in this process), written to a fresh
SQLite store; CPU milliseconds per result in the writing process, best of 5.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from modelmap.batch import Batch
from modelmap.jobs import load_job
from modelmap.plugins import Registry
from modelmap.store import Store
from modelmap.store._results import preencode
from modelmap.training import train_config


def main() -> None:
    registry = Registry.discover(None)
    job = load_job({"data": {"title": "w", "dataset": "sklearn_iris", "random_state": 42},
                         "classifiers": [{"title": f"tree {i}", "method": "decisiontree",
                                          "max_depth": 1 + i % 5, "random_state": i}
                                         for i in range(300)]}, registry=registry)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "w.db") as store:
        bundle, _ = Batch(store, registry).prepare(job)
        module = registry.classifier("decisiontree").module
        results = [train_config(bundle, module, c.as_args(), key=f"k{i}")[0]
                   for i, c in enumerate(job.classifiers)]
        dataset = store.put_dataset("iris", "fp", {}, {})

        def trial(items: list, group: int) -> float:
            job_id = store.put_job(f"J{time.perf_counter()}", dataset, None, {}, "dk")
            started = time.process_time()
            for i in range(0, len(items), group):
                store.add_results(job_id, items[i:i + group], replace=True)
            return (time.process_time() - started) / len(items) * 1000

        one = min(trial(results, 1) for _ in range(5))
        encoded = list(results)
        for result in encoded:
            preencode(result)
        grouped = min(trial(encoded, 6) for _ in range(5))
        print(f"one transaction per result: {one:.2f} ms; encoded in workers, groups of 6: "
              f"{grouped:.2f} ms; ratio {grouped / one:.2f}")


if __name__ == "__main__":
    main()
