"""Running many configurations: supervised local worker processes, or a Dask cluster."""

from modelmap.execution._interrupt import Interrupts, graceful_interrupts, watch_sigint
from modelmap.execution._local import LocalExecutor
from modelmap.execution._items import Context, WorkItem, run_item, run_items, time_limit


def executor_for(cluster: str | None, n_jobs: int | None, **options):
    """``--cluster ADDRESS`` → a Dask executor; otherwise a local pool of ``n_jobs``."""
    from modelmap.execution._dask import executor_for as _for

    return _for(cluster, n_jobs, **options)


__all__ = ["LocalExecutor", "Context", "Interrupts", "WorkItem", "run_item", "run_items",
           "executor_for", "graceful_interrupts", "time_limit", "watch_sigint"]
