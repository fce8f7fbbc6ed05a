"""The :class:`Store`: one object per results database."""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import Connection, cast, func, select
from sqlalchemy.types import Text

from modelmap.errors import StoreError
from modelmap.store import _arrays, _delete, _engine, _maps, _jobs, _results, _sizes
from modelmap.store import _schema as s
from modelmap.store._claims import Claims
from modelmap.store._codec import decode_array, from_json, to_json
from modelmap.store._frames import results_frame
from modelmap.store._url import resolve
from modelmap.training import TrainResult

if TYPE_CHECKING:
    import pandas as pd

JobRef = _jobs.JobRef
ResultRef = _results.ResultRef


class Store:
    """Persistent results of modelmap: datasets, jobs, results, projections, maps.

    ``Store("results.db")`` or ``Store("sqlite:///results.db")`` opens (and creates)
    a SQLite file; ``Store("postgresql://user:pw@host/db")`` a PostgreSQL database
    (psycopg 3).  Every write method runs in its own transaction and commits before it
    returns, so several processes may write one store at once.  Nothing is pickled:
    arrays are stored as ``.npy`` bytes, everything else as JSON.  Jobs are named by
    title or id (``JobRef``); results by id or full key (``ResultRef``).

    ``create=False``: a missing store is an error instead of a new empty one.
    ``read_only=True`` opens an existing store without ever writing to it (works on a
    read-only file system); ``"auto"``: read-only when the file cannot be written.  When
    closed (or when the process exits) a store that wrote checkpoints its WAL, so the
    ``.db`` file alone holds everything (see :mod:`modelmap.store._engine`).
    """

    def __init__(self, url: str | os.PathLike[str], *, create: bool = True,
                 read_only: _engine.ReadOnly = False):
        target = resolve(url)
        if read_only is True or not create:
            _engine.check_exists(target)
        self._read_only = _engine.decide_read_only(target, read_only)
        self._target = target
        self._engine = _engine.create(target, self._read_only)
        self._stamp = (_engine.ChangeStamp(target.path, self._read_only)
                       if target.path is not None else None)
        self._known_versions: dict[Any, tuple[int, tuple]] = {}
        self._state: dict[str, Any] = {"wrote": False, "pid": os.getpid()}
        try:
            _engine.prepare(self._engine, target.display, create, self._read_only)
        except BaseException:
            self._engine.dispose()
            raise
        weakref.finalize(self, _engine.finish, self._engine, self._stamp, self._state)

    # -- plumbing ------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The store URL with its password masked."""
        return self._target.display

    @property
    def read_only(self) -> bool:
        """Whether the store was opened read-only (writes raise :class:`StoreError`)."""
        return self._read_only

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._target.dialect

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Checkpoint the WAL if this store wrote, and close every pooled connection (the
        store can be reopened with ``Store(url)``)."""
        _engine.finish(self._engine, self._stamp, self._state)

    def checkpoint(self) -> bool:
        """Move the SQLite WAL into the main file now; whether it is empty afterwards."""
        return _engine.checkpoint(self._engine)

    def export(self, path: str | os.PathLike[str]) -> None:
        """Write a single-file copy of a SQLite store to ``path`` (which must not exist)."""
        _engine.export_copy(self._engine, self.url, Path(path))

    @contextmanager
    def _write(self, action: str) -> Iterator[Connection]:
        if self._read_only:
            raise StoreError(f"cannot {action}: the store is open read-only", where=self.url,
                             hint="use a command that changes the store on a writable copy")
        self._state["wrote"] = True
        with _engine.guard(self.url, action), _engine.writing(self._engine) as conn:
            yield conn

    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        with _engine.guard(self.url, action), _engine.reading(self._engine) as conn:
            yield conn

    @property
    def claims(self) -> Claims:
        """Which run trains which config now, so concurrent runs of a job share the work."""
        return Claims(self)

    # -- datasets and jobs -------------------------------------------------------------
    def put_dataset(self, name: str, fingerprint: str, args: dict, summary: dict) -> int:
        """Store a dataset (upsert by name and fingerprint); return its id."""
        args = to_json(args, f"dataset '{name}' args")
        summary = to_json(summary, f"dataset '{name}' summary")
        with self._write(f"store dataset '{name}'") as conn:
            return _jobs.put_dataset(conn, name, fingerprint, args, summary)

    def put_job(
        self,
        title: str,
        dataset_id: int | None,
        file: str | None,
        config: dict,
        data_key: str,
        arrays: Mapping[str, np.ndarray] | None = None,
    ) -> int:
        """Store a job (upsert by title); return its id.

        Results of an earlier version of the job are kept (they carry their own keys).
        ``arrays`` (e.g. labels of the prepared data) replace all stored job arrays;
        ``None`` keeps them.
        """
        config = to_json(config, f"job '{title}' config")
        encoded = None if arrays is None else _arrays.encode(arrays, f"job '{title}'", pack=True)
        with self._write(f"store job '{title}'") as conn:
            return _jobs.put_job(conn, title, dataset_id, file, config, data_key, encoded)

    def job(self, title_or_id: JobRef) -> dict[str, Any] | None:
        """A job's row with ``dataset`` (name), ``counts`` by status, ``n_results``."""
        with self._read("read a job") as conn:
            return _jobs.job(conn, title_or_id)

    def jobs(self) -> list[dict[str, Any]]:
        with self._read("list jobs") as conn:
            return _jobs.jobs(conn)

    def datasets(self) -> list[dict[str, Any]]:
        with self._read("list datasets") as conn:
            return _jobs.datasets(conn)

    # -- results -----------------------------------------------------------------------
    def done_keys(self, job_id: JobRef, statuses: Iterable[str] = ("ok",)) -> set[str]:
        """Keys of the job's results whose status is in ``statuses`` (to resume or skip)."""
        with self._read("read finished results") as conn:
            return _results.done_keys(conn, _jobs.job_id(conn, job_id), statuses)

    def add_result(
        self, job_id: JobRef, result: TrainResult, *, replace: bool = False
    ) -> int | None:
        """Store one result in its own transaction; return its id, or ``None`` if skipped.

        If the job already has a result with this key, it is replaced when ``replace`` is
        true or its status is not ``ok``; otherwise nothing is written.  Concurrent
        writers of one key never create two rows.
        """
        return self.add_results(job_id, [result], replace=replace)[0]

    def add_results(
        self, job_id: JobRef, results: Sequence[TrainResult], *, replace: bool = False
    ) -> list[int | None]:
        """:meth:`add_result` for several results in one transaction (all or none).

        A driver that has several finished results at hand commits them together: the
        cost of a commit is paid once, and each result is still in the store as soon as
        the driver has seen it.
        """
        if not results:
            return []
        encoded = [_results.encode(result) for result in results]
        what = (f"result '{results[0].key}'" if len(results) == 1
                else f"{len(results)} results")
        with self._write(f"store {what}") as conn:
            return _results.add_many(conn, _jobs.job_id(conn, job_id), encoded, replace)

    def results(
        self,
        job: JobRef | None = None,
        *,
        dataset: str | None = None,
        status: str | Iterable[str] | None = None,
        method: str | Iterable[str] | None = None,
        include_folds: bool = False,
    ) -> pd.DataFrame:
        """One row per result (see :mod:`modelmap.store._frames` for the columns)."""
        with self._read("list results") as conn:
            job_id = None if job is None else _jobs.job_id(conn, job)
            return results_frame(
                conn,
                job_id=job_id,
                dataset=dataset,
                status=status,
                method=method,
                include_folds=include_folds,
            )

    def compare(self, job: JobRef, score: str = "test_accuracy", *, alpha: float = 0.05,
                include_references: bool = False) -> pd.DataFrame:
        """Every classifier of ``job`` with an interval of ``score``, its rank, p-values
        against the best (raw and Holm-adjusted) and ``tied_with_best`` at ``alpha``; the
        interval method and the test are named in ``frame.attrs`` (see ``modelmap compare``)."""
        from modelmap.store._compare import compare_frame

        return compare_frame(self, job, score, alpha, include_references)

    def result(self, key_or_id: ResultRef, job: JobRef | None = None) -> dict[str, Any] | None:
        """The full row of a result (args, scores, history, log, arrays ...) or ``None``."""
        with self._read("read a result") as conn:
            found = _results.find(conn, key_or_id, job)
            return None if found is None else _results.row(conn, found)

    def train_result(self, key_or_id: ResultRef, job: JobRef | None = None) -> TrainResult | None:
        """The stored result as the :class:`TrainResult` it was made from."""
        data = self.result(key_or_id, job)
        return None if data is None else _results.to_record(data)

    def resolve_key(self, prefix: str, job: JobRef | None = None) -> str:
        """The full result key that starts with ``prefix`` (unique prefix look-up)."""
        with self._read("look up a result key") as conn:
            return _results.resolve_key(conn, prefix, job)

    def arrays(self, owner: str, names: Iterable[str] | None = None) -> dict[str, np.ndarray]:
        """Arrays of ``owner`` such as ``"result:12"`` or ``"job:3"`` (all, or ``names``)."""
        with self._read(f"read arrays of {owner}") as conn:
            return _arrays.get(conn, owner, names)

    # -- bulk reads for the query layer (server, web app, cache explorer) ---------------
    def result_rows(
        self,
        job: JobRef | None = None,
        *,
        dataset: str | None = None,
        ids: Iterable[int] | None = None,
        include_folds: bool = True,
        columns: Iterable[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Light rows of results (no log, traceback, history or arrays), ordered by id.

        Each dict has ``id, job_id, job, dataset, key, title, method, args, status,
        scores, times, machine, tags, fold, parent_key, error, started_at, finished_at``
        (or ``id, job, dataset`` and the given ``columns`` of those).
        """
        with self._read("list results") as conn:
            job_id = None if job is None else _jobs.job_id(conn, job)
            return _result_rows(conn, job_id, dataset, ids, include_folds, columns)

    def results_version(self, job: JobRef | None = None) -> tuple:
        """A cheap fingerprint of the job's (or all) results; it changes with every write.

        On SQLite it is remembered until any connection of any process commits to the
        file (``PRAGMA data_version``, microseconds): a server asked again and again
        about a job that is not being written to does not query the results each time.
        """
        stamp = self._stamp.value() if self._stamp is not None else None
        if stamp is not None:
            known = self._known_versions.get(job)
            if known is not None and known[0] == stamp:
                return known[1]
        with self._read("check results") as conn:
            job_id = None if job is None else _jobs.job_id(conn, job)
            version = _version(conn, job_id)
        if stamp is not None:  # the stamp read before the query: never newer than it
            if len(self._known_versions) > 4096:
                self._known_versions.clear()
            self._known_versions[job] = (stamp, version)
        return version

    def arrays_many(
        self, owners: Iterable[str], names: Iterable[str] | None = None
    ) -> dict[str, dict[str, np.ndarray]]:
        """Arrays of many owners in few queries: ``{owner: {name: array}}``."""
        with self._read("read arrays") as conn:
            return _arrays_many(conn, list(owners), names)

    def map_arrays(self, key: str, names: Iterable[str] | None = None) -> dict[str, Any] | None:
        """Like :meth:`get_map` but decodes only the arrays ``names`` (all if ``None``)."""
        with self._read("read a map") as conn:
            row = conn.execute(select(s.maps).where(s.maps.c.key == key)).first()
            if row is None:
                return None
            data = dict(row._mapping)
            data["params"] = from_json(data["params"])
            data["arrays"] = _arrays.get(conn, s.owner("map", data["id"]), names)
            return data

    def result_sizes(self, job: JobRef | None = None) -> dict[int, int]:
        """Bytes each result takes (JSON/text columns plus its arrays), by result id."""
        with self._read("measure results") as conn:
            job_id = None if job is None else _jobs.job_id(conn, job)
            return _result_sizes(conn, job_id)

    # -- projections and maps ------------------------------------------------------------
    def put_projection(
        self, job_id: JobRef, key: str, title: str, method: str, args: dict, points: np.ndarray
    ) -> int:
        """Store a data projection of a job (upsert by job and key); return its id."""
        args = to_json(args, f"projection '{key}' args")
        encoded = _arrays.encode({"points": points}, f"projection '{key}'")
        with self._write(f"store projection '{key}'") as conn:
            job = _jobs.job_id(conn, job_id)
            return _maps.put_projection(conn, job, key, title, method, args, encoded)

    def projections(self, job_id: JobRef) -> list[dict[str, Any]]:
        """The job's projections, each with its ``points`` array."""
        with self._read("read projections") as conn:
            return _maps.projections(conn, _jobs.job_id(conn, job_id))

    def put_map(self, key: str, params: dict, arrays: Mapping[str, np.ndarray]) -> int:
        """Cache a classifier map (upsert by key; its arrays are replaced); return its id."""
        params = to_json(params, f"map '{key}' params")
        encoded = _arrays.encode(arrays, f"map '{key}'")
        with self._write(f"store map '{key}'") as conn:
            return _maps.put_map(conn, key, params, encoded)

    def trim_maps(self, max_maps: int, max_bytes: int) -> int:
        """Drop the least recently used cached maps beyond ``max_maps`` maps or
        ``max_bytes`` bytes (the newest is kept); return how many were dropped."""
        with self._write("trim the map cache") as conn:
            drop = _maps.maps_to_drop(conn, max_maps, max_bytes)
            return _delete.maps(conn, drop)["maps"] if drop else 0

    def touch_map(self, key: str) -> None:
        """Mark the cached map ``key`` as just used (for :meth:`trim_maps`)."""
        with self._write(f"mark map '{key}' used") as conn:
            _maps.touch_map(conn, key)

    def get_map(self, key: str) -> dict[str, Any] | None:
        with self._read("read a map") as conn:
            return _maps.get_map(conn, key)

    # -- deleting and housekeeping -------------------------------------------------------
    def delete_result(self, key_or_id: ResultRef, job: JobRef | None = None) -> dict[str, int]:
        """Delete a result with its per-fold results and arrays."""
        with self._write("delete a result") as conn:
            found = _results.find(conn, key_or_id, job)
            if found is None:
                raise StoreError(
                    f"no result {key_or_id!r} in the store",
                    hint="give a result id or full key (see Store.resolve_key for prefixes)",
                )
            return _delete.result(conn, found)

    def delete_job(self, title_or_id: JobRef) -> dict[str, int]:
        """Delete a job with its results, projections and arrays."""
        with self._write("delete a job") as conn:
            return _delete.job(conn, _jobs.job_id(conn, title_or_id))

    def delete_dataset(self, name: str) -> dict[str, int]:
        """Delete a dataset (every fingerprint) with its jobs and everything they own."""
        with self._write(f"delete dataset '{name}'") as conn:
            return _delete.dataset(conn, name)

    def delete_failed(self, job: JobRef | None = None) -> dict[str, int]:
        """Delete results whose status is not ``ok`` (of one job, or of all jobs)."""
        with self._write("delete failed results") as conn:
            return _delete.failed(conn, None if job is None else _jobs.job_id(conn, job))

    def delete_maps(self) -> dict[str, int]:
        """Empty the classifier-map cache."""
        with self._write("delete maps") as conn:
            return _delete.maps(conn)

    def sizes(self) -> list[dict[str, Any]]:
        """Bytes per dataset, job and kind: ``{"dataset","job","kind","items","bytes"}``."""
        with self._read("measure the store") as conn:
            return _sizes.sizes(conn)

    def vacuum(self) -> dict[str, int]:
        """Delete orphaned arrays and give free space back (``VACUUM``)."""
        with self._write("delete orphaned arrays") as conn:
            counts = _delete.orphans(conn)
        _engine.vacuum(self._engine, self.url)
        return counts


# -- SQL of the bulk reads -------------------------------------------------------------
_LIGHT = ("id", "job_id", "key", "title", "method", "args", "status", "scores", "times",
          "machine", "tags", "fold", "parent_key", "error", "started_at", "finished_at")
_LIGHT_JSON = ("args", "scores", "times", "machine", "tags")


def _result_rows(conn: Connection, job_id: int | None, dataset: str | None,
                 ids: Iterable[int] | None, include_folds: bool,
                 columns: Iterable[str] | None = None) -> list[dict[str, Any]]:
    r = s.results
    names = _LIGHT if columns is None else ("id", *(c for c in _LIGHT if c in set(columns)
                                                   and c != "id"))
    unknown = set(columns or ()) - set(_LIGHT)
    if unknown:
        raise StoreError(f"result_rows() has no column(s) {sorted(unknown)}",
                         hint=f"choose from {', '.join(_LIGHT)}")
    decode = [name for name in _LIGHT_JSON if name in names]
    query = (
        select(*(r.c[name] for name in names), s.jobs.c.title.label("job"),
               s.datasets.c.name.label("dataset"))
        .join(s.jobs, s.jobs.c.id == r.c.job_id)
        .outerjoin(s.datasets, s.datasets.c.id == s.jobs.c.dataset_id)
    )
    if job_id is not None:
        query = query.where(r.c.job_id == job_id)
    if dataset is not None:
        query = query.where(s.datasets.c.name == dataset)
    if not include_folds:
        query = query.where(r.c.fold.is_(None))
    wanted = None if ids is None else sorted({int(i) for i in ids})
    rows = []
    chunks = [None] if wanted is None else [wanted[i:i + 500] for i in range(0, len(wanted), 500)]
    for chunk in chunks:
        part = query if chunk is None else query.where(r.c.id.in_(chunk))
        for row in conn.execute(part.order_by(r.c.id)):
            data = dict(row._mapping)
            for name in decode:
                data[name] = from_json(data[name])
            rows.append(data)
    return rows


def _version(conn: Connection, job_id: int | None) -> tuple:
    r = s.results
    query = select(func.count(), func.max(r.c.id), func.sum(r.c.id), func.sum(r.c.finished_at),
                   func.max(r.c.created_at))
    if job_id is not None:
        query = query.where(r.c.job_id == job_id)
    return tuple(conn.execute(query).one())


def _arrays_many(conn: Connection, owners: list[str],
                 names: Iterable[str] | None) -> dict[str, dict[str, np.ndarray]]:
    out: dict[str, dict[str, np.ndarray]] = {owner: {} for owner in owners}
    wanted = None if names is None else list(names)
    for start in range(0, len(owners), 500):
        query = select(s.arrays.c.owner, s.arrays.c.name, s.arrays.c.data).where(
            s.arrays.c.owner.in_(owners[start:start + 500]))
        if wanted is not None:
            query = query.where(s.arrays.c.name.in_(wanted))
        for owner, name, data in conn.execute(query.order_by(s.arrays.c.owner, s.arrays.c.name)):
            out[owner][name] = decode_array(data, f"array '{name}' of {owner}")
    return out


def _result_sizes(conn: Connection, job_id: int | None) -> dict[int, int]:
    r = s.results
    text = None
    for column in (r.c.args, r.c.scores, r.c.times, r.c.history, r.c.log, r.c.error,
                   r.c.traceback, r.c.machine, r.c.tags):
        length = func.coalesce(func.length(cast(column, Text)), 0)
        text = length if text is None else text + length
    query = select(r.c.id, text)
    if job_id is not None:
        query = query.where(r.c.job_id == job_id)
    sizes = {int(i): int(n) for i, n in conn.execute(query)}
    owners = {s.owner("result", i): i for i in sizes}
    array_query = select(s.arrays.c.owner, func.sum(func.length(s.arrays.c.data))).where(
        s.arrays.c.owner.startswith("result:")).group_by(s.arrays.c.owner)
    for owner, size in conn.execute(array_query):
        if owner in owners:
            sizes[owners[owner]] += int(size or 0)
    return sizes
