"""Honest comparisons of stored results: intervals, tied-with-best, pairwise, across jobs.

The statistics are :mod:`modelmap.compare`'s; these functions read the store, call them
and return strict JSON.  Answers are remembered, keyed by their inputs and by the
results version of the jobs involved, so asking again costs one cheap query per job.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from modelmap.compare import RESAMPLES, check_alpha, compare_to_best, higher_is_better
from modelmap.errors import DataError
from modelmap.server.queries._catalog import JobRef, find_job
from modelmap.server.queries._compare_data import (Memo, is_reference, load,
                                                   stored_score, versions)
from modelmap.server.queries._errors import InvalidQueryError
from modelmap.server.queries._json import clean
from modelmap.store import Store

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
        data = load(store, job_id, score)
    except DataError as exc:
        raise InvalidQueryError(exc.message, hint=exc.hint) from None
    refs = np.array([is_reference(r) for r in data.rows], dtype=bool)
    contenders = np.ones(len(refs), bool) if include_references else ~refs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = compare_to_best(data.truth, data.pred, data.proba, score, alpha, contenders,
                                 resamples)
    rows = [_row(r, result, j) for j, r in enumerate(data.rows)]
    shown = [r for r, c in zip(rows, contenders) if c]
    best = None if result.best is None else data.rows[result.best]["title"]
    shown.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["title"] != best,
                              r["title"]))
    unscored = [_unscored(r, data.score) for r in data.unscored]
    notes = _notes(data, result, best, shown, unscored, include_references)
    return clean({
        "job": data.job["title"], "job_id": data.job["id"], "score": f"test_{data.score}",
        "alpha": alpha, "method": result.method, "test": result.test, "best": best,
        "higher_is_better": higher_is_better(data.score),
        "rows": shown + [u for u in unscored if include_references or not u["is_reference"]],
        "references": [r for r, c in zip(rows, contenders) if not c]
        + [u for u in unscored if u["is_reference"] and not include_references],
        "failed": data.failed, "unscored": unscored, "notes": notes,
        "n_tied": int(sum(r["tied_with_best"] for r in shown)),
    })


def _number(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _row(row: dict[str, Any], result, j: int) -> dict[str, Any]:
    return {"key": row["key"], "title": row["title"], "method_name": row["method"],
            "score": _number(result.values[j]), "ci_low": _number(result.low[j]),
            "ci_high": _number(result.high[j]),
            "rank": None if not np.isfinite(result.rank[j]) else int(result.rank[j]),
            "p_vs_best": _number(result.p[j]), "p_holm": _number(result.p_holm[j]),
            "tied_with_best": bool(result.tied[j]), "is_reference": is_reference(row)}


def _unscored(row: dict[str, Any], name: str) -> dict[str, Any]:
    return {"key": row["key"], "title": row["title"], "method_name": row["method"],
            "score": stored_score(row, name), "ci_low": None, "ci_high": None, "rank": None,
            "p_vs_best": None, "p_holm": None, "tied_with_best": False,
            "is_reference": is_reference(row), "reason": row["reason"]}


def _notes(data, result, best, shown, unscored, include_references) -> list[str]:
    notes = []
    if data.mode == "cv_test":
        notes.append("cross validation over the test set only (one model per classifier): "
                     "the pooled test predictions are compared")
    if best is None:
        notes.append("no classifier has test predictions to compare")
    elif len(shown) == 1:
        notes.append("only one classifier to compare: nothing to test it against")
    if unscored:
        notes.append(f"{len(unscored)} classifier(s) have no interval or test: "
                     + "; ".join(f"{u['title']} ({u['reason']})" for u in unscored[:5]))
    flat = [r for r in shown if r["ci_low"] is not None and r["ci_low"] == r["ci_high"]]
    if flat and result.method.startswith("paired bootstrap"):
        notes.append(f"{len(flat)} classifier(s) have a zero-width bootstrap interval (the same "
                     "score on every resample, e.g. every test sample right): the bootstrap "
                     "cannot show their uncertainty; the Wilson interval of test_accuracy can")
    if data.failed:
        notes.append(f"{len(data.failed)} failed classifier(s) are listed apart")
    if not include_references and any(is_reference(r) for r in data.rows):
        notes.append("reference classifiers (optimal, naive) are shown apart and not tested")
    alpha = result.alpha
    notes.append(f"tied with the best: Holm-adjusted p >= {alpha:g}, i.e. not distinguishable "
                 f"from the best at α={alpha:g} (not the same as equal)")
    return notes


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
