"""``prior_results`` of ``StepSearchCV``: the rows of an earlier search to continue from.

Accepted: a fitted ``StepSearchCV``; its ``cv_results_`` (a DataFrame, or the CSV/Excel
file ``save_location`` wrote); and AutoTune's own results — its ``results`` dict of
arrays, the DataFrame made from it, or its ``cv_results.csv``.  Columns read:
``params`` (a dict, or its Python text as in a CSV), else ``param_<name>``;
``mean_test_score``, ``std_test_score``, ``mean_fit_time``, ``split<i>_test_score``,
``std_fit_time``, ``mean_score_time``, ``std_score_time``, ``improved``, ``changes``,
``params_previous``, ``status`` and ``seconds`` where present.

The rows keep their ``improved`` flags as they were, and the search continues from the
last row flagged ``improved`` (AutoTune's ``parameters_best``), or from the best score
when no row is flagged.
"""

from __future__ import annotations

import ast
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from modelmap.errors import ModelmapError
from modelmap.tuning._strategy import Candidate, Trial

EXTRA_TIMES = ("std_fit_time", "mean_score_time", "std_score_time")


class StepSearchError(ModelmapError, ValueError):
    """A ``StepSearchCV`` argument that cannot be used (what, where, how to fix)."""


@dataclass
class Prior:
    """Rows of an earlier search: trials (numbered 1..n), flags, where to continue."""

    trials: list[Trial] = field(default_factory=list)
    improved: dict[int, bool] = field(default_factory=dict)  # trial number -> flag
    current: int | None = None  # the number of the trial to continue from
    params: dict[str, Any] | None = None  # full parameters of that trial
    steps: int = 0  # steps the prior search made (AutoTune's ``step``)


def read_prior(prior: Any, sign: float) -> Prior:
    """``prior_results`` as a :class:`Prior` (empty for None)."""
    if prior is None:
        return Prior()
    if hasattr(prior, "trials_") and hasattr(prior, "cv_results_"):
        return _from_frame(prior.cv_results_, sign)
    if hasattr(prior, "trials_") or hasattr(prior, "parameters_start"):
        raise StepSearchError("the StepSearchCV given as prior_results is not fitted",
                              where="prior_results", hint="fit it first, or pass its "
                              "cv_results_ / the CSV its save_location wrote")
    if isinstance(getattr(prior, "results", None), Mapping):  # an AutoTune StepSearchCV
        return _from_frame(_frame_from_dict(prior.results), sign)
    if isinstance(prior, (str, os.PathLike)):
        return _from_frame(_read_file(os.fspath(prior)), sign)
    if isinstance(prior, Mapping):
        return _from_frame(_frame_from_dict(prior), sign)
    if isinstance(prior, pd.DataFrame):
        return _from_frame(prior, sign)
    raise StepSearchError(f"cannot read a {type(prior).__name__}", where="prior_results",
                          hint="pass a fitted StepSearchCV, its cv_results_, AutoTune's "
                          "results dict or DataFrame, or the path of a results CSV/Excel file")


def _read_file(path: str) -> pd.DataFrame:
    if not os.path.exists(path):
        raise StepSearchError(f"no file {path!r}", where="prior_results",
                              hint="give the path of the CSV or .xlsx a search wrote")
    if path.lower().endswith((".xlsx", ".xls")):
        return pd.read_excel(path)
    return pd.read_csv(path)


def _frame_from_dict(results: Mapping) -> pd.DataFrame:
    """AutoTune's ``results``: arrays (masked ones too: a masked cell becomes None; a
    one-row dict may hold 0-d arrays) or lists, one value per step."""
    columns = {str(k): _column(v) for k, v in results.items()}
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        raise StepSearchError(f"the columns have different lengths {sorted(lengths)}",
                              where="prior_results", hint="pass AutoTune's results dict "
                              "as it is (every entry one value per step)")
    return pd.DataFrame(columns)


def _column(value: Any) -> list:
    if np.ndim(value) == 0:
        return [value.item() if isinstance(value, np.generic | np.ndarray) else value]
    if isinstance(value, np.ndarray) and value.dtype == object:
        return list(np.ma.filled(value, None)) if np.ma.isMaskedArray(value) else list(value)
    return value.tolist() if hasattr(value, "tolist") else list(value)


def _from_frame(frame: pd.DataFrame, sign: float) -> Prior:
    if "mean_test_score" not in frame.columns:
        raise StepSearchError("the table has no mean_test_score column",
                              where="prior_results", hint="pass a results table of "
                              "StepSearchCV or AutoTune (one row per step)")
    prior = Prior()
    rows = frame.reset_index(drop=True)
    params = [_row_params(row) for _, row in rows.iterrows()]
    for i, (_, row) in enumerate(rows.iterrows()):
        trial = _trial(i + 1, row, params[i])
        prior.trials.append(trial)
        if "improved" in row.index:
            prior.improved[trial.number] = _flag(row["improved"])
    prior.steps = max(0, len(prior.trials) - 1)
    flagged = [t for t in prior.trials if t.ok and prior.improved.get(t.number)]
    ok = [t for t in prior.trials if t.ok]
    chosen = flagged[-1] if flagged else (max(ok, key=lambda t: sign * t.score)
                                          if ok else None)  # type: ignore[operator]
    if chosen is not None:
        prior.current = chosen.number
        prior.params = params[chosen.number - 1]
    return prior


def _trial(number: int, row: pd.Series, params: dict[str, Any]) -> Trial:
    score = _number(row.get("mean_test_score"))
    status = str(row.get("status", "ok")) if pd.notna(row.get("status", "ok")) else "ok"
    ok = status == "ok" and score is not None
    parent = _parse(row.get("params_previous"))
    extras = {c: _number(row.get(c)) for c in row.index
              if (str(c).startswith("split") and str(c).endswith("_test_score"))
              or c in EXTRA_TIMES}
    changes = row.get("changes")
    candidate = Candidate(0, params, number, "prior",
                          str(changes) if isinstance(changes, str) else "",
                          parent if isinstance(parent, dict) else None)
    error = row.get("error")
    return Trial(number, candidate, str(row.get("title", number)), str(number),
                 "ok" if ok else "failed", score if ok else None,
                 _number(row.get("std_test_score")), _number(row.get("mean_fit_time")),
                 _number(row.get("seconds")) or 0.0,
                 str(error) if isinstance(error, str) else None,
                 scores={k: v for k, v in extras.items() if v is not None})


def _row_params(row: pd.Series) -> dict[str, Any]:
    """The full parameters of a row: ``params`` if readable, else the ``param_`` columns."""
    params = _parse(row.get("params"))
    if isinstance(params, Mapping):
        return {str(k): _plain(v) for k, v in params.items()}
    return {str(c)[len("param_"):]: _plain(_parse(row[c])) for c in row.index
            if str(c).startswith("param_") and not _missing(row[c])}


def _parse(value: Any) -> Any:
    """A cell as the value it shows: Python or JSON text of a dict/list/tuple is read."""
    if isinstance(value, str) and value[:1] in "{[(":
        text = value.replace("true", "True").replace("false", "False").replace("null", "None")
        for candidate in (value, text):
            try:
                return ast.literal_eval(candidate)
            except (ValueError, SyntaxError):
                continue
    return value


def _plain(value: Any) -> Any:
    """NumPy scalars as Python values; tuples and lists element-wise."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        value is np.ma.masked)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) if not _missing(value) else False
