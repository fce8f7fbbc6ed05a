"""One ``classifiers[i]`` or ``projections[i]`` entry: checked, not yet expanded."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._meta import ParamValues, parse_parameter
from ._problems import Problems, join_path, show
from ._titles import Template, parse_template

RESERVED = ("title", "method", "fold")
_EXAMPLE = '{"title": "KNN 5", "method": "kneighbors", "n_neighbors": 5}'


@dataclass(frozen=True)
class Entry:
    """A checked entry: its title template, plugin name and each parameter's values."""

    source: str
    title: Template
    method: str
    params: tuple[tuple[str, ParamValues], ...]

    @property
    def count(self) -> int:
        """How many configurations this entry expands to."""
        return math.prod(values.count for _, values in self.params)

    @property
    def tuning(self) -> list[str]:
        """Names of the tuning parameters (kept unexpanded)."""
        return [name for name, values in self.params if values.tuning]

    def meta_counts(self) -> list[tuple[str, int]]:
        """``(name, number of values)`` of each meta parameter."""
        return [(name, values.count) for name, values in self.params if values.meta]


def parse_entry(entry: Any, source: str, problems: Problems, allow_tuning: bool) -> Entry | None:
    """Check one entry; None after adding its problems."""
    if not isinstance(entry, Mapping):
        problems.add(source, f"must be an object like {_EXAMPLE}; got {show(entry)}")
        return None
    before = len(problems)
    title = _string(entry, "title", source, problems)
    method = _string(entry, "method", source, problems)
    params: list[tuple[str, ParamValues]] = []
    for name, value in entry.items():
        if name in ("title", "method"):
            continue
        path = join_path(source, name)
        if name == "fold":
            problems.add(
                path,
                "'fold' is reserved (the system passes each cross-validation fold under this name) "
                "and cannot be a parameter",
                "rename or remove it",
            )
            continue
        values = parse_parameter(name, value, path, problems, allow_tuning)
        if values is not None:
            params.append((name, values))
    names = [name for name in entry if name not in RESERVED]
    template = None
    if title is not None:
        template = parse_template(title, names, join_path(source, "title"), problems)
    if len(problems) > before or template is None or method is None:
        return None
    return Entry(source, template, method, tuple(params))


def _string(entry: Mapping, key: str, source: str, problems: Problems) -> str | None:
    if key not in entry:
        what = "a unique title" if key == "title" else "the plugin's name"
        problems.add(
            source, f'"{key}" is missing; every configuration needs {what}', f"e.g. {_EXAMPLE}"
        )
        return None
    value = entry[key]
    if not isinstance(value, str):
        problems.add(join_path(source, key), f"must be a string; got {show(value)}")
        return None
    if not value.strip():
        problems.add(join_path(source, key), "must not be empty")
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        problems.add(
            join_path(source, key),
            f"must not contain control characters such as line breaks or tabs; got {show(value)}",
        )
        return None
    return value
