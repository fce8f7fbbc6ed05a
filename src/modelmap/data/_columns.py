"""A DataFrame of mixed columns → a numeric matrix plus the plan to encode it per split.

The matrix keeps what the table says and nothing learnt from it: numbers as numbers,
categories as integer codes into a fixed, sorted list of the categories, dates as numeric
parts, missing cells as NaN.  Everything that is *fitted* (imputers, one-hot encoders,
the scaler) is fitted later on the training rows of each split (``_encode``), so no
statistic of the test rows reaches a classifier.

The plan (``columns``) is plain JSON and is stored with the bundle: which input column
became which features, what kind it is and how it is encoded.  Every choice is also
returned as a notice for the front end to print once per job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from modelmap.errors import DataError

#: A categorical column with more categories than this is encoded as one ordinal code.
MAX_ONEHOT = 20
MISSING_MODES = ("impute", "keep", "drop")
_DATE_PARTS = ("year", "month", "day", "weekday")
_TEXT_MIN_LENGTH = 30
#: ``text: "hash"``: a free-text column becomes this many hashed word counts.
TEXT_FEATURES = 32


@dataclass
class Table:
    """What :func:`analyse` made of a training (and optional test) DataFrame."""

    X_train: np.ndarray
    X_test: np.ndarray | None
    columns: dict[str, Any]
    keep_train: np.ndarray  # rows kept (``missing: "drop"``)
    keep_test: np.ndarray | None
    notices: list[str] = field(default_factory=list)


def is_frame(value: Any) -> bool:
    return hasattr(value, "columns") and hasattr(value, "dtypes") and hasattr(value, "iloc")


def analyse(train: Any, test: Any | None, data: Mapping[str, Any], where: str) -> Table:
    """Classify and convert every column; raise a :class:`DataError` naming the column."""
    import pandas as pd

    missing = data.get("missing") or "impute"
    if missing not in MISSING_MODES:
        raise DataError(f'data.missing must be one of {list(MISSING_MODES)}; got {missing!r}',
                        where="data.missing")
    train = train.rename(columns=str)
    test = test.rename(columns=str) if test is not None else None
    _check_test_columns(train, test, where)
    both = pd.concat([train, test], ignore_index=True) if test is not None else train
    categorical = _categorical_names(data, list(train.columns), where)
    text = data.get("text") or "refuse"
    entries, notices = [], []
    for name in train.columns:  # first pass: what each column is (one at a time in memory)
        entry, _matrix, notice = _column(both[name], name, name in categorical, text, where)
        if notice:
            notices.append(notice)
        if entry is not None:
            entries.append(entry)
    if not entries:
        raise DataError("no usable feature column is left (every column was dropped)",
                        where=where, hint="see the notices above for why each was dropped")
    X = _matrix_of(both, entries, categorical, text, where)
    n_train = len(train)
    columns = _plan(entries, missing)
    counts = np.isnan(X).sum(axis=0)  # missing cells per matrix column (no copy of X)
    keep = np.ones(len(X), dtype=bool)
    if missing == "drop":
        keep = ~np.isnan(X).any(axis=1)
        if not keep.all():
            notices.append(f'data.missing = "drop": dropped {int((~keep).sum())} of {len(keep)} '
                           "rows with a missing value")
    elif counts.any():
        notices.append(_missing_notice(missing, int(counts.sum()), entries, counts))
    notices.append("features: " + "; ".join(_describe(e) for e in entries))
    if not keep.all():
        X = X[keep]
        n_train = int(keep[:len(train)].sum())
    return Table(X[:n_train], None if test is None else X[n_train:], columns,
                 keep[:len(train)], None if test is None else keep[len(train):], notices)


def _matrix_of(frame: Any, entries: list[dict], categorical: set[str], text: str,
               where: str) -> np.ndarray:
    """Second pass: every kept column converted again, straight into one preallocated
    matrix, so that a large table is never held as a list of columns plus their stack."""
    widths = [len(e["features"]) if e["kind"] != "categorical" else 1 for e in entries]
    X = np.empty((len(frame), sum(widths)), dtype=np.float64)
    start = 0
    for entry, width in zip(entries, widths):
        name = entry["column"]
        _entry, part, _notice = _column(frame[name], name, name in categorical, text, where)
        X[:, start:start + width] = part.reshape(len(frame), width)
        start += width
    return X


def _check_test_columns(train: Any, test: Any | None, where: str) -> None:
    if test is not None and list(test.columns) != list(train.columns):
        raise DataError(f"X_test has the columns {list(test.columns)} but X_train has "
                        f"{list(train.columns)}", where=where,
                        hint="return the same columns in the same order for both")


def _categorical_names(data: Mapping[str, Any], names: Sequence[str], where: str) -> set[str]:
    chosen = data.get("categorical") or []
    for i, name in enumerate(chosen):
        if str(name) not in names:
            raise DataError(f"the column {name!r} given as categorical is not a feature column",
                            where=f"data.categorical[{i}]",
                            hint=f"feature columns are: {', '.join(names)}")
    return {str(n) for n in chosen}


def _column(series: Any, name: str, forced: bool, text: str, where: str):
    """(plan entry or None, matrix columns, notice or None) for one input column."""
    import pandas as pd

    types = pd.api.types
    present = series.notna()
    if not present.any():
        return None, None, f"column {name!r} dropped: every value is missing"
    distinct = series[present].nunique()
    if distinct == 1 and present.all():
        return None, None, f"column {name!r} dropped: it has one value only"
    if types.is_datetime64_any_dtype(series) or (not forced and _looks_like_dates(series)):
        return _date(series, name, where)
    if forced or not types.is_numeric_dtype(series) or types.is_bool_dtype(series):
        if not forced and _looks_like_text(series[present], distinct):
            if text == "hash":
                return _hashed(series, name)
            raise DataError(
                f"column {name!r} holds free text ({distinct} distinct values, e.g. "
                f"{str(series[present].iloc[0])[:40]!r})", where=where,
                hint=f'leave {name!r} out of data.features, or set "text": "hash" to turn '
                     f"its words into {TEXT_FEATURES} hashed word counts")
        if not forced and distinct == present.sum() == len(series) and len(series) > MAX_ONEHOT:
            return None, None, f"column {name!r} dropped: every value differs (a row id?)"
        return _categorical(series, name)
    if _looks_like_row_id(series):
        return None, None, f"column {name!r} dropped: it counts the rows (a row id?)"
    return {"column": name, "kind": "numeric", "features": [name]}, \
        series.to_numpy(dtype=np.float64, na_value=np.nan), None


def _categorical(series: Any, name: str):
    present = series.notna()
    values = series[present]
    try:
        categories = sorted(values.unique().tolist())
    except TypeError:  # mixed types: compare as text
        values = values.astype(str)
        categories = sorted(values.unique().tolist())
    codes = np.full(len(series), np.nan)
    lookup = {value: index for index, value in enumerate(categories)}
    codes[present.to_numpy()] = [lookup[v] for v in values.tolist()]
    labels = [_label(c) for c in categories]
    encoding = "onehot" if len(categories) <= MAX_ONEHOT else "ordinal"
    features = [f"{name}={c}" for c in labels] if encoding == "onehot" else [name]
    entry = {"column": name, "kind": "categorical", "encoding": encoding,
             "categories": labels, "features": features}
    return entry, codes, None


def _label(value: Any) -> str:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _date(series: Any, name: str, where: str):
    import pandas as pd

    try:
        dates = pd.to_datetime(series, errors="raise", format="mixed")
    except (ValueError, TypeError) as exc:
        raise DataError(f"column {name!r} looks like dates but cannot be read as dates ({exc})",
                        where=where, hint=f"fix the values, or leave {name!r} out of "
                        "data.features") from None
    parts = np.column_stack([
        dates.dt.year, dates.dt.month, dates.dt.day, dates.dt.day_of_week,
    ]).astype(np.float64)
    entry = {"column": name, "kind": "date",
             "features": [f"{name}.{part}" for part in _DATE_PARTS]}
    return entry, parts, None


def _is_text(series: Any) -> bool:
    import pandas as pd

    return series.dtype == object or pd.api.types.is_string_dtype(series)


def _hashed(series: Any, name: str):
    """Word counts hashed into :data:`TEXT_FEATURES` columns (scikit-learn's
    ``HashingVectorizer``: nothing is fitted, so nothing can leak between splits)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    vectorizer = HashingVectorizer(n_features=TEXT_FEATURES, alternate_sign=False, norm=None)
    counts = vectorizer.transform(series.fillna("").astype(str).tolist()).toarray()
    entry = {"column": name, "kind": "text",
             "features": [f"{name}#{i}" for i in range(TEXT_FEATURES)]}
    return entry, counts.astype(np.float64), None


def _looks_like_dates(series: Any) -> bool:
    if not _is_text(series):
        return False
    sample = series.dropna().astype(str).head(50)
    if sample.empty:
        return False
    return bool(sample.str.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?.*)?").all())


def _looks_like_text(values: Any, distinct: int) -> bool:
    if distinct <= MAX_ONEHOT or not _is_text(values):
        return False
    text = values.astype(str)
    return bool(text.str.len().mean() >= _TEXT_MIN_LENGTH and text.str.contains(" ").mean() > 0.5)


def _looks_like_row_id(series: Any) -> bool:
    import pandas as pd

    if not pd.api.types.is_integer_dtype(series) or len(series) <= MAX_ONEHOT:
        return False
    values = series.to_numpy()
    return bool(np.all(np.diff(values) == 1))


def _plan(entries: list[dict[str, Any]], missing: str) -> dict[str, Any]:
    """Matrix column indices per encoder, in the order of the encoded features."""
    numeric, onehot, ordinal, index = [], [], [], 0
    for entry in entries:
        width = len(entry["features"]) if entry["kind"] != "categorical" else 1
        idx = list(range(index, index + width))
        if entry["kind"] != "categorical":
            numeric += idx
        elif entry["encoding"] == "onehot":
            onehot.append([idx[0], len(entry["categories"])])
        else:
            ordinal += idx
        entry["source"] = idx
        index += width
    ordered = [e for e in entries if e["kind"] != "categorical"] + \
        [e for e in entries if e.get("encoding") == "onehot"] + \
        [e for e in entries if e.get("encoding") == "ordinal"]
    return {"entries": entries, "numeric": numeric, "onehot": onehot, "ordinal": ordinal,
            "missing": missing, "feature_names": [f for e in ordered for f in e["features"]]}


def _describe(entry: dict[str, Any]) -> str:
    if entry["kind"] == "categorical":
        how = "one-hot" if entry["encoding"] == "onehot" else "ordinal code"
        return f"{entry['column']} categorical ({len(entry['categories'])} values, {how})"
    if entry["kind"] == "date":
        return f"{entry['column']} date → {', '.join(_DATE_PARTS)}"
    if entry["kind"] == "text":
        return f"{entry['column']} text → {TEXT_FEATURES} hashed word counts"
    return f"{entry['column']} numeric"


def _missing_notice(missing: str, n: int, entries: list[dict], counts: np.ndarray) -> str:
    named = [f"{e['column']} ({int(counts[e['source']].max())})" for e in entries
             if counts[e["source"]].any()]
    if missing == "keep":
        how = "kept as NaN for the classifiers (data.missing = \"keep\")"
    else:
        how = ("imputed on the training rows of each split: numbers with the median, "
               "categories with the most frequent value (data.missing = \"impute\")")
    return f"{n} missing value(s) in {', '.join(named)}: {how}"
