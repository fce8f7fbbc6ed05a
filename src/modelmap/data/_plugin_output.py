"""Validation of what a dataset plugin returned: clear errors, never silent coercion."""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

from modelmap.errors import DataError

REQUIRED_KEYS = ("X_train", "y_train", "X_test", "y_test", "class_names")


def _positions(mask: np.ndarray, limit: int = 5) -> str:
    idx = np.argwhere(mask)[:limit]
    return ", ".join(str(tuple(int(i) for i in row)) for row in idx)


def as_features(value: Any, name: str, where: str) -> np.ndarray:
    """Return ``value`` as a finite 2-D float array or raise a DataError that says why."""
    arr = np.asarray(value)
    if arr.size == 0:
        return np.zeros((0, 0), dtype=np.float64)
    if arr.dtype.kind not in "biuf":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            bad = [v for v in arr.ravel()[:1000] if not _is_number(v)][:3]
            raise DataError(
                f"{name} must contain only numbers; found non-numeric values such as {bad!r}",
                where=where,
                hint="encode categorical features as numbers in the dataset plugin",
            ) from None
    if arr.ndim == 1:
        raise DataError(
            f"{name} must have the shape (num_samples, num_features); got a 1-D array of "
            f"shape {arr.shape}",
            where=where,
            hint="use X.reshape(-1, 1) for a single feature",
        )
    if arr.ndim > 2:
        raise DataError(
            f"{name} must have the shape (num_samples, num_features); got {arr.shape}",
            where=where,
            hint="flatten each sample (X.reshape(len(X), -1)) and pass 'original_shape' in specs",
        )
    arr = arr.astype(np.float64, copy=False)
    bad = ~np.isfinite(arr)
    if bad.any():
        raise DataError(
            f"{name} contains {int(bad.sum())} NaN or infinite value(s), first at (row, column) "
            f"{_positions(bad)}",
            where=where,
            hint="impute or drop them in the dataset plugin",
        )
    return arr


def _is_number(v: Any) -> bool:
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


def as_labels(value: Any, name: str, n_classes: int, multilabel: bool, where: str) -> np.ndarray:
    """Return integer labels (1-D) or an indicator matrix (2-D, multi-label)."""
    arr = np.asarray(value)
    if arr.size == 0:
        return np.zeros((0, n_classes) if multilabel else (0,), dtype=np.int64)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise DataError(
                f"{name} must contain integer class labels; found non-integer values",
                where=where,
            )
        arr = arr.astype(np.int64)
    elif arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    elif arr.dtype.kind not in "iu":
        raise DataError(
            f"{name} must contain integer class labels 0..{n_classes - 1}; got values of type "
            f"{arr.dtype}",
            where=where,
            hint="map class names to their index in class_names",
        )
    arr = arr.astype(np.int64)
    if multilabel:
        if arr.ndim != 2 or arr.shape[1] != n_classes:
            raise DataError(
                f"{name} of a multi-label dataset must be an indicator matrix of shape "
                f"(num_samples, {n_classes}); got {arr.shape}",
                where=where,
            )
        outside = (arr != 0) & (arr != 1)
        if outside.any():
            raise DataError(
                f"{name} of a multi-label dataset must contain only 0 and 1; found "
                f"{int(outside.sum())} other value(s), first at {_positions(outside)}",
                where=where,
            )
        return arr
    if arr.ndim != 1:
        raise DataError(
            f"{name} must have the shape (num_samples,); got {arr.shape}",
            where=where,
            hint="pass class indices, not a one-hot matrix (multi-label data sets specs "
            "{'multi_label': True})",
        )
    outside = (arr < 0) | (arr >= n_classes)
    if outside.any():
        raise DataError(
            f"{name} has {int(outside.sum())} label(s) outside [0, {n_classes - 1}] "
            f"(there are {n_classes} class names), e.g. {sorted(set(arr[outside].tolist()))[:5]} "
            f"at index {_positions(outside, 3)}",
            where=where,
            hint="labels are indices into class_names",
        )
    return arr


def _is_class_number(name: Any) -> bool:
    return isinstance(name, (str, numbers.Real)) and not isinstance(name, (bool, np.bool_))


def class_names_as_strings(names: Any) -> Any:
    """Class names with numbers (the seed allows ``[0, 1, 2]``) turned into strings; other
    values are left for the check to refuse."""
    if not isinstance(names, (list, tuple, np.ndarray)):
        return names
    return [str(n) if _is_class_number(n) and not isinstance(n, str) else n for n in names]


def check_plugin_output(raw: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise DataError(
            f"get_data() must return a dict with {', '.join(REQUIRED_KEYS)}; got "
            f"{type(raw).__name__}",
            where=where,
        )
    missing = [k for k in REQUIRED_KEYS if k not in raw]
    if missing:
        raise DataError(
            f"get_data() returned no {', '.join(repr(m) for m in missing)}",
            where=where,
            hint="return empty arrays (np.array([])) for a missing test set",
        )
    names = raw["class_names"]
    if isinstance(names, np.ndarray):
        names = names.tolist()
    if isinstance(names, (list, tuple)) and names and all(_is_class_number(n) for n in names):
        names = class_names_as_strings(names)  # the seed accepts [0, 1, 2]: names "0", "1", "2"
        raw = {**raw, "class_names": names}
    if not isinstance(names, (list, tuple)) or not names or not all(
        isinstance(n, str) for n in names
    ):
        raise DataError(
            "class_names must be a non-empty list of strings (or numbers)",
            where=where,
            hint="use [str(x) for x in range(num_classes)] if the classes have no names",
        )
    if len(set(names)) != len(names):
        raise DataError(f"class_names has duplicates: {list(names)}", where=where)
    specs = raw.get("specs", {})
    if specs is None:
        specs = {}
    if not isinstance(specs, Mapping):
        raise DataError(f"specs must be a dict; got {type(specs).__name__}", where=where)
    return raw


def check_lengths(X: np.ndarray, y: np.ndarray, part: str, where: str) -> None:
    if len(X) != len(y):
        raise DataError(
            f"X_{part} has {len(X)} samples but y_{part} has {len(y)}",
            where=where,
        )


def normalise_folds(folds: Any, expected: int, name: str, where: str) -> np.ndarray:
    """Map a fold array (0- or 1-based, any distinct values) to fold indices 0..k-1."""
    arr = np.asarray(folds)
    if arr.ndim != 1 or len(arr) != expected:
        raise DataError(
            f"specs['cv_folds'] must have one fold number per sample of {name} "
            f"({expected}); got shape {arr.shape}",
            where=where,
        )
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise DataError("specs['cv_folds'] must contain integer fold numbers", where=where)
    values, inverse = np.unique(arr, return_inverse=True)
    if len(values) < 2:
        raise DataError(
            f"specs['cv_folds'] must define at least 2 folds; found {len(values)}", where=where
        )
    return inverse.astype(np.int64)
