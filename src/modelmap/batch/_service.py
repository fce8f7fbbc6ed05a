"""The application service: one way from a job to stored results, for every caller.

``modelmap run``, :func:`modelmap.run_job` and :func:`modelmap.tune` all go through
:class:`Service`: the workspace's plugins (the registry), the job loaded against them, the
store and the executor — opened in that order, only when first needed (an invalid job opens
no store and starts no worker), and closed again only if the service opened them.  Data is
prepared and registered in the store by :func:`prepare_data` and :func:`store_job`, which a
batch run and a tuning run share.

Nothing here prints: notices go to a callback; the command line decides how to show them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from modelmap.batch._data import prepare_data
from modelmap.batch._batch import Batch
from modelmap.batch._report import JobReport
from modelmap.jobs import Job, load_job
from modelmap.plugins import Registry
from modelmap.store import Store


class Service:
    """Plugins, store and executor of one run of jobs (a context manager)."""

    def __init__(self, *, registry: Registry, workspace: Path | None = None,
                 store: Store | str | os.PathLike = "modelmap.db", executor: Any = None,
                 n_jobs: int | None = None, timeout: float | None = None) -> None:
        self.registry = registry
        self.workspace = workspace
        self._store = store
        self._owns_store = not isinstance(store, Store)
        self._opened_store: Store | None = store if isinstance(store, Store) else None
        self._executor = executor
        self._owns_executor = executor is None
        self._executor_args = {"n_jobs": n_jobs, "timeout": timeout}

    @classmethod
    def open(cls, *, workspace: str | os.PathLike | None = None, registry: Registry | None = None,
             store: Store | str | os.PathLike = "modelmap.db", executor: Any = None,
             n_jobs: int | None = None, timeout: float | None = None) -> Service:
        """A service for ``workspace`` (None: built-in and installed plugins only)."""
        root = Path(workspace).resolve() if workspace is not None else None
        return cls(registry=registry or Registry.discover(root), workspace=root, store=store,
                   executor=executor, n_jobs=n_jobs, timeout=timeout)

    # -- the parts, opened when first used --------------------------------------------------
    @property
    def store(self) -> Store:
        if self._opened_store is None:
            self._opened_store = Store(self._store)  # type: ignore[arg-type]
        return self._opened_store

    @property
    def executor(self) -> Any:
        if self._executor is None:
            from modelmap.execution import LocalExecutor

            n_jobs, timeout = self._executor_args["n_jobs"], self._executor_args["timeout"]
            self._executor = LocalExecutor(n_jobs, timeout=timeout)
        return self._executor

    def load_job(self, job: str | os.PathLike | Mapping[str, Any] | Job, **options: Any) -> Job:
        """A batch job from a path or a dict, checked against this service's plugins."""
        return job if isinstance(job, Job) else load_job(job, registry=self.registry, **options)

    def batch(self, **options: Any) -> Batch:
        """A :class:`Batch` over this store and executor (``force``, ``strict``, ``events`` …)."""
        return Batch(self.store, self.registry, workspace=self.workspace,
                     executor=self.executor, **options)

    def run_job(self, job: str | os.PathLike | Mapping[str, Any] | Job, **options: Any
                ) -> JobReport:
        """Load and run one batch job; its :class:`JobReport`."""
        loaded = self.load_job(job)
        return self.batch(**options).run(loaded)

    def prepare_data(self, job: Job, notice: Callable[[str], None] | None = None
                     ) -> tuple[Any, str]:
        """The job's prepared data (a Bundle) and its data key (see :func:`prepare_data`)."""
        return prepare_data(job, self.registry, self.workspace, notice)

    # -- closing ----------------------------------------------------------------------------
    def close(self, *, failed: bool = False) -> None:
        """Stop the executor and close the store, each only if this service opened it."""
        try:
            if self._owns_executor and self._executor is not None:
                self._executor.shutdown(kill=failed)
        finally:
            if self._owns_store and self._opened_store is not None:
                self._opened_store.close()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(failed=exc[0] is not None)
