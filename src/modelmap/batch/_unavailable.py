"""Configs of a classifier plugin that failed to load: recorded as failed, the rest train.

The seed system fails only the entries of a plugin it cannot import (a Keras plugin on a
machine without Keras) and trains the others; so does modelmap.  Each such config gets a
``failed`` result whose error is the plugin's import error, so it shows in the store, the
summary table and the app, and the run exits non-zero.  A name that matches no plugin at
all is refused by :func:`modelmap.jobs.load_job` before anything trains.
"""

from __future__ import annotations

import time

from modelmap.execution import WorkItem
from modelmap.plugins import Registry
from modelmap.training import TrainResult


def split_unavailable(registry: Registry,
                      items: list[WorkItem]) -> tuple[list[WorkItem], list[TrainResult]]:
    """The items whose plugin loaded, and a failed result for each of the others."""
    runnable, failed = [], []
    now = time.time()
    for item in items:
        problem = registry.problem("classifier", item.method)
        if problem is None:
            runnable.append(item)
            continue
        error = (f"PluginError: the classifier plugin '{item.method}' failed to load: "
                 f"{problem.error}")
        failed.append(item.failed(error, traceback=error, started_at=now, finished_at=now,
                                  times={"total": 0.0}))
    return runnable, failed
