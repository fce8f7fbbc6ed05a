"""Rows of the ``arrays`` table: NumPy arrays owned by a result, job, projection or map."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, select

from modelmap.errors import StoreError
from modelmap.store import _schema as s
from modelmap.store._codec import decode_array, encode_array, pack_array

Encoded = list[dict[str, Any]]


def encode(arrays: Mapping[str, Any] | None, where: str, *, pack: bool = False) -> Encoded:
    """Encode arrays before a transaction starts (so a bad array writes nothing).
    ``pack`` (a result's arrays) stores them small: integers in their smallest type,
    ``proba*`` arrays in half precision, compressed."""
    rows = []
    for name, value in (arrays or {}).items():
        if not isinstance(name, str) or not name:
            raise StoreError(
                f"{where} has an array named {name!r}", hint="name arrays with non-empty strings"
            )
        if pack:
            dtype, shape, data = pack_array(value, f"{where} array '{name}'",
                                            probabilities=name.startswith("proba"))
        else:
            dtype, shape, data = encode_array(value, f"{where} array '{name}'")
        rows.append({"name": name, "dtype": dtype, "shape": shape, "data": data})
    return rows


def put(conn: Connection, owner: str, rows: Encoded, *, replace_all: bool = False) -> None:
    """Write encoded arrays of ``owner``; ``replace_all`` first drops its other arrays."""
    if replace_all:
        conn.execute(delete(s.arrays).where(s.arrays.c.owner == owner))
    else:
        names = [row["name"] for row in rows]
        if names:
            conn.execute(
                delete(s.arrays).where(s.arrays.c.owner == owner, s.arrays.c.name.in_(names))
            )
    if rows:
        conn.execute(s.arrays.insert(), [{"owner": owner, **row} for row in rows])


def get(conn: Connection, owner: str, names: Iterable[str] | None = None) -> dict[str, np.ndarray]:
    """The arrays of ``owner`` (all, or only ``names``), decoded, sorted by name."""
    query = select(s.arrays.c.name, s.arrays.c.data).where(s.arrays.c.owner == owner)
    if names is not None:
        query = query.where(s.arrays.c.name.in_(list(names)))
    rows = conn.execute(query.order_by(s.arrays.c.name)).all()
    return {name: decode_array(data, f"array '{name}' of {owner}") for name, data in rows}


def names_of(conn: Connection, owner: str) -> list[str]:
    query = select(s.arrays.c.name).where(s.arrays.c.owner == owner).order_by(s.arrays.c.name)
    return list(conn.execute(query).scalars())


def drop(conn: Connection, owners: Iterable[str]) -> int:
    """Delete every array of ``owners``; return how many were deleted."""
    owners = list(owners)
    total = 0
    for start in range(0, len(owners), 500):
        chunk = owners[start : start + 500]
        total += conn.execute(delete(s.arrays).where(s.arrays.c.owner.in_(chunk))).rowcount
    return total
