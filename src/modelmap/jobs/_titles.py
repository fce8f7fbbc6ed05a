"""Title templates: ``"KNN {n_neighbors}"`` filled in with a configuration's parameters.

``{name}`` is replaced by the parameter's value (strings as they are, floats rounded
to 12 significant digits, ``True``/``False``, lists and objects as JSON); ``{name:spec}``
applies a Python format spec; ``{{`` and ``}}`` are literal braces.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from ._meta import round12
from ._problems import Problems, listing, show, suggest

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


@dataclass(frozen=True)
class Field:
    """A ``{name}`` or ``{name:spec}`` placeholder."""

    name: str
    spec: str

    def placeholder(self) -> str:
        return "{" + self.name + (":" + self.spec if self.spec else "") + "}"


@dataclass(frozen=True)
class Template:
    """A parsed title: literal text and placeholders in order."""

    parts: tuple[str | Field, ...]

    @property
    def names(self) -> list[str]:
        return [part.name for part in self.parts if isinstance(part, Field)]

    def render(self, args: Mapping[str, Any], keep: Collection[str] = ()) -> tuple[str, str | None]:
        """The title for ``args`` and a problem (or None) when a format spec fails.

        Placeholders named in ``keep`` (tuning parameters) stay in the result, which is
        then itself a template: literal braces come out doubled.
        """
        escape = _escape if keep else str
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(escape(part))
            elif part.name in keep:
                out.append(part.placeholder())
            else:
                try:
                    out.append(escape(format_value(args[part.name], part.spec)))
                except (TypeError, ValueError) as exc:
                    value = show(args[part.name])
                    return "", f"placeholder {part.placeholder()} cannot format {value}: {exc}"
        return "".join(out), None


def format_value(value: Any, spec: str = "") -> str:
    """A parameter value as it appears in a title."""
    if spec:
        return format(value, spec)
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(round12(value))
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def escape_title(title: str) -> str:
    """A literal title written as a template (braces doubled)."""
    return _escape(title)


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def parse_template(title: str, names: list[str], path: str, problems: Problems) -> Template | None:
    """Parse ``title``; every placeholder must name one of ``names`` (the parameters)."""
    parts: list[str | Field] = []
    before = len(problems)
    position = 0
    for match in _TOKEN.finditer(title):
        parts.append(title[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
        elif match.group(1) is None:
            problems.add(
                path,
                f"unmatched '{token}' in {show(title)}; write '{token * 2}' for a literal brace",
            )
        else:
            field = _field(match.group(1), title, names, path, problems)
            parts.append(field or "")
    parts.append(title[position:])
    if len(problems) > before:
        return None
    return Template(tuple(part for part in parts if part != ""))


def _field(text: str, title: str, names: list[str], path: str, problems: Problems) -> Field | None:
    name, _, spec = text.partition(":")
    if name in names:
        return Field(name, spec)
    if not name:
        problems.add(
            path,
            f"empty placeholder '{{{text}}}' in {show(title)}; "
            "write '{{' and '}}' for literal braces",
        )
        return None
    available = f"its parameters are: {listing(names)}" if names else "it has no parameters"
    problems.add(
        path,
        f"placeholder '{{{name}}}' names no parameter of this configuration"
        f"{suggest(name, names)}; {available}",
    )
    return None
