"""Rendered JSON answers kept in memory, for requests the web app repeats many times.

Keys include a version of what the answer depends on (the results fingerprint of a job, or
a map's content key), so a stale answer is never served for data that changed; deleting
through the API empties the cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from starlette.responses import Response

from modelmap.server._responses import StrictJSONResponse

MAX_BYTES = 64 * 2**20


class ResponseCache:
    """A least-recently-used cache of rendered JSON bodies, bounded by total size."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0

    def _get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def _put(self, key: Hashable, body: bytes) -> None:
        if len(body) > self.max_bytes // 4:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._size += len(body) - (len(old) if old is not None else 0)
            self._items[key] = body
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)

    def answer(self, key: Hashable, make: Callable[[], Any],
               keep: Callable[[Any], bool] = lambda data: True) -> Response:
        """The cached body for ``key``, or ``make()`` rendered (and kept if ``keep`` says)."""
        body = self._get(key)
        if body is None:
            data = make()
            body = StrictJSONResponse(data).body
            if keep(data):
                self._put(key, body)
        return Response(body, media_type="application/json")
