"""Honest comparisons of stored results: intervals, tied-with-best, pairwise, across jobs.

The statistics are :mod:`modelmap.compare`'s; these functions read the store, call them
and return strict JSON.  Answers are remembered, keyed by their inputs and by the
results version of the jobs involved, so asking again costs one cheap query per job.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from modelmap.compare import RESAMPLES, check_alpha
from modelmap.errors import DataError
from modelmap.queries._catalog import JobRef, find_job
from modelmap.queries._errors import InvalidQueryError
from modelmap.queries._json import clean
from modelmap.store import Store, comparison


class Memo:
    """A small thread-safe LRU of computed answers, keyed by inputs + results versions."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._data: OrderedDict[tuple, Any] = OrderedDict()

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """A copy of the remembered answer (callers may change theirs), else ``compute()``."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return copy.deepcopy(self._data[key])
        value = compute()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return copy.deepcopy(value)


def versions(store: Store, job_ids: Sequence[int]) -> tuple:
    return tuple(store.results_version(job_id) for job_id in job_ids)


_MEMO = Memo()
MAX_RESAMPLES = 20_000


def _checked(alpha: float, resamples: int) -> float:
    try:
        alpha = check_alpha(alpha)
    except DataError as exc:
        raise InvalidQueryError(exc.message, hint=exc.hint) from None
    if not 100 <= resamples <= MAX_RESAMPLES:
        raise InvalidQueryError(f"resamples must be in [100, {MAX_RESAMPLES}]; got {resamples}")
    return alpha


def compare_job(store: Store, job: JobRef, *, score: str = "test_accuracy",
                alpha: float = 0.05, include_references: bool = False,
                resamples: int = RESAMPLES) -> dict[str, Any]:
    """Every classifier of ``job`` with an interval of ``score``, its rank, and whether it
    is tied with the best (Holm-adjusted p-value against the best at least ``alpha``).

    ``{"job", "job_id", "score", "alpha", "method", "test", "best", "rows", "references",
    "failed", "unscored", "notes"}``; rows sorted by rank.  The reference classifiers
    (``optimal``/``naive``) are listed under ``references`` and left out of the best and
    the tests unless ``include_references``.
    """
    alpha = _checked(alpha, resamples)
    row = find_job(store, job)
    key = ("job", store.url, row["id"], score, alpha, bool(include_references), resamples,
           versions(store, [row["id"]]))
    return _MEMO.get(key, lambda: _compute(store, row["id"], score, alpha,
                                           include_references, resamples))


def _compute(store: Store, job_id: int, score: str, alpha: float, include_references: bool,
             resamples: int) -> dict[str, Any]:
    try:
        return clean(comparison(store, job_id, score, alpha, include_references, resamples))
    except DataError as exc:
        raise InvalidQueryError(exc.message, hint=exc.hint) from None


def best_line(store: Store, job: JobRef, alpha: float = 0.05) -> str | None:
    """One line for the end of ``modelmap run``: the best classifier of ``job`` on test
    accuracy, its interval, and how many others are tied with it; ``None`` when there is
    nothing to compare."""
    try:
        out = compare_job(store, job, alpha=alpha)
    except (InvalidQueryError, DataError):
        return None
    best = next((r for r in out["rows"] if r["title"] == out["best"]), None)
    if best is None or best["score"] is None:
        return None
    others = out["n_tied"] - 1
    interval = ("" if best["ci_low"] is None
                else f" [{best['ci_low']:.2f}, {best['ci_high']:.2f}]")
    noun = "classifier" if others == 1 else "classifiers"
    return (f"{best['title']} {best['score']:.3f}{interval}; {others} {noun} tied with it at "
            f"α={out['alpha']:g} ({_short(out['test'])})")


def _short(test: str) -> str:
    return test.replace(" vs the best", "").replace("-adjusted", "")
