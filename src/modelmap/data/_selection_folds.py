"""Validation data for model selection: stratified folds inside the training part only.

Tuning must never look at the test set.  :func:`validation_bundle` turns a prepared
:class:`~modelmap.data.Bundle` into a cross-validation bundle over its training rows
(``mode == "cv"``, empty test arrays), so that every candidate is scored on out-of-fold
predictions of the training data while the real test set stays untouched for the final,
separately reported evaluation.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from modelmap.data._bundle import CV_TRAIN, Bundle
from modelmap.data._prepare import _finish, _kfold
from modelmap.errors import DataError


def validation_bundle(bundle: Bundle, k: int = 3, seed: int = 42) -> Bundle:
    """A copy of ``bundle`` whose test set is ``k`` seeded, stratified folds of ``X_train``.

    A bundle that already cross-validates over its training data (``data.cv`` or a
    plugin's ``cv_folds``) keeps its own folds.  Per-fold results are not kept.  The
    fingerprint is recomputed, so results on validation data never mix with results
    on the test data.
    """
    if k < 2:
        raise DataError(f"validation needs at least 2 folds; got {k}",
                        hint='set "cv" in the tuning section to 2 or more')
    n = len(bundle.y_train)
    if n < k:
        raise DataError(f"{n} training samples cannot be split into {k} validation folds",
                        where=f"dataset '{bundle.dataset}'",
                        hint="use fewer folds or more training data (subset_train)")
    if bundle.mode == CV_TRAIN and bundle.folds is not None:
        folds = bundle.folds
    else:
        folds = _kfold(bundle.y_train, int(k), bundle.multilabel, int(seed))
    empty_y = np.zeros((0,) + bundle.y_train.shape[1:], dtype=bundle.y_train.dtype)
    copy = dataclasses.replace(
        bundle,
        X_test=np.zeros((0, bundle.X_train.shape[1]), dtype=bundle.X_train.dtype),
        y_test=empty_y,
        mode=CV_TRAIN,
        folds=np.asarray(folds, dtype=np.int64),
        save_folds=False,
        fingerprint="",
        summary={},
    )
    return _finish(copy)
