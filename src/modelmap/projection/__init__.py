"""Projections: 2-D views of data sets (and, later, maps of classifiers)."""

from __future__ import annotations

from modelmap.projection._data import PROJECTIONS, project

__all__ = ["PROJECTIONS", "project"]
