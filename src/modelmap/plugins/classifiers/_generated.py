"""The built-in classifier plugins made from the rows of ``_table`` and the sklearn adapter.

Each row becomes a module ``modelmap.plugins.classifiers.<name>`` with the seed's plugin
contract (``CLF_INFO``, ``get_info()``, ``get_clf(args, data_specs)``); ``get_clf`` returns
the sklearn plugin's ``Classifier`` with the row's estimator built from the checked
parameters, so predictions, probabilities and decision values come from the one adapter.

Code identity: a generated plugin has no folder of its own, so its ``source_hash`` is a
fingerprint of its row, this module and the adapter's folder (any change to one of them
makes a new hash, so a stored result is never taken for one of changed code).  Rows
recorded in ``_table.LEGACY_HASHES`` with their current fingerprint report the hash their
hand-written folder had, so results stored before the table keep their keys.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.machinery
import json
import numbers
import sys
import types
import warnings
from functools import partial
from pathlib import Path
from typing import Any

from modelmap.errors import ArgumentWarning
from modelmap.plugins import _loading
from modelmap.plugins.tools import check_argument as check

from . import sklearn as adapter
from ._table import BUILTINS, LEGACY_HASHES

PACKAGE = __name__.rpartition('.')[0]
FOLDER = Path(__file__).parent


def check_gamma(args: Any, info: Any) -> Any:
    """``gamma`` is 'scale', 'auto' or a positive number; otherwise warn and use 'scale'."""
    value = check('gamma', args, info)
    if value in ('scale', 'auto'):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and value > 0:
        return float(value)
    warnings.warn(
        f"The 'gamma' parameter of {info['name']} must be 'scale', 'auto' or a float > 0; "
        f"got {value!r}. Using the default 'scale'.",
        ArgumentWarning, stacklevel=2,
    )
    return 'scale'


def _calibrated(estimator: Any) -> Any:
    from sklearn.calibration import CalibratedClassifierCV

    return CalibratedClassifierCV(estimator, ensemble=False)


def _one_vs_rest_calibrated(estimator: Any) -> Any:
    from sklearn.multiclass import OneVsRestClassifier

    return OneVsRestClassifier(_calibrated(estimator))


CHECKS = {'gamma': check_gamma}
WRAPS = {'calibrated': _calibrated, 'one_vs_rest_calibrated': _one_vs_rest_calibrated}


def build_estimator(row: dict[str, Any], info: dict[str, Any], args: Any) -> tuple[str, Any]:
    """(import path, estimator) of ``row`` for the job's ``args``, checked in declared order."""
    kwargs = dict(row.get('fixed') or {})
    checks = row.get('checks') or {}
    for spec in info['parameters']:
        name = spec['name']
        value = CHECKS[checks[name]](args, info) if name in checks else check(name, args, info)
        if name in (row.get('zero_is_none') or ()) and not value:
            value = None
        kwargs[name] = value
    estimator = adapter.load_estimator_class(row['estimator'])(**kwargs)
    wrap = row.get('wrap')
    return row['estimator'], WRAPS[wrap](estimator) if wrap else estimator


def adapter_hash() -> str:
    """The adapter's ``source_hash`` as the registry computes it for a plugin folder."""
    return _loading.source_hash(Path(adapter.__file__).parent)


def fingerprint(row: dict[str, Any]) -> str:
    """sha256 over the row (canonical JSON), this module's source and the adapter's hash."""
    digest = hashlib.sha256(json.dumps(row, sort_keys=True).encode())
    digest.update(b'\0' + Path(__file__).read_bytes() + b'\0' + adapter_hash().encode())
    return digest.hexdigest()


def reported_hash(name: str, current: str) -> str:
    """The recorded old hash while ``current`` is the recorded fingerprint, else ``current``."""
    recorded = LEGACY_HASHES.get(name)
    return recorded[1] if recorded is not None and recorded[0] == current else current


def make_module(row: dict[str, Any]) -> types.ModuleType:
    """The plugin module of one row."""
    name = f"{PACKAGE}.{row['name']}"
    module = types.ModuleType(name, f"{row['description']} (scikit-learn's "
                                    f"{row['estimator'].rpartition('.')[2]}), from _table.")
    info = {key: copy.deepcopy(row[key]) for key in ('name', 'short', 'description', 'parameters')}
    build = partial(build_estimator, row, info)
    module.__package__ = PACKAGE
    module.__spec__ = importlib.machinery.ModuleSpec(name, None, origin=__file__)
    module.CLF_INFO = info  # type: ignore[attr-defined]
    module.get_info = lambda: info  # type: ignore[attr-defined]
    module.get_clf = (  # type: ignore[attr-defined]
        lambda args, data_specs: adapter.Classifier(args, data_specs, info=info, build=build))
    module.__modelmap_path__ = FOLDER / row['name']  # type: ignore[attr-defined]
    module.__modelmap_source_hash__ = reported_hash(  # type: ignore[attr-defined]
        row['name'], fingerprint(row))
    return module


def install(package: types.ModuleType) -> list[str]:
    """Put every row's module into ``sys.modules`` and onto ``package``; return the names."""
    adapter.__modelmap_source_hash__ = reported_hash(  # type: ignore[attr-defined]
        'sklearn', adapter_hash())
    names = []
    for row in BUILTINS:
        module = make_module(row)
        sys.modules[module.__name__] = module
        setattr(package, row['name'], module)
        names.append(row['name'])
    return names
