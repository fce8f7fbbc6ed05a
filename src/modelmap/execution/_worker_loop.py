"""The loop a local worker process runs (started by :class:`LocalExecutor`)."""

from __future__ import annotations

import signal
import time
from multiprocessing.connection import Connection


def limit_memory(max_bytes: int | None) -> None:
    """Cap this process's address space so an oversized config fails alone (MemoryError)."""
    if not max_bytes:
        return
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on this platform
        pass


def worker_main(conn: Connection, max_memory: int | None) -> None:
    """Receive ``(context, items)`` chunks; report ``start`` and ``done`` per item."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver decides what Ctrl-C means
    from threadpoolctl import threadpool_limits

    from modelmap.execution._state import CleanState
    from modelmap.execution._items import run_item
    from modelmap.store import preencode

    threadpool_limits(1)  # n workers × 1 BLAS thread, not n × cores
    limit_memory(max_memory)
    clean = CleanState()  # what every config starts from
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        context, items = message
        try:
            for item in items:
                conn.send(("start", item.key, time.time()))
                try:
                    results = run_item(context, item)
                finally:
                    clean.restore()  # cwd, environment, sys.path, logging, warning filters
                for result in results:  # the driver only has to write them
                    preencode(result)
                conn.send(("done", item.key, results))
            conn.send(("idle", None, None))
        except OSError:  # the driver dropped this worker (its fork server died): end quietly
            return
