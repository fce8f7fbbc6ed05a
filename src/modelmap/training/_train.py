"""Train one configuration on one bundle → :class:`TrainResult` records. Pure: no store."""

from __future__ import annotations

import time
import traceback as tb
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from modelmap.data import CV_TEST, CV_TRAIN, Bundle, Split
from modelmap.errors import PluginError
from modelmap.training import _scores
from modelmap.training._capture import capture
from modelmap.training._exits import PLUGIN_EXITS, describe_exit
from modelmap.training._machine import machine_info
from modelmap.training._result import STATUS_FAILED, TrainResult


@dataclass
class _Outcome:
    """What one split produced."""

    fit: float = 0.0
    predict_train: float = 0.0
    predict_test: float = 0.0
    pred_train: np.ndarray | None = None
    proba_train: np.ndarray | None = None
    pred_test: np.ndarray | None = None
    proba_test: np.ndarray | None = None
    history: dict[str, list[float]] | None = None
    notes: list[str] = field(default_factory=list)


def train_config(bundle: Bundle, module: Any, args: Mapping[str, Any], *, key: str,
                 plugin_hash: str = "") -> list[TrainResult]:
    """Fit, predict and score one classifier configuration.

    Returns the result (first) followed by one result per fold when the bundle asks
    for per-fold results.  Never raises for a plugin error: the result is ``failed``
    with the traceback and the captured log.
    """
    started = time.time()
    base = TrainResult(key=key, title=str(args.get("title", "")),
                       method=str(args.get("method", "")),
                       args={k: v for k, v in args.items() if k not in ("title", "method")},
                       machine=machine_info(), plugin_hash=plugin_hash, started_at=started)
    with capture() as log:
        try:
            results = _train(bundle, module, dict(args), base)
        except (Exception, *PLUGIN_EXITS) as exc:  # noqa: BLE001 - a plugin may raise anything
            error = describe_exit(exc) if isinstance(exc, PLUGIN_EXITS) else \
                f"{type(exc).__name__}: {exc}"
            return [base.replace(status=STATUS_FAILED, error=error,
                                 traceback=tb.format_exc(), log=log.getvalue(),
                                 times={"total": time.time() - started},
                                 finished_at=time.time())]
    text = log.getvalue()
    return [r.replace(log=text, finished_at=time.time()) for r in results]


def _train(bundle: Bundle, module: Any, args: dict, base: TrainResult) -> list[TrainResult]:
    splits = bundle.splits()
    if bundle.mode == CV_TEST:  # training is the same for every test fold: fit once
        whole = Split(None, splits[0].train_idx, np.arange(len(bundle.y_test)), False)
        outcome = _run_split(bundle, module, args, whole)
        per_fold = [(s, _subset_outcome(outcome, s.test_idx)) for s in splits]
    else:
        per_fold = [(s, _run_split(bundle, module, args, s)) for s in splits]
    if len(per_fold) == 1 and per_fold[0][0].fold is None:
        return [_record(bundle, base, per_fold[0][0], per_fold[0][1], include_train=True)]
    return _combine(bundle, base, per_fold)


class _PreparedSplits:
    """The scaled arrays of recent splits, so that the configs of a job that run in one
    process fit the scaler once per split, not once per config (the same numbers: the
    scaler sees the same training rows).  Every config gets its own copy, since a plugin
    may change its arrays in place.  Bounded by bytes; one bundle at a time."""

    def __init__(self, max_bytes: int = 256 * 2**20) -> None:
        self.max_bytes = max_bytes
        # bundle -> {split key: (X_train, X_test)}; the arrays go when the bundle does
        self.kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def get(self, bundle: Bundle, split: Split) -> tuple[np.ndarray, np.ndarray]:
        key = (split.fold, split.test_from_train, len(split.train_idx), len(split.test_idx))
        entries = self.kept.get(bundle)
        if entries is None:
            self.kept.clear()
            entries = self.kept[bundle] = {}
        found = entries.get(key)
        if found is None:
            found = _scaled(bundle, split)
            size = sum(a.nbytes for pair in entries.values() for a in pair)
            if size + found[0].nbytes + found[1].nbytes > self.max_bytes:
                return found  # too big to keep: this config's own arrays
            entries[key] = found
        return found[0].copy(), found[1].copy()


_PREPARED = _PreparedSplits()


def _scaled(bundle: Bundle, split: Split) -> tuple[np.ndarray, np.ndarray]:
    """Encoded (table columns: imputed, one-hot) and scaled, fitted on the split's
    training rows only."""
    X_train, X_test = _split_X(bundle, split)
    return bundle.encode_split(X_train, X_test)


def _split_X(bundle: Bundle, split: Split) -> tuple[np.ndarray, np.ndarray]:
    source = bundle.X_train if split.test_from_train else bundle.X_test
    return bundle.X_train[split.train_idx], source[split.test_idx]


def _run_split(bundle: Bundle, module: Any, args: dict, split: Split) -> _Outcome:
    y_train = bundle.y_train[split.train_idx]
    y_test = (bundle.y_train if split.test_from_train else bundle.y_test)[split.test_idx]
    if bundle.encoded:
        X_train, X_test = _PREPARED.get(bundle, split)
    else:
        X_train, X_test = _split_X(bundle, split)
    clf = module.get_clf(fold_args(args, split.fold), bundle.data_specs())
    out = _Outcome()
    t0 = time.perf_counter()
    clf.fit(X_train, y_train)
    out.fit = time.perf_counter() - t0
    out.pred_train, out.proba_train, out.predict_train = _predict(clf, X_train, y_train, bundle,
                                                                  out)
    if len(y_test):
        out.pred_test, out.proba_test, out.predict_test = _predict(clf, X_test, y_test, bundle,
                                                                   out)
    out.history = _history(clf, out)
    for note in out.notes:
        print(f"modelmap: {note}")
    return out


def fold_args(args: Mapping[str, Any], fold: int | None) -> dict:
    """What the plugin gets for one split: under cross-validation the title is
    ``"<title> fold<n>"``, as in the seed (plugins that save their model by title rely on
    it); the stored result keeps the bare title and the fold number."""
    out = dict(args)
    if fold is not None:
        out["title"] = f"{args.get('title', '')} fold{fold}"
    return out


def _predict(clf: Any, X: np.ndarray, y: np.ndarray, bundle: Bundle, out: _Outcome):
    t0 = time.perf_counter()
    pred = np.asarray(clf.predict(X, y))
    elapsed = time.perf_counter() - t0
    pred = _check_pred(pred, y, bundle)
    proba = _probabilities(clf, X, y, bundle, out)
    return pred, proba, elapsed


def _check_pred(pred: np.ndarray, y: np.ndarray, bundle: Bundle) -> np.ndarray:
    if not bundle.multilabel and pred.ndim == 2 and pred.shape[1] == 1:
        pred = pred.ravel()
    if pred.shape != y.shape:
        raise PluginError(
            f"predict() returned shape {pred.shape}; expected {y.shape} (one "
            f"{'row of label indicators' if bundle.multilabel else 'class index'} per sample)"
        )
    if pred.dtype.kind == "f":
        pred = np.round(pred)
    pred = pred.astype(np.int64)
    upper = 1 if bundle.multilabel else bundle.num_classes - 1
    if ((pred < 0) | (pred > upper)).any():
        raise PluginError(f"predict() returned values outside [0, {upper}]")
    return pred


def _probabilities(clf: Any, X: np.ndarray, y: np.ndarray, bundle: Bundle,
                   out: _Outcome) -> np.ndarray | None:
    """``predict_proba``, else ``decision_function`` scaled to [0, 1], else None."""
    proba, source = None, "predict_proba()"
    if hasattr(clf, "predict_proba"):
        try:
            proba = clf.predict_proba(X, y)
        except (AttributeError, NotImplementedError) as exc:
            out.notes.append(f"predict_proba unavailable: {exc}")
    if proba is None and hasattr(clf, "decision_function"):
        source = "decision_function()"
        proba = np.asarray(clf.decision_function(X, y), dtype=np.float64)
        _check_finite(proba, source)
        proba = _normalise_decision(proba)
    if proba is None:
        return None
    proba = np.asarray(proba, dtype=np.float64)
    if proba.ndim == 1 and bundle.num_classes == 2 and not bundle.multilabel:
        proba = np.column_stack([1.0 - proba, proba])
    expected = (len(y), bundle.num_classes)
    if proba.shape != expected:
        out.notes.append(f"probabilities ignored: {source} returned shape {proba.shape}, "
                         f"expected {expected}")
        return None
    if source == "predict_proba()":
        check_probabilities(proba, source, rows_sum_to_one=not bundle.multilabel)
    return proba


#: How far a probability may stray from [0, 1], and a row's sum from 1 (float32 output of
#: a neural network sums to 1 within about 1e-6 per class).
PROBA_TOLERANCE = 1e-4


def _check_finite(values: np.ndarray, source: str) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        rows = np.flatnonzero(bad.reshape(len(values), -1).any(axis=1)) if values.ndim else [0]
        raise PluginError(f"{source} returned {int(bad.sum())} value(s) that are NaN or "
                          f"infinite, in {len(rows)} row(s) (first: row {int(rows[0])}); every "
                          "value must be a finite number")


def check_probabilities(proba: np.ndarray, source: str, *, rows_sum_to_one: bool) -> None:
    """Raise :class:`PluginError` saying what is wrong with probabilities a plugin returned:
    NaN or infinite values, values outside [0, 1], or (single-label) rows not summing to 1,
    each within :data:`PROBA_TOLERANCE`."""
    _check_finite(proba, source)
    lo, hi = float(proba.min(initial=0.0)), float(proba.max(initial=0.0))
    if lo < -PROBA_TOLERANCE or hi > 1 + PROBA_TOLERANCE:
        row = int(np.flatnonzero(((proba < -PROBA_TOLERANCE)
                                  | (proba > 1 + PROBA_TOLERANCE)).any(axis=1))[0])
        raise PluginError(f"{source} returned probabilities outside [0, 1] (from {lo:.6g} to "
                          f"{hi:.6g}; first in row {row}); each must be in [0, 1]")
    if rows_sum_to_one and len(proba):
        sums = proba.sum(axis=1)
        off = np.flatnonzero(np.abs(sums - 1.0) > PROBA_TOLERANCE)
        if len(off):
            raise PluginError(f"{source} returned {len(off)} row(s) that do not sum to 1 "
                              f"(first: row {int(off[0])} sums to {float(sums[off[0]]):.6g}); "
                              f"each row must sum to 1 (tolerance {PROBA_TOLERANCE:g})")


def _normalise_decision(values: np.ndarray) -> np.ndarray:
    """Scale decision-function values linearly to [0, 1] (the seed's normalisation)."""
    lo, hi = float(values.min()), float(values.max())
    if hi - lo < 1e-12:
        return np.full_like(values, 0.5)
    return (values - lo) / (hi - lo)


def _history(clf: Any, out: _Outcome) -> dict[str, list[float]] | None:
    if not hasattr(clf, "get_history"):
        return None
    history = clf.get_history()
    if history is None:
        return None
    if not isinstance(history, Mapping):
        out.notes.append(f"get_history() returned {type(history).__name__}, not a dict; ignored")
        return None
    return {str(k): [float(x) for x in np.asarray(v, dtype=np.float64).ravel()]
            for k, v in history.items()}


def _subset_outcome(o: _Outcome, idx: np.ndarray) -> _Outcome:
    return _Outcome(fit=o.fit, predict_train=o.predict_train, predict_test=o.predict_test,
                    pred_train=o.pred_train, proba_train=o.proba_train,
                    pred_test=None if o.pred_test is None else o.pred_test[idx],
                    proba_test=None if o.proba_test is None else o.proba_test[idx],
                    history=o.history, notes=o.notes)


def _score(bundle: Bundle, y: np.ndarray, pred: np.ndarray, proba: np.ndarray | None):
    if bundle.multilabel:
        return _scores.multi_label(y, pred, proba)
    return _scores.single_label(y, pred, proba, bundle.num_classes)


def _test_labels(bundle: Bundle, split: Split) -> np.ndarray:
    source = bundle.y_train if split.test_from_train else bundle.y_test
    return source[split.test_idx]


def _record(bundle: Bundle, base: TrainResult, split: Split, o: _Outcome, *,
            include_train: bool) -> TrainResult:
    scores: dict[str, dict[str, float]] = {}
    arrays: dict[str, np.ndarray] = {}
    y_train = bundle.y_train[split.train_idx]
    scores["train"], arrays["confusion_train"] = _score(bundle, y_train, o.pred_train,
                                                        o.proba_train)
    if include_train and bundle.save_train:
        arrays["pred_train"] = o.pred_train
        if o.proba_train is not None:
            arrays["proba_train"] = o.proba_train
    if o.pred_test is not None:
        y_test = _test_labels(bundle, split)
        scores["test"], arrays["confusion_test"] = _score(bundle, y_test, o.pred_test, o.proba_test)
        arrays["pred_test"] = o.pred_test
        if o.proba_test is not None:
            arrays["proba_test"] = o.proba_test
    times = {"fit": o.fit, "predict_train": o.predict_train, "predict_test": o.predict_test}
    times["total"] = sum(times.values())
    return base.replace(scores=scores, arrays=arrays, times=times, history=o.history,
                        fold=split.fold)


def _combine(bundle: Bundle, base: TrainResult, per_fold: list[tuple[Split, _Outcome]]
             ) -> list[TrainResult]:
    """Mean ± std over folds, merged out-of-fold predictions, optional per-fold records."""
    folds = [_record(bundle, base, s, o, include_train=False) for s, o in per_fold]
    scores: dict[str, dict[str, float]] = {}
    for part in ("train", "test"):
        mean, std = _scores.mean_std([f.scores[part] for f in folds if part in f.scores])
        if mean:
            scores[part], scores[f"{part}_std"] = mean, std
    n_test = len(bundle.y_train) if bundle.mode == CV_TRAIN else len(bundle.y_test)
    arrays: dict[str, np.ndarray] = {}
    first = per_fold[0][1]
    if first.pred_test is not None:
        shape = (n_test, bundle.num_classes) if bundle.multilabel else (n_test,)
        merged = np.zeros(shape, dtype=np.int64)
        proba = None if first.proba_test is None else np.zeros((n_test, bundle.num_classes))
        for split, o in per_fold:
            merged[split.test_idx] = o.pred_test
            if proba is not None and o.proba_test is not None:
                proba[split.test_idx] = o.proba_test
        arrays["pred_test"] = merged
        if proba is not None:
            arrays["proba_test"] = proba
        y_all = bundle.y_train if bundle.mode == CV_TRAIN else bundle.y_test
        arrays["confusion_test"] = _score(bundle, y_all, merged, proba)[1]
    arrays["folds"] = bundle.folds
    times = {name: float(np.mean([f.times[name] for f in folds]))
             for name in ("fit", "predict_train", "predict_test", "total")}
    history = per_fold[-1][1].history
    mean_result = base.replace(scores=scores, arrays=arrays, times=times, history=history)
    if not bundle.save_folds:
        return [mean_result]
    return [mean_result] + [f.replace(key=f"{base.key}.f{f.fold}", parent_key=base.key)
                            for f in folds]
