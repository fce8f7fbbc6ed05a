"""``cv_results_`` of ``StepSearchCV`` and its files (``save_location``: CSV and/or Excel).

One row per evaluated config with the seed's fields (see :mod:`~modelmap.tuning._history`)
plus GridSearchCV's: ``params`` and ``params_previous`` (both dicts of every parameter,
tuples kept), ``split<i>_test_score``, ``std_fit_time``, ``mean_score_time``,
``std_score_time`` and ``rank_test_score``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from modelmap.tuning._history import history_frame
from modelmap.tuning._search_prior import EXTRA_TIMES, StepSearchError
from modelmap.tuning._strategy import Trial

EXCEL = (".xlsx", ".xlsm")


def results_table(trials: Sequence[Trial], decisions: Mapping[int, Mapping[str, Any]],
                  sign: float, n_splits: int, full: Callable[[Mapping[str, Any]], dict]
                  ) -> pd.DataFrame:
    """The table; ``full(values)`` gives a config's parameters as the estimator gets them."""
    frame = history_frame(trials, decisions, "stepwise", 5, sign)
    frame["params"] = [full(t.candidate.values) for t in trials]
    frame["params_previous"] = [
        full(json.loads(text)) if isinstance(text, str) else params
        for text, params in zip(frame["params_previous"], frame["params"])]
    splits = max([n_splits, *(_split_count(t) for t in trials)])
    for i in range(splits):
        frame[f"split{i}_test_score"] = [t.scores.get(f"split{i}_test_score") for t in trials]
    for name in EXTRA_TIMES:
        frame[name] = [t.scores.get(name) for t in trials]
    ranks = pd.Series([sign * t.score if t.ok else -np.inf for t in trials])  # type: ignore
    frame["rank_test_score"] = ranks.rank(ascending=False, method="min").astype(int).values
    return frame


def _split_count(trial: Trial) -> int:
    return sum(1 for k in trial.scores if k.startswith("split"))


def save_locations(save_location: Any) -> list[str]:
    """The files to write: a path (``.xlsx``: Excel, else CSV) or a list of paths."""
    if save_location is None or save_location == "":
        return []
    items = list(save_location) if isinstance(save_location, (list, tuple)) else [
        save_location]
    paths = []
    for item in items:
        if not isinstance(item, (str, os.PathLike)):
            raise StepSearchError(f"expected a file path; got {item!r}", where="save_location",
                                  hint="e.g. 'cv_results.csv', 'cv_results.xlsx' or both "
                                  "as a list")
        paths.append(os.fspath(item))
    return paths


def save_table(frame: pd.DataFrame, paths: Sequence[str]) -> None:
    for path in paths:
        if path.lower().endswith(EXCEL):
            _write_excel(frame, path)
        else:
            frame.to_csv(path, index=False)


def _write_excel(frame: pd.DataFrame, path: str) -> None:
    """Dicts and lists become their text (an Excel cell holds one value)."""
    cells = frame.copy()
    for column in cells.columns:
        if cells[column].dtype == object:
            cells[column] = [str(v) if isinstance(v, (dict, list, tuple)) else v
                             for v in cells[column]]
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        cells.to_excel(writer, sheet_name="cv_results", index=False)
        sheet = writer.sheets["cv_results"]
        sheet.freeze_panes = "B2"
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column[:50])
            sheet.column_dimensions[column[0].column_letter].width = min(max(width, 8), 50)
