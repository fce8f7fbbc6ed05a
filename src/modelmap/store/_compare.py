"""One job's classifiers compared: the rows behind ``modelmap compare``, the API and
``Store.compare`` (statistics from :mod:`modelmap.compare`, inputs from the store)."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from modelmap.compare import RESAMPLES, check_alpha, compare_to_best, higher_is_better
from modelmap.store._compare_data import is_reference, load, stored_score

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("title", "score", "ci_low", "ci_high", "rank", "p_vs_best", "p_holm",
           "tied_with_best", "is_reference", "key")


def comparison(store: Any, job: int | str, score: str = "test_accuracy", alpha: float = 0.05,
               include_references: bool = False, resamples: int = RESAMPLES) -> dict[str, Any]:
    """Every classifier of ``job`` with an interval of ``score``, its rank, p-values against
    the best and whether it is tied with the best at ``alpha`` (see
    :func:`modelmap.queries.compare_job`, which caches this)."""
    alpha = check_alpha(alpha)
    data = load(store, job, score)
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
    return {
        "job": data.job["title"], "job_id": data.job["id"], "score": f"test_{data.score}",
        "alpha": alpha, "method": result.method, "test": result.test, "best": best,
        "higher_is_better": higher_is_better(data.score),
        "rows": shown + [u for u in unscored if include_references or not u["is_reference"]],
        "references": [r for r, c in zip(rows, contenders) if not c]
        + [u for u in unscored if u["is_reference"] and not include_references],
        "failed": data.failed, "unscored": unscored, "notes": notes,
        "n_tied": int(sum(r["tied_with_best"] for r in shown)),
    }


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


def compare_frame(store: Any, job: int | str, score: str, alpha: float,
                  include_references: bool) -> pd.DataFrame:
    """One row per classifier (contenders by rank, then the references); ``attrs`` hold
    the job, score, α, and the names of the interval method and of the test."""
    import pandas as pd

    out = comparison(store, job, score, alpha, include_references)
    rows = out["rows"] + out["references"]
    frame = pd.DataFrame([{c: row.get(c) for c in COLUMNS} for row in rows],
                         columns=list(COLUMNS))
    frame["rank"] = frame["rank"].astype("Int64")
    for column in ("score", "ci_low", "ci_high", "p_vs_best", "p_holm"):
        frame[column] = frame[column].astype("float64")
    frame.attrs.update({k: out[k] for k in ("job", "score", "alpha", "method", "test", "best",
                                            "notes")})
    return frame
