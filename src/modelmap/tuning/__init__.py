"""Auto-tuning: strategies behind one ask/tell seam, reports, and ``StepSearchCV``.

* :func:`tune` runs a tuning job (``"tune": true`` parameters) with the ``evolutionary``
  (the seed's), ``stepwise`` (AutoTune's step-by-step search with anticipation models),
  ``tpe`` (Optuna), ``random``, ``halving`` or ``hyperband`` (multi-fidelity) strategy,
  selecting on validation folds inside the training data only, and writes
  ``<job>.result.json`` and ``<job>.report.md``.
* :class:`StepSearchCV` is the step-by-step search as a scikit-learn meta-estimator.
* :class:`HalvingSearchCV` is successive halving as one (HalvingRandomSearchCV's arguments).
* :class:`Strategy` is the seam: ``ask(n)`` candidates, ``tell(trials)`` results; the
  strategies (in :mod:`modelmap.tuning.strategies`) register themselves by ``name``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from modelmap.tuning._tune import tune
    from modelmap.tuning._events import SilentTuneEvents, TuneEvents
    from modelmap.tuning._halving_cv import HalvingSearchCV
    from modelmap.tuning._job import TuningJob, load_tuning_job
    from modelmap.tuning._loop import TuningResult
    from modelmap.tuning._rung_report import rung_share, rung_usage, rung_usage_total
    from modelmap.tuning._search_cv import StepSearchCV
    from modelmap.tuning._settings import Settings, StepwiseSettings
    from modelmap.tuning._space import Family, Param, Space
    from modelmap.tuning._strategy import Candidate, Strategy, Trial
    from modelmap.tuning.strategies import STRATEGIES, make_strategy

_LAZY = {
    "tune": "_tune", "TuningResult": "_loop", "TuningJob": "_job", "load_tuning_job": "_job",
    "StepSearchCV": "_search_cv", "Settings": "_settings", "StepwiseSettings": "_settings",
    "STRATEGIES": "strategies", "Space": "_space", "Family": "_space", "Param": "_space",
    "Strategy": "_strategy", "Candidate": "_strategy", "Trial": "_strategy",
    "make_strategy": "strategies", "TuneEvents": "_events", "SilentTuneEvents": "_events",
    "HalvingSearchCV": "_halving_cv", "rung_usage": "_rung_report",
    "rung_usage_total": "_rung_report", "rung_share": "_rung_report",
}
__all__ = [
    "STRATEGIES", "Candidate", "Family", "HalvingSearchCV", "Param", "Settings",
    "SilentTuneEvents", "Space",
    "StepSearchCV", "StepwiseSettings", "Strategy", "Trial", "TuneEvents", "TuningJob",
    "TuningResult", "load_tuning_job", "make_strategy", "rung_share", "rung_usage",
    "rung_usage_total", "tune",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"modelmap.tuning.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'modelmap.tuning' has no attribute {name!r}")
