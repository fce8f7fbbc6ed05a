"""Data projections of a job and the classifier-map cache (JSON arguments come encoded)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Connection, func, select, update

from modelmap.store import _arrays, _jobs
from modelmap.store import _schema as s
from modelmap.store._codec import from_json


def put_projection(
    conn: Connection,
    job_id: int,
    key: str,
    title: str,
    method: str,
    args: dict,
    points: _arrays.Encoded,
) -> int:
    stmt = _jobs.insert(conn, s.projections).values(
        job_id=job_id,
        key=key,
        title=title,
        method=method,
        args=args,
        created_at=time.time(),
    )
    changes = ("title", "method", "args", "created_at")
    stmt = stmt.on_conflict_do_update(
        index_elements=["job_id", "key"], set_={name: stmt.excluded[name] for name in changes}
    )
    projection_id = conn.execute(stmt.returning(s.projections.c.id)).scalar_one()
    _arrays.put(conn, s.owner("projection", projection_id), points, replace_all=True)
    return projection_id


def projections(conn: Connection, job_id: int) -> list[dict[str, Any]]:
    query = select(s.projections).where(s.projections.c.job_id == job_id)
    out = []
    for row in conn.execute(query.order_by(s.projections.c.id)).all():
        data = dict(row._mapping)
        data["args"] = from_json(data["args"])
        stored = _arrays.get(conn, s.owner("projection", data["id"]), ["points"])
        data["points"] = stored.get("points")
        out.append(data)
    return out


def put_map(conn: Connection, key: str, params: dict, arrays: _arrays.Encoded) -> int:
    stmt = _jobs.insert(conn, s.maps).values(key=key, params=params, created_at=time.time())
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={"params": stmt.excluded.params, "created_at": stmt.excluded.created_at},
    )
    map_id = conn.execute(stmt.returning(s.maps.c.id)).scalar_one()
    _arrays.put(conn, s.owner("map", map_id), arrays, replace_all=True)
    return map_id


def get_map(conn: Connection, key: str) -> dict[str, Any] | None:
    row = conn.execute(select(s.maps).where(s.maps.c.key == key)).first()
    if row is None:
        return None
    data = dict(row._mapping)
    data["params"] = from_json(data["params"])
    data["arrays"] = _arrays.get(conn, s.owner("map", data["id"]))
    return data


def touch_map(conn: Connection, key: str) -> None:
    """Mark a cached map as just used (``created_at`` is its last use: the LRU order)."""
    conn.execute(update(s.maps).where(s.maps.c.key == key).values(created_at=time.time()))


def maps_to_drop(conn: Connection, max_maps: int, max_bytes: int) -> list[int]:
    """Ids of the least recently used maps beyond ``max_maps`` or ``max_bytes`` (arrays
    plus parameters); the most recent map is always kept."""
    sizes = dict(conn.execute(
        select(s.arrays.c.owner, func.sum(func.length(s.arrays.c.data)))
        .where(s.arrays.c.owner.startswith("map:")).group_by(s.arrays.c.owner)).all())
    rows = conn.execute(select(s.maps.c.id, func.length(s.maps.c.params))
                        .order_by(s.maps.c.created_at.desc(), s.maps.c.id.desc())).all()
    kept, total, drop = 0, 0, []
    for map_id, params_size in rows:
        size = int(sizes.get(s.owner("map", map_id)) or 0) + int(params_size or 0)
        if kept and (kept >= max_maps or total + size > max_bytes):
            drop.append(map_id)
            continue
        kept, total = kept + 1, total + size
    return drop
