"""Concurrent runs of one job share its configs through claims in the store.

Each config is claimed just before a worker starts it (the executor's ``claim`` hook), so a
second ``modelmap run`` of the same job takes the configs the first has not started yet,
and no config is trained twice.  Executors without the hook (Dask) claim their whole list
at the start.  Claims are refreshed while the run lasts and released when it ends, however
it ends; those of a killed run are taken over (see :mod:`modelmap.store._claims`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from modelmap.errors import StoreError
from modelmap.execution import WorkItem
from modelmap.store import HEARTBEAT_SECONDS, Store, new_claim_owner


class Claimed:
    """What :func:`claiming` hands the run: the items to give the executor, and those
    another run holds (filled in as the executor asks)."""

    def __init__(self, items: list[WorkItem]) -> None:
        self.items = items
        self.elsewhere: list[WorkItem] = []


@contextmanager
def claiming(store: Store, executor: Any, job_id: int,
             todo: list[WorkItem]) -> Iterator[Claimed]:
    owner = new_claim_owner()
    claimed = Claimed(todo)

    def claim(items: list[WorkItem]) -> list[WorkItem]:
        mine = store.claims.claim(job_id, [i.key for i in items], owner)
        claimed.elsewhere.extend(i for i in items if i.key not in mine)
        return [i for i in items if i.key in mine]

    hooked = hasattr(executor, "claim")
    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(store, owner, stop), daemon=True,
                            name="modelmap-claims")
    try:
        if hooked:
            executor.claim = claim
        else:
            claimed.items = claim(todo)
        beat.start()
        yield claimed
    finally:
        stop.set()
        if beat.is_alive():
            beat.join(timeout=5)
        if hooked:
            executor.claim = None
        try:
            store.claims.release(owner)
        except StoreError:
            pass  # the claims go stale and are taken over


def _beat(store: Store, owner: str, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            store.claims.heartbeat(owner)
        except StoreError:
            pass  # a busy or unreachable store: try again at the next beat
