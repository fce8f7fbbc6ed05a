"""Plugins: the contract, the registry and the built-in dataset and classifier plugins.

A dataset plugin defines ``get_info()`` and ``get_data(datasets_path)`` (optionally
``get_data(datasets_path, args)`` to receive the job's data section); a classifier plugin
defines ``get_info()`` and ``get_clf(args, data_specs)`` returning an object with
``fit``, ``predict`` and ``predict_proba`` (optionally ``get_history`` and
``decision_function``).  Parameters are checked with :func:`modelmap.plugins.tools.check_argument`.
"""

from __future__ import annotations

from modelmap.plugins._registry import KINDS, LoadProblem, Plugin, Registry, load_plugin
from modelmap.plugins.tools import RESERVED, check_argument, validate_args, validate_info

__all__ = [
    "KINDS",
    "RESERVED",
    "LoadProblem",
    "Plugin",
    "Registry",
    "check_argument",
    "load_plugin",
    "validate_args",
    "validate_info",
]
