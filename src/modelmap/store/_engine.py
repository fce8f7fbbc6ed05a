"""Engines, transactions and error translation for the store.

SQLite: WAL journal, ``busy_timeout`` 30 s, foreign keys on; SQLAlchemy emits ``BEGIN``
itself so that write transactions can start with ``BEGIN IMMEDIATE`` (they take the
write lock up front and wait for it instead of failing half-way with "database is
locked").  PostgreSQL: psycopg 3; table creation runs under an advisory lock so that
several processes opening a fresh database at once do not race.  Both: a pooled
connection is never reused in a forked child (it opens its own).

Opening modes: a store is created when missing unless ``create=False`` (then a missing
SQLite file is a :class:`StoreError` "no store at PATH"); ``read_only=True`` opens it
with ``mode=ro`` (the ``.db`` file is never written; in a writable folder SQLite may
create its empty ``-wal``/``-shm`` index files beside it), or with ``immutable=1`` when
its folder cannot be written and it has no ``-wal`` file (a store on a read-only file
system or medium); ``read_only="auto"`` is read-only exactly
when the file or its folder cannot be written.  A store that wrote checkpoints its WAL
into the main file (``TRUNCATE``) when it is closed or the process exits, so that the
``.db`` file alone is the whole store.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, DisconnectionError, SQLAlchemyError

from modelmap.errors import StoreError
from modelmap.store import _schema as s
from modelmap.store._codec import dumps
from modelmap.store._url import StoreURL

_WRITE = "modelmap_write"
_BUSY_MS = 30_000
_PG_LOCK = 0x6D6D6170  # "mmap"


ReadOnly = bool | Literal["auto"]
_NO_STORE_HINT = ("run a job first (modelmap run JOB) or name an existing store with "
                  "--store PATH (or [store] url in modelmap.toml)")


def check_exists(target: StoreURL) -> None:
    """:class:`StoreError` unless the SQLite file of ``target`` exists (PostgreSQL: the
    tables are checked when the store is prepared)."""
    if target.path is not None and not target.path.is_file():
        what = "a folder, not a store file" if target.path.is_dir() else "missing"
        raise StoreError(f"no store at {target.path} ({what})", where=target.display,
                         hint=_NO_STORE_HINT)


def _writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def decide_read_only(target: StoreURL, read_only: ReadOnly) -> bool:
    """``read_only`` resolved: ``"auto"`` is read-only when the file cannot be written."""
    if read_only == "auto":
        return target.path is not None and not _writable(target.path)
    return bool(read_only)


def sqlite_uri(path: Path, read_only: bool) -> tuple[str, dict[str, str]]:
    """The ``file:`` URI and its parameters for opening ``path`` (read-only or not)."""
    if not read_only:
        return "file:" + quote(str(path)), {}
    wal = path.with_name(path.name + "-wal")
    if os.access(path.parent, os.W_OK) or wal.exists():
        return "file:" + quote(str(path)), {"mode": "ro"}
    return "file:" + quote(str(path)), {"mode": "ro", "immutable": "1"}


def create(target: StoreURL, read_only: bool = False) -> Engine:
    """An engine for ``target``; creates the SQLite file's folder (unless read-only)."""
    if target.dialect == "sqlite":
        engine = _sqlite_engine(target, read_only)
    else:
        args = {"options": "-c default_transaction_read_only=on"} if read_only else {}
        try:
            engine = create_engine(target.url, json_serializer=dumps, pool_pre_ping=True,
                                   connect_args=args)
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


def _sqlite_engine(target: StoreURL, read_only: bool) -> Engine:
    url = target.url
    if read_only and target.path is not None:
        uri, params = sqlite_uri(target.path, True)
        url = URL.create("sqlite", database=uri, query={**params, "uri": "true"})
    elif target.path is not None:
        try:
            target.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder {target.path.parent} for the store: {exc.strerror}",
                where=target.display,
                hint="choose a writable location for the store or fix the folder's permissions",
            ) from None
    engine = create_engine(
        url, json_serializer=dumps, connect_args={"timeout": _BUSY_MS / 1000}
    )
    wal = target.path is not None and not read_only
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
    if "disk is full" in text or "no space" in text or "disk i/o" in text:
        return ("if the disk is full: free a few MB outside the store, or move the store (all "
                "its .db, .db-wal and .db-shm files) to a disk with room, then run "
                "`modelmap cache rm` and `modelmap cache vacuum` (docs/api.md, 'A full disk')")
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


def prepare(engine: Engine, display: str, create: bool = True, read_only: bool = False) -> None:
    """Create missing tables and check the schema version (newer ones are refused).

    Without ``create`` (or when ``read_only``) a database without the tables is refused
    instead of filled, and a read-only store is only read.
    """
    if read_only or not create:
        with guard(display, "open the store"), reading(engine) as conn:
            if not inspect(conn).has_table("meta"):
                raise StoreError("the database holds no modelmap store (no 'meta' table)",
                                 where=display, hint=_NO_STORE_HINT)
            _check_version(conn, display)
        if read_only:
            return
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


def checkpoint(engine: Engine, wait_ms: int = 2000) -> bool:
    """``PRAGMA wal_checkpoint(TRUNCATE)``: copy the WAL into the main file and empty it.

    Waits at most ``wait_ms`` for other connections; returns whether the WAL is now
    empty (``False`` when another process kept it busy, or for other databases).
    """
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return False
    try:
        raw = engine.raw_connection()
    except SQLAlchemyError:
        return False
    try:
        cursor = raw.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        busy, _, _ = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        cursor.close()
        return busy == 0
    except sqlite3.Error:
        return False
    finally:
        raw.close()


def export_copy(engine: Engine, display: str, path: Path) -> None:
    """Write a consistent single-file copy of a SQLite store to ``path`` (``VACUUM
    INTO``: the committed state, WAL included, compacted; the store stays usable)."""
    if engine.dialect.name != "sqlite":
        raise StoreError("export-store copies SQLite stores only", where=display,
                         hint="copy a PostgreSQL store with pg_dump DATABASE > FILE.sql")
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM INTO ?", (str(path),))
        cursor.close()
    except sqlite3.Error as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise StoreError(f"could not copy the store to {path}: {reason}", where=display,
                         hint="choose a new file in a writable folder with enough free space"
                         ) from exc
    finally:
        raw.close()


def finish(engine: Engine, stamp: ChangeStamp | None, state: dict[str, Any]) -> None:
    """Close a store: checkpoint the WAL if this process wrote, then every connection.
    Called by ``Store.close`` and, for a store never closed, when the process exits."""
    if state.get("pid") != os.getpid():
        return  # a forked child: the parent's store is not the child's to close
    if state.get("wrote"):
        checkpoint(engine)
        state["wrote"] = False
    engine.dispose()
    if stamp is not None:
        stamp.close()


class ChangeStamp:
    """A number that changes whenever any connection, of this process or another, commits
    to a SQLite file: ``PRAGMA data_version`` on a connection of its own that never
    writes.  ``value()`` is ``None`` when it cannot be read (then nothing is remembered)."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self._path = path
        self._read_only = read_only
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def value(self) -> int | None:
        with self._lock:
            try:
                if self._conn is None:
                    uri, params = sqlite_uri(self._path, self._read_only)
                    query = "&".join(f"{k}={v}" for k, v in params.items())
                    self._conn = sqlite3.connect(uri + (f"?{query}" if query else ""),
                                                 uri=True, isolation_level=None,
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
