"""Reading job files: JSON5 text (comments, trailing commas, Unicode) into a plain dict.

Syntax errors are reported as ``file:line:column`` with the offending line and a
hint; duplicate keys and non-finite numbers (``NaN``, ``Infinity``) are errors too.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import json5

from modelmap.errors import JobError

from ._problems import Problems, join_path, kind_of, show

SKELETON_HINT = (
    'a job file is an object like {"data": {"title": "...", "dataset": "..."}, '
    '"classifiers": [...]}; create one with `modelmap init`'
)
_VALUE_START = set("\"'{[-+.") | set("0123456789")
_VALUE_END = set("\"'}]")
_EXCERPT_WIDTH = 100
#: How deep objects and arrays may nest in a job file (real jobs nest a handful of levels;
#: Python's parsers and checks recurse per level and fail with RecursionError near 1000).
MAX_DEPTH = 64
# brackets, and what can hold a bracket that does not nest: strings and comments (JSON5)
_TOKENS = re.compile(r'[\[\]{}]|"[^"\\\n]*(?:\\.[^"\\\n]*)*"|\'[^\'\\\n]*(?:\\.[^\'\\\n]*)*\''
                     r"|//[^\n]*|/\*.*?\*/", re.DOTALL)


class _Object(dict):
    """A parsed JSON object that remembers keys given more than once."""

    duplicates: tuple[str, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> _Object:
        obj = cls(pairs)
        if len(obj) < len(pairs):
            seen: set[str] = set()
            obj.duplicates = tuple(k for k, _ in pairs if k in seen or seen.add(k))
        return obj


def read_job_file(path: str | Path) -> dict:
    """Parse the job file at ``path`` into a plain dict (raises :class:`JobError`)."""
    origin = str(path)
    return parse_job_text(_read_text(Path(path), origin), origin)


def _read_text(path: Path, origin: str) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise JobError(
            "job file not found",
            where=origin,
            hint="check the path, or create a new job file with `modelmap init`",
        ) from None
    except IsADirectoryError:
        raise JobError(
            "is a folder, not a job file",
            where=origin,
            hint="pass a job file such as jobs/my_job.json",
        ) from None
    except OSError as exc:
        raise JobError(f"cannot read the job file: {exc.strerror}", where=origin) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise JobError(
            f"not valid UTF-8 text (byte 0x{data[exc.start]:02x})",
            where=f"{origin}:{line}:{column}",
            hint="save the job file with the UTF-8 encoding",
        ) from None


def parse_job_text(text: str, origin: str = "<job>") -> dict:
    """Parse JSON5 job text into a plain dict (raises :class:`JobError`)."""
    text = text.removeprefix("\ufeff")
    stripped = text.lstrip()
    if not stripped or stripped[0] == "/" and not _significant_positions(text, len(text)):
        raise JobError("the job file is empty", where=origin, hint=SKELETON_HINT)
    _check_depth(text, origin)
    value = _parse(text, origin)
    if not isinstance(value, dict):
        raise JobError(
            f"the top level must be an object; got {kind_of(value)}",
            where=origin,
            hint=SKELETON_HINT,
        )
    problems = Problems(origin)
    check_tree(value, "", problems)
    problems.check()
    return _plain(value)


def _check_depth(text: str, origin: str) -> None:
    """Refuse objects and arrays nested deeper than :data:`MAX_DEPTH`, naming where."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                position = match.start()
                line = text.count("\n", 0, position) + 1
                column = position - (text.rfind("\n", 0, position) + 1) + 1
                raise JobError(f"objects and arrays are nested more than {MAX_DEPTH} levels "
                               "deep", where=f"{origin}:{line}:{column}",
                               hint=f"a job file may nest at most {MAX_DEPTH} levels; "
                               "check for brackets opened by mistake")
        elif token in ("]", "}"):
            depth -= 1


def _parse(text: str, origin: str) -> Any:
    """Plain JSON through the fast standard parser, anything else through json5."""
    try:
        return json.loads(text, object_pairs_hook=_Object.from_pairs)
    except ValueError:
        pass
    value, error, position = json5.parse(text, object_pairs_hook=_Object.from_pairs)
    if error is not None:
        raise _syntax_error(text, position, origin)
    return value


def check_tree(value: Any, path: str, problems: Problems) -> None:
    """Report duplicate keys and NaN/Infinity anywhere in a parsed job."""
    if isinstance(value, float) and not math.isfinite(value):
        problems.add(
            path, f"{show(value)} is not allowed in a job file", "use a finite number (or null)"
        )
    elif isinstance(value, dict):
        for key in getattr(value, "duplicates", ()):
            problems.add(
                join_path(path, key),
                "key given more than once in the same object; only one value can be used",
                "remove or rename one of them",
            )
        for key, item in value.items():
            check_tree(item, join_path(path, key), problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_tree(item, join_path(path, index), problems)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _syntax_error(text: str, position: int, origin: str) -> JobError:
    at_end = position >= len(text)
    if at_end:
        position = len(text.rstrip())
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    column = position - line_start + 1
    number = text.count("\n", 0, position) + 1
    what = "end of file" if at_end else _describe(text[position])
    message = f"syntax error: unexpected {what}\n{_excerpt(line, column)}"
    where = f"{origin}:{number}:{column}"
    return JobError(message, where=where, hint=_hint(text, position, at_end))


def _describe(char: str) -> str:
    if char in "\r\n":
        return "line break"
    return "space" if char.isspace() else repr(char)


def _excerpt(line: str, column: int) -> str:
    start = 0
    if len(line) > _EXCERPT_WIDTH:
        start = max(0, column - 1 - _EXCERPT_WIDTH // 2)
        line = line[start : start + _EXCERPT_WIDTH]
    marker = "".join("\t" if c == "\t" else " " for c in line[: column - 1 - start])
    return f"  | {line.rstrip()}\n  | {marker}^"


def _hint(text: str, position: int, at_end: bool) -> str:
    if at_end:
        return "the file ends before the job is complete: a closing '}', ']' or quote is missing"
    _, error, end = json5.parse(text, consume_trailing=False)
    if error is None and end <= position:
        return "there is text after the job's closing '}'; remove it"
    before = _significant_positions(text, position)
    last = text[before[-1]] if before else ""
    char = text[position]
    if char in "\r\n":
        return "a string must end on the line where it starts: a closing quote is missing"
    if last == "," and len(before) > 1 and text[before[-2]] == ",":
        return "two commas in a row: remove one of them"
    if char in _VALUE_START or char.isalpha():
        if last in _VALUE_END or last.isalnum():
            line = text.count("\n", 0, before[-1]) + 1
            return (
                f"a comma is probably missing after line {line}: "
                "values and entries are separated by commas"
            )
    if char in "}]" and last == ":":
        return "a value is missing after ':'"
    return (
        "job files are JSON5: keys and strings in quotes, values separated by commas; "
        "// and /* */ comments and trailing commas are allowed"
    )


def _significant_positions(text: str, stop: int) -> list[int]:
    """Positions of the last two characters before ``stop`` outside comments and whitespace."""
    found: list[int] = []
    i = 0
    while i < stop:
        char = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = stop if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = stop if end < 0 else end + 2
        elif char in "\"'":
            end = _string_end(text, i, stop)
            found[:] = [*found[-1:], end - 1 if end <= stop else i]
            i = end
        else:
            if not char.isspace():
                found[:] = [*found[-1:], i]
            i += 1
    return found


def _string_end(text: str, start: int, stop: int) -> int:
    quote, i = text[start], start + 1
    while i < stop and text[i] != quote and text[i] != "\n":
        i += 2 if text[i] == "\\" else 1
    return i + 1
