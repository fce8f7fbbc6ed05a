"""Run work items on supervised local worker processes, one bad config never costing the rest.

Each worker is a process the driver owns, connected by a pipe; it reports when it starts
an item and sends each result as soon as it is done.  Because the driver knows which
item every worker is running, it can

* record the item that killed its worker (segfault, ``os._exit``, SIGKILL, out of
  memory) as ``failed`` with the cause, retry it up to ``retries`` times, and start a
  fresh worker — items on other workers are not touched;
* stop an item past its time limit by killing its worker and recording ``timeout``;
* cap each worker's memory (``max_memory`` bytes, via ``RLIMIT_AS``).

We use this small supervisor instead of joblib/loky because a loky pool breaks as a whole
when one worker dies and cannot say which task killed it.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import wait

from modelmap.errors import ModelmapError
from modelmap.execution._items import Context, WorkItem, time_limit
from modelmap.execution._worker_loop import worker_main
from modelmap.training import STATUS_TIMEOUT, TrainResult

Outcome = tuple[WorkItem, list[TrainResult]]

TARGET_CHUNK_SECONDS = 0.3  # work one message to a worker should hold (tiny configs batch)
MAX_CHUNK = 64
MAX_FORKSERVER_RESTARTS = 3  # per executor; then a dead server's workers count as deaths
# What the fork server imports once, so that every worker starts with it: the built-in
# plugins import their scikit-learn modules lazily, so the common ones are listed here.
_PRELOAD = ["modelmap.execution._worker_loop", "modelmap.execution._items",
            "modelmap.training._train",
            "modelmap.plugins", "modelmap.store._results", "sklearn.ensemble", "sklearn.svm",
            "sklearn.neighbors",
            "sklearn.tree", "sklearn.linear_model", "sklearn.naive_bayes",
            "sklearn.neural_network", "sklearn.calibration", "modelmap.execution._fork_preload",
            "modelmap.execution._state"]


@dataclass(eq=False)
class _Worker:
    process: mp.process.BaseProcess
    conn: object
    assigned: deque = field(default_factory=deque)  # WorkItems sent, not yet done
    current: WorkItem | None = None
    started: float = 0.0
    idle: bool = True
    used: bool = False  # ever given work (an unused worker is simply killed at shutdown)


_WORKER_NAME = "modelmap-worker"


def _workers_skip_the_main_module() -> None:
    """Start workers without re-running the caller's ``__main__``.

    multiprocessing's spawn and fork-server children import the parent's main script (as
    ``__mp_main__``) before they run their target. A worker needs nothing from it (plugins are
    loaded from their files), and a script that calls :func:`modelmap.run_job` at top level,
    without an ``if __name__ == "__main__":`` guard, would run again in every worker: each
    would try to start its own workers, fail, and the run would wait for them forever. So the
    preparation data of processes named ``modelmap-worker`` leaves the main module out; every
    other process is prepared as multiprocessing does it.
    """
    from multiprocessing import spawn

    original = spawn.get_preparation_data
    if getattr(original, "modelmap_skips_main", False):
        return

    def prepared(name: str) -> dict:
        data = original(name)
        if name == _WORKER_NAME:
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    prepared.modelmap_skips_main = True  # type: ignore[attr-defined]
    spawn.get_preparation_data = prepared


class LocalExecutor:
    """A supervised pool of ``n_jobs`` worker processes (default: all cores)."""

    def __init__(self, n_jobs: int | None = None, *, retries: int = 1,
                 timeout: float | None = None, max_memory: int | None = None) -> None:
        self.n_jobs = max(1, n_jobs or os.cpu_count() or 1)
        self.retries = retries
        self.timeout = timeout
        self.max_memory = max_memory
        self.stopping = False
        self.on_start = None  # optional callable(WorkItem) told when an item starts
        # optional callable(items) -> the items this run may start (the others are another
        # run's: concurrent runs of one job claim configs in the store, see batch/_claiming)
        self.claim = None
        self._workers: list[_Worker] = []
        self._warming: threading.Thread | None = None
        self._closing = False
        self._mean_seconds: dict[tuple, float] = {}  # per kind of item, see _expected
        self._prestarted = False
        self._restarts = 0  # of a fork server that died
        self._ctx = mp.get_context("forkserver" if os.name == "posix" else "spawn")
        if os.name == "posix":
            self._ctx.set_forkserver_preload(_PRELOAD)
        _workers_skip_the_main_module()

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown(kill=exc[0] is not None)

    def stop(self) -> None:
        """Submit nothing more; running items finish and are returned."""
        self.stopping = True

    def prestart(self) -> None:
        """Start the fork server now, without waiting for it: it imports scikit-learn
        (seconds) while the driver loads its own modules, the job and the data, so the
        workers that :meth:`warm_up` or :meth:`run` start later are ready at once."""
        if os.name != "posix" or self._prestarted:
            return
        from multiprocessing import forkserver

        forkserver.ensure_running()
        self._prestarted = True

    def _stop_forkserver(self) -> None:
        """Stop a fork server that was started but never used (every config was already in
        the store): it would otherwise finish importing before it noticed that the driver
        had exited, holding the driver's stdout open for a caller that reads it to the end.
        """
        from multiprocessing import forkserver

        server = getattr(forkserver, "_forkserver", None)
        pid = getattr(server, "_forkserver_pid", None)  # CPython's private fork server
        if not pid or not callable(getattr(server, "_stop", None)):
            return
        try:
            os.kill(pid, signal.SIGKILL)
            server._stop()  # reaps it and forgets it, so a later run starts a new one
        except OSError:
            pass

    def warm_up(self, n_items: int) -> None:
        """Start up to ``n_items`` workers in the background, so their start-up (importing
        scikit-learn) overlaps with the driver's own (plugins, data preparation)."""
        if self._warming is not None or self._workers or n_items < 1:
            return

        def spawn() -> None:
            while len(self._workers) < min(self.n_jobs, n_items) and not self._closing:
                try:
                    self._workers.append(self._spawn())
                except ModelmapError:
                    return  # the run loop starts the workers, or says why it cannot

        self._warming = threading.Thread(target=spawn, name="modelmap-warm-up", daemon=True)
        self._warming.start()

    def start_workers(self, n_items: int) -> None:
        """Start up to ``n_items`` workers and wait until they are running (a caller that
        times what follows, e.g. a tuning run's time budget, leaves their start out)."""
        self.warm_up(n_items)
        self._warmed()

    def _warmed(self) -> None:
        if self._warming is not None:
            self._warming.join()

    def shutdown(self, kill: bool = False) -> None:
        if self._warming is not None and self._warming.is_alive():
            # nothing ran (e.g. every config was already in the store): don't wait for the
            # workers still starting; daemonic workers end with this process
            self._closing = True
            self._warming.join(timeout=0.05)
        workers = list(self._workers)
        if self._prestarted and not any(w.used for w in workers):
            self._stop_forkserver()  # the unused workers are killed below
            self._prestarted = False
        for w in workers:
            if kill or not w.used:
                w.process.kill()
            else:
                try:
                    w.conn.send(None)
                except OSError:
                    pass
        for w in workers:
            w.process.join(timeout=5)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(timeout=5)
            w.conn.close()
        self._workers = []

    # -- the loop -----------------------------------------------------------------------------
    def run(self, context: Context, items: Iterable[WorkItem]) -> Iterator[Outcome]:
        """Yield ``(item, results)`` as items finish, in completion order."""
        for group in self.run_groups(context, items):
            yield from group

    def run_groups(self, context: Context, items: Iterable[WorkItem]
                   ) -> Iterator[list[Outcome]]:
        """Like :meth:`run`, but yield every outcome that is at hand at once as one list
        (the caller can store them in one transaction), as soon as the workers send them."""
        pending: deque[WorkItem] = deque(items)
        self.stopping = False
        self._warmed()
        while self._busy() or (pending and not self.stopping):
            # start workers, and replace dead ones, while there is work (a retried item
            # that killed the last worker must find a fresh one)
            while pending and not self.stopping and \
                    len(self._workers) < min(self.n_jobs, len(pending) + self._running()):
                self._workers.append(self._spawn())
            for w in list(self._workers):
                if w.idle and pending and not self.stopping:
                    self._send(w, context, pending)
            group = list(self._poll(pending))
            group.extend(self._enforce_timeouts(pending))
            if group:
                yield group

    def _busy(self) -> bool:
        return self._running() > 0

    def _running(self) -> int:
        return sum(not w.idle for w in self._workers)

    def _spawn(self) -> _Worker:
        for attempt in range(2):
            parent, child = self._ctx.Pipe()
            proc = self._ctx.Process(target=worker_main, args=(child, self.max_memory),
                                     daemon=True, name=_WORKER_NAME)
            try:
                proc.start()
            except (OSError, EOFError) as exc:  # the fork server died (killed, out of memory)
                parent.close()
                child.close()
                if attempt or self._ctx.get_start_method() != "forkserver":
                    raise ModelmapError(f"cannot start a worker process: "
                                        f"{type(exc).__name__}: {exc}",
                                        hint="check free memory and the process limit "
                                        "(ulimit -u)") from exc
                self._stop_forkserver()  # the next start launches a new one
                continue
            child.close()
            return _Worker(proc, parent)
        raise AssertionError("unreachable")

    def _send(self, w: _Worker, context: Context, pending: deque) -> None:
        chunk: list[WorkItem] = []
        while pending and not chunk:  # items another run has claimed are dropped
            chunk = self._chunk(pending)
            if self.claim is not None:
                chunk = self.claim(chunk)
        if not chunk:
            return
        try:
            w.conn.send((context, chunk))
        except OSError:  # the worker died while idle: start another, keep the chunk
            pending.extendleft(reversed(chunk))
            self._replace(w, pending)
            return
        w.assigned.extend(chunk)
        w.idle = False
        w.used = True

    def _chunk(self, pending: deque) -> list[WorkItem]:
        chunk = [pending.popleft()]
        expected = self._expected(chunk[0])
        # at most a share of what is left, so that the last chunks stay small and both
        # workers finish together (guided self-scheduling)
        cap = min(MAX_CHUNK, max(1, len(pending) // (2 * self.n_jobs)))
        while pending and len(chunk) < cap and self._limit(chunk[-1]) is None \
                and not chunk[-1].attempts:
            more = self._expected(pending[0])
            if expected is None or more is None or expected + more > TARGET_CHUNK_SECONDS:
                break  # an item of a kind not seen yet goes alone: it may be slow
            expected += more
            chunk.append(pending.popleft())
        return chunk

    def _expected(self, item: WorkItem) -> float | None:
        """Seconds an item is expected to take: the running mean of finished items of its
        kind (same plugin, same parameter names), None for a kind not seen yet."""
        return self._mean_seconds.get(_kind(item))

    def _limit(self, item: WorkItem) -> float | None:
        return time_limit(item.timeout, self.timeout)

    def _poll(self, pending: deque) -> Iterator[Outcome]:
        busy = [w for w in self._workers if not w.idle]
        handles = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        for ready in wait(handles, timeout=0.2):
            w = next((w for w in busy if ready in (w.conn, w.process.sentinel)), None)
            if w is None or w not in self._workers:
                continue
            yield from self._drain(w)
            if not w.process.is_alive() and not w.idle:
                yield from self._died(w, pending)

    def _drain(self, w: _Worker) -> Iterator[Outcome]:
        try:
            while w.conn.poll():
                kind, key, payload = w.conn.recv()
                if kind == "start":
                    w.current = next(i for i in w.assigned if i.key == key)
                    w.started = payload
                    if self.on_start is not None:
                        self.on_start(w.current)
                elif kind == "done":
                    item = next(i for i in w.assigned if i.key == key)
                    w.assigned.remove(item)
                    w.current = None
                    self._learn(item, payload)
                    yield item, payload
                else:
                    w.idle = True
        except (EOFError, OSError):
            pass

    def _learn(self, item: WorkItem, results: list[TrainResult]) -> None:
        seconds = results[0].times.get("total", 0.0) if results else 0.0
        kind = _kind(item)
        m = self._mean_seconds.get(kind)
        self._mean_seconds[kind] = seconds if m is None else 0.7 * m + 0.3 * seconds

    def _replace(self, w: _Worker, pending: deque) -> None:
        """Put a dead worker's unstarted items back and drop it; the run loop starts a
        fresh worker while work is left."""
        rest = [i for i in w.assigned if i is not w.current]
        pending.extendleft(reversed(rest))
        w.process.join(timeout=5)
        w.conn.close()
        self._workers.remove(w)

    def _died(self, w: _Worker, pending: deque) -> Iterator[Outcome]:
        item = w.current
        code = w.process.exitcode
        if code == 255 and self._restarts < MAX_FORKSERVER_RESTARTS and self._forkserver_lost():
            self._restarts += 1  # not the items' fault: no attempt counted (up to a limit,
            pending.extendleft(reversed(self._restart_after_forkserver()))  # for a plugin
            return  # that kills the fork server itself)
        self._replace(w, pending)
        if item is None:
            return
        if item.attempts < self.retries:
            pending.appendleft(replace(item, attempts=item.attempts + 1))
            return
        tries = item.attempts + 1
        yield item, [item.failed(f"worker died: {_describe(code)}"
                                 + (f" (after {tries} attempts)" if tries > 1 else ""))]

    def _forkserver_lost(self) -> bool:
        """Whether the fork server has died (its workers then all look dead, exit code 255,
        though they run on, orphaned).  Peeks without reaping it (``WNOWAIT``); a worker
        that really exited with 255 costs this check up to 2 s."""
        if self._ctx.get_start_method() != "forkserver" or not hasattr(os, "waitid"):
            return False
        pid = _forkserver_pid()
        if not pid:
            return False
        deadline = time.monotonic() + 2.0  # its sockets close a moment before it is a zombie
        while True:
            try:
                if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                    return True
            except ChildProcessError:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)

    def _restart_after_forkserver(self) -> list[WorkItem]:
        """Drop every worker of a dead fork server (ending the orphans that still run, so
        none trains on unseen) and forget the server; return the items they held.  The run
        loop then starts new workers through a new server and hands them the items."""
        items = [i for w in self._workers for i in w.assigned]
        for w in self._workers:
            _kill_orphan(w.process.pid)
            w.conn.close()
        self._workers = []
        self._stop_forkserver()
        return items

    def _enforce_timeouts(self, pending: deque) -> Iterator[Outcome]:
        now = time.time()
        for w in list(self._workers):
            item = w.current
            limit = self._limit(item) if item is not None else None
            if limit is None or now - w.started <= limit:
                continue
            w.process.kill()
            used = now - w.started
            self._replace(w, pending)
            yield item, [item.failed(f"timeout: stopped after {used:.1f} s (limit {limit:g} s)",
                                     status=STATUS_TIMEOUT, times={"total": used})]


def _forkserver_pid() -> int | None:
    from multiprocessing import forkserver

    return getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)


def _kill_orphan(pid: int | None) -> None:
    """SIGKILL a worker left running by its dead fork server, if ``pid`` still is one (on
    Linux its command line is the fork server's; elsewhere it is left to finish alone: it
    ends when it finds its pipe closed)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if b"multiprocessing.forkserver" in f.read():
                os.kill(pid, signal.SIGKILL)
    except (OSError, TypeError):
        pass


def _kind(item: WorkItem) -> tuple:
    """Items of one kind cost about the same: the same plugin, the same parameter names and
    the same choices among strings (an estimator, a kernel, a solver); numbers only scale
    the cost.  So the sklearn plugin's SVC configs are one kind, its MLP ones another."""
    choices = tuple(sorted((k, v) for k, v in item.args.items()
                           if isinstance(v, str) and k != "title"))
    return (item.method, tuple(sorted(item.args)), choices)


def _describe(exitcode: int | None) -> str:
    import signal

    if exitcode is None:
        return "unknown cause"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "unknown"
        return f"signal {-exitcode} ({name})"
    return f"exit code {exitcode}"
