"""How many bytes each dataset, job and kind of item takes (for ``modelmap cache du``).

Bytes are the stored lengths of JSON/text columns plus the ``.npy`` bytes of arrays;
database overhead (indexes, pages) is not counted.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Column, Connection, Text, cast, func, select

from modelmap.store import _schema as s

_Key = tuple[Any, Any, str]


def _length(*columns: Column) -> Any:
    total = func.coalesce(func.length(cast(columns[0], Text)), 0)
    for column in columns[1:]:
        total = total + func.coalesce(func.length(cast(column, Text)), 0)
    return total


def _array_bytes(conn: Connection) -> dict[str, tuple[int, int]]:
    query = select(s.arrays.c.owner, func.count(), func.sum(func.length(s.arrays.c.data))).group_by(
        s.arrays.c.owner
    )
    return {owner: (int(count), int(size or 0)) for owner, count, size in conn.execute(query)}


def sizes(conn: Connection) -> list[dict[str, Any]]:
    """Rows ``{"dataset", "job", "kind", "items", "bytes"}`` sorted by dataset, job, kind.

    Kinds: ``dataset`` (its row), ``job`` (config and job arrays), ``results`` (JSON and
    text of result rows), ``result arrays``, ``projections`` (rows and points), ``maps``.
    """
    arrays = _array_bytes(conn)
    totals: dict[_Key, list[int]] = defaultdict(lambda: [0, 0])

    def add(key: _Key, items: int, size: int) -> None:
        totals[key][0] += items
        totals[key][1] += size

    names = dict(conn.execute(select(s.datasets.c.id, s.datasets.c.name)).all())
    d = s.datasets
    for name, size in conn.execute(select(d.c.name, _length(d.c.args, d.c.summary))):
        add((name, None, "dataset"), 1, int(size))
    job_keys: dict[int, tuple[Any, Any]] = {}
    query = select(s.jobs.c.id, s.jobs.c.title, s.jobs.c.dataset_id, _length(s.jobs.c.config))
    for job_id, title, dataset_id, size in conn.execute(query):
        job_keys[job_id] = (names.get(dataset_id), title)
        _, array_size = arrays.get(s.owner("job", job_id), (0, 0))
        add((*job_keys[job_id], "job"), 1, int(size) + array_size)
    r = s.results
    text = _length(
        r.c.args, r.c.scores, r.c.times, r.c.history, r.c.log, r.c.error, r.c.traceback, r.c.machine
    )
    for result_id, job_id, size in conn.execute(select(r.c.id, r.c.job_id, text)):
        add((*job_keys[job_id], "results"), 1, int(size))
        count, array_size = arrays.get(s.owner("result", result_id), (0, 0))
        if count:
            add((*job_keys[job_id], "result arrays"), count, array_size)
    p = s.projections
    for proj_id, job_id, size in conn.execute(select(p.c.id, p.c.job_id, _length(p.c.args))):
        _, array_size = arrays.get(s.owner("projection", proj_id), (0, 0))
        add((*job_keys[job_id], "projections"), 1, int(size) + array_size)
    for map_id, size in conn.execute(select(s.maps.c.id, _length(s.maps.c.params))):
        _, array_size = arrays.get(s.owner("map", map_id), (0, 0))
        add((None, None, "maps"), 1, int(size) + array_size)
    rows = [
        {"dataset": d, "job": j, "kind": k, "items": v[0], "bytes": v[1]}
        for (d, j, k), v in totals.items()
    ]
    return sorted(rows, key=lambda r: (r["dataset"] or "", r["job"] or "", r["kind"]))
