"""The query layer: plain functions from a :class:`~modelmap.store.Store` to JSON-able dicts.

The REST API (:mod:`modelmap.server`), the web app and ``modelmap cache`` all read and
write the store through these functions (nothing else; ``tests/test_architecture.py``
checks it); routes only validate and serialize.  Errors are
:class:`QueryError` subclasses whose ``status`` is the HTTP status to answer with, or the
:class:`~modelmap.errors.ModelmapError` of the layer below (``DataError`` for a map that
cannot be computed, ``StoreError`` for a store that cannot be read).

Every returned value is strict JSON (NaN and infinities become ``None``), except what only
in-process readers get: :func:`export_frame` (a DataFrame), :func:`job_labels` (arrays),
:func:`result_histories` (as stored) and :class:`Removal` steps.
"""

from __future__ import annotations

from modelmap.queries._admin import (EXPORT_FORMATS, delete_dataset, delete_failed,
                                     delete_job, delete_maps, delete_result,
                                     export_frame, export_results, export_store, sizes, tree,
                                     vacuum)
from modelmap.queries._catalog import (data_projections, dataset_projections, find_job,
                                       get_job, job_labels, list_datasets, list_jobs,
                                       server_info)
from modelmap.queries._compare import best_line, compare_job
from modelmap.queries._compare_many import (MAX_JOBS, MAX_PAIRWISE, compare_jobs,
                                            compare_pairwise)
from modelmap.queries._errors import InvalidQueryError, NotFoundError, QueryError
from modelmap.queries._ids import DATASET_PATTERN, KEY_PATTERN, MAP_KEY_PATTERN, MAX_ID
from modelmap.queries._json import ENCODINGS, clean
from modelmap.queries._maps import (MAX_MAP_RESULTS, cached_map, classifier_map,
                                    map_key, map_options)
from modelmap.queries._results import (LOG_PREVIEW, MAX_IDS, MAX_LIMIT, MAX_LOG_PAGE,
                                       RESULT_ARRAYS, find_result, get_result,
                                       list_results, listing_version, resolve_result,
                                       result_arrays, result_histories, result_log)
from modelmap.queries._removal import Removal, remove, removal_plan
from modelmap.store import REFERENCE_METHODS, is_reference

__all__ = [
    "DATASET_PATTERN", "KEY_PATTERN", "MAP_KEY_PATTERN", "MAX_ID",
    "ENCODINGS", "EXPORT_FORMATS", "LOG_PREVIEW", "MAX_IDS", "MAX_LIMIT", "MAX_LOG_PAGE",
    "MAX_JOBS", "MAX_MAP_RESULTS", "MAX_PAIRWISE", "REFERENCE_METHODS", "RESULT_ARRAYS",
    "InvalidQueryError", "NotFoundError", "QueryError", "Removal",
    "best_line", "cached_map", "clean", "classifier_map", "compare_job", "compare_jobs",
    "compare_pairwise", "data_projections", "dataset_projections", "delete_dataset",
    "delete_failed", "delete_job", "delete_maps", "delete_result", "export_frame",
    "export_results", "export_store", "find_job", "find_result", "get_job", "get_result",
    "is_reference", "job_labels", "list_datasets", "list_jobs", "list_results",
    "listing_version", "map_key", "map_options", "removal_plan", "remove", "resolve_result",
    "result_arrays",
    "result_histories", "result_log", "server_info", "sizes", "tree", "vacuum",
]
