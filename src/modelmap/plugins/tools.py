"""Tools for plugins: the seed's ``tools.check_argument`` and friends, and prediction helpers.

A classifier plugin checks its parameters with the seed's import::

    from ...tools import check_argument as check
    n = check('n_neighbors', args, CLF_INFO)

The checks themselves live in the neutral module :mod:`modelmap.params` (the projections use
them too); they are re-exported here so that the built-ins, the examples and users'
workspaces keep importing them from ``tools``.  See :mod:`modelmap.params` for the parameter
contract (types, ranges, defaults).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modelmap.params import (RESERVED, TYPE_ALIASES, TYPES, check_argument, describe_expected,
                             type_of, validate_args, validate_info)

__all__ = [
    "RESERVED",
    "TYPES",
    "TYPE_ALIASES",
    "check_argument",
    "describe_expected",
    "type_of",
    "predict_via_proba",
    "proba_of",
    "recall",
    "remember",
    "validate_args",
    "validate_info",
]


def predict_via_proba(plugin: Any, X: Any) -> np.ndarray:
    """``predict`` of a plugin whose scikit-learn estimator (``plugin.clf``) predicts the
    class of highest probability: one ``predict_proba`` call gives both, and the
    probabilities are kept for :func:`proba_of` on the same ``X`` (the framework asks for
    them right after the predictions)::

        def predict(self, X_test, y_test):
            return predict_via_proba(self, X_test)

        def predict_proba(self, X_test, y_test):
            return proba_of(self, X_test)

    Only for estimators whose ``predict`` is ``classes_[argmax(predict_proba)]`` (trees,
    forests, k-NN, naive Bayes, logistic regression, MLP, gradient boosting); for others
    (SVC, AdaBoost) the two can disagree.
    """
    proba = remember(plugin, "predict_proba", X, plugin.clf.predict_proba(X))
    return plugin.clf.classes_[np.argmax(proba, axis=1)]


def proba_of(plugin: Any, X: Any) -> np.ndarray:
    """The probabilities :func:`predict_via_proba` computed for this very ``X``, else
    ``plugin.clf.predict_proba(X)``."""
    return recall(plugin, "predict_proba", X, plugin.clf.predict_proba)


def remember(plugin: Any, what: str, X: Any, value: Any) -> Any:
    """Keep ``value`` (e.g. the probabilities) of this very ``X`` on the plugin object,
    for :func:`recall` when the framework asks for ``what`` of the same ``X`` next."""
    setattr(plugin, f"_modelmap_kept_{what}", (X, value))
    return value


def recall(plugin: Any, what: str, X: Any, compute: Any) -> Any:
    """What :func:`remember` kept for this very ``X`` (the same object), else
    ``compute(X)``."""
    kept = getattr(plugin, f"_modelmap_kept_{what}", None)
    if kept is not None and kept[0] is X:
        return kept[1]
    return compute(X)
