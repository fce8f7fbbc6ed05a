"""Results (classifiers): the paged listing, one result in full, predictions in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from modelmap.queries import _filters, _ids, _rows
from modelmap.queries._catalog import JobRef, find_job, list_jobs
from modelmap.queries._errors import InvalidQueryError, NotFoundError
from modelmap.queries._json import ENCODINGS, clean, encode_array
from modelmap.store import Store

#: Arrays a result may have (predictions, probabilities, confusion matrices).
RESULT_ARRAYS = ("pred_test", "pred_train", "proba_test", "proba_train", "confusion_test",
                 "confusion_train")
MAX_LIMIT = 10_000
MAX_IDS = 10_000
#: Bytes of a captured log (and of a traceback) a full result shows: head and tail of it.
LOG_PREVIEW = 64 * 1024
#: Most characters one page of ``result_log`` returns.
MAX_LOG_PAGE = 1024 * 1024


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _scope(store: Store, job: JobRef | None, dataset: str | None) -> _rows.Rows:
    if job is not None and dataset is not None:
        raise InvalidQueryError("give a job or a dataset, not both")
    if job is not None:
        return _rows.rows(store, job_id=find_job(store, job)["id"])
    if dataset is not None:
        list_jobs(store, dataset=dataset)  # checks the name and that it exists
        return _rows.rows(store, dataset=dataset)
    return _rows.rows(store)


def listing_version(store: Store, job: JobRef | None = None,
                    dataset: str | None = None) -> tuple:
    """A value that changes whenever :func:`list_results` of this job/dataset could."""
    from modelmap.errors import StoreError

    if job is not None:
        try:
            return ("job", job, *store.results_version(job))
        except StoreError as exc:
            raise NotFoundError(exc.message, hint=exc.hint) from None
    return ("dataset", dataset, *store.results_version())


def list_results(
    store: Store,
    *,
    job: JobRef | None = None,
    dataset: str | None = None,
    method: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    filters: Sequence[str] = (),
    q: str | None = None,
    sort: str | None = None,
    offset: int = 0,
    limit: int = 100,
    include_folds: bool = False,
) -> dict[str, Any]:
    """One page of the results of a job (or dataset, or store), filtered and sorted.

    ``filters`` are ``FIELD OP VALUE`` texts on the columns of
    :meth:`Store.results <modelmap.store.Store.results>` (``test_accuracy>=0.9``,
    ``param_kernel=rbf``, ``fit_time<1``; OP one of ``= != < <= > >= ~``); ``sort`` is
    ``"-test_accuracy,title"``.  Returns ``{"total", "offset", "limit", "fields", "items"}``.
    """
    if not 0 <= offset <= 10**9 or not 1 <= limit <= MAX_LIMIT:
        raise InvalidQueryError(f"offset must be >= 0 and limit in [1, {MAX_LIMIT}]")
    scope = _scope(store, job, dataset)
    known = scope.fields | frozenset(_rows.BASE_FIELDS)
    predicates = [_filters.parse_filter(text, known) for text in filters]
    order = _filters.parse_sort(sort, known)
    methods, statuses = _as_list(method), _as_list(status)
    needle = q.lower() if q else None
    chosen = []
    for index, record in enumerate(scope.flat):
        if not include_folds and record["fold"] is not None:
            continue
        if methods is not None and record["method"] not in methods:
            continue
        if statuses is not None and record["status"] not in statuses:
            continue
        if needle is not None and needle not in record["title"].lower():
            continue
        if all(predicate(record) for predicate in predicates):
            chosen.append(index)
    chosen = _filters.sort_indices(scope.flat, order, chosen)
    page = chosen[offset:offset + limit]
    return {"total": len(chosen), "offset": offset, "limit": limit,
            "fields": sorted(known), "items": [scope.items[i] for i in page]}


def _result_row(store: Store, result_id: int) -> dict[str, Any]:
    _ids.row_id(result_id, "result")
    row = store.result(result_id)
    if row is None:
        raise NotFoundError(f"no result with id {result_id} in the store",
                            hint="list a job's results with GET /api/jobs/{id}/results")
    return row


def _preview(text: str | None, limit: int | None) -> tuple[str | None, int]:
    if text is None or limit is None:
        return text, 0
    from modelmap.training import clip

    return clip(text, limit // 2, limit - limit // 2)


def get_result(store: Store, result_id: int, log_limit: int | None = None) -> dict[str, Any]:
    """One result in full: confusion matrices, history, error, traceback, captured log.

    Predictions and probabilities are not included (see :func:`result_arrays`); their
    names, dtypes and shapes are listed under ``arrays``.  With ``log_limit``, the log
    and the traceback keep their first and last ``log_limit / 2`` bytes (``log_cut`` says
    how many bytes of the output are not shown, counting those cut when the log was
    captured; :func:`result_log` pages through the whole stored log).
    """
    row = _result_row(store, result_id)
    arrays = row.pop("arrays")
    out = _rows.item({**row})
    log, cut = _preview(row["log"], log_limit)
    traceback, _ = _preview(row["traceback"], log_limit)
    out.update({
        "machine": clean(row["machine"]), "history": clean(row["history"]),
        "log": log, "log_bytes": len((row["log"] or "").encode("utf-8")), "log_cut": cut,
        "error": row["error"], "traceback": traceback,
        "plugin_hash": row["plugin_hash"], "created_at": row["created_at"],
        "arrays": {name: {"dtype": str(a.dtype), "shape": list(a.shape)}
                   for name, a in arrays.items()},
        "confusion_test": clean(arrays.get("confusion_test")),
        "confusion_train": clean(arrays.get("confusion_train")),
    })
    return out


def result_histories(store: Store, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Training histories of the results ``ids`` that have one: ``{id: {name: [values]}}``
    (results deleted in between, or without a history, are left out).  The values are as
    stored, NaN included (for in-process readers such as the web app; not strict JSON)."""
    out: dict[int, dict[str, Any]] = {}
    for result_id in _check_ids(ids):
        row = store.result(result_id)
        if row is not None and row.get("history"):
            out[result_id] = row["history"]
    return out


def result_log(store: Store, result_id: int, offset: int = 0,
               limit: int = MAX_LOG_PAGE) -> dict[str, Any]:
    """One page of a result's captured log: ``{"id", "size", "offset", "limit", "text",
    "next"}`` (characters; ``next`` is the offset of the following page or ``None``)."""
    if offset < 0 or not 1 <= limit <= MAX_LOG_PAGE:
        raise InvalidQueryError(f"offset must be >= 0 and limit in [1, {MAX_LOG_PAGE}]")
    text = _result_row(store, result_id)["log"] or ""
    end = min(len(text), offset + limit)
    return {"id": result_id, "size": len(text), "offset": offset, "limit": limit,
            "text": text[offset:end], "next": end if end < len(text) else None}


def resolve_result(store: Store, key: str, job: JobRef | None = None) -> dict[str, Any]:
    """``{"id", "key", "title", "job", "dataset", "status", "fold"}`` of the one result whose
    key starts with ``key`` (in ``job``, if given): :class:`NotFoundError` if there is none,
    :class:`InvalidQueryError` if the key is malformed or names several results."""
    from modelmap.errors import StoreError

    _ids.result_key(key)
    job_id = None if job is None else find_job(store, job)["id"]
    try:
        full = store.resolve_key(key, job_id)
        row = store.result(full, job_id)
    except StoreError as exc:
        error = NotFoundError if "no result key" in exc.message else InvalidQueryError
        raise error(exc.message, hint=exc.hint) from None
    if row is None:  # deleted in between
        raise NotFoundError(f"no result with key {full!r} in the store")
    return {name: row[name] for name in ("id", "key", "title", "job", "dataset", "status",
                                         "fold")}


def find_result(store: Store, key: str, job: JobRef | None = None,
                log_limit: int | None = None) -> dict[str, Any]:
    """:func:`get_result` of the result whose key starts with ``key`` (unique prefix)."""
    return get_result(store, int(resolve_result(store, key, job)["id"]), log_limit)


def _check_ids(ids: Sequence[int]) -> list[int]:
    if not ids:
        raise InvalidQueryError("give at least one result id")
    if len(ids) > MAX_IDS:
        raise InvalidQueryError(f"at most {MAX_IDS} result ids per request; got {len(ids)}")
    return [_ids.row_id(i, "result") for i in ids]


def existing(store: Store, ids: Sequence[int],
             columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Light rows of ``ids`` in the order given; :class:`NotFoundError` lists missing ones."""
    ids = _check_ids(ids)
    found = {row["id"]: row for row in store.result_rows(ids=ids, columns=columns)}
    missing = [i for i in ids if i not in found]
    if missing:
        shown = ", ".join(map(str, missing[:20])) + (" ..." if len(missing) > 20 else "")
        raise NotFoundError(f"{len(missing)} result id(s) are not in the store: {shown}")
    return [found[i] for i in ids]


def result_arrays(store: Store, ids: Sequence[int], names: Sequence[str] = ("pred_test",),
                  encoding: str = "json") -> dict[str, Any]:
    """Predictions/probabilities/confusion matrices of many results, stacked per name.

    ``{"ids": [...], "arrays": {name: {"ids", "missing", "dtype", "shape", "data",
    "encoding"}}}``; row ``k`` of ``data`` belongs to ``ids[k]`` of that name, results
    without the array (failed, or no probabilities) are listed in ``missing``.
    """
    if encoding not in ENCODINGS:
        raise InvalidQueryError(f"unknown encoding {encoding!r}",
                                hint=f"use one of {', '.join(ENCODINGS)}")
    unknown = [n for n in names if n not in RESULT_ARRAYS]
    if unknown or not names:
        raise InvalidQueryError(f"unknown array name(s) {unknown}",
                                hint=f"use some of {', '.join(RESULT_ARRAYS)}")
    rows = existing(store, ids, ("id",))
    owners = {row["id"]: f"result:{row['id']}" for row in rows}
    stored = store.arrays_many(list(owners.values()), names)
    out: dict[str, Any] = {}
    for name in dict.fromkeys(names):
        present = [row["id"] for row in rows if name in stored[owners[row["id"]]]]
        arrays = [stored[owners[i]][name] for i in present]
        shapes = {a.shape for a in arrays}
        if len(shapes) > 1:
            raise InvalidQueryError(f"the results' {name} arrays have different shapes "
                                    f"{sorted(shapes)}", hint="ask for one job at a time")
        stacked = np.stack(arrays) if arrays else np.zeros((0,))
        out[name] = {"ids": present,
                     "missing": [row["id"] for row in rows if row["id"] not in present],
                     **encode_array(stacked, encoding)}
    return {"ids": [row["id"] for row in rows], "arrays": out}
