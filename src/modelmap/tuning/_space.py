"""The search space: tuned parameters (``"tune": true``) and the families they belong to.

A *family* is one classifier configuration of the job with its tuned parameters left
open (meta parameters are expanded first, so ``"kernel": {"is_meta": true, ...}`` next to a
tuned ``C`` gives one family per kernel).  A *parameter* is one of

* ``categorical`` — ``values`` (strings, booleans, numbers, lists ...), ``initial`` one of them;
* ``int`` / ``float`` — ``min``, ``max``, ``initial``, ``sigma`` (the seed's format), plus
  ``log`` (search on a logarithmic scale; ``sigma`` is then in decades);
* ``list`` — a list of ints or floats such as hidden layer sizes: ``min``/``max`` bound each
  element, ``min_length``/``max_length`` the length, ``initial`` e.g. ``[64]``.

Floats are rounded to 4 significant digits so that near-identical configs count as one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmap.jobs import Config, canonical_json
from modelmap.jobs import (Problems, is_number, join_path, listing, parse_template, show,
                           suggest)

KINDS = ("categorical", "int", "float", "list")
KEYS = ("tune", "type", "values", "min", "max", "initial", "sigma", "log", "min_length",
        "max_length")
DIGITS = 4


def round_value(value: Any) -> Any:
    """Floats rounded to :data:`DIGITS` significant digits (lists element-wise)."""
    if isinstance(value, float) and math.isfinite(value) and value != 0.0:
        return float(f"{value:.{DIGITS}g}")
    if isinstance(value, (list, tuple)):
        return type(value)(round_value(v) for v in value)
    return value


@dataclass(frozen=True)
class Param:
    """One tuned parameter; ``low``/``high`` may be None (unbounded, StepSearchCV)."""

    name: str
    kind: str
    initial: Any
    values: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    sigma: float | None = None
    log: bool = False
    element: str = "int"  # list elements: "int" or "float"
    min_length: int = 1
    max_length: int = 4
    path: str = ""

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "float")

    @property
    def is_int(self) -> bool:
        return self.kind == "int" or (self.kind == "list" and self.element == "int")

    def clip(self, value: float) -> float:
        if self.low is not None:
            value = max(self.low, value)
        if self.high is not None:
            value = min(self.high, value)
        return value

    def cast(self, value: float) -> int | float:
        """A number of this parameter's type, inside its range, floats rounded."""
        value = self.clip(float(value))
        if self.is_int:
            return int(round(value))
        return round_value(float(value))

    # -- a transformed scale where uniform and normal steps make sense ----------------------
    def to_scale(self, value: float) -> float:
        return math.log10(value) if self.log else float(value)

    def from_scale(self, value: float) -> float:
        return 10.0 ** value if self.log else value

    @property
    def drawable(self) -> bool:
        """Whether :meth:`uniform` can draw a value (StepSearchCV numbers may lack a range)."""
        return self.kind == "categorical" or (self.low is not None and self.high is not None)

    def uniform(self, rng: np.random.Generator) -> Any:
        """A value drawn uniformly (on the log scale when ``log``)."""
        if self.kind == "categorical":
            return self.values[int(rng.integers(len(self.values)))]
        if self.kind == "list":
            length = int(rng.integers(self.min_length, self.max_length + 1))
            return [self.uniform_number(rng) for _ in range(length)]
        return self.uniform_number(rng)

    def uniform_number(self, rng: np.random.Generator) -> int | float:
        assert self.low is not None and self.high is not None
        if self.is_int and not self.log:  # every integer equally likely
            return self.cast(int(rng.integers(int(self.low), int(self.high) + 1)))
        lo, hi = self.to_scale(self.low), self.to_scale(self.high)
        return self.cast(self.from_scale(lo + rng.random() * (hi - lo)))

    def normal(self, rng: np.random.Generator, current: float) -> int | float:
        """The seed's normal step: ``N(current, sigma)`` cut off at min and max."""
        sigma = self.sigma if self.sigma is not None else default_sigma(self)
        x = rng.normal(self.to_scale(current), sigma)
        return self.cast(self.from_scale(x))


def default_sigma(param: Param) -> float:
    """A tenth of the range (on the parameter's scale) when the job gives no sigma."""
    if param.low is None or param.high is None:
        return 1.0
    return max((param.to_scale(param.high) - param.to_scale(param.low)) / 10, 1e-12)


@dataclass(frozen=True)
class Family:
    """One configuration of the job with its tuned parameters open."""

    index: int
    title: str  # the title template, tuned placeholders still in it
    method: str
    source: str
    args: Mapping[str, Any]  # every parameter: fixed values and tuning dicts, in job order
    params: tuple[Param, ...] = ()

    def initial(self) -> dict[str, Any]:
        return {p.name: p.initial for p in self.params}

    def uniform(self, rng: np.random.Generator) -> dict[str, Any]:
        """Values drawn uniformly from the ranges; a parameter without one keeps its
        initial value."""
        return {p.name: p.uniform(rng) if p.drawable else p.initial for p in self.params}

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def config_args(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Plugin parameters: fixed values and ``values`` for the tuned ones, in job order."""
        tuned = {p.name for p in self.params}
        return {k: (values[k] if k in tuned else v) for k, v in self.args.items()}

    def render_title(self, values: Mapping[str, Any]) -> str:
        problems = Problems("<title>")
        template = parse_template(self.title, list(self.args), "title", problems)
        if template is None:  # pragma: no cover - load_job checked the template already
            return self.title
        title, _ = template.render(self.config_args(values))
        return title


@dataclass(frozen=True)
class Space:
    """Every family of a tuning job."""

    families: tuple[Family, ...]

    @property
    def n_params(self) -> int:
        return sum(len(f.params) for f in self.families)

    def signature(self, family: int, values: Mapping[str, Any]) -> str:
        return canonical_json([family, dict(values)])


# -- reading the tuning dicts of a loaded job -----------------------------------------------
def check_tuning_parameters(classifiers: Any, problems: Problems) -> None:
    """Check every ``"tune": true`` dict of the raw ``classifiers`` list (naming each field)."""
    found = 0
    for index, entry in enumerate(classifiers if isinstance(classifiers, list) else []):
        if not isinstance(entry, Mapping):
            continue
        for name, value in entry.items():
            if isinstance(value, Mapping) and value.get("tune") is True:
                found += 1
                parse_param(name, value, join_path(join_path("classifiers", index), name),
                            problems)
    if not found and isinstance(classifiers, list) and classifiers:
        problems.add("classifiers", "no tunable parameter; a tuning job needs at least one "
                     'parameter with "tune": true',
                     'e.g. "C": {"tune": true, "type": "float", "min": 0.01, "max": 100, '
                     '"initial": 1, "sigma": 2}')


def build_space(classifiers: Sequence[Config]) -> Space:
    """The space of a checked job loaded with ``allow_tuning=True``."""
    families = []
    for index, config in enumerate(classifiers):
        params = []
        for name, value in config.args.items():
            if isinstance(value, Mapping) and value.get("tune") is True:
                param = parse_param(name, value, join_path(config.source, name),
                                    Problems("<job>"))
                if param is not None:
                    params.append(param)
        families.append(Family(index, config.title, config.method, config.source,
                               dict(config.args), tuple(params)))
    return Space(tuple(families))


def parse_param(name: str, spec: Mapping[str, Any], path: str, problems: Problems
                ) -> Param | None:
    """One ``{"tune": true, ...}`` dict as a :class:`Param`, or None after its problems."""
    before = len(problems)
    for key in spec:
        if key not in KEYS:
            problems.add(join_path(path, key), f"unknown key in a tuning parameter"
                         f"{suggest(key, KEYS)}", f"valid keys are: {listing(KEYS)}")
    kind = spec.get("type", "categorical" if "values" in spec else None)
    if kind not in KINDS:
        got = "missing" if kind is None else f"got {show(kind)}"
        problems.add(join_path(path, "type"), f"must be one of {listing(KINDS)}; {got}",
                     '"categorical" with "values" for strings and booleans, "int" or "float" '
                     'with "min" and "max" for numbers')
        return None
    if kind == "categorical":
        param = _categorical(name, spec, path, problems)
    else:
        param = _numeric(name, kind, spec, path, problems)
    return param if len(problems) == before else None


def _categorical(name: str, spec: Mapping, path: str, problems: Problems) -> Param | None:
    values = spec.get("values")
    if not isinstance(values, list) or not values:
        problems.add(join_path(path, "values"), f"must be a non-empty list of the values to "
                     f"try; got {show(values) if 'values' in spec else 'nothing'}",
                     'e.g. "values": ["linear", "rbf"]')
        return None
    texts = [canonical_json(v) for v in values]
    initial = spec.get("initial", values[0])
    if canonical_json(initial) not in texts:
        problems.add(join_path(path, "initial"), f"{show(initial)} is not one of the values "
                     f"{show(values)}", "use one of the listed values (or leave initial out to "
                     "start with the first)")
    unique = [v for i, v in enumerate(values) if texts.index(texts[i]) == i]
    for key in ("min", "max", "sigma", "log", "min_length", "max_length"):
        if key in spec:
            problems.add(join_path(path, key), f'"{key}" is for numbers; a categorical '
                         'parameter has only "values" and "initial"')
    return Param(name, "categorical", initial, values=tuple(unique), path=path)


def _numeric(name: str, kind: str, spec: Mapping, path: str, problems: Problems
             ) -> Param | None:
    before = len(problems)
    element = "int"
    bounds = {}
    for key in ("min", "max"):
        value = spec.get(key)
        if not is_number(value):
            problems.add(join_path(path, key), f"must be a number; got "
                         f"{show(value) if key in spec else 'nothing'}",
                         f'a {kind} parameter needs "min" and "max"')
        elif kind == "int" and not float(value).is_integer():
            problems.add(join_path(path, key), f"must be a whole number for an int parameter; "
                         f"got {show(value)}")
        else:
            bounds[key] = value
    if len(bounds) == 2 and bounds["min"] > bounds["max"]:
        problems.add(join_path(path, "min"), f"min {show(bounds['min'])} is greater than max "
                     f"{show(bounds['max'])}", "swap the two values")
    log = spec.get("log", False)
    if not isinstance(log, bool):
        problems.add(join_path(path, "log"), f"must be true or false; got {show(log)}")
    elif log and "min" in bounds and bounds["min"] <= 0:
        problems.add(join_path(path, "min"), f"must be > 0 on a log scale; got "
                     f"{show(bounds['min'])}", 'use a positive min or remove "log": true')
    sigma = spec.get("sigma")
    if sigma is not None and (not is_number(sigma) or sigma <= 0):
        problems.add(join_path(path, "sigma"), f"must be a number > 0 (the spread of the normal "
                     f"step around the current value); got {show(sigma)}")
    lengths = _lengths(kind, spec, path, problems)
    if kind == "list":
        element = "int" if all(float(b).is_integer() and isinstance(b, int)
                                for b in bounds.values()) else "float"
    if len(problems) > before:
        return None
    param = Param(name, kind, None, low=bounds["min"], high=bounds["max"], sigma=sigma,
                  log=bool(log), element=element, min_length=lengths[0],
                  max_length=lengths[1], path=path)
    initial = spec.get("initial", _default_initial(param))
    problem = _initial_problem(param, initial)
    if problem:
        problems.add(join_path(path, "initial"), problem,
                     f"give an initial value inside [{show(param.low)}, {show(param.high)}]")
        return None
    if kind == "list":
        initial = [param.cast(v) for v in initial]
    else:
        initial = param.cast(initial)
    return Param(**{**param.__dict__, "initial": initial})


def _lengths(kind: str, spec: Mapping, path: str, problems: Problems) -> tuple[int, int]:
    if kind != "list":
        for key in ("min_length", "max_length"):
            if key in spec:
                problems.add(join_path(path, key), f'"{key}" is only for "list" parameters')
        return 1, 1
    low, high = spec.get("min_length", 1), spec.get("max_length", 4)
    for key, value in (("min_length", low), ("max_length", high)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.add(join_path(path, key), f"must be an integer >= 1; got {show(value)}")
            return 1, 4
    if low > high:
        problems.add(join_path(path, "min_length"), f"min_length {low} is greater than "
                     f"max_length {high}", "swap the two values")
    return low, high


def _default_initial(param: Param) -> Any:
    assert param.low is not None and param.high is not None
    middle = param.from_scale((param.to_scale(param.low) + param.to_scale(param.high)) / 2)
    value = param.cast(middle)
    return [value] * param.min_length if param.kind == "list" else value


def _initial_problem(param: Param, initial: Any) -> str | None:
    items = initial if param.kind == "list" else [initial]
    if param.kind == "list":
        if not isinstance(initial, list) or not initial:
            return f"must be a non-empty list of numbers; got {show(initial)}"
        if not param.min_length <= len(initial) <= param.max_length:
            return (f"has {len(initial)} elements, outside min_length {param.min_length} .. "
                    f"max_length {param.max_length}")
    for item in items:
        if not is_number(item):
            return f"must be a number; got {show(item)}"
        assert param.low is not None and param.high is not None
        if not param.low <= item <= param.high:
            return f"{show(item)} is outside the range [{show(param.low)}, {show(param.high)}]"
        if param.is_int and not float(item).is_integer():
            return f"must be a whole number; got {show(item)}"
    return None
