"""Claims: which run trains which config of a job now (concurrent runs share the work).

A run claims each config just before a worker starts it; a config another live run has
claimed is left to that run.  A run is named by an owner string ``host:pid:token``; it
refreshes its claims' heartbeat while it runs and deletes them when it ends.  The claims of
a run that was killed are taken over when their heartbeat is older than
:data:`STALE_SECONDS`, or at once when the owner ran on this host and its process is gone.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, update

from modelmap.store import _schema as s

if TYPE_CHECKING:
    from modelmap.store._store import Store

#: A claim not refreshed for this long belongs to a run that is gone.
STALE_SECONDS = 60.0
#: How often a run refreshes its claims (well under STALE_SECONDS).
HEARTBEAT_SECONDS = 10.0


def new_owner() -> str:
    """An owner name for this run: ``host:pid:random``."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _gone(owner: str) -> bool:
    """Whether ``owner`` ran on this host in a process that no longer exists."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, but not ours to signal
        return False
    return False


def _insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(s.claims)


class Claims:
    """The claims of one store (``store.claims``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def claim(self, job_id: int, keys: Iterable[str], owner: str) -> set[str]:
        """Claim ``keys`` of job ``job_id`` for ``owner``; return those it holds now (free
        ones, its own, and stale ones taken over), leaving those of other live runs."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return set()
        c = s.claims.c
        now = time.time()
        with self._store._write("claim configs") as conn:
            held = {row.key: row.owner for row in conn.execute(
                select(c.key, c.owner).where(c.job_id == job_id, c.key.in_(keys)))}
            stale = conn.execute(select(c.key).where(
                c.job_id == job_id, c.key.in_(list(held)),
                c.heartbeat < now - STALE_SECONDS)).scalars().all()
            dead = {o for o in set(held.values()) if o != owner and _gone(o)}
            take = set(stale) | {k for k, o in held.items() if o in dead}
            if take:
                conn.execute(update(s.claims).where(c.job_id == job_id, c.key.in_(take))
                             .values(owner=owner, heartbeat=now))
            free = [k for k in keys if k not in held]
            if free:  # another run may insert the same keys at once (PostgreSQL): first wins
                conn.execute(_insert(conn.dialect.name).on_conflict_do_nothing(),
                             [{"job_id": job_id, "key": k, "owner": owner, "heartbeat": now}
                              for k in free])
            return set(conn.execute(select(c.key).where(
                c.job_id == job_id, c.key.in_(keys), c.owner == owner)).scalars())

    def heartbeat(self, owner: str) -> None:
        """Mark ``owner``'s claims as alive."""
        with self._store._write("refresh claims") as conn:
            conn.execute(update(s.claims).where(s.claims.c.owner == owner)
                         .values(heartbeat=time.time()))

    def release(self, owner: str) -> None:
        """Delete every claim of ``owner`` (its run ended)."""
        with self._store._write("release claims") as conn:
            conn.execute(delete(s.claims).where(s.claims.c.owner == owner))

    def held(self, job_id: int, *, exclude: str | None = None) -> dict[str, str]:
        """``{key: owner}`` of the live claims on job ``job_id`` (not ``exclude``'s)."""
        c = s.claims.c
        where = [c.job_id == job_id, c.heartbeat >= time.time() - STALE_SECONDS]
        if exclude is not None:
            where.append(c.owner != exclude)
        with self._store._read("read claims") as conn:
            rows = conn.execute(select(c.key, c.owner).where(*where)).all()
        return {row.key: row.owner for row in rows if not _gone(row.owner)}
