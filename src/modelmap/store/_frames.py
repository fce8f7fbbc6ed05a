"""The results table as a pandas DataFrame (one row per result).

Columns, in order: ``id, job, dataset, key, title, method, status, fold, parent_key``;
times as ``<name>_time`` (``fit_time``, ``predict_train_time``, ``predict_test_time``,
``total_time`` always, others after them); scores as ``<split>_<name>`` (splits ``test``,
``train``, ``test_std``, ``train_std`` first, e.g. ``test_accuracy``); arguments as
``param_<name>``; tags as ``tag_<name>``; then ``error, started_at, finished_at``.
Missing values are NaN/None; ``fold`` is a nullable integer column.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, select

from modelmap.store import _schema as s
from modelmap.store._codec import from_json

if TYPE_CHECKING:
    import pandas as pd

_BASE = ["id", "job", "dataset", "key", "title", "method", "status", "fold", "parent_key"]
_TAIL = ["error", "started_at", "finished_at"]
_TIMES = ["fit_time", "predict_train_time", "predict_test_time", "total_time"]
_SPLITS = ["test", "train", "test_std", "train_std"]


def _query(
    job_id: int | None,
    dataset: str | None,
    status: str | Iterable[str] | None,
    method: str | Iterable[str] | None,
    include_folds: bool,
) -> Select:
    r = s.results
    query = (
        select(
            r.c.id,
            s.jobs.c.title.label("job"),
            s.datasets.c.name.label("dataset"),
            r.c.key,
            r.c.title,
            r.c.method,
            r.c.status,
            r.c.fold,
            r.c.parent_key,
            r.c.times,
            r.c.scores,
            r.c.args,
            r.c.tags,
            r.c.error,
            r.c.started_at,
            r.c.finished_at,
        )
        .join(s.jobs, s.jobs.c.id == r.c.job_id)
        .outerjoin(s.datasets, s.datasets.c.id == s.jobs.c.dataset_id)
    )
    if job_id is not None:
        query = query.where(r.c.job_id == job_id)
    if dataset is not None:
        query = query.where(s.datasets.c.name == dataset)
    if status is not None:
        query = query.where(r.c.status.in_([status] if isinstance(status, str) else list(status)))
    if method is not None:
        query = query.where(r.c.method.in_([method] if isinstance(method, str) else list(method)))
    if not include_folds:
        query = query.where(r.c.fold.is_(None))
    return query.order_by(r.c.id)


def _flatten(row: Any) -> tuple[dict[str, Any], list[str], list[str], list[str]]:
    record = {name: getattr(row, name) for name in _BASE + _TAIL}
    times = []
    for name, value in (from_json(row.times) or {}).items():
        times.append(f"{name}_time")
        record[f"{name}_time"] = value
    scores = []
    for split, values in (from_json(row.scores) or {}).items():
        if isinstance(values, dict):
            for name, value in values.items():
                scores.append(f"{split}_{name}")
                record[f"{split}_{name}"] = value
        else:
            scores.append(split)
            record[split] = values
    params = []
    for name, value in (from_json(row.args) or {}).items():
        params.append(f"param_{name}")
        record[f"param_{name}"] = value
    for name, value in (from_json(row.tags) or {}).items():
        params.append(f"tag_{name}")
        record[f"tag_{name}"] = value
    return record, times, scores, params


def _score_order(column: str) -> int:
    matches = [split for split in _SPLITS if column.startswith(f"{split}_")]
    return _SPLITS.index(max(matches, key=len)) if matches else len(_SPLITS)


def results_frame(
    conn: Connection,
    *,
    job_id: int | None = None,
    dataset: str | None = None,
    status: str | Iterable[str] | None = None,
    method: str | Iterable[str] | None = None,
    include_folds: bool = False,
) -> pd.DataFrame:
    import pandas as pd  # here, not at import: a run that only writes never needs it

    rows = conn.execute(_query(job_id, dataset, status, method, include_folds)).all()
    records, times, scores, params = [], dict.fromkeys(_TIMES), {}, {}
    for row in rows:
        record, row_times, row_scores, row_params = _flatten(row)
        records.append(record)
        times.update(dict.fromkeys(row_times))
        scores.update(dict.fromkeys(row_scores))
        params.update(dict.fromkeys(row_params))
    ordered_scores = sorted(scores, key=_score_order)  # stable: keeps first-seen order
    columns = _BASE + list(times) + ordered_scores + list(params) + _TAIL
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["fold"] = frame["fold"].astype("Int64")
    return frame
