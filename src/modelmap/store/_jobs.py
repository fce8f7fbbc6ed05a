"""Datasets and jobs: upserts, look-ups and row dicts."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Connection, Row, Table, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from modelmap.errors import StoreError
from modelmap.store import _arrays
from modelmap.store import _schema as s
from modelmap.store._codec import from_json

JobRef = int | str


def insert(conn: Connection | str, table: Table) -> Any:
    """The dialect's INSERT (it has ``on_conflict_do_nothing``/``..._do_update``), for a
    connection or a dialect name."""
    dialect = conn if isinstance(conn, str) else conn.dialect.name
    if dialect == "postgresql":
        return pg_insert(table)
    return sqlite_insert(table)


def put_dataset(conn: Connection, name: str, fingerprint: str, args: dict, summary: dict) -> int:
    """Upsert a dataset; ``args`` and ``summary`` are already :func:`to_json`-encoded."""
    stmt = insert(conn, s.datasets).values(
        name=name,
        fingerprint=fingerprint,
        args=args,
        summary=summary,
        created_at=time.time(),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["name", "fingerprint"],
        set_={"args": stmt.excluded.args, "summary": stmt.excluded.summary},
    )
    return conn.execute(stmt.returning(s.datasets.c.id)).scalar_one()


def put_job(
    conn: Connection,
    title: str,
    dataset_id: int | None,
    file: str | None,
    config: dict,
    data_key: str,
    arrays: _arrays.Encoded | None,
) -> int:
    if (
        dataset_id is not None
        and conn.execute(select(s.datasets.c.id).where(s.datasets.c.id == dataset_id)).first()
        is None
    ):
        raise StoreError(
            f"job '{title}' refers to dataset id {dataset_id}, which is not in the store",
            hint="store the dataset first with put_dataset() and use the id it returns",
        )
    now = time.time()
    stmt = insert(conn, s.jobs).values(
        title=title,
        dataset_id=dataset_id,
        file=file,
        config=config,
        data_key=data_key,
        created_at=now,
        updated_at=now,
    )
    changes = ("dataset_id", "file", "config", "data_key", "updated_at")
    stmt = stmt.on_conflict_do_update(
        index_elements=["title"], set_={name: stmt.excluded[name] for name in changes}
    )
    job_id = conn.execute(stmt.returning(s.jobs.c.id)).scalar_one()
    if arrays is not None:
        _arrays.put(conn, s.owner("job", job_id), arrays, replace_all=True)
    return job_id


def find_job(conn: Connection, ref: JobRef) -> int | None:
    """The id of the job titled ``ref`` (or with id ``ref``); ``None`` if there is none.

    A string is a title; a string of digits that is no title is also tried as an id.
    """
    if isinstance(ref, str):
        found = conn.execute(select(s.jobs.c.id).where(s.jobs.c.title == ref)).scalar()
        if found is not None or not ref.isdigit():
            return found
        ref = int(ref)
    return conn.execute(select(s.jobs.c.id).where(s.jobs.c.id == int(ref))).scalar()


def job_id(conn: Connection, ref: JobRef) -> int:
    """Like :func:`find_job` but raises :class:`StoreError` naming the known jobs."""
    found = find_job(conn, ref)
    if found is None:
        titles = list(conn.execute(select(s.jobs.c.title).order_by(s.jobs.c.id)).scalars())
        known = ", ".join(repr(t) for t in titles[:20]) or "none"
        raise StoreError(
            f"no job {ref!r} in the store (known jobs: {known})",
            hint="run the job first (modelmap run JOB_FILE) or check its title",
        )
    return found


def _job_query() -> Any:
    return select(s.jobs, s.datasets.c.name.label("dataset")).outerjoin(
        s.datasets, s.datasets.c.id == s.jobs.c.dataset_id
    )


def _counts(conn: Connection, job_ids: list[int]) -> dict[int, dict[str, int]]:
    query = (
        select(s.results.c.job_id, s.results.c.status, func.count())
        .where(s.results.c.job_id.in_(job_ids))
        .group_by(s.results.c.job_id, s.results.c.status)
    )
    counts: dict[int, dict[str, int]] = {i: {} for i in job_ids}
    for job, status, count in conn.execute(query):
        counts[job][status] = count
    return counts


def _job_dict(conn: Connection, row: Row, counts: dict[str, int]) -> dict[str, Any]:
    data = dict(row._mapping)
    data["config"] = from_json(data["config"])
    data["counts"] = dict(sorted(counts.items()))
    data["n_results"] = sum(counts.values())
    data["array_names"] = _arrays.names_of(conn, s.owner("job", data["id"]))
    return data


def job(conn: Connection, ref: JobRef) -> dict[str, Any] | None:
    found = find_job(conn, ref)
    if found is None:
        return None
    row = conn.execute(_job_query().where(s.jobs.c.id == found)).one()
    return _job_dict(conn, row, _counts(conn, [found])[found])


def jobs(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(_job_query().order_by(s.jobs.c.id)).all()
    counts = _counts(conn, [row.id for row in rows])
    return [_job_dict(conn, row, counts[row.id]) for row in rows]


def datasets(conn: Connection) -> list[dict[str, Any]]:
    n_jobs = (
        select(func.count())
        .select_from(s.jobs)
        .where(s.jobs.c.dataset_id == s.datasets.c.id)
        .scalar_subquery()
    )
    rows = conn.execute(select(s.datasets, n_jobs.label("n_jobs")).order_by(s.datasets.c.id))
    out = []
    for row in rows:
        data = dict(row._mapping)
        data["args"] = from_json(data["args"])
        data["summary"] = from_json(data["summary"])
        out.append(data)
    return out
