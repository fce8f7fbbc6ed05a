"""The immutable records a loaded job is made of: :class:`Config` and :class:`Job`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._canonical import canonical_json, to_plain
from ._schema import DataSection
from ._titles import escape_title


@dataclass(frozen=True, eq=False)
class Config:
    """One expanded classifier or projection configuration.

    ``args`` holds the parameters only (JSON-like values); ``source`` is the JSON path
    of the entry it was expanded from (``"classifiers[3]"``).  Equality and hash use the
    title, method and canonical JSON of ``args`` (so ``1`` and ``1.0`` differ), not
    ``source``.
    """

    title: str
    method: str
    args: Mapping[str, Any]
    source: str = ""

    def as_args(self) -> dict:
        """What a plugin receives: the parameters plus ``title`` and ``method``."""
        return {**to_plain(self.args), "title": self.title, "method": self.method}

    @property
    def is_template(self) -> bool:
        """True when tuning parameters remain, so the title still holds placeholders."""
        return any(_is_tuning(value) for value in self.args.values())

    def to_entry(self) -> dict:
        """The configuration as a job-file entry (literal braces in the title doubled)."""
        title = self.title if self.is_template else escape_title(self.title)
        return {"title": title, "method": self.method, **to_plain(self.args)}

    def _key(self) -> tuple[str, str, str]:
        return (self.title, self.method, canonical_json(self.args))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Config):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


@dataclass(frozen=True, eq=False)
class Job:
    """A read, validated and expanded batch job.

    Equality and hash compare the canonical JSON of :meth:`to_dict` (data, projections
    and classifiers): a job equals ``load_job(job.to_dict())``.  ``notices`` lists what
    was noticed but is no error (merged duplicates, parameters a plugin does not
    declare, titles made unique); the latter two are also in ``unknown_parameters`` and
    ``title_clashes`` so that a strict mode can refuse them.
    """

    title: str
    data: DataSection
    projections: tuple[Config, ...]
    classifiers: tuple[Config, ...]
    notices: tuple[str, ...] = ()
    path: Path | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)
    unknown_parameters: tuple[str, ...] = ()
    title_clashes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The expanded job as a plain batch job that :func:`load_job` accepts again."""
        return {
            "data": to_plain(self.data),
            "projections": [config.to_entry() for config in self.projections],
            "classifiers": [config.to_entry() for config in self.classifiers],
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Job):
            return NotImplemented
        return canonical_json(self.to_dict()) == canonical_json(other.to_dict())

    def __hash__(self) -> int:
        return hash(canonical_json(self.to_dict()))


def _is_tuning(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get("tune") is True and "is_meta" not in value
