"""Deleting rows together with their arrays, and finding arrays whose owner is gone."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, String, Table, cast, delete, literal, select

from modelmap.errors import StoreError
from modelmap.store import _arrays
from modelmap.store import _schema as s
from modelmap.training import STATUS_OK

Counts = dict[str, int]
_CHUNK = 500


def _delete_ids(conn: Connection, table: Table, ids: list[int]) -> int:
    total = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        total += conn.execute(delete(table).where(table.c.id.in_(chunk))).rowcount
    return total


def results(conn: Connection, ids: Iterable[int]) -> Counts:
    """Delete results by id with their arrays."""
    ids = sorted(set(ids))
    n_arrays = _arrays.drop(conn, (s.owner("result", i) for i in ids))
    return {"results": _delete_ids(conn, s.results, ids), "arrays": n_arrays}


def result(conn: Connection, result_id: int) -> Counts:
    """Delete one result, its per-fold results (``parent_key``) and all their arrays."""
    target = conn.execute(
        select(s.results.c.job_id, s.results.c.key).where(s.results.c.id == result_id)
    ).one()
    folds = select(s.results.c.id).where(
        s.results.c.job_id == target.job_id, s.results.c.parent_key == target.key
    )
    return results(conn, [result_id, *conn.execute(folds).scalars()])


def failed(conn: Connection, job_id: int | None) -> Counts:
    """Delete every result whose status is not ``ok`` (of one job, or of all)."""
    query = select(s.results.c.id).where(s.results.c.status != STATUS_OK)
    if job_id is not None:
        query = query.where(s.results.c.job_id == job_id)
    return results(conn, conn.execute(query).scalars())


def job(conn: Connection, job_id: int) -> Counts:
    """Delete a job with its results, projections and all their arrays."""
    result_ids = list(
        conn.execute(select(s.results.c.id).where(s.results.c.job_id == job_id)).scalars()
    )
    projection_ids = list(
        conn.execute(select(s.projections.c.id).where(s.projections.c.job_id == job_id)).scalars()
    )
    owners = [s.owner("result", i) for i in result_ids]
    owners += [s.owner("projection", i) for i in projection_ids]
    owners.append(s.owner("job", job_id))
    n_arrays = _arrays.drop(conn, owners)
    n_results = _delete_ids(conn, s.results, result_ids)
    n_projections = _delete_ids(conn, s.projections, projection_ids)
    return {
        "jobs": _delete_ids(conn, s.jobs, [job_id]),
        "results": n_results,
        "projections": n_projections,
        "arrays": n_arrays,
    }


def dataset(conn: Connection, name: str) -> Counts:
    """Delete every dataset called ``name`` (all fingerprints) with its jobs."""
    ids = list(conn.execute(select(s.datasets.c.id).where(s.datasets.c.name == name)).scalars())
    if not ids:
        names = conn.execute(select(s.datasets.c.name).distinct().order_by(s.datasets.c.name))
        known = ", ".join(repr(n) for n in names.scalars()) or "none"
        raise StoreError(
            f"no dataset '{name}' in the store (known datasets: {known})",
            hint="check the name with `modelmap cache du`",
        )
    counts: Counts = {"datasets": 0, "jobs": 0, "results": 0, "projections": 0, "arrays": 0}
    job_ids = conn.execute(select(s.jobs.c.id).where(s.jobs.c.dataset_id.in_(ids))).scalars()
    for job_id in list(job_ids):
        for kind, count in job(conn, job_id).items():
            counts[kind] += count
    counts["datasets"] = _delete_ids(conn, s.datasets, ids)
    return counts


def maps(conn: Connection, ids: list[int] | None = None) -> Counts:
    """Delete the whole classifier-map cache (or the maps ``ids``)."""
    if ids is None:
        ids = list(conn.execute(select(s.maps.c.id)).scalars())
    n_arrays = _arrays.drop(conn, (s.owner("map", i) for i in ids))
    return {"maps": _delete_ids(conn, s.maps, ids), "arrays": n_arrays}


def orphans(conn: Connection) -> Counts:
    """Delete arrays whose owning row no longer exists (left by other tools)."""
    total = 0
    for kind, table in (
        ("result", s.results),
        ("job", s.jobs),
        ("projection", s.projections),
        ("map", s.maps),
    ):
        owners = select(literal(f"{kind}:") + cast(table.c.id, String))
        total += conn.execute(
            delete(s.arrays).where(
                s.arrays.c.owner.startswith(f"{kind}:"), s.arrays.c.owner.not_in(owners)
            )
        ).rowcount
    return {"arrays": total}
