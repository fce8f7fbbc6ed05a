"""Persistence of modelmap: datasets, jobs, results, projections and classifier maps.

``Store(url_or_path)`` opens a SQLite file (the default) or a PostgreSQL database.
Nothing is pickled: arrays are NumPy ``.npy`` bytes, everything else JSON.
"""

from __future__ import annotations

from modelmap.store._compare import comparison
from modelmap.store._compare_data import (REFERENCE_METHODS, JobData, is_reference,
                                          stored_score)
from modelmap.store._compare_data import load as comparison_data
from modelmap.store._schema import SCHEMA_VERSION
from modelmap.store._store import Store

__all__ = ["REFERENCE_METHODS", "SCHEMA_VERSION", "JobData", "Store", "comparison",
           "comparison_data", "is_reference", "stored_score"]
