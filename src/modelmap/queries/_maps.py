"""Classifier maps of stored results, computed once and cached in the store by their inputs."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from modelmap.errors import DataError, PluginError
from modelmap.jobs import content_hash
from modelmap.queries import _ids
from modelmap.queries._errors import InvalidQueryError, NotFoundError
from modelmap.queries._json import ENCODINGS, encode_array
from modelmap.queries._results import existing
from modelmap.store import Store

#: Version of the map computation; part of every cache key.
MAP_VERSION = 1
MAX_MAP_RESULTS = 3000
#: The map cache in the store keeps at most this many maps and bytes; the least recently
#: used go first.
MAX_CACHED_MAPS = 100
MAX_CACHED_MAP_BYTES = 256 * 2**20
_TOUCH_AFTER = 60.0  # seconds: a map used again within a minute is not re-stamped
_SPLITS = ("test", "train")

_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()
_COMPUTING = threading.BoundedSemaphore(2)  # at most two maps computed at once


def map_options(values: str, metric: str, projection: str,
                params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Checked options with every projection parameter filled in (the cache key's part)."""
    from modelmap.plugins.tools import validate_args
    from modelmap.projection import MAP_METRICS, MAP_VALUES
    from modelmap.projection import check_projection

    if values not in MAP_VALUES:
        raise InvalidQueryError(f"cannot compare {values!r}",
                                hint=f"use one of {', '.join(MAP_VALUES)}")
    if metric not in MAP_METRICS:
        raise InvalidQueryError(f"unknown distance {metric!r}",
                                hint=f"use one of {', '.join(MAP_METRICS)}")
    try:
        info = check_projection(projection)
    except PluginError as exc:
        raise InvalidQueryError(exc.message, hint=exc.hint) from None
    params = dict(params or {})
    declared = {p["name"]: p for p in info["parameters"]}
    unknown = sorted(set(params) - set(declared))
    problems = validate_args(params, info)
    if unknown or problems:
        text = "; ".join(problems + [f"unknown parameter {n!r}" for n in unknown])
        raise InvalidQueryError(f"invalid {projection} parameters: {text}",
                                hint=f"parameters of {projection}: {', '.join(declared)}")
    full = {name: params.get(name, spec["default_value"]) for name, spec in declared.items()}
    return {"values": values, "metric": metric, "projection": projection, "params": full}


def _vectors(store: Store, rows: Sequence[dict[str, Any]], values: str) -> np.ndarray:
    titles = [row["title"] for row in rows]
    if values == "scores":
        return _score_vectors(rows)
    owners = [f"result:{row['id']}" for row in rows]
    stored = store.arrays_many(owners, [values])
    missing = [t for t, owner in zip(titles, owners) if values not in stored[owner]]
    if missing:
        shown = ", ".join(repr(t) for t in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise DataError(f"{len(missing)} classifier(s) have no {values}: {shown}",
                        hint="leave out failed classifiers (and, for probabilities, those "
                        "that do not predict them), or compare other values")
    arrays = [np.asarray(stored[o][values], dtype=np.float64).ravel() for o in owners]
    sizes = {len(a) for a in arrays}
    if len(sizes) > 1:
        raise DataError(f"the classifiers' {values} have different lengths {sorted(sizes)}",
                        hint="map classifiers of one job (one data split) at a time")
    return np.vstack(arrays)


def _score_vectors(rows: Sequence[dict[str, Any]]) -> np.ndarray:
    names = None
    for row in rows:
        present = {(split, name) for split in _SPLITS
                   for name in (row["scores"] or {}).get(split, {}) or {}}
        names = present if names is None else names & present
    if not names:
        raise DataError("the selected classifiers share no scores",
                        hint="leave out failed classifiers, or compare predictions")
    order = sorted(names)
    return np.array([[row["scores"][s][n] if row["scores"][s][n] is not None else np.nan
                      for s, n in order] for row in rows], dtype=np.float64)


def _lock(key: str) -> threading.Lock:
    with _LOCKS_GUARD:
        if len(_LOCKS) > 256:
            _LOCKS.clear()
        return _LOCKS.setdefault(key, threading.Lock())


def _names(distances: bool) -> list[str]:
    return ["ids", "points", "distances"] if distances else ["ids", "points"]


def _answer(key: str, stored: Mapping[str, Any], cached: bool, seconds: float,
            distances: bool, encoding: str) -> dict[str, Any]:
    arrays = stored["arrays"]
    out = {"key": key, **stored["params"]["options"], "results": arrays["ids"].tolist(),
           "titles": stored["params"]["titles"], "cached": cached, "seconds": seconds,
           "points": encode_array(arrays["points"], encoding)}
    if distances:
        out["distances"] = encode_array(arrays["distances"], encoding)
    return out


_MEMO: dict[str, tuple[list[int], tuple | None, str]] = {}
_MEMO_GUARD = threading.Lock()


def _unique(ids: Sequence[int]) -> list[int]:
    unique = sorted(set(ids))
    if not 1 <= len(unique) <= MAX_MAP_RESULTS:
        raise InvalidQueryError(f"a map needs 1 to {MAX_MAP_RESULTS} results; got {len(unique)}")
    return unique


def _key_of(options: dict[str, Any], rows: Sequence[dict[str, Any]]) -> str:
    inputs = [[row["id"], row["key"], row["finished_at"]] for row in rows]
    return content_hash("classifier-map", MAP_VERSION, options, inputs)


def _versions(store: Store, job_ids: Sequence[int]) -> tuple | None:
    from modelmap.errors import StoreError

    try:
        return tuple(store.results_version(job) for job in job_ids)
    except StoreError:  # a job was deleted
        return None


def map_key(store: Store, ids: Sequence[int], *, values: str = "pred_test",
            metric: str = "euclidean", projection: str = "pca",
            params: Mapping[str, Any] | None = None) -> str:
    """The cache key of a map: a hash of its options and of the results' keys and finish
    times.  Remembered while the results of the jobs involved do not change (one cheap
    query per job), so asking again for a cached map reads only a little."""
    options = map_options(values, metric, projection, params)
    unique = _unique(ids)
    request = content_hash(store.url, options, unique)
    with _MEMO_GUARD:
        known = _MEMO.get(request)
    if known is not None:
        job_ids, versions, key = known
        if versions is not None and _versions(store, job_ids) == versions:
            return key
    rows = existing(store, unique, ("key", "finished_at", "job_id"))
    job_ids = sorted({row["job_id"] for row in rows})
    versions = _versions(store, job_ids)  # before the rows the key is made of: a write in
    key = _key_of(options, existing(store, unique, ("key", "finished_at")))  # between
    # only makes the remembered versions older than the key, never the other way
    with _MEMO_GUARD:
        if len(_MEMO) > 1024:
            _MEMO.clear()
        _MEMO[request] = (job_ids, versions, key)
    return key


def classifier_map(store: Store, ids: Sequence[int], *, values: str = "pred_test",
                   metric: str = "euclidean", projection: str = "pca",
                   params: Mapping[str, Any] | None = None, distances: bool = True,
                   encoding: str = "json", keep: bool = True) -> dict[str, Any]:
    """The 2-D map of results ``ids``: points, and the distance matrix if asked.

    Results are put in id order; ``results[k]`` is the id of ``points[k]``.  The map is
    computed once per set of inputs (results with their keys and finish times, options)
    and cached in the store; ``cached`` tells whether it came from there.  With
    ``keep=False`` a map that is not cached yet is computed and answered but not stored (the
    web app on a non-loopback bind: its callbacks carry no token, so they never write).
    """
    if encoding not in ENCODINGS:
        raise InvalidQueryError(f"unknown encoding {encoding!r}",
                                hint=f"use one of {', '.join(ENCODINGS)}")
    options = map_options(values, metric, projection, params)
    key = map_key(store, ids, values=values, metric=metric, projection=projection,
                  params=params)
    with _lock(key):
        found = store.map_arrays(key, _names(distances))
        if found is not None:
            _touch(store, key, found)
            return _answer(key, found, True, 0.0, distances, encoding)
        return _compute(store, _unique(ids), options, distances, encoding, keep)


def _touch(store: Store, key: str, found: dict[str, Any]) -> None:
    if not store.read_only and time.time() - (found.get("created_at") or 0) > _TOUCH_AFTER:
        store.touch_map(key)


def _compute(store: Store, unique: list[int], options: dict[str, Any], distances: bool,
             encoding: str, keep: bool = True) -> dict[str, Any]:
    from modelmap.projection import distance_matrix, embed

    values = options["values"]
    columns = ("key", "title", "finished_at") + (("scores",) if values == "scores" else ())
    rows = existing(store, unique, columns)
    key = _key_of(options, rows)  # from the rows read now, in case they just changed
    with _COMPUTING:
        started = time.perf_counter()
        titles = [row["title"] for row in rows]
        matrix = distance_matrix(_vectors(store, rows, values), options["metric"], titles)
        points = embed(matrix, options["projection"], options["params"])
        seconds = time.perf_counter() - started
    arrays = {"ids": np.array(unique, dtype=np.int64), "points": points, "distances": matrix}
    inputs = [[row["id"], row["key"], row["finished_at"]] for row in rows]
    meta = {"options": options, "titles": titles, "inputs": inputs, "seconds": seconds}
    if keep and not store.read_only:  # a read-only store serves maps without keeping them
        store.put_map(key, meta, arrays)
        store.trim_maps(MAX_CACHED_MAPS, MAX_CACHED_MAP_BYTES)
    return _answer(key, {"params": meta, "arrays": arrays}, False, seconds, distances, encoding)


def cached_map(store: Store, key: str, *, distances: bool = True,
               encoding: str = "json") -> dict[str, Any]:
    """A map computed earlier, by its key; :class:`NotFoundError` if it is not cached."""
    _ids.map_key(key)
    if encoding not in ENCODINGS:
        raise InvalidQueryError(f"unknown encoding {encoding!r}",
                                hint=f"use one of {', '.join(ENCODINGS)}")
    found = store.map_arrays(key, _names(distances))
    if found is None or "options" not in (found.get("params") or {}):
        raise NotFoundError(f"no cached map {key}", hint="compute it with POST /api/maps")
    return _answer(key, found, True, 0.0, distances, encoding)
