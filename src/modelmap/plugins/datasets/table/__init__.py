"""A user's own table: a CSV, TSV or Parquet file with one row per sample.

The job's data section tells the plugin what to read::

    "data": {
        "dataset": "table",
        "path": "measurements.csv",   // relative to the workspace, the job file or the
                                      // current folder
        "label": "species",           // column name (or 0-based column index) of the class
        "features": ["a", "b"]        // optional: feature columns, default all other columns
    }

Labels of any type become 0..k-1; ``class_names`` are the sorted unique label values as
strings.  Feature columns must be numeric.
"""

from pathlib import Path

import numpy as np

from modelmap.errors import DataError

_HINT = ('the table dataset reads "path", "label" and optionally "features" from the job\'s '
         'data section, e.g. "path": "data.csv", "label": "class"')
_READERS = {
    '.csv': lambda p: _pandas().read_csv(p),
    '.tsv': lambda p: _pandas().read_csv(p, sep='\t'),
    '.parquet': lambda p: _pandas().read_parquet(p),
    '.pq': lambda p: _pandas().read_parquet(p),
}


def _pandas():
    import pandas  # imported when a table is read: listing plugins stays fast

    return pandas


def get_info():
    return {
        'name': 'table',
        'description': 'Your table | CSV, TSV or Parquet file named in the job',
        # Unknown until the file is read
        'class_names': [],
    }


def _read(args):
    raw = args.get('path')
    if not raw or not isinstance(raw, str):
        raise DataError('No file to read: the data section has no "path".',
                        where='data.path', hint=_HINT)
    path = Path(raw).expanduser()
    suffix = path.suffix.lower()
    if suffix == '.gz':
        suffix = Path(path.stem).suffix.lower()
    if suffix not in _READERS:
        raise DataError(f'Cannot read {str(path)!r}: unknown file type {suffix or "(none)"!r}.',
                        where='data.path', hint='use a .csv, .tsv, .parquet or .pq file.')
    if not path.is_file():
        raise DataError(f'The file {str(path)!r} does not exist (resolved to {path.resolve()}).',
                        where='data.path',
                        hint='relative paths are looked up in the workspace folder, then next '
                             'to the job file, then in the current folder.')
    return _READERS[suffix](path)


def _column(frame, key, where):
    columns = [str(c) for c in frame.columns]
    if isinstance(key, int) and not isinstance(key, bool) and -len(columns) <= key < len(columns):
        return frame.columns[key]
    if key in frame.columns:
        return key
    raise DataError(f'The table has no column {key!r}.', where=where,
                    hint=f'columns are: {", ".join(columns)} (or give a 0-based index).')


def _features(frame, label, args):
    chosen = args.get('features')
    if chosen is None:
        columns = [c for c in frame.columns if c != label]
    elif isinstance(chosen, (list, tuple)) and chosen:
        columns = [_column(frame, c, f'data.features[{i}]') for i, c in enumerate(chosen)]
    else:
        raise DataError(f'"features" must be a non-empty list of columns; got {chosen!r}.',
                        where='data.features', hint=_HINT)
    types = _pandas().api.types
    bad = [str(c) for c in columns if not types.is_numeric_dtype(frame[c])
           or types.is_bool_dtype(frame[c])]
    if bad:
        raise DataError(f'Feature columns must be numeric; not numeric: {", ".join(bad)}.',
                        where='data.features',
                        hint='list only numeric columns in "features", e.g. "features": '
                             + str([str(c) for c in columns if str(c) not in bad]))
    return columns


def _labels(series):
    if series.isna().any():
        rows = [int(i) for i in np.flatnonzero(series.isna().to_numpy())[:5]]
        raise DataError(f'{int(series.isna().sum())} rows have no label (first rows: {rows}).',
                        where='data.label', hint='fill or drop the rows without a label.')
    try:
        uniques = sorted(series.unique().tolist())
    except TypeError:
        uniques = sorted(series.astype(str).unique().tolist())
        series = series.astype(str)
    codes = {value: index for index, value in enumerate(uniques)}
    y = np.array([codes[value] for value in series.tolist()], dtype=int)
    return y, [str(value) for value in uniques]


def get_data(datasets_path, args=None):
    args = args or {}
    frame = _read(args)
    if args.get('label') is None:
        raise DataError('No label column: the data section has no "label".',
                        where='data.label', hint=_HINT)
    label = _column(frame, args['label'], 'data.label')
    features = _features(frame, label, args)
    y, class_names = _labels(frame[label])
    return {
        'X_train': frame[features].to_numpy(dtype=float),
        'y_train': y,
        'X_test': np.array([]),
        'y_test': np.array([]),
        'class_names': class_names,
        'specs': {'feature_names': [str(c) for c in features]},
    }
