"""Unique titles: configurations that share a title but differ are renamed, as stated here.

The seed system trains two configurations with the same title (its own scaling jobs give
``SVM rbf rs1`` to configurations that differ in ``degree``).  modelmap trains them too and
keeps every title unique so each result can be found: every configuration of a clashing
title gets the parameters that tell the group apart appended, in the order they appear,
``SVM rbf rs1 (degree=2)``, ``SVM rbf rs1 (degree=3)``; a parameter one of them lacks shows
as ``degree not set``.  Should a new title still be taken, `` #2``, `` #3`` … (its place in
the group) is added.  ``--strict`` refuses such a job instead (see :attr:`Job.title_clashes`).
"""

from __future__ import annotations

from ._canonical import canonical_json
from ._model import Config
from ._titles import escape_title, format_value

_MISSING = object()


def rename_clashes(groups: dict[str, list[Config]], taken: set[str]) -> dict[int, str]:
    """New titles ``{id(config): title}`` for every config of each clashing group."""
    renamed: dict[int, str] = {}
    for title, group in groups.items():
        names = _differing(group)
        for place, config in enumerate(group, start=1):
            new = f"{title} ({_suffix(config, names)})"
            if new in taken:
                new = f"{new} #{place}"
            taken.add(new)
            renamed[id(config)] = new
    return renamed


def _value(config: Config, name: str) -> object:
    if name == "method":
        return config.method
    return config.args.get(name, _MISSING)


def _differing(group: list[Config]) -> list[str]:
    """Parameter names (``method`` first) whose value is not the same in every config."""
    candidates = ["method", *dict.fromkeys(n for c in group for n in c.args)]
    out = []
    for name in candidates:
        values = {canonical_json(v) if v is not _MISSING else "\0" for v in
                  (_value(c, name) for c in group)}
        if len(values) > 1:
            out.append(name)
    return out


def _suffix(config: Config, names: list[str]) -> str:
    parts = []
    for name in names:
        value = _value(config, name)
        parts.append(f"{name} not set" if value is _MISSING else f"{name}={format_value(value)}")
    text = ", ".join(parts)
    return escape_title(text) if config.is_template else text


def clash_notice(renamed: list[tuple[str, str]], kind: str) -> str:
    """The one notice of a job's renamed titles (``kind``: classifiers or projections)."""
    examples = ", ".join(f"'{old}' → '{new}'" for old, new in renamed[:2])
    more = f", … ({len(renamed) - 2} more)" if len(renamed) > 2 else ""
    return (f"{kind}: {len(renamed)} title(s) were shared by different configurations and were "
            f"made unique by appending the parameters that differ: {examples}{more}; "
            "--strict refuses such a job")
