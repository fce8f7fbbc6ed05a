"""Projections: 2-D views of data sets and maps of classifiers."""

from __future__ import annotations

from modelmap.projection._data import FIT_LIMIT, PROJECTIONS, fitted_on, project
from modelmap.projection._maps import (MAP_METRICS, MAP_PROJECTIONS, MAP_VALUES, ClassifierMap,
                                       check_projection, classical_mds, classifier_map,
                                       distance_matrix, embed)
from modelmap.projection._spec import projection_entry

__all__ = ["FIT_LIMIT", "MAP_METRICS", "MAP_PROJECTIONS", "MAP_VALUES", "PROJECTIONS",
           "ClassifierMap", "check_projection", "classical_mds", "classifier_map",
           "distance_matrix", "embed", "fitted_on", "project", "projection_entry"]
