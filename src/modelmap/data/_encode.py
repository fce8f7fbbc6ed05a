"""Encoding a bundle's matrix per split: imputers, one-hot encoders and the scaler are
fitted on the split's training rows only, then applied to its test rows.

Built from scikit-learn's ``ColumnTransformer`` (``SimpleImputer``, ``OneHotEncoder``,
``StandardScaler``) following the plan ``_columns`` stored in ``Bundle.columns``.  The
one-hot categories are the fixed list from the plan (the schema, not a statistic), so
every split has the same features in the same order as ``columns["feature_names"]``; a
category absent from a split's training rows gives an all-zero column there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np


def build_encoder(columns: dict[str, Any] | None, scale: bool, *, impute: bool | None = None):
    """The unfitted transformer for a plan (None: no plan, only the scaler if ``scale``)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    if columns is None:
        return StandardScaler() if scale else None
    if impute is None:
        impute = columns["missing"] == "impute"
    parts: list[tuple[str, Any, list[int]]] = []
    if columns["numeric"]:
        step = SimpleImputer(strategy="median", keep_empty_features=True) if impute \
            else "passthrough"
        parts.append(("numeric", step, list(columns["numeric"])))
    for index, n_categories in columns["onehot"]:
        encoder = OneHotEncoder(categories=[np.arange(n_categories, dtype=np.float64)],
                                handle_unknown="ignore", sparse_output=False)
        steps = ([SimpleImputer(strategy="most_frequent", keep_empty_features=True)]
                 if impute else []) + [encoder]
        parts.append((f"onehot{index}", make_pipeline(*steps), [index]))
    if columns["ordinal"]:
        step = SimpleImputer(strategy="most_frequent", keep_empty_features=True) if impute \
            else "passthrough"
        parts.append(("ordinal", step, list(columns["ordinal"])))
    transformer = ColumnTransformer(parts, remainder="drop", sparse_threshold=0)
    return make_pipeline(transformer, StandardScaler()) if scale else transformer


def encode_split(columns: dict[str, Any] | None, scale: bool, X_train: np.ndarray,
                 X_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(X_train, X_test)`` encoded by a transformer fitted on ``X_train`` alone."""
    encoder = build_encoder(columns, scale)
    if encoder is None:
        return X_train, X_test
    fitted = encoder.fit(X_train)
    train = np.asarray(fitted.transform(X_train), dtype=np.float64)
    if len(X_test):
        test = np.asarray(fitted.transform(X_test), dtype=np.float64)
    else:
        test = np.zeros((0, train.shape[1]))
    return train, test


def projection_features(columns: dict[str, Any] | None, scale: bool, X_train: np.ndarray,
                        X_test: np.ndarray) -> np.ndarray:
    """All rows (train, then test) encoded for a data projection: fitted on the training
    rows (of a table: at most :data:`FIT_ROWS` of them, a seeded sample) and always
    imputed, since projections cannot take missing values."""
    return ProjectionRows(columns, scale, X_train, X_test).materialize()


class ProjectionRows:
    """A bundle's rows (train, then test) encoded for a data projection, on demand.

    The encoder is fitted once, on the training rows (of a table: at most
    :data:`FIT_ROWS` of them, a seeded sample), and always imputes, since projections
    cannot take missing values.  A projection that can place new points (PCA) takes a
    sample of the rows with :meth:`take` to fit on and the rest :meth:`chunks` at a time,
    so a large table is never held encoded as a whole; the others :meth:`materialize` it.
    """

    def __init__(self, columns: dict[str, Any] | None, scale: bool, X_train: np.ndarray,
                 X_test: np.ndarray) -> None:
        self._train, self._test = X_train, X_test
        self._table = columns is not None
        encoder = build_encoder(columns, scale, impute=True)
        if encoder is not None:
            sample = X_train
            if self._table and len(X_train) > FIT_ROWS:
                rows = np.random.default_rng(0).choice(len(X_train), FIT_ROWS, replace=False)
                sample = X_train[np.sort(rows)]
            encoder = encoder.fit(sample)
        self._encoder = encoder

    def __len__(self) -> int:
        return len(self._train) + len(self._test)

    def _encode(self, rows: np.ndarray) -> np.ndarray:
        if self._encoder is None:
            return rows
        # a table's rows in float32: plenty for a picture, half the memory
        return np.asarray(self._encoder.transform(rows),
                          dtype=np.float32 if self._table else np.float64)

    def take(self, index: np.ndarray) -> np.ndarray:
        """The encoded rows at ``index`` (sorted positions into train, then test rows)."""
        index = np.asarray(index, dtype=np.int64)
        n_train = len(self._train)
        head, tail = index[index < n_train], index[index >= n_train] - n_train
        rows = self._train[head] if not len(tail) else \
            np.concatenate([self._train[head], self._test[tail]])
        return self._encode(rows)

    def chunks(self, size: int = 0) -> Iterator[np.ndarray]:
        """Every row, encoded, in order, ``size`` rows (default :data:`_CHUNK`) at a time."""
        size = size or _CHUNK
        for part in (self._train, self._test):
            for start in range(0, len(part), size):
                yield self._encode(part[start:start + size])

    def materialize(self) -> np.ndarray:
        """All rows encoded in one matrix (a table's in float32, filled chunk by chunk)."""
        if self._encoder is None:
            return np.vstack([self._train, self._test]) if len(self._test) else self._train
        if not self._table:  # plain arrays, scaled: one transform, float64
            X = np.vstack([self._train, self._test]) if len(self._test) else self._train
            return np.asarray(self._encoder.transform(X), dtype=np.float64)
        chunks = self.chunks()
        first = next(chunks)
        out = np.empty((len(self), first.shape[1]), dtype=np.float32)
        out[:len(first)] = first
        offset = len(first)
        for chunk in chunks:
            out[offset:offset + len(chunk)] = chunk
            offset += len(chunk)
        return out


_CHUNK = 10_000
#: A data projection's encoder (imputer medians, scaler) is fitted on this many training rows.
FIT_ROWS = 20_000
