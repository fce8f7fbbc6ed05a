"""Projections: 2-D views of data sets and maps of classifiers."""

from __future__ import annotations

from modelmap.projection._data import PROJECTIONS, project
from modelmap.projection._maps import (MAP_METRICS, MAP_PROJECTIONS, MAP_VALUES, ClassifierMap,
                                       classical_mds, classifier_map, distance_matrix, embed)

__all__ = ["MAP_METRICS", "MAP_PROJECTIONS", "MAP_VALUES", "PROJECTIONS", "ClassifierMap",
           "classical_mds", "classifier_map", "distance_matrix", "embed", "project"]
