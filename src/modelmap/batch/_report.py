"""What a batch run tells its front end, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from modelmap.training import TrainResult


@dataclass
class JobReport:
    """The seed's per-job summary line, plus what a user needs to act on it."""

    title: str
    dataset: str
    n_classifiers: int = 0
    n_projections: int = 0
    trained: int = 0
    skipped: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    projection_errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    job_error: str | None = None
    job_id: int | None = None

    @property
    def n_errors(self) -> int:
        return len(self.errors) + len(self.projection_errors) + (1 if self.job_error else 0)

    @property
    def remaining(self) -> int:
        return self.n_classifiers - self.trained - self.skipped


class Events(Protocol):
    """Callbacks a front end implements to show a batch run (all optional in practice)."""

    def notice(self, text: str) -> None: ...

    def job_started(self, title: str, total: int, skipped: int) -> None: ...

    def started(self, title: str) -> None: ...

    def result(self, result: TrainResult) -> None: ...

    def projection(self, title: str, error: str | None) -> None: ...

    def job_finished(self, report: JobReport) -> None: ...


class SilentEvents:
    """Events that collect notices and print nothing (library use, tests)."""

    def __init__(self) -> None:
        self.notices: list[str] = []
        self.results: list[TrainResult] = []

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def job_started(self, title: str, total: int, skipped: int) -> None:
        pass

    def started(self, title: str) -> None:
        pass

    def result(self, result: TrainResult) -> None:
        self.results.append(result)

    def projection(self, title: str, error: str | None) -> None:
        pass

    def job_finished(self, report: JobReport) -> None:
        pass


class BatchBreak(Exception):
    """Raised with ``--break``: the first failed configuration, with its traceback."""

    def __init__(self, result: TrainResult) -> None:
        self.result = result
        super().__init__(f"{result.title}: {result.error}")

