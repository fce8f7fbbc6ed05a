"""The history table of a tuning run: one row per evaluated candidate, the seed's fields.

Columns: ``iteration, strategy, round`` (or ``step``), ``title, status, improved,
score_improved_by, score_improvement_anticipated, time_improved_by, changes,
params_previous, params``, the validation score (``mean_test_score``,
``std_test_score``), ``mean_fit_time``, ``seconds``, the running ``best_score`` and
``top_mean_score`` (mean of the current top list), cumulative fit and wall time, the
anticipated score and fit time (stepwise), and one ``param_<name>`` column per tuned
parameter.  ``mean_test_score`` is measured on validation folds inside the training data,
under the name scikit-learn's ``cv_results_`` uses.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from modelmap.tuning._strategy import Trial, describe_changes


def top_list(trials: Sequence[Trial], keep: int, sign: float) -> list[Trial]:
    """The best ``keep`` successful trials (earlier first among equals)."""
    ok = [t for t in trials if t.ok]
    return sorted(ok, key=lambda t: -sign * t.score)[:keep]  # type: ignore[operator]


def history_frame(trials: Sequence[Trial], decisions: Mapping[int, Mapping[str, Any]],
                  strategy: str, keep: int, sign: float) -> pd.DataFrame:
    rows = []
    best: Trial | None = None
    fit_total = wall_total = 0.0
    position = "round" if strategy == "evolutionary" else "step"
    for index, trial in enumerate(trials):
        decision = decisions.get(trial.number, {})
        previous = dict(trial.candidate.parent) if trial.candidate.parent is not None else (
            dict(best.candidate.values) if best is not None else None)
        row = _base_row(trial, strategy, position, decision, best, previous, sign)
        if trial.ok and (best is None or sign * trial.score > sign * best.score):  # type: ignore
            best = trial
        fit_total += (trial.fit_time or 0.0)
        wall_total += trial.seconds
        top = top_list(trials[: index + 1], keep, sign)
        row.update(best_score=best.score if best else None,
                   top_mean_score=(sum(t.score for t in top) / len(top)) if top else None,
                   cumulative_fit_time=fit_total, cumulative_seconds=wall_total)
        if trial.candidate.rung is not None:  # halving, hyperband
            row.update(rung=trial.candidate.rung, fidelity=trial.candidate.fidelity,
                       bracket=trial.candidate.bracket)
        for name, value in trial.candidate.values.items():
            row[f"param_{name}"] = _cell(value)
        rows.append(row)
    return pd.DataFrame(rows)


def _base_row(trial: Trial, strategy: str, position: str, decision: Mapping[str, Any],
              best: Trial | None, previous: dict | None, sign: float) -> dict[str, Any]:
    anticipated = trial.candidate.anticipated or {}
    score_by = decision.get("score_improved_by")
    time_by = decision.get("time_improved_by")
    if score_by is None and trial.ok and best is not None:
        score_by = sign * (trial.score - best.score)  # type: ignore[operator]
    if time_by is None and trial.fit_time is not None and best is not None \
            and best.fit_time is not None:
        time_by = best.fit_time - trial.fit_time
    changes = trial.candidate.changes or (
        describe_changes(previous, trial.candidate.values) if previous else "initial values")
    return {
        "iteration": trial.number,
        "strategy": strategy,
        position: trial.candidate.round,
        "title": trial.title,
        "status": trial.status,
        "improved": bool(decision.get("improved", False)),
        "score_improved_by": _finite(score_by),
        "score_improvement_anticipated": _finite(decision.get("score_improvement_anticipated")),
        "time_improved_by": _finite(time_by),
        "changes": changes,
        "params_previous": _cell(previous) if previous is not None else None,
        "params": _cell(dict(trial.candidate.values)),
        "mean_test_score": trial.score,
        "std_test_score": trial.score_std,
        "mean_fit_time": trial.fit_time,
        "seconds": trial.seconds,
        "anticipated_score": _finite(anticipated.get("score")),
        "anticipated_fit_time": _finite(anticipated.get("fit_time")),
        "origin": trial.candidate.origin,
        "reused": trial.reused,
        "key": trial.key,
        "error": trial.error,
    }


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _cell(value: Any) -> Any:
    """Lists and dicts as JSON text, so CSV and Excel cells hold them."""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_tables(frame: pd.DataFrame, stem: str) -> dict[str, str]:
    """``<stem>.history.csv`` and ``<stem>.history.xlsx``; returns the paths."""
    csv, xlsx = f"{stem}.history.csv", f"{stem}.history.xlsx"
    frame.to_csv(csv, index=False)
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="history", index=False)
        sheet = writer.sheets["history"]
        sheet.freeze_panes = "B2"
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column[:50])
            sheet.column_dimensions[column[0].column_letter].width = min(max(width, 8), 50)
    return {"history_csv": csv, "history_xlsx": xlsx}
