"""Engines, transactions and error translation for the store.

SQLite: WAL journal, ``busy_timeout`` 30 s, foreign keys on; SQLAlchemy emits ``BEGIN``
itself so that write transactions can start with ``BEGIN IMMEDIATE`` (they take the
write lock up front and wait for it instead of failing half-way with "database is
locked").  PostgreSQL: psycopg 3; table creation runs under an advisory lock so that
several processes opening a fresh database at once do not race.  Both: a pooled
connection is never reused in a forked child (it opens its own).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select
from sqlalchemy.exc import DBAPIError, DisconnectionError, SQLAlchemyError

from modelmap.errors import StoreError
from modelmap.store import _schema as s
from modelmap.store._codec import dumps
from modelmap.store._url import StoreURL

_WRITE = "modelmap_write"
_BUSY_MS = 30_000
_PG_LOCK = 0x6D6D6170  # "mmap"


def create(target: StoreURL) -> Engine:
    """An engine for ``target``; creates the SQLite file's folder."""
    if target.dialect == "sqlite":
        engine = _sqlite_engine(target)
    else:
        try:
            engine = create_engine(target.url, json_serializer=dumps, pool_pre_ping=True)
        except ImportError as exc:
            raise StoreError(
                f"cannot use PostgreSQL: {exc}",
                where=target.display,
                hint="install the driver: pip install 'modelmap[postgres]' (psycopg 3)",
            ) from None
    event.listen(engine, "connect", _remember_pid)
    event.listen(engine, "checkout", _refuse_other_pid)
    return engine


def _remember_pid(dbapi_connection: Any, record: Any) -> None:
    record.info["pid"] = os.getpid()


def _refuse_other_pid(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """After ``fork`` a child must not reuse its parent's connections: open new ones."""
    if record.info.get("pid") != os.getpid():
        record.dbapi_connection = proxy.dbapi_connection = None
        raise DisconnectionError("connection belongs to another process; reconnecting")


def _sqlite_engine(target: StoreURL) -> Engine:
    if target.path is not None:
        try:
            target.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder {target.path.parent} for the store: {exc.strerror}",
                where=target.display,
                hint="choose a writable location for the store or fix the folder's permissions",
            ) from None
    engine = create_engine(
        target.url, json_serializer=dumps, connect_args={"timeout": _BUSY_MS / 1000}
    )
    wal = target.path is not None
    event.listen(engine, "connect", lambda dbapi, _record: _sqlite_connect(dbapi, wal))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, wal: bool) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        if wal:
            _switch_to_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    """``PRAGMA journal_mode = WAL``, retried: on a brand-new file another process opening
    the store at the same moment can hold the lock, and SQLite answers "database is
    locked" at once instead of waiting for the busy timeout."""
    import time

    deadline = time.monotonic() + _BUSY_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction, committed when the block ends without error."""
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE: True})
        with conn.begin():
            yield conn


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reads (rolled back at the end)."""
    with engine.connect() as conn:
        yield conn


@contextmanager
def guard(display: str, action: str) -> Iterator[None]:
    """Turn database errors inside the block into :class:`StoreError`."""
    try:
        yield
    except StoreError as error:
        if error.where is not None:
            raise
        raise type(error)(error.message, where=display, hint=error.hint) from None
    except SQLAlchemyError as exc:
        reason = _reason(exc)
        raise StoreError(
            f"could not {action}: {reason}", where=display, hint=_hint(reason)
        ) from exc


def _reason(exc: SQLAlchemyError) -> str:
    source = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = [line.strip() for line in str(source).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(source).__name__


def _hint(reason: str) -> str:
    text = reason.lower()
    if "locked" in text or "busy" in text:
        return (
            "another process kept the SQLite store busy for more than 30 s; try again, "
            "or use a PostgreSQL store for many parallel writers"
        )
    if "readonly" in text or "read-only" in text or "permission" in text:
        return "make the store file and its folder writable, or choose another store"
    if "unable to open" in text:
        return "check that the store's folder exists and is writable"
    if "not a database" in text:
        return "the path is not a SQLite database; choose another file for the store"
    if "does not exist" in text and "database" in text:
        return "create the database first (createdb NAME) or fix the name in the URL"
    if "connect" in text or "refused" in text or "authentication" in text:
        return (
            "check that the PostgreSQL server runs and that host, port, user and password are right"
        )
    return "check that the store is reachable and writable"


def prepare(engine: Engine, display: str) -> None:
    """Create missing tables and check the schema version (newer ones are refused)."""
    with guard(display, "open the store"), writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_PG_LOCK)))
        if inspect(conn).has_table("meta"):
            _check_version(conn, display)
        s.metadata.create_all(conn)
        found = conn.execute(
            select(s.meta.c.value).where(s.meta.c.name == "schema_version")
        ).scalar()
        if found is None:
            conn.execute(s.meta.insert().values(name="schema_version", value=str(s.SCHEMA_VERSION)))


def _check_version(conn: Connection, display: str) -> None:
    found = conn.execute(select(s.meta.c.value).where(s.meta.c.name == "schema_version")).scalar()
    if found is None:
        return
    try:
        version = int(found)
    except ValueError:
        version = None
    if version is None or version > s.SCHEMA_VERSION:
        raise StoreError(
            f"the store has schema version {found!r}; this modelmap understands "
            f"version {s.SCHEMA_VERSION} and older",
            where=display,
            hint="upgrade modelmap (pip install -U modelmap) or use another store",
        )


def vacuum(engine: Engine, display: str) -> None:
    """Run ``VACUUM`` (outside any transaction, as both databases require)."""
    if engine.dialect.name != "sqlite":
        with guard(display, "vacuum the store"), engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM")
        return
    raw = engine.raw_connection()  # isolation_level None: sqlite3 adds no BEGIN
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM")
        cursor.close()
    except engine.dialect.loaded_dbapi.Error as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise StoreError(
            f"could not vacuum the store: {reason}", where=display, hint=_hint(reason)
        ) from exc
    finally:
        raw.close()


class ChangeStamp:
    """A number that changes whenever any connection, of this process or another, commits
    to a SQLite file: ``PRAGMA data_version`` on a connection of its own that never
    writes.  ``value()`` is ``None`` when it cannot be read (then nothing is remembered)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def value(self) -> int | None:
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = sqlite3.connect(str(self._path), isolation_level=None,
                                                 check_same_thread=False)
                return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                self._close()
                return None

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def close(self) -> None:
        with self._lock:
            self._close()
