"""Run work items on a Dask cluster with the same fault handling as the local pool.

The driver ships two byte blobs to every worker once (``client.scatter``): the prepared
data (the bundle's ``.npy``/JSON files) and the workspace's ``plugins/`` folder, both as
zip archives — no pickled objects — sent in pieces of 4 MiB, one at a time, so the driver
never holds a whole archive.  Each Dask worker runs items in its own supervised
child process (a one-worker :class:`LocalExecutor`), so a segfault, ``os._exit``, a time
or memory limit is recorded exactly as it is locally, and the Dask worker lives on.  A Dask
worker that dies itself makes Dask retry its task elsewhere; when Dask gives up
(``KilledWorker``) the item is recorded ``failed``.  The driver alone writes the store.
"""

from __future__ import annotations

from dataclasses import replace

import logging
import multiprocessing as mp
import threading
from collections import deque
from collections.abc import Iterable, Iterator

from pathlib import Path
from typing import Any

from modelmap.errors import ModelmapError
from modelmap.execution._ship import MAX_PLUGIN_BYTES, unpack, zip_chunks
from modelmap.execution._items import Context, WorkItem, run_item, time_limit
from modelmap.training import TrainResult

Outcome = tuple[WorkItem, list[TrainResult]]
# Dask's own monitoring, at its defaults, takes about a tenth of a core on an idle local
# cluster of two workers (the workers' statistical profiler samples every 10 ms, every
# event loop ticks every 20 ms); a cluster that only trains needs neither so often.  With
# these settings it is 1.5 %.  Used for `--cluster local:N`; README says how to set them
# on a real cluster's workers.
QUIET_MONITORING = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}
_EXECUTORS: dict[tuple, Any] = {}
_EXECUTORS_LOCK = threading.Lock()


def _worker_executor(max_memory: int | None, retries: int):
    """One supervised child per Dask worker process, reused across tasks.

    The time limit is not part of the key: each task brings its own on its item, so the
    child that :func:`prestart_worker` started is the one the tasks use (keyed by the limit,
    a job with a data 'timeout' got a second, cold executor whose fork server was still
    importing scikit-learn when the first config's clock ran out)."""
    from modelmap.execution._local import LocalExecutor

    key = (max_memory, retries)
    with _EXECUTORS_LOCK:  # prestart (event loop) and a task (worker thread) may race
        if key not in _EXECUTORS:
            _EXECUTORS[key] = LocalExecutor(1, max_memory=max_memory, retries=retries)
        return _EXECUTORS[key]


async def prestart_worker(max_memory: int | None, retries: int) -> bool:
    """Start this Dask worker's supervised child now, without waiting for it: its fork
    server imports scikit-learn while the driver prepares the job, instead of when the
    first task arrives.  Run on every worker by :meth:`DaskExecutor.prestart` (a
    coroutine, because Dask runs only those without waiting for them)."""
    if mp.current_process().daemon:
        return False
    executor = _worker_executor(max_memory, retries)
    executor.prestart()
    executor.warm_up(1)
    return True


Shipped = tuple[str, list]  # an archive's digest and its pieces (futures on the driver)


def run_on_worker(bundle: Shipped, plugins: Shipped | None, item: WorkItem,
                  timeout: float | None, max_memory: int | None,
                  retries: int, run_id: str = "") -> list[TrainResult]:
    """The Dask task: unpack data and plugins once, then train ``item`` in a child process
    (which looks its plugin up once per ``run_id``, not per item)."""
    bundle_dir = unpack(*bundle)
    workspace = unpack(*plugins) if plugins else None
    context = Context(bundle_path=str(Path(bundle_dir) / "bundle"), workspace=workspace,
                      run_id=run_id)
    if mp.current_process().daemon:  # daemonic Dask workers cannot have children
        return run_item(context, item)
    executor = _worker_executor(max_memory, retries)
    item = replace(item, timeout=timeout)  # the limit computed by the driver's rule
    results = [res for _, res in executor.run(context, [item])]
    return results[0]


class DaskExecutor:
    """Executor over a Dask cluster: ``tcp://host:8786`` or ``local[:N]`` (a LocalCluster
    on 127.0.0.1)."""

    def __init__(self, address: str, *, retries: int = 1, timeout: float | None = None,
                 max_memory: int | None = None) -> None:
        self.address = address
        self.retries = retries
        self.timeout = timeout
        self.max_memory = max_memory
        self.stopping = False
        self.on_start = None
        self._cluster = None
        self._scattered: dict[str, list] = {}  # digest → its pieces' futures, across run()s
        self._client: Any = None
        self._n_workers = 0
        if address.startswith("local"):
            self._start()  # its scheduler runs in this process anyway
        else:
            _check_reachable(address)

    def _start(self) -> None:
        """Connect (importing ``distributed``).  For a cluster's address this waits for
        the first :meth:`run`: the driver's peak memory is while it prepares the data and
        its projections, and Dask's client adds 25-30 MB to whatever is held then (361 MB
        against 335 MB for a 100,000 x 50 table, over the 358 MB the issue allows)."""
        self._client = self._connect(self.address)
        self._n_workers = max(1, len(self._client.scheduler_info(n_workers=-1)["workers"]))

    @property
    def client(self) -> Any:
        if self._client is None:
            self._start()
        return self._client

    @property
    def connected(self) -> bool:
        return self._client is not None

    @property
    def n_jobs(self) -> int:
        """The cluster's worker count (connects if not yet connected)."""
        return self.client and self._n_workers

    def _connect(self, address: str):
        import dask
        from distributed import Client, LocalCluster

        dask.config.set({"distributed.worker.daemon": False})
        try:
            if address.startswith("local"):
                dask.config.set(QUIET_MONITORING)  # the workers get the driver's config
                n = int(address.split(":", 1)[1]) if ":" in address else None
                self._cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                             host="127.0.0.1", dashboard_address=None,
                                             silence_logs=logging.ERROR)
                return Client(self._cluster)
            return Client(address, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise _unreachable(address, exc) from None

    def prestart(self) -> None:
        """Have every worker start its child process now (see :func:`prestart_worker`);
        connects first if need be.  ``modelmap run`` calls it only when already connected
        (``local:N``): with a cluster's address the first :meth:`run` connects and calls
        it, so the children start while the data is shipped."""
        try:
            self.client.run(prestart_worker, self.max_memory, self.retries,
                             wait=False)
        except Exception:  # noqa: BLE001 - only a head start: the first task does it too
            pass

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    def stop(self) -> None:
        self.stopping = True

    def shutdown(self, kill: bool = False) -> None:
        if self._client is None:
            return
        logging.getLogger("distributed").setLevel(logging.CRITICAL)  # quiet teardown
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def run(self, context: Context, items: Iterable[WorkItem]) -> Iterator[Outcome]:
        from distributed import as_completed

        pending: deque[WorkItem] = deque(items)
        if not pending:
            return
        self.stopping = False
        if not self.connected:
            self._start()  # a connection error must reach the caller (prestart swallows)
            self.prestart()  # the workers' children start while the data is shipped
        bundle_f = self._ship(Path(context.bundle_path), "bundle")
        plugins_dir = Path(context.workspace or "") / "plugins"
        plugins_f = self._ship(plugins_dir, "plugins") if context.workspace and \
            plugins_dir.is_dir() else None
        window = as_completed()
        inflight: dict[Any, WorkItem] = {}

        def submit() -> None:
            while pending and not self.stopping and len(inflight) < 2 * self.n_jobs + 2:
                item = pending.popleft()
                fut = self._client.submit(run_on_worker, bundle_f, plugins_f, item, time_limit(
                    item.timeout, self.timeout), self.max_memory, self.retries, context.run_id,
                    key=f"mm-{item.key}-{item.attempts}", pure=False)
                inflight[fut] = item
                window.add(fut)
                if self.on_start is not None:
                    self.on_start(item)

        submit()
        while inflight:
            fut = next(window)
            item = inflight.pop(fut)
            yield item, self._result(fut, item)
            fut.release()
            submit()

    def _ship(self, folder: Path, arcroot: str) -> Shipped:
        """Send ``folder`` as a zip to every worker once per executor (tuning calls run()
        many times), a piece at a time: each piece is scattered to all workers and dropped
        here before the next is read."""
        key, pieces = zip_chunks(folder, arcroot,
                                 limit=MAX_PLUGIN_BYTES if arcroot == "plugins" else None)
        if key not in self._scattered:
            self._scattered[key] = [self._client.scatter(piece, broadcast=True)
                                    for piece in pieces]
        return key, self._scattered[key]

    def _result(self, fut: Any, item: WorkItem) -> list[TrainResult]:
        try:
            return fut.result()
        except Exception as exc:  # noqa: BLE001 - KilledWorker, lost connection, ...
            name = type(exc).__name__
            cause = "worker died" if name == "KilledWorker" else name
            return [item.failed(f"{cause}: {exc}".strip())]


def _unreachable(address: str, exc: BaseException) -> ModelmapError:
    return ModelmapError(f"cannot reach the Dask scheduler at {address}: {exc}",
                         hint="start one with `dask scheduler` and workers with "
                         "`dask worker ADDRESS`, or use --cluster local:2")


def _check_reachable(address: str) -> None:
    """Fail at once, without importing ``distributed``, when nothing listens at a
    ``tcp://host:port`` (or ``host:port``) scheduler address; other schemes are checked
    when the client connects."""
    import socket

    scheme, _, rest = address.rpartition("://")
    host, _, port = rest.rpartition(":")
    if scheme not in ("", "tcp") or not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=10).close()
    except OSError as exc:
        raise _unreachable(address, exc) from None


def executor_for(cluster: str | None, n_jobs: int | None, **options: Any):
    """``--cluster`` → a DaskExecutor, else a LocalExecutor over ``n_jobs`` processes."""
    if cluster:
        return DaskExecutor(cluster, **options)
    from modelmap.execution._local import LocalExecutor

    return LocalExecutor(n_jobs, **options)


__all__ = ["DaskExecutor", "executor_for"]
