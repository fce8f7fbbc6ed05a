"""Dataset plugin output → validated, split, subsampled :class:`Bundle`."""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from modelmap.data import _columns
from modelmap.data import _plugin_output as v
from modelmap.data._bundle import CV_TEST, CV_TRAIN, HOLDOUT, Bundle, _jsonable
from modelmap.errors import DataError
from modelmap.jobs import DATA_DEFAULTS


def call_get_data(module: Any, datasets_path: Path, data_args: Mapping[str, Any]) -> Any:
    """Call ``get_data(datasets_path)``, or ``get_data(datasets_path, args)`` if it takes two."""
    get_data = module.get_data
    try:
        params = [
            p
            for p in inspect.signature(get_data).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
        ]
    except (TypeError, ValueError):
        params = []
    if len(params) >= 2:
        return get_data(str(datasets_path), dict(data_args))
    return get_data(str(datasets_path))


def prepare(raw: Mapping[str, Any], data: Mapping[str, Any], *, dataset: str,
            info_class_names: list[str] | None = None) -> Bundle:
    """Turn what ``get_data`` returned into a :class:`Bundle` following the job's data section."""
    where = f"dataset plugin '{dataset}'"
    raw = v.check_plugin_output(raw, where)
    class_names = tuple(raw["class_names"])
    if info_class_names and list(info_class_names) != list(class_names):
        raise DataError(
            f"get_data() returned class_names {list(class_names)} but get_info() declares "
            f"{list(info_class_names)}",
            where=where,
            hint="both must list the same class names in the same order",
        )
    specs = dict(raw.get("specs") or {})
    notices = [str(n) for n in specs.pop("notices", None) or ()]
    multilabel = bool(specs.get("multi_label")) or _is_indicator(raw["y_train"], len(class_names))
    _check_class_count(len(class_names), where)
    k = len(class_names)
    y_train = v.as_labels(raw["y_train"], "y_train", k, multilabel, where)
    y_test = v.as_labels(raw["y_test"], "y_test", k, multilabel, where)
    columns = None
    if _columns.is_frame(raw["X_train"]):
        X_train, X_test, y_train, y_test, columns = _table(raw, data, specs, y_train, y_test,
                                                           notices, where)
    else:
        X_train = v.as_features(raw["X_train"], "X_train", where)
        X_test = v.as_features(raw["X_test"], "X_test", where)
    if len(X_train) == 0:
        raise DataError("X_train is empty", where=where)
    v.check_lengths(X_train, y_train, "train", where)
    v.check_lengths(X_test, y_test, "test", where)
    if len(X_test) and X_test.shape[1] != X_train.shape[1]:
        raise DataError(
            f"X_test has {X_test.shape[1]} features but X_train has {X_train.shape[1]}; "
            "training and test data (e.g. two corpora in a cross-corpus set-up) must have the "
            "same features",
            where=where,
        )
    if len(X_test) == 0:
        X_test = np.zeros((0, X_train.shape[1]))
    seed = int(data.get("random_state", DATA_DEFAULTS["random_state"]))
    mode, folds = _cv_mode(specs, data, y_train, len(y_test), multilabel, seed, where)
    if mode == HOLDOUT and len(y_test) == 0 and _test_size(data) > 0:
        X_train, X_test, y_train, y_test = _split(X_train, y_train, data, multilabel, seed,
                                                  in_place=columns is not None)
    X_train, y_train, X_test, y_test, folds = _subsets(X_train, y_train, X_test, y_test, folds,
                                                       mode, data, multilabel, seed, where)
    bundle = Bundle(
        dataset=dataset, job_title=str(data.get("title", "")), X_train=X_train,
        y_train=y_train, X_test=X_test, y_test=y_test, class_names=class_names, specs=specs,
        mode=mode, folds=folds, scale=bool(data.get("scale", False)), multilabel=multilabel,
        save_folds=bool(data.get("save_clfs_for_folds", False)), columns=columns,
        save_train=_save_train(data, len(y_train), notices), notices=tuple(notices),
    )
    return _finish(bundle)


def _test_size(data: Mapping[str, Any]) -> float:
    return float(data.get("test_size", DATA_DEFAULTS["test_size"]))


def _subsets(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
             folds: np.ndarray | None, mode: str, data: Mapping[str, Any], multilabel: bool,
             seed: int, where: str):
    """``subset_train``/``subset_test`` applied; folds renumbered 0..k-1."""
    idx = _subset(y_train, data.get("subset_train", 1), multilabel, seed)
    if len(idx) < len(y_train):  # a full "subset" would only copy the arrays
        X_train, y_train = X_train[idx], y_train[idx]
        if mode == CV_TRAIN:
            folds = folds[idx]
    idx = _subset(y_test, data.get("subset_test", 1), multilabel, seed + 1)
    if len(idx) < len(y_test):
        X_test, y_test = X_test[idx], y_test[idx]
        if mode == CV_TEST:
            folds = folds[idx]
    if folds is not None and len(np.unique(folds)) < 2:
        raise DataError("after subsampling fewer than 2 folds are left", where=where,
                        hint="raise subset_train/subset_test")
    if folds is not None:
        folds = np.unique(folds, return_inverse=True)[1].astype(np.int64)
    return X_train, y_train, X_test, y_test, folds


#: Below this many training rows results keep their train predictions by default.
SAVE_TRAIN_LIMIT = 20_000


def _save_train(data: Mapping[str, Any], n_train: int, notices: list[str]) -> bool:
    chosen = data.get("save_train_predictions")
    if chosen is not None:
        return bool(chosen)
    if n_train < SAVE_TRAIN_LIMIT:
        return True
    notices.append(f"save_train_predictions is off: {n_train:,} training rows (>= "
                   f"{SAVE_TRAIN_LIMIT:,}), so results keep scores on the training rows but not "
                   "their predictions; set data.save_train_predictions = true to keep them")
    return False


def _table(raw: Mapping[str, Any], data: Mapping[str, Any], specs: dict, y_train: np.ndarray,
           y_test: np.ndarray, notices: list[str], where: str):
    """A DataFrame from the plugin → matrix, labels of the kept rows and the column plan."""
    train, test = raw["X_train"], raw["X_test"]
    test = test if _columns.is_frame(test) and len(test) else None
    v.check_lengths(train, y_train, "train", where)
    if test is not None:
        v.check_lengths(test, y_test, "test", where)
    table = _columns.analyse(train, test, data, where)
    notices.extend(table.notices)
    y_train = y_train[table.keep_train]
    X_test = table.X_test if table.X_test is not None else np.zeros((0, table.X_train.shape[1]))
    if table.keep_test is not None:
        y_test = y_test[table.keep_test]
    source = specs.get("source") or where
    if len(y_train) == 0:
        raise DataError(f"no rows are left in {source} after dropping the rows with a missing "
                        'value (data.missing = "drop")', where="data.missing",
                        hint='use "missing": "impute" (the default), or fill the empty cells')
    if not y_train.ndim == 2 and len(np.unique(y_train)) < 2:
        raise DataError(f"only one class is left in {source} after dropping the rows with a "
                        'missing value (data.missing = "drop")', where="data.missing",
                        hint='use "missing": "impute" (the default), or fill the empty cells')
    specs["feature_names"] = list(table.columns["feature_names"])
    return table.X_train, X_test, y_train, y_test, table.columns


def _cv_mode(specs: dict, data: Mapping, y_train: np.ndarray, n_test: int, multilabel: bool,
             seed: int, where: str) -> tuple[str, np.ndarray | None]:
    if data.get("disable_cross_validation"):
        return HOLDOUT, None
    k = data.get("cv")
    if k:
        if n_test:
            raise DataError(
                f"data.cv = {k} needs a dataset without a predefined test set, but "
                f"'{specs.get('name', where)}' returns {n_test} test samples",
                where=where, hint="remove 'cv' to use the plugin's test set",
            )
        if int(k) > len(y_train):
            raise DataError(f"data.cv = {k} folds need at least {k} training samples; "
                            f"the dataset has {len(y_train)}", where=where,
                            hint=f"use at most {len(y_train)} folds (5 or 10 are usual)")
        return CV_TRAIN, _kfold(y_train, int(k), multilabel, seed)
    if "cv_folds" not in specs or specs["cv_folds"] is None:
        return HOLDOUT, None
    if specs.get("cv_folds_for_test_only"):
        if not n_test:
            raise DataError("specs['cv_folds_for_test_only'] is set but X_test is empty",
                            where=where)
        return CV_TEST, v.normalise_folds(specs["cv_folds"], n_test, "X_test", where)
    if n_test:
        raise DataError(
            "specs['cv_folds'] defines folds over the training data, so X_test must be empty",
            where=where,
            hint="return empty test arrays, or set specs['cv_folds_for_test_only'] = True "
            "if the folds are meant for the test set",
        )
    return CV_TRAIN, v.normalise_folds(specs["cv_folds"], len(y_train), "X_train", where)


def _is_indicator(y: Any, k: int) -> bool:
    """A 0/1 matrix with one column per class that is not one-hot: the seed's own multi-label
    datasets (``multi_label_test``) return such a y without ``specs['multi_label']``. A one-hot
    matrix (one 1 in every row) is almost surely single-label data passed the wrong way, and any
    other 2-D y is no indicator matrix: both are left to ``as_labels``, which refuses them at
    load time with the shape it expected (``specs['multi_label']`` still takes them)."""
    arr = np.asarray(y)
    if not (arr.ndim == 2 and arr.shape[1] == k and arr.size > 0 and arr.dtype.kind in "biuf"):
        return False
    return bool(np.isin(arr, (0, 1)).all()) and not bool((arr.sum(axis=1) == 1).all())


#: The most classes a dataset may have: every config stores confusion matrices of
#: classes² counts (at 10,000 classes 800 MB each; 100,000 would need 74.5 GiB).
MAX_CLASSES = 10_000


def _check_class_count(n: int, where: str) -> None:
    if n > MAX_CLASSES:
        gib = n * n * 8 / 2**30
        raise DataError(f"class_names lists {n:,} classes; modelmap handles at most "
                        f"{MAX_CLASSES:,} (each config's confusion matrix alone would need "
                        f"{gib:,.1f} GiB)", where=where,
                        hint="group rare classes, or check that y holds class indices and "
                        "not values such as ids or targets of a regression")


def _kfold(y: np.ndarray, k: int, multilabel: bool, seed: int) -> np.ndarray:
    from sklearn.model_selection import KFold, StratifiedKFold  # only when data is prepared

    folds = np.empty(len(y), dtype=np.int64)
    counts = np.bincount(y) if not multilabel else np.array([0])
    if not multilabel and counts[counts > 0].min() >= k:
        splitter = StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)
    else:
        splitter = KFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)))
    for f, (_, test) in enumerate(splitter):
        folds[test] = f
    return folds


def _stratify(y: np.ndarray, multilabel: bool, n_pick: int) -> np.ndarray | None:
    if multilabel or len(y) == 0:
        return None
    counts = np.bincount(y)
    present = counts[counts > 0]
    if present.min() < 2 or n_pick < len(present) or len(y) - n_pick < len(present):
        return None
    return y


def _split(X: np.ndarray, y: np.ndarray, data: Mapping, multilabel: bool, seed: int, *,
           in_place: bool = False):
    """Seeded, stratified train/test split.  ``in_place`` (a matrix modelmap made itself,
    from a table) reorders ``X``'s rows in place, train rows first, and returns two views:
    the same arrays as copies would be, without a second copy of a large table."""
    from sklearn.model_selection import train_test_split

    n_test = int(np.ceil(_test_size(data) * len(y)))
    stratify = _stratify(y, multilabel, n_test)
    if not in_place:
        return train_test_split(X, y, test_size=n_test, random_state=seed, stratify=stratify)
    train_idx, test_idx = train_test_split(np.arange(len(y)), test_size=n_test,
                                           random_state=seed, stratify=stratify)
    order = np.concatenate([train_idx, test_idx])
    band = max(1, (8 * 2**20) // max(1, 8 * len(y)))  # columns per step: about 8 MB at once
    for start in range(0, X.shape[1], band):
        X[:, start:start + band] = X[order, start:start + band]
    n_train = len(train_idx)
    return X[:n_train], X[n_train:], y[train_idx], y[test_idx]


def _subset(y: np.ndarray, size: Any, multilabel: bool, seed: int) -> np.ndarray:
    """Seeded, stratified random subset (a fraction in (0, 1] or a count > 1)."""
    n = len(y)
    size = float(size if size is not None else 1)
    k = n if size == 1 else (int(round(size * n)) if size < 1 else int(size))
    k = max(1, k) if n else 0
    if k >= n:
        return np.arange(n)
    from sklearn.model_selection import train_test_split

    idx, _ = train_test_split(np.arange(n), train_size=k, random_state=seed,
                              stratify=_stratify(y, multilabel, k))
    return np.sort(idx)


def _finish(bundle: Bundle) -> Bundle:
    h = hashlib.sha256()
    for name in ("X_train", "y_train", "X_test", "y_test", "folds"):
        arr = getattr(bundle, name)
        if arr is not None:
            arr = np.ascontiguousarray(arr)
            h.update(f"{name}{arr.dtype}{arr.shape}".encode())
            h.update(arr.data if arr.size else b"")  # the same bytes, without a copy
    h.update(repr((bundle.class_names, bundle.mode, bundle.scale, bundle.multilabel,
                   bundle.save_folds)).encode())
    if bundle.columns is not None or not bundle.save_train:
        h.update(json.dumps([bundle.columns, bundle.save_train], sort_keys=True).encode())
    specs = {k: val for k, val in bundle.specs.items() if k != "cv_folds"}
    h.update(json.dumps(_jsonable(specs), sort_keys=True, default=str).encode())
    fingerprint = h.hexdigest()
    object.__setattr__(bundle, "fingerprint", fingerprint)
    object.__setattr__(bundle, "summary", summarise(bundle))
    return bundle


def summarise(b: Bundle) -> dict[str, Any]:
    def counts(y: np.ndarray) -> list[int]:
        if len(y) == 0:
            return [0] * b.num_classes
        if b.multilabel:
            return [int(c) for c in y.sum(axis=0)]
        return [int(c) for c in np.bincount(y, minlength=b.num_classes)]

    shape = b.specs.get("original_shape")
    return {
        "dataset": b.dataset,
        "n_train": int(len(b.y_train)),
        "n_test": int(len(b.y_test)),
        "n_features": int(b.X_train.shape[1]) if b.columns is None
        else len(b.columns["feature_names"]),
        "n_classes": b.num_classes,
        "class_names": list(b.class_names),
        "train_counts": counts(b.y_train),
        "test_counts": counts(b.y_test),
        "multilabel": b.multilabel,
        "mode": b.mode,
        "n_folds": b.n_folds,
        "scale": b.scale,
        "original_shape": list(shape) if shape is not None else None,
        "save_train_predictions": b.save_train,
        "columns": None if b.columns is None else b.columns["entries"],
        "feature_names": None if b.columns is None else b.columns["feature_names"],
        "missing": None if b.columns is None else b.columns["missing"],
        "notices": list(b.notices),
    }
