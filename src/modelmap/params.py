"""Parameters of plugins and projections: the seed's ``check_argument`` and friends.

A neutral module (it imports only :mod:`modelmap.errors`), so that both the plugins and the
projections check their parameters with it without importing each other.  Plugins keep the
seed's import, ``from ...tools import check_argument as check``: :mod:`modelmap.plugins.tools`
re-exports everything here.

A classifier plugin declares its parameters in ``CLF_INFO['parameters']``; each entry has a
``name``, ``description``, ``type`` (``integer``, ``float``, ``string``, ``boolean``,
``array`` or ``other``; the seed's ``int``, ``bool`` and ``str`` are read as integer, boolean
and string), an optional ``range`` and a ``default_value``.

``check_argument`` returns the job's value when it is valid and otherwise warns with an
:class:`~modelmap.errors.ArgumentWarning` and returns the default, so a typo in a job
never stops a long batch.  ``validate_args`` gives the same messages without calling the
plugin (the runner's ``--strict`` mode turns them into errors).

Ranges: numbers use ``[min, max]`` (inclusive; ``None`` for an open end), strings list
the allowed values, arrays may give ``[min, max]`` for their elements.

The JSON-able descriptions (``describe_parameters``, ``default_config``) are shared by
``modelmap plugins``, the API and Help, for plugins and projections alike.
"""

from __future__ import annotations

import numbers
import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from modelmap.errors import ArgumentWarning, PluginError

__all__ = [
    "RESERVED",
    "TYPES",
    "TYPE_ALIASES",
    "check_argument",
    "default_config",
    "describe_expected",
    "describe_parameters",
    "jsonable",
    "type_of",
    "validate_args",
    "validate_info",
]

#: Names a plugin parameter must not use: they are keys of every job configuration.
RESERVED = ("method", "title", "fold")

#: The parameter types of the plugin contract.
TYPES = ("integer", "float", "string", "boolean", "array", "other")

#: Abbreviations of :data:`TYPES` that the seed's plugins use.
TYPE_ALIASES = {"int": "integer", "bool": "boolean", "str": "string"}

_NAME_RE = re.compile(r"[A-Za-z0-9_]+")
_INVALID = object()


def type_of(spec: Mapping[str, Any]) -> Any:
    """The parameter's type with abbreviations spelled out (``'int'`` → ``'integer'``)."""
    kind = spec.get("type")
    return TYPE_ALIASES.get(kind, kind) if isinstance(kind, str) else kind


def _bool_as_int(spec: Mapping[str, Any], value: Any) -> bool:
    """True/False for an integer parameter: the seed takes them as 1/0 (with a warning
    here, refused under ``--strict``)."""
    return type_of(spec) == "integer" and _is_bool(value) and _in_range(int(value),
                                                                          spec.get("range"))


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not _is_bool(value)


def _is_bool(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_))


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not _is_bool(value)


def _fmt_bound(bound: Any, negative: bool) -> str:
    if bound is None:
        return "-inf" if negative else "inf"
    return repr(bound)


def _fmt_range(rng: Sequence[Any]) -> str:
    return f"[{_fmt_bound(rng[0], True)}, {_fmt_bound(rng[1], False)}]"


def _in_range(value: Any, rng: Sequence[Any] | None) -> bool:
    if not rng:
        return True
    lo, hi = rng[0], rng[1]
    if lo is not None and not value >= lo:
        return False
    return hi is None or value <= hi


def describe_expected(spec: Mapping[str, Any]) -> str:
    """What a valid value of a parameter looks like, e.g. ``an integer in [1, 1000]``."""
    kind, rng = type_of(spec), spec.get("range")
    if kind == "integer":
        return "an integer" + (f" in {_fmt_range(rng)}" if rng else "")
    if kind == "float":
        return "a float" + (f" in {_fmt_range(rng)}" if rng else "")
    if kind == "string":
        return ("one of " + ", ".join(repr(v) for v in rng)) if rng else "a string"
    if kind == "boolean":
        return "a boolean"
    if kind == "array":
        return f"a list of numbers in {_fmt_range(rng)}" if rng else "a list"
    return "any value"


def _convert(spec: Mapping[str, Any], value: Any) -> Any:
    """The checked (and normalised) value, or ``_INVALID``."""
    kind, rng = type_of(spec), spec.get("range")
    if kind == "integer":
        return int(value) if _is_int(value) and _in_range(value, rng) else _INVALID
    if kind == "float":
        return float(value) if _is_real(value) and _in_range(value, rng) else _INVALID
    if kind == "string":
        if not isinstance(value, str) or (rng and value not in rng):
            return _INVALID
        return value
    if kind == "boolean":
        return bool(value) if _is_bool(value) else _INVALID
    if kind == "array":
        if not isinstance(value, (list, tuple)):
            return _INVALID
        if rng and not all(_is_real(v) and _in_range(v, rng) for v in value):
            return _INVALID
        return list(value)
    return value


def _find_spec(name: str, info: Mapping[str, Any]) -> Mapping[str, Any]:
    for spec in info.get("parameters") or ():
        if isinstance(spec, Mapping) and spec.get("name") == name:
            return spec
    plugin = info.get("name", "?")
    raise PluginError(
        f"The plugin {plugin} checks a parameter '{name}' that its info does not declare.",
        where=f"{plugin}.get_info()['parameters']",
        hint=f"add a parameter entry named '{name}' to the plugin's info (this is a plugin bug).",
    )


def _message(spec: Mapping[str, Any], info: Mapping[str, Any], value: Any) -> str:
    return (
        f"The '{spec['name']}' parameter of {info.get('name', '?')} must be "
        f"{describe_expected(spec)}; got {value!r}. "
        f"Using the default {spec.get('default_value')!r}."
    )


def _bool_message(spec: Mapping[str, Any], info: Mapping[str, Any], value: Any) -> str:
    return (
        f"The '{spec['name']}' parameter of {info.get('name', '?')} must be "
        f"{describe_expected(spec)}; got {value!r}, used as {int(value)} as the seed does "
        "(--strict refuses it)."
    )


def check_argument(name: str, args: Mapping[str, Any], info: Mapping[str, Any]) -> Any:
    """The value of parameter ``name`` in ``args``, checked against ``info``.

    Missing → the declared ``default_value``; invalid → an :class:`ArgumentWarning`
    and the default.  Integers are returned as ``int``, floats as ``float`` (integers
    are accepted for floats and converted, where the seed passed them unchanged), arrays
    as ``list``.  ``True``/``False`` for an integer are taken as 1/0 with a warning, as
    the seed takes them; for any other number type they are invalid.
    """
    spec = _find_spec(name, info)
    default = spec.get("default_value")
    if name not in args:
        return default
    if _bool_as_int(spec, args[name]):
        warnings.warn(_bool_message(spec, info, args[name]), ArgumentWarning, stacklevel=2)
        return int(args[name])
    value = _convert(spec, args[name])
    if value is _INVALID:
        warnings.warn(_message(spec, info, args[name]), ArgumentWarning, stacklevel=2)
        return default
    return value


def validate_args(args: Mapping[str, Any], info: Mapping[str, Any]) -> list[str]:
    """The ``check_argument`` message of every declared parameter in ``args`` that is invalid."""
    problems = []
    for spec in info.get("parameters") or ():
        name = spec.get("name")
        if name in args and _bool_as_int(spec, args[name]):
            problems.append(_bool_message(spec, info, args[name]))
        elif name in args and _convert(spec, args[name]) is _INVALID:
            problems.append(_message(spec, info, args[name]))
    return problems


def _parameter_problems(index: int, spec: Any) -> list[str]:
    where = f"parameters[{index}]"
    if not isinstance(spec, Mapping):
        return [f"{where} must be a dict with name, description, type and default_value."]
    name = spec.get("name")
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
        return [f"{where} needs a 'name' made of A-Z, a-z, 0-9 and _; got {name!r}."]
    where = f"{where} ('{name}')"
    if name in RESERVED:
        return [f"{where}: the names {', '.join(RESERVED)} are reserved; rename the parameter."]
    kind = type_of(spec)
    if kind not in TYPES:
        return [f"{where}: type must be one of {', '.join(TYPES)} (or int, bool, str); "
                f"got {spec.get('type')!r}."]
    rng = spec.get("range")
    if rng is not None and kind in ("integer", "float", "array"):
        if not isinstance(rng, (list, tuple)) or len(rng) != 2:
            return [f"{where}: range must be [min, max]; got {rng!r}."]
    if rng is not None and kind == "string" and not isinstance(rng, (list, tuple)):
        return [f"{where}: range must list the allowed strings; got {rng!r}."]
    if "default_value" not in spec:
        return [f"{where}: no 'default_value'; add the value used when a job omits it."]
    if _convert(spec, spec["default_value"]) is _INVALID:
        return [
            f"{where}: the default {spec['default_value']!r} is not "
            f"{describe_expected(spec)}; fix the default or the range."
        ]
    return []


def validate_info(info: Any) -> list[str]:
    """Problems with a plugin's own info (``get_info()`` result); empty when it is fine."""
    if not isinstance(info, Mapping):
        return [f"get_info() must return a dict; got {type(info).__name__}."]
    problems = []
    name = info.get("name")
    if not isinstance(name, str) or not name:
        problems.append("the info has no 'name'; add 'name': 'my_plugin'.")
    elif not _NAME_RE.fullmatch(name):
        problems.append(f"the name {name!r} may only contain A-Z, a-z, 0-9 and _.")
    if not isinstance(info.get("description"), str) or not info.get("description"):
        problems.append("the info has no 'description'; add a short text for menus and help.")
    parameters = info.get("parameters")
    if parameters is None:  # the seed's plugins without parameters say 'parameters': None
        parameters = []
    if not isinstance(parameters, (list, tuple)):
        return problems + ["'parameters' must be a list of parameter dicts (or None when "
                           f"the plugin has none); got {type(parameters).__name__}."]
    seen: set[str] = set()
    for index, spec in enumerate(parameters):
        problems.extend(_parameter_problems(index, spec))
        pname = spec.get("name") if isinstance(spec, Mapping) else None
        if isinstance(pname, str):
            if pname in seen:
                problems.append(f"parameters[{index}] ('{pname}') is declared twice.")
            seen.add(pname)
    return problems


_PARAM_KEYS = ("name", "description", "type", "range", "default_value")


def jsonable(value: Any) -> Any:
    """``value`` with tuples, NumPy scalars/arrays and paths turned into JSON types."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def describe_parameters(info: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The declared parameters as JSON-able dicts (name, description, type, range, default)."""
    return [
        {key: jsonable(spec.get(key)) for key in _PARAM_KEYS}
        for spec in info.get("parameters") or ()
    ]


def default_config(info: Mapping[str, Any]) -> dict[str, Any]:
    """A job configuration with every parameter at its default, ready to copy."""
    config: dict[str, Any] = {"title": info.get("short") or info["name"], "method": info["name"]}
    for spec in info.get("parameters") or ():
        config[spec["name"]] = jsonable(spec.get("default_value"))
    return config
