"""What the views read, through the query layer (:mod:`modelmap.queries`), in process.

:class:`UIData` wraps a :class:`~modelmap.store.Store`: jobs, the flat result table of a
job (cached while the store's results fingerprint stays the same), selections (filter
and sort done by ``queries.list_results``), labels, predictions, histories and the
plugin spec for Help.  Histories are read per result (the store has no bulk read for
them yet) and cached by result id and finish time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from modelmap import queries
from modelmap.store import Store

BASE_FIELDS = ("title", "method", "status", "fold")
SPLIT_ORDER = ("test", "train", "test_std", "train_std")
MAX_HISTORIES = 400


#: Characters in seed-style titles that (nearly) no installed font draws, and what the app
#: shows instead: U+1F7CA (🟊, "🟊 Optimal") is in no emoji font and became a box; U+24C3
#: (Ⓝ, "Ⓝ Naive") is missing from DejaVu and Noto Color Emoji.  ★ (U+2605) is in DejaVu
#: Sans, which every Chromium install has.  The store keeps the titles as written.
GLYPHS = str.maketrans({"\U0001F7CA": "\u2605", "\u24C3": "(N)"})


def readable(title: Any) -> Any:
    """``title`` with the characters of :data:`GLYPHS` replaced (for display)."""
    return title.translate(GLYPHS) if isinstance(title, str) else title


def flatten(item: dict[str, Any]) -> dict[str, Any]:
    """Field name → value: the names of ``Store.results`` columns (``test_accuracy``,
    ``fit_time``, ``param_C``, ``tag_round``) plus ``id``, title, method, status, fold."""
    flat = {"id": item["id"], "finished_at": item.get("finished_at"),
            **{name: item.get(name) for name in BASE_FIELDS}}
    flat["title"] = readable(flat["title"])
    for split, values in (item.get("scores") or {}).items():
        if isinstance(values, dict):
            for name, value in values.items():
                flat[f"{split}_{name}"] = value
    for name, value in (item.get("times") or {}).items():
        flat[f"{name}_time"] = value
    for name, value in (item.get("args") or {}).items():
        flat[f"param_{name}"] = value
    for name, value in (item.get("tags") or {}).items():
        flat[f"tag_{name}"] = value
    return flat


@dataclass(frozen=True)
class Fields:
    """The field names a job's results have, by kind, in display order."""

    scores: list[str]
    times: list[str]
    params: list[str]

    @property
    def numeric(self) -> list[str]:
        return self.scores + self.times

    @property
    def all(self) -> list[str]:
        return self.scores + self.times + self.params + ["method", "status"]


def _score_rank(name: str) -> tuple[int, str]:
    for rank, split in sorted(enumerate(SPLIT_ORDER), key=lambda p: -len(p[1])):
        if name.startswith(f"{split}_"):
            metric = name[len(split) + 1:]
            first = ("accuracy", "balanced_accuracy", "f1_macro")
            return (rank * 100 + (first.index(metric) if metric in first else 50), name)
    return (900, name)


def fields_of(flat: Iterable[dict[str, Any]]) -> Fields:
    names: dict[str, None] = {}
    for record in flat:
        names.update(dict.fromkeys(record))
    times = [n for n in names if n.endswith("_time")]
    params = sorted(n for n in names if n.startswith(("param_", "tag_")))
    base = set(BASE_FIELDS) | {"id", "finished_at"}
    scores = sorted((n for n in names if n not in base and n not in times and n not in params),
                    key=_score_rank)
    return Fields(scores=scores, times=times, params=params)


# Methods whose results are references (a perfect and a majority-class prediction), not
# contenders: never "best", never on a Pareto front, not counted among hard samples. One list
# for the app and the comparisons (the app had its own, which also named naive_multi_label).
REFERENCE_METHODS = queries.REFERENCE_METHODS
is_reference = queries.is_reference


def label(field_name: str) -> str:
    """A readable axis label: ``test_accuracy`` → ``test accuracy``, ``param_C`` → ``C``."""
    for prefix in ("param_", "tag_"):
        if field_name.startswith(prefix):
            return field_name[len(prefix):]
    return field_name.replace("_", " ")


@dataclass
class Table:
    """Every result of a job: listing items and their flat records, by id."""

    job: dict[str, Any]
    version: tuple
    items: list[dict[str, Any]]
    flat: dict[int, dict[str, Any]] = field(default_factory=dict)
    fields: Fields = field(default_factory=lambda: Fields([], [], []))

    def rows(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """Flat records of ``ids`` (in that order; unknown ids are skipped)."""
        return [self.flat[i] for i in ids if i in self.flat]

    def base_rows(self) -> list[dict[str, Any]]:
        """Flat records of every result that is not a per-fold one (what colours cover)."""
        return [self.flat[item["id"]] for item in self.items if item.get("fold") is None]

    def item(self, result_id: int) -> dict[str, Any] | None:
        return self._items.get(result_id)

    def __post_init__(self) -> None:
        self._items = {item["id"]: item for item in self.items}
        self.flat = {item["id"]: flatten(item) for item in self.items}
        self.fields = fields_of(self.flat.values())


class UIData:
    """The web app's reads of one store (thread-safe; Dash serves callbacks in threads)."""

    def __init__(self, store: Store, workspace: str | Path | None = None, *,
                 keep_maps: bool = True) -> None:
        self.store = store
        self.keep_maps = keep_maps  # False: maps are computed, not stored (see mount)
        self.workspace = Path(workspace) if workspace is not None else None
        self._lock = threading.Lock()
        self._building: dict[tuple, threading.Lock] = {}  # one build per job at a time
        self._tables: OrderedDict[tuple, Table] = OrderedDict()
        self._histories: OrderedDict[tuple, Any] = OrderedDict()
        self._info: dict[str, Any] | None = None

    # -- jobs --------------------------------------------------------------------------
    def jobs(self) -> list[dict[str, Any]]:
        """Every job (newest first) with classes, sample counts and counts by status."""
        return sorted(queries.list_jobs(self.store), key=lambda j: -(j["updated_at"] or 0))

    def version(self, job_id: int) -> tuple:
        """Changes whenever a result of the job is written or deleted."""
        return tuple(queries.listing_version(self.store, job=job_id))

    def table(self, job_id: int, include_folds: bool = True) -> Table:
        """All results of the job (cached until a result is written or deleted).

        The views' callbacks ask for it at once when a job opens; one of them builds it
        and the others wait for that (building 10,000 results takes seconds, and a dozen
        concurrent builds made opening a large job take ten times as long)."""
        key = (job_id, include_folds)
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            return self._table(job_id, include_folds, key)

    def _table(self, job_id: int, include_folds: bool, key: tuple) -> Table:
        version = self.version(job_id)
        with self._lock:
            cached = self._tables.get(key)
            if cached is not None and cached.version == version:
                return cached
        job = queries.get_job(self.store, job_id)
        items = self._all(job=job_id, include_folds=include_folds)
        fresh = Table(job=job, version=version, items=items)
        with self._lock:
            self._tables[key] = fresh
            while len(self._tables) > 8:
                self._tables.popitem(last=False)
        return fresh

    def _all(self, **query: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            page = queries.list_results(self.store, offset=len(items),
                                        limit=queries.MAX_LIMIT, **query)
            items.extend(page["items"])
            if len(items) >= page["total"] or not page["items"]:
                return items

    def select(self, job_id: int, *, methods: Sequence[str] | None, statuses: Sequence[str],
               filters: Sequence[str], q: str | None, sort: str | None,
               include_folds: bool) -> list[int]:
        """Ids of the results that pass the filters, in the sort order (query layer).

        ``q`` (Filter's "title contains") matches the title as stored or as shown
        (:func:`readable`: "★ Optimal" and "🟊 Optimal" both find the seed's optimal)."""
        items = self._all(job=job_id, method=list(methods) if methods is not None else None,
                          status=list(statuses), filters=list(filters), sort=sort,
                          include_folds=include_folds)
        needle = q.lower() if q else None
        return [item["id"] for item in items if needle is None
                or needle in item["title"].lower() or needle in readable(item["title"]).lower()]

    # -- arrays ------------------------------------------------------------------------
    def labels(self, job_id: int) -> tuple[np.ndarray, np.ndarray]:
        """``(y_train, y_test)`` of the job's prepared data (empty arrays if unknown)."""
        return queries.job_labels(self.store, job_id)

    def predictions(self, ids: Sequence[int], name: str = "pred_test") -> tuple[list[int], Any]:
        """``(ids that have it, stacked array)`` of one array name of many results."""
        if not ids:
            return [], np.zeros((0,))
        answer = queries.result_arrays(self.store, list(ids), [name])["arrays"][name]
        return answer["ids"], np.asarray(answer["data"])

    def result(self, result_id: int) -> dict[str, Any]:
        """One result in full (confusion matrices, history, error, log)."""
        return queries.get_result(self.store, result_id)

    def histories(self, rows: Sequence[dict[str, Any]]) -> dict[int, dict[str, list]]:
        """Training histories of the first :data:`MAX_HISTORIES` ``rows`` that have one."""
        wanted = [row for row in rows[:MAX_HISTORIES] if row.get("status") == "ok"]
        keys = {row["id"]: (self.store.url, row["id"], row.get("finished_at")) for row in wanted}
        with self._lock:
            known = {i: self._histories[k] for i, k in keys.items() if k in self._histories}
        missing = [i for i in keys if i not in known]
        if missing:
            read = queries.result_histories(self.store, missing)
            with self._lock:
                for result_id in missing:
                    self._histories[keys[result_id]] = known[result_id] = read.get(result_id)
                while len(self._histories) > 20_000:
                    self._histories.popitem(last=False)
        return {i: known[i] for i in keys if known[i]}

    def projections(self, job_id: int) -> dict[str, Any]:
        return queries.data_projections(self.store, job_id)

    def classifier_map(self, ids: Sequence[int], **options: Any) -> dict[str, Any]:
        return queries.classifier_map(self.store, list(ids), distances=False,
                                      keep=self.keep_maps, **options)

    # -- plugins -----------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        """Plugins and projections with parameters and default configs (for Help)."""
        if self._info is None:
            from modelmap.plugins import Registry

            self._info = queries.server_info(Registry.discover(self.workspace))
        return self._info
