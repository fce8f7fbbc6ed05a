"""Running many configurations: a local process pool (and, later, a Dask cluster)."""

from modelmap.execution._local import LocalExecutor
from modelmap.execution._work import Context, WorkItem, run_items

__all__ = ["LocalExecutor", "Context", "WorkItem", "run_items"]
