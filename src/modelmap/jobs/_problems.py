"""Collect the problems of a job and report them together in one :class:`JobError`.

Every line of the report starts with the job's origin (its file path, or ``<job>``
for a job given as a mapping), then the JSON path of the problem, then what is
wrong and, where useful, a hint on how to fix it.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from modelmap.errors import JobError

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def join_path(base: str, key: str | int) -> str:
    """Extend a JSON path: ``join_path("classifiers[3]", "C") == "classifiers[3].C"``."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    if not _IDENTIFIER.match(key):
        return f"{base}[{json.dumps(key, ensure_ascii=False)}]"
    return f"{base}.{key}" if base else key


def show(value: Any, limit: int = 60) -> str:
    """A value as the user wrote it in JSON (``"abc"``, ``true``, ``null``), shortened."""
    if isinstance(value, float) and not math.isfinite(value):
        text = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind_of(value: Any) -> str:
    """The JSON kind of a value, with an article: ``"a string"``, ``"a list"``, ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def is_number(value: Any) -> bool:
    """True for JSON numbers (int or float, never bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def suggest(word: str, options: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` for the closest option, or ``""``."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def listing(names: Iterable[str]) -> str:
    """Names for a message: ``a, b, c`` (or ``(none)``)."""
    names = list(names)
    return ", ".join(names) if names else "(none)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a job: where (a JSON path, may be empty), what, how to fix."""

    path: str
    message: str
    hint: str | None = None


class Problems:
    """An ordered, duplicate-free collection of problems of one job."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.items: list[Problem] = []

    def add(self, path: str, message: str, hint: str | None = None) -> None:
        problem = Problem(path, message, hint)
        if problem not in self.items:
            self.items.append(problem)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def check(self) -> None:
        """Raise one :class:`JobError` listing every problem collected so far."""
        if self.items:
            raise self.error()

    def error(self) -> JobError:
        first = self.items[0]
        where = self._where(first)
        if len(self.items) == 1:
            error = JobError(first.message, where=where, hint=first.hint)
        else:
            text = "\n".join(self._line(problem) for problem in self.items)
            error = JobError(text[len(where) + 2 :], where=where)
        error.problems = tuple(self.items)  # type: ignore[attr-defined]
        return error

    def _where(self, problem: Problem) -> str:
        return f"{self.origin}: {problem.path}" if problem.path else self.origin

    def _line(self, problem: Problem) -> str:
        line = f"{self._where(problem)}: {problem.message}"
        return line + (f"\n  hint: {problem.hint}" if problem.hint else "")
