"""Encoding a bundle's matrix per split: imputers, one-hot encoders and the scaler are
fitted on the split's training rows only, then applied to its test rows.

Built from scikit-learn's ``ColumnTransformer`` (``SimpleImputer``, ``OneHotEncoder``,
``StandardScaler``) following the plan ``_columns`` stored in ``Bundle.columns``.  The
one-hot categories are the fixed list from the plan (the schema, not a statistic), so
every split has the same features in the same order as ``columns["feature_names"]``; a
category absent from a split's training rows gives an all-zero column there.
"""

from __future__ import annotations

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
    encoder = build_encoder(columns, scale, impute=True)
    if encoder is None:
        return np.vstack([X_train, X_test]) if len(X_test) else X_train
    if columns is None:  # plain arrays, scaled: as before
        X = np.vstack([X_train, X_test]) if len(X_test) else X_train
        return np.asarray(encoder.fit(X_train).transform(X), dtype=np.float64)
    # a table: fitted on at most FIT_ROWS training rows (seeded) and transformed in chunks
    # into float32 (plenty for a picture), so that a large table never has several float64
    # copies of itself at once in the driver
    sample = X_train
    if len(X_train) > FIT_ROWS:
        rows = np.random.default_rng(0).choice(len(X_train), FIT_ROWS, replace=False)
        sample = X_train[np.sort(rows)]
    fitted = encoder.fit(sample)
    del sample
    width = len(columns["feature_names"])
    out = np.empty((len(X_train) + len(X_test), width), dtype=np.float32)
    for offset, part in ((0, X_train), (len(X_train), X_test)):
        for start in range(0, len(part), _CHUNK):
            chunk = part[start:start + _CHUNK]
            out[offset + start:offset + start + len(chunk)] = fitted.transform(chunk)
    return out


_CHUNK = 10_000
#: A data projection's encoder (imputer medians, scaler) is fitted on this many training rows.
FIT_ROWS = 20_000
