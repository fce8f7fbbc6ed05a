"""Deleting, exporting and measuring what the store holds (the API and `modelmap cache`)."""

from __future__ import annotations

import io
import json
import math
import os
from typing import Any

from modelmap.queries import _ids, _rows
from modelmap.queries._catalog import JobRef, find_job, list_jobs
from modelmap.queries._errors import InvalidQueryError, NotFoundError
from modelmap.queries._json import clean
from modelmap.store import Store

EXPORT_FORMATS = ("csv", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def delete_result(store: Store, result_id: int) -> dict[str, int]:
    """Delete a result with its per-fold results and arrays; return the counts."""
    _ids.row_id(result_id, "result")
    if store.result_rows(ids=[result_id]) == []:
        raise NotFoundError(f"no result with id {result_id} in the store")
    counts = store.delete_result(result_id)
    _rows.forget(store)
    return counts


def delete_job(store: Store, ref: JobRef) -> dict[str, int]:
    """Delete a job with its results, projections and arrays."""
    job = find_job(store, ref)
    counts = store.delete_job(job["id"])
    _rows.forget(store)
    return counts


def delete_dataset(store: Store, name: str) -> dict[str, int]:
    """Delete a dataset with every job and everything under them."""
    list_jobs(store, dataset=name)  # checks the name and that it exists
    counts = store.delete_dataset(name)
    _rows.forget(store)
    return counts


def delete_failed(store: Store, job: JobRef | None = None) -> dict[str, int]:
    """Delete results that failed or timed out (of one job, or of every job)."""
    job_id = None if job is None else find_job(store, job)["id"]
    counts = store.delete_failed(job_id)
    _rows.forget(store)
    return counts


def delete_maps(store: Store) -> dict[str, int]:
    """Empty the classifier-map cache."""
    return store.delete_maps()


def vacuum(store: Store) -> dict[str, int]:
    """Delete orphaned arrays and give free space back to the file system."""
    return store.vacuum()


def export_store(store: Store, path: str | os.PathLike[str]) -> None:
    """Write a single-file SQLite copy of the store (every committed result) to ``path``."""
    store.export(path)


def sizes(store: Store) -> list[dict[str, Any]]:
    """Bytes by dataset, job and kind (see :meth:`Store.sizes <modelmap.store.Store.sizes>`)."""
    return clean(store.sizes())


def _cell(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, dict, tuple)):
        return json.dumps(clean(value), ensure_ascii=False)
    if hasattr(value, "item") and not isinstance(value, str):
        return _cell(value.item())
    if value is not None and not isinstance(value, (str, int, float, bool)):
        return None if str(value) in ("<NA>", "NaT") else str(value)
    return value


def export_frame(store: Store, job: JobRef) -> Any:
    """The job's results as a pandas DataFrame (the columns of ``Store.results``)."""
    found = find_job(store, job)
    return store.results(found["id"], include_folds=True)


def export_results(store: Store, job: JobRef, fmt: str) -> bytes:
    """The job's results as CSV (UTF-8) or Excel (.xlsx) bytes.

    Text cells that a spreadsheet would run as a formula (``= + - @``, tab, CR) are
    written as text: in CSV with a leading ``'``, in Excel as string cells.
    """
    if fmt not in EXPORT_FORMATS:
        raise InvalidQueryError(f"unknown export format {fmt!r}",
                                hint=f"use one of {', '.join(EXPORT_FORMATS)}")
    frame = export_frame(store, job)
    columns = [str(c) for c in frame.columns]
    rows = [[_cell(v) for v in record] for record in frame.itertuples(index=False, name=None)]
    if fmt == "csv":
        return _csv(columns, rows)
    return _xlsx(columns, rows)


def _csv(columns: list[str], rows: list[list[Any]]) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; a CR in a cell is quoted
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
                         for v in row])
    return buffer.getvalue().encode("utf-8")


def _xlsx(columns: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("results")
    sheet.append(columns)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tree(store: Store) -> list[dict[str, Any]]:
    """Datasets → jobs → results with size in bytes, key, status and times (for ``ls``)."""
    sizes_by_result = store.result_sizes()
    job_bytes: dict[str, int] = {}
    for entry in store.sizes():
        if entry["job"] is not None:
            job_bytes[entry["job"]] = job_bytes.get(entry["job"], 0) + entry["bytes"]
    datasets = {d["id"]: {"name": d["name"], "created_at": d["created_at"], "jobs": []}
                for d in store.datasets()}
    orphans = {"name": None, "created_at": None, "jobs": []}
    for job in store.jobs():
        results = [
            {"id": row["id"], "key": row["key"], "title": row["title"],
             "method": row["method"], "status": row["status"], "fold": row["fold"],
             "bytes": sizes_by_result.get(row["id"], 0), "finished_at": row["finished_at"],
             "error": _rows.item(row)["error"]}
            for row in store.result_rows(job["id"])
        ]
        entry = {"id": job["id"], "title": job["title"], "updated_at": job["updated_at"],
                 "counts": job["counts"], "bytes": job_bytes.get(job["title"], 0),
                 "results": results}
        datasets.get(job["dataset_id"], orphans)["jobs"].append(entry)
    out = list(datasets.values()) + ([orphans] if orphans["jobs"] else [])
    for data in out:
        data["bytes"] = sum(j["bytes"] for j in data["jobs"])
    return clean(out)
