"""A user's own table: one row per sample, in a CSV/TSV, Parquet, Feather, Excel or ARFF
file, or a folder of Parquet files.

The job's data section tells the plugin what to read::

    "data": {
        "dataset": "table",
        "path": "passengers.csv",     // relative to the workspace, the job file or the
                                      // current folder
        "label": "survived",          // column name (or 0-based column index) of the class
        "features": ["age", "sex"],   // optional: feature columns, default all other columns
        "categorical": ["pclass"],    // optional: numeric columns to treat as categories
        "missing": "impute"           // or "keep" / "drop"
    }

Only the label and feature columns are read.  Labels of any type (strings, booleans,
numbers) become 0..k-1; ``class_names`` are the sorted distinct label values as strings
(numbers sorted as numbers).  Rows without a label are dropped with a notice.  The
features are returned as a DataFrame: modelmap encodes categorical columns, imputes missing
values and drops useless columns itself, fitting encoders on training rows only.
"""

from pathlib import Path

import numpy as np

from modelmap.data import read_table, table_columns, table_kind
from modelmap.errors import DataError

_HINT = ('the table dataset reads "path", "label" and optionally "features" from the job\'s '
         'data section, e.g. "path": "data.csv", "label": "class"')


def get_info():
    return {
        'name': 'table',
        'description': 'Your table | CSV, TSV, Parquet, Feather, Excel or ARFF file named in '
                       'the job',
        # Unknown until the file is read
        'class_names': [],
    }


def _path(args):
    raw = args.get('path')
    if not raw or not isinstance(raw, str):
        raise DataError('No file to read: the data section has no "path".',
                        where='data.path', hint=_HINT)
    path = Path(raw).expanduser()
    if not path.exists():
        raise DataError(f'The file {str(path)!r} does not exist (resolved to {path.resolve()}).',
                        where='data.path',
                        hint='relative paths are looked up in the workspace folder, then next '
                             'to the job file, then in the current folder.')
    return path


def _column(columns, key, where, path):
    if isinstance(key, int) and not isinstance(key, bool) and -len(columns) <= key < len(columns):
        return columns[key]
    if key in columns:
        return key
    raise DataError(f'{str(path)!r} has no column {key!r}.', where=where,
                    hint=f'columns are: {", ".join(columns)} (or give a 0-based index).')


def _features(columns, label, args, path):
    chosen = args.get('features')
    if chosen is None:
        return [c for c in columns if c != label]
    if isinstance(chosen, (list, tuple)) and chosen:
        picked = [_column(columns, c, f'data.features[{i}]', path) for i, c in enumerate(chosen)]
        if label in picked:
            raise DataError(f'The label column {label!r} is also listed as a feature.',
                            where=f'data.features[{picked.index(label)}]',
                            hint='remove it from "features"')
        return picked
    raise DataError(f'"features" must be a non-empty list of columns; got {chosen!r}.',
                    where='data.features', hint=_HINT)


def _check_categorical(columns, features, args, path):
    for i, name in enumerate(args.get('categorical') or ()):
        if name not in columns:
            raise DataError(f'The column {name!r} given as categorical is not in {str(path)!r}.',
                            where=f'data.categorical[{i}]',
                            hint=f'columns are: {", ".join(columns)}')
        if name not in features:
            raise DataError(f'The column {name!r} given as categorical is not a feature column.',
                            where=f'data.categorical[{i}]',
                            hint='add it to "features" or remove it from "categorical"')


def _class_name(value):
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _labels(series, column, path):
    """Class indices and names; rows without a label are left out (mask returned)."""
    present = ~series.isna().to_numpy()
    values = series[present]
    if values.dtype == object or str(values.dtype) in ('string', 'category'):
        values = values.astype(str)
    try:
        uniques = sorted(values.unique().tolist())
    except TypeError:
        values = values.astype(str)
        uniques = sorted(values.unique().tolist())
    names = [_class_name(value) for value in uniques]
    if len(uniques) < 2:
        found = f'only the class {names[0]!r}' if names else 'no labels at all'
        raise DataError(f'The label column {column!r} of {str(path)!r} has {found}; a '
                        'classifier needs at least 2 classes.', where='data.label',
                        hint='choose another label column, or add rows of the other classes')
    if len(set(names)) != len(names):
        names = [repr(value) for value in uniques]
    codes = {value: index for index, value in enumerate(uniques)}
    y = np.fromiter((codes[value] for value in values.tolist()), dtype=np.int64,
                    count=len(values))
    return y, names, present


def get_data(datasets_path, args=None):
    args = args or {}
    path = _path(args)
    kind = table_kind(path)
    if args.get('label') is None:
        raise DataError('No label column: the data section has no "label".',
                        where='data.label', hint=_HINT)
    columns = table_columns(path, kind, args)
    label = _column(columns, args['label'], 'data.label', path)
    features = _features(columns, label, args, path)
    if not features:
        raise DataError(f'{str(path)!r} has no column besides the label {label!r}.',
                        where='data.features', hint='a table needs at least one feature column')
    _check_categorical(columns, features, args, path)
    frame = read_table(path, kind, args, [label] + features)
    y, class_names, present = _labels(frame[label], label, path)
    notices = []
    if not present.all():
        rows = [int(i) for i in np.flatnonzero(~present)[:5]]
        notices.append(f'{path.name}: dropped {int((~present).sum())} of {len(present)} rows '
                       f'without a label in column {label!r} (first rows: {rows})')
    X = frame[features]
    if not present.all():  # (a mask copies the table: only when rows go)
        X = X[present].reset_index(drop=True)
    del frame
    notices.append(f'{path.name}: label {label!r} → classes {class_names} (sorted; class i is '
                   'the i-th name)')
    return {
        'X_train': X,
        'y_train': y,
        'X_test': np.array([]),
        'y_test': np.array([]),
        'class_names': class_names,
        'specs': {'feature_names': [str(c) for c in features], 'source': str(path),
                  'notices': notices},
    }
