"""Persistence of modelmap: datasets, jobs, results, projections and classifier maps.

``Store(url_or_path)`` opens a SQLite file (the default) or a PostgreSQL database.
Nothing is pickled: arrays are NumPy ``.npy`` bytes, everything else JSON.
"""

from __future__ import annotations

from modelmap.store._claims import HEARTBEAT_SECONDS, STALE_SECONDS
from modelmap.store._claims import new_owner as new_claim_owner
from modelmap.store._compare import comparison
from modelmap.store._compare_data import (REFERENCE_METHODS, JobData, is_reference,
                                          stored_score)
from modelmap.store._compare_data import load as comparison_data
from modelmap.store._results import preencode
from modelmap.store._schema import SCHEMA_VERSION
from modelmap.store._store import Store

__all__ = ["SCHEMA_VERSION", "Store", "HEARTBEAT_SECONDS", "STALE_SECONDS", "new_claim_owner",
           "REFERENCE_METHODS", "JobData", "comparison", "comparison_data", "is_reference",
           "preencode", "stored_score"]
