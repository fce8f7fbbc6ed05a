"""The result rows of one job (or dataset), cached until the store changes.

Listing, filtering and sorting thousands of results must be fast for many clients at once,
and the filters and sort fields include any parameter or score stored as JSON.  So the
light rows of a scope are read once, flattened, and kept while the store's cheap
:meth:`~modelmap.store.Store.results_version` fingerprint stays the same: a result written
or deleted by another process is seen by the next request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from modelmap.queries._json import clean
from modelmap.store import Store

_MAX_ENTRIES = 16
_LOCK = threading.Lock()
_CACHE: OrderedDict[tuple, Rows] = OrderedDict()

#: Fields every result has (besides scores ``<split>_<name>``, times ``<name>_time``,
#: parameters ``param_<name>`` and tags ``tag_<name>``).
BASE_FIELDS = ("id", "job_id", "key", "title", "method", "status", "fold", "parent_key",
               "machine", "error", "started_at", "finished_at")


@dataclass(frozen=True)
class Rows:
    """Public items and their flat field dicts (same order), and every field name seen."""

    version: tuple
    items: list[dict[str, Any]]
    flat: list[dict[str, Any]]
    fields: frozenset[str]


def _first_line(text: str | None) -> str | None:
    if not text:
        return None
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:500] if lines else None


def item(row: dict[str, Any]) -> dict[str, Any]:
    """The listing entry of a light result row."""
    machine = row.get("machine") or {}
    return clean({
        "id": row["id"], "job_id": row["job_id"], "job": row.get("job"),
        "dataset": row.get("dataset"), "key": row["key"], "title": row["title"],
        "method": row["method"], "status": row["status"], "fold": row["fold"],
        "parent_key": row["parent_key"], "args": row["args"] or {},
        "scores": row["scores"] or {}, "times": row["times"] or {}, "tags": row["tags"] or {},
        "machine": machine.get("host"), "error": _first_line(row["error"]),
        "started_at": row["started_at"], "finished_at": row["finished_at"],
    })


def flatten(entry: dict[str, Any]) -> dict[str, Any]:
    """Field name -> value, the names of :class:`~modelmap.store.Store.results` columns."""
    flat = {name: entry[name] for name in BASE_FIELDS}
    for split, values in entry["scores"].items():
        if isinstance(values, dict):
            for name, value in values.items():
                flat[f"{split}_{name}"] = value
    for name, value in entry["times"].items():
        flat[f"{name}_time"] = value
    for name, value in entry["args"].items():
        flat[f"param_{name}"] = value
    for name, value in entry["tags"].items():
        flat[f"tag_{name}"] = value
    return flat


def rows(store: Store, job_id: int | None = None, dataset: str | None = None) -> Rows:
    """The cached rows of a job (``job_id``), a dataset, or the whole store."""
    scope = (store.url, job_id, dataset)
    version = store.results_version(job_id)
    with _LOCK:
        cached = _CACHE.get(scope)
        if cached is not None and cached.version == version:
            _CACHE.move_to_end(scope)
            return cached
    light = store.result_rows(job_id, dataset=dataset)
    items = [item(row) for row in light]
    flat = [flatten(entry) for entry in items]
    fields = frozenset(name for record in flat for name in record)
    fresh = Rows(version, items, flat, fields)
    with _LOCK:
        _CACHE[scope] = fresh
        _CACHE.move_to_end(scope)
        while len(_CACHE) > _MAX_ENTRIES:
            _CACHE.popitem(last=False)
    return fresh


def forget(store: Store) -> None:
    """Drop the cached rows of ``store`` (after it was deleted from, say)."""
    with _LOCK:
        for scope in [s for s in _CACHE if s[0] == store.url]:
            del _CACHE[scope]
