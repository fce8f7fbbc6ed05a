"""Server info, datasets, jobs and data projections."""

from __future__ import annotations

from typing import Any

import numpy as np

from modelmap.queries import _ids
from modelmap.queries._errors import NotFoundError
from modelmap.queries._json import ENCODINGS, clean, encode_array
from modelmap.store import Store

JobRef = int | str


def server_info(registry: Any) -> dict[str, Any]:
    """Plugins (datasets, classifiers, data projections) and map options, as the Help shows.

    Parameters carry their type, range and default; server-side paths are left out.
    """
    import modelmap
    from modelmap.projection import projection_entry
    from modelmap.projection import MAP_METRICS, MAP_PROJECTIONS, MAP_VALUES

    spec = registry.spec()
    for kind in ("datasets", "classifiers", "projections"):
        for entry in spec[kind]:
            entry.pop("path", None)
    return clean({
        "version": modelmap.__version__,
        "datasets": spec["datasets"],
        "classifiers": spec["classifiers"],
        "projections": spec["projections"],
        "maps": {
            "values": list(MAP_VALUES),
            "metrics": list(MAP_METRICS),
            "projections": [projection_entry(info) for info in MAP_PROJECTIONS.values()],
        },
        "problems": [{k: p[k] for k in ("kind", "name", "error")} for p in spec["problems"]],
    })


def _summary(dataset: dict[str, Any] | None) -> dict[str, Any]:
    summary = (dataset or {}).get("summary") or {}
    keys = ("class_names", "n_classes", "n_features", "n_train", "n_test", "train_counts",
            "test_counts", "mode", "n_folds", "multilabel", "scale")
    return {k: summary.get(k) for k in keys}


def list_datasets(store: Store) -> list[dict[str, Any]]:
    """Datasets with their classes, sample counts, job count and result counts by status."""
    jobs = store.jobs()
    out = []
    for data in store.datasets():
        counts: dict[str, int] = {}
        for job in jobs:
            if job["dataset_id"] == data["id"]:
                for status, n in job["counts"].items():
                    counts[status] = counts.get(status, 0) + n
        out.append(clean({"id": data["id"], "name": data["name"],
                          "fingerprint": data["fingerprint"], "created_at": data["created_at"],
                          "n_jobs": data["n_jobs"], "counts": counts,
                          "n_results": sum(counts.values()), **_summary(data)}))
    return out


def _job_entry(job: dict[str, Any], datasets: dict[int, dict[str, Any]]) -> dict[str, Any]:
    config = job.get("config") or {}
    return clean({
        "id": job["id"], "title": job["title"], "dataset": job["dataset"],
        "dataset_id": job["dataset_id"], "created_at": job["created_at"],
        "updated_at": job["updated_at"], "counts": job["counts"], "n_results": job["n_results"],
        "n_classifiers": len(config.get("classifiers") or []),
        "projections": [p.get("title") for p in config.get("projections") or []],
        **_summary(datasets.get(job["dataset_id"])),
    })


def list_jobs(store: Store, dataset: str | None = None) -> list[dict[str, Any]]:
    """Jobs (of one dataset, or all) with classes, sample counts and counts by status."""
    if dataset is not None:
        _ids.dataset_name(dataset)
    datasets = {d["id"]: d for d in store.datasets()}
    if dataset is not None and not any(d["name"] == dataset for d in datasets.values()):
        raise NotFoundError(f"no dataset '{dataset}' in the store",
                            hint="list the datasets with GET /api/datasets")
    return [_job_entry(job, datasets) for job in store.jobs()
            if dataset is None or job["dataset"] == dataset]


def find_job(store: Store, ref: JobRef) -> dict[str, Any]:
    """The stored job row (id or title), or :class:`NotFoundError`."""
    if isinstance(ref, int):
        _ids.row_id(ref, "job")
    job = store.job(ref)
    if job is None:
        hint = "list the jobs with GET /api/jobs (or `modelmap cache ls`)"
        if isinstance(ref, str):
            import difflib

            close = difflib.get_close_matches(ref, [j["title"] for j in store.jobs()], n=3)
            if close:
                hint = f"did you mean {', '.join(repr(t) for t in close)}? " + hint
        raise NotFoundError(f"no job {ref!r} in the store", hint=hint)
    return job


def get_job(store: Store, ref: JobRef) -> dict[str, Any]:
    """One job in full: the listing entry plus its expanded ``config`` and ``file``."""
    job = find_job(store, ref)
    datasets = {d["id"]: d for d in store.datasets()}
    return {**_job_entry(job, datasets), "file": job["file"], "data_key": job["data_key"],
            "config": clean(job["config"])}


def job_labels(store: Store, ref: JobRef) -> tuple[np.ndarray, np.ndarray]:
    """``(y_train, y_test)`` of the job's prepared data: class indices (rows of 0/1 for
    multi-label); empty arrays if the job stored none."""
    job = find_job(store, ref)
    arrays = store.arrays(f"job:{job['id']}", ["y_train", "y_test"])
    empty = np.zeros(0, dtype=np.int64)
    return arrays.get("y_train", empty), arrays.get("y_test", empty)


def data_projections(store: Store, ref: JobRef, encoding: str = "json") -> dict[str, Any]:
    """The job's data projections with the label of every point.

    Points are the training samples followed by the test samples (``n_train`` first);
    ``labels`` are the class indices in the same order (rows of 0/1 for multi-label).
    """
    if encoding not in ENCODINGS:
        raise _bad_encoding(encoding)
    job = find_job(store, ref)
    y_train, y_test = job_labels(store, job["id"])
    labels = np.concatenate([y_train, y_test]) if len(y_test) else y_train
    summary = _summary({d["id"]: d for d in store.datasets()}.get(job["dataset_id"]))
    return {
        "job_id": job["id"], "job": job["title"], "dataset": job["dataset"],
        "class_names": summary["class_names"], "n_train": int(len(y_train)),
        "n_test": int(len(y_test)), "labels": encode_array(labels, encoding),
        "projections": [
            {"id": p["id"], "key": p["key"], "title": p["title"], "method": p["method"],
             "args": clean(p["args"]), "points": encode_array(p["points"], encoding)}
            for p in store.projections(job["id"]) if p["points"] is not None
        ],
    }


def dataset_projections(store: Store, name: str, encoding: str = "json") -> list[dict[str, Any]]:
    """:func:`data_projections` of every job of the dataset ``name``."""
    jobs = list_jobs(store, dataset=name)
    return [data_projections(store, job["id"], encoding) for job in jobs]


def _bad_encoding(encoding: str) -> Exception:
    from modelmap.queries._errors import InvalidQueryError

    return InvalidQueryError(f"unknown encoding {encoding!r}",
                             hint=f"use one of {', '.join(ENCODINGS)}")
