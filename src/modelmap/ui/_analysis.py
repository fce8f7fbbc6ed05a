"""The statistics behind the views, now in :mod:`modelmap.compare` (re-exported here).

The views keep importing from this module; the functions themselves live in the
``compare`` package, which the CLI and the API use too.
"""

from __future__ import annotations

from modelmap.compare import (MISSING, Association, McNemar, aggregate, association_matrix,
                              category, correlation_ratio, higher_is_better, is_categorical,
                              mcnemar, parameter_importance, pareto_front, spearman,
                              wrong_counts, wrong_matrix)

__all__ = [
    "MISSING", "Association", "McNemar", "aggregate", "association_matrix", "category",
    "correlation_ratio", "higher_is_better", "is_categorical", "mcnemar", "parameter_importance",
    "pareto_front", "spearman", "wrong_counts", "wrong_matrix",
]
