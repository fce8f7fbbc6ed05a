"""Results: the resumable insert, look-ups by id, key or key prefix, and full rows."""

from __future__ import annotations

import dataclasses
import numbers
import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select, update

from modelmap.errors import StoreError
from modelmap.store import _arrays, _jobs
from modelmap.store import _schema as s
from modelmap.store._codec import from_json, to_json
from modelmap.training import STATUS_OK, STATUSES, TrainResult

ResultRef = int | str
_JSON_FIELDS = ("args", "scores", "times", "history", "machine", "tags")
_FIELDS = tuple(f.name for f in dataclasses.fields(TrainResult) if f.name != "arrays")


_ENCODED = "_modelmap_store_encoded"


def preencode(result: TrainResult) -> None:
    """Encode ``result`` for the store now and keep the encoding with it (it travels
    along when the result is pickled): worker processes do this in parallel, so the one
    process that writes the store only runs the SQL.  A result that cannot be encoded
    is left as it is; storing it raises the error there.  Results are immutable, and
    ``result.replace(...)`` makes a new one, which is encoded afresh when stored."""
    try:
        object.__setattr__(result, _ENCODED, _encode(result))
    except StoreError:
        pass


def encode(result: TrainResult) -> tuple[dict[str, Any], _arrays.Encoded]:
    """Column values and encoded arrays of ``result`` (raises before any write)."""
    kept = result.__dict__.get(_ENCODED)
    return kept if kept is not None else _encode(result)


def _encode(result: TrainResult) -> tuple[dict[str, Any], _arrays.Encoded]:
    where = f"result '{result.key}' ({result.title})"
    if result.status not in STATUSES:
        raise StoreError(
            f"{where} has status {result.status!r}",
            hint=f"use one of {', '.join(STATUSES)}",
        )
    values = {name: getattr(result, name) for name in _FIELDS}
    for name in _JSON_FIELDS:
        values[name] = to_json(values[name], f"{where} {name}")
    values["started_at"] = float(result.started_at)
    values["finished_at"] = float(result.finished_at)
    return values, _arrays.encode(result.arrays, where, pack=True)


def add(
    conn: Connection,
    job_id: int,
    values: dict[str, Any],
    arrays: _arrays.Encoded,
    replace: bool,
) -> int | None:
    """Insert a result; on a key clash replace it if asked or if it did not succeed."""
    return add_many(conn, job_id, [(values, arrays)], replace)[0]


def add_many(
    conn: Connection,
    job_id: int,
    encoded: list[tuple[dict[str, Any], _arrays.Encoded]],
    replace: bool,
) -> list[int | None]:
    """:func:`add` for several results in the caller's transaction.

    The statements are built once with bound parameters (SQLAlchemy compiles them once
    per dialect), and the arrays of all new results go in one ``executemany``: storing a
    result costs a few hundred microseconds, so a stream of tiny configs is not limited
    by the driver's writes.
    """
    if conn.execute(select(s.jobs.c.id).where(s.jobs.c.id == job_id)).first() is None:
        first = encoded[0][0]["key"] if encoded else "?"
        raise StoreError(
            f"cannot add result '{first}': there is no job with id {job_id}",
            hint="store the job first with put_job() and use the id it returns",
        )
    statements = _statements(conn.dialect.name)
    now = time.time()
    fresh: list[tuple[int, _arrays.Encoded]] = []
    keys = [values["key"] for values, _ in encoded]
    if conn.dialect.name == "sqlite" and len(encoded) > 1 and len(set(keys)) == len(keys):
        ids = _add_group(conn, job_id, encoded, replace, now, statements, fresh)
    else:
        ids = _add_each(conn, job_id, encoded, replace, now, statements, fresh)
    _put_fresh_arrays(conn, fresh)
    return ids


def _add_group(conn: Connection, job_id: int, encoded: list, replace: bool, now: float,
               statements: dict[str, Any], fresh: list) -> list[int | None]:
    """SQLite: the new results of a group in one INSERT.  A SQLite write transaction holds
    the database lock from BEGIN IMMEDIATE on, so no one can insert one of these keys
    between the look-up and the insert."""
    keys = [values["key"] for values, _ in encoded]
    taken = set(conn.execute(statements["taken"], {"job_id": job_id, "keys": keys}).scalars())
    new = [pair for pair in encoded if pair[0]["key"] not in taken]
    made = conn.execute(statements["insert_many"],
                        [{"job_id": job_id, "created_at": now, **values} for values, _ in new]
                        ).scalars().all() if new else []
    fresh.extend(zip(made, (arrays for _, arrays in new)))
    got = {values["key"]: new_id for (values, _), new_id in zip(new, made)}
    old = [pair for pair in encoded if pair[0]["key"] in taken]
    got.update(zip((values["key"] for values, _ in old),
                   _add_each(conn, job_id, old, replace, now, statements, fresh)))
    return [got[key] for key in keys]


def _add_each(conn: Connection, job_id: int, encoded: list, replace: bool, now: float,
              statements: dict[str, Any], fresh: list) -> list[int | None]:
    """Insert (or replace) results one statement each; new ones are added to ``fresh``."""
    ids: list[int | None] = []
    for values, arrays in encoded:
        new_id = conn.execute(statements["insert"],
                              {"job_id": job_id, "created_at": now, **values}).scalar()
        if new_id is not None:
            fresh.append((new_id, arrays))
            ids.append(new_id)
            continue
        existing = conn.execute(statements["existing"],
                                {"job_id": job_id, "key": values["key"]}).one()
        if not replace and existing.status == STATUS_OK:
            ids.append(None)
            continue
        conn.execute(update(s.results).where(s.results.c.id == existing.id).values(**values))
        _arrays.put(conn, s.owner("result", existing.id), arrays, replace_all=True)
        ids.append(existing.id)
    return ids


def _put_fresh_arrays(conn: Connection, fresh: list[tuple[int, _arrays.Encoded]]) -> None:
    if fresh:
        # a new id may be a reused rowid (SQLite): drop anything left under that owner
        owners = [s.owner("result", new_id) for new_id, _ in fresh]
        conn.execute(delete(s.arrays).where(s.arrays.c.owner.in_(owners)))
        rows = [{"owner": owner, **row} for owner, (_, arrays) in zip(owners, fresh)
                for row in arrays]
        if rows:
            conn.execute(s.arrays.insert(), rows)


_STATEMENTS: dict[str, dict[str, Any]] = {}


def _statements(dialect: str) -> dict[str, Any]:
    """The insert and look-up of :func:`add_many`, built once per dialect."""
    if dialect not in _STATEMENTS:
        insert = (_jobs.insert(dialect, s.results)
                  .on_conflict_do_nothing(index_elements=["job_id", "key"])
                  .returning(s.results.c.id))
        existing = (select(s.results.c.id, s.results.c.status)
                    .where(s.results.c.job_id == bindparam("job_id"),
                           s.results.c.key == bindparam("key"))
                    .with_for_update())
        taken = select(s.results.c.key).where(s.results.c.job_id == bindparam("job_id"),
                                              s.results.c.key.in_(bindparam("keys",
                                                                            expanding=True)))
        insert_many = s.results.insert().returning(s.results.c.id,
                                                   sort_by_parameter_order=True)
        _STATEMENTS[dialect] = {"insert": insert, "existing": existing, "taken": taken,
                                "insert_many": insert_many}
    return _STATEMENTS[dialect]


def done_keys(conn: Connection, job_id: int, statuses: Iterable[str]) -> set[str]:
    query = select(s.results.c.key).where(
        s.results.c.job_id == job_id, s.results.c.status.in_(list(statuses))
    )
    return set(conn.execute(query).scalars())


def find(conn: Connection, ref: ResultRef, job: _jobs.JobRef | None = None) -> int | None:
    """The id of a result given its id or its full key (``job`` narrows a key)."""
    query = select(s.results.c.id, s.jobs.c.title).join(s.jobs, s.jobs.c.id == s.results.c.job_id)
    if isinstance(ref, numbers.Integral):
        query = query.where(s.results.c.id == int(ref))
    else:
        query = query.where(s.results.c.key == ref)
    if job is not None:
        job_id = _jobs.find_job(conn, job)
        if job_id is None:
            return None
        query = query.where(s.results.c.job_id == job_id)
    rows = conn.execute(query.order_by(s.results.c.id)).all()
    if len(rows) > 1:
        titles = ", ".join(repr(row.title) for row in rows)
        raise StoreError(
            f"result key '{ref}' is in several jobs ({titles})",
            hint="name the job as well (job=TITLE / --job TITLE)",
        )
    return rows[0].id if rows else None


def row(conn: Connection, result_id: int) -> dict[str, Any]:
    """The full row of a result as a dict, with ``job``, ``dataset`` and ``arrays``."""
    query = (
        select(s.results, s.jobs.c.title.label("job"), s.datasets.c.name.label("dataset"))
        .join(s.jobs, s.jobs.c.id == s.results.c.job_id)
        .outerjoin(s.datasets, s.datasets.c.id == s.jobs.c.dataset_id)
        .where(s.results.c.id == result_id)
    )
    data = dict(conn.execute(query).one()._mapping)
    for name in _JSON_FIELDS:
        data[name] = from_json(data[name])
    data["arrays"] = _arrays.get(conn, s.owner("result", result_id))
    return data


def to_record(data: dict[str, Any]) -> TrainResult:
    """A :class:`TrainResult` from a dict made by :func:`row`."""
    return TrainResult(arrays=data["arrays"], **{name: data[name] for name in _FIELDS})


def resolve_key(conn: Connection, prefix: str, job: _jobs.JobRef | None = None) -> str:
    """The one result key starting with ``prefix``; :class:`StoreError` if none or several."""
    prefix = prefix.strip()
    if not prefix:
        raise StoreError(
            "the result key is empty", hint="give a result key or its first characters"
        )
    query = select(s.results.c.key, func.min(s.results.c.title)).where(
        s.results.c.key.startswith(prefix, autoescape=True)
    )
    if job is not None:
        query = query.where(s.results.c.job_id == _jobs.job_id(conn, job))
    rows = conn.execute(query.group_by(s.results.c.key).order_by(s.results.c.key).limit(11)).all()
    keys = [key for key, _ in rows]
    if prefix in keys:
        return prefix
    if len(rows) == 1:
        return rows[0][0]
    if not rows:
        raise StoreError(
            f"no result key starts with '{prefix}'",
            hint="list the results with `modelmap cache ls` and copy a key",
        )
    shown = ", ".join(f"{key} ({title})" for key, title in rows[:10])
    more = " ..." if len(rows) > 10 else ""
    raise StoreError(
        f"result key '{prefix}' is ambiguous; it matches {shown}{more}",
        hint="type more characters of the key",
    )
