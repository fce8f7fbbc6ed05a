"""Reading a tuning job: a batch job with ``"tune": true`` parameters and a ``"tuning"`` section."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelmap.errors import JobError
from modelmap.jobs import Job, load_job
from modelmap.jobs import Problems, parse_job_text, read_job_file, to_plain
from modelmap.tuning._settings import Settings, check_fidelity_param, parse_settings
from modelmap.tuning._space import Space, build_space, check_tuning_parameters


@dataclass(frozen=True)
class TuningJob:
    """A checked tuning job: the loaded job (tuned parameters open), its space and settings."""

    job: Job
    space: Space
    settings: Settings
    path: Path | None
    raw: Mapping[str, Any]
    notices: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.job.title

    def output_stem(self, folder: Path | None = None) -> Path:
        """``jobs/x.json`` → ``jobs/x`` (outputs are ``x.result.json``, ``x.report.md``...)."""
        if self.path is not None and folder is None:
            return self.path.with_suffix("")
        name = self.path.stem if self.path is not None else _file_name(self.title)
        return Path(folder or ".") / name


def _file_name(title: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_." else "_" for c in title.strip())
    return keep.strip("_") or "tuning"


def load_tuning_job(source: str | os.PathLike | Mapping[str, Any], *, registry: Any = None,
                    max_configs: int = 10_000) -> TuningJob:
    """Read and check a tuning job; raise one :class:`JobError` listing every problem."""
    raw, origin, path = _read(source)
    problems = Problems(origin)
    body = {k: v for k, v in raw.items() if k != "tuning"}
    job = None
    try:
        job = load_job(body, registry=registry, max_configs=max_configs, allow_tuning=True)
    except JobError as exc:
        for problem in getattr(exc, "problems", ()):
            problems.add(problem.path, problem.message, problem.hint)
        if not problems:
            raise
    data = job.data if job is not None else (raw.get("data") or {})
    settings = parse_settings(raw.get("tuning"), data if isinstance(data, Mapping) else {},
                              problems)
    check_tuning_parameters(raw.get("classifiers"), problems)
    if job is not None:
        check_fidelity_param(settings.fidelity, job, registry, problems)
    problems.check()
    assert job is not None
    space = build_space(job.classifiers)
    notices = list(job.notices)
    if job.projections:
        notices.append("projections are not used by a tuning run; they are left out of the "
                       "result job")
    return TuningJob(job, space, settings, path, raw, tuple(notices))


def _read(source: Any) -> tuple[dict, str, Path | None]:
    if isinstance(source, Mapping):
        return to_plain(dict(source)), "<job>", None
    if isinstance(source, str) and source.lstrip().startswith("{"):
        return parse_job_text(source), "<job>", None
    if isinstance(source, (str, os.PathLike)):
        return read_job_file(source), str(source), Path(source)
    raise TypeError(f"load_tuning_job() needs a path, a mapping or JSON text; got "
                    f"{type(source).__name__}")
