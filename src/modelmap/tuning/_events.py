"""What a tuning run tells its front end (the CLI shows it with rich; the library is silent)."""

from __future__ import annotations

from typing import Any, Protocol

from modelmap.tuning._strategy import Trial


class TuneEvents(Protocol):
    """Callbacks of a tuning run."""

    def notice(self, text: str) -> None: ...

    def run_started(self, title: str, strategy: str, run_id: str, budget: int | None,
                    stored: int) -> None: ...

    def started(self, title: str) -> None: ...

    def trial(self, trial: Trial, decision: dict[str, Any], best: Trial | None) -> None: ...

    def testing(self, count: int) -> None: ...

    def tested(self, title: str, ok: bool) -> None: ...


class SilentTuneEvents:
    """Collects notices and trials; prints nothing (library use and tests)."""

    def __init__(self) -> None:
        self.notices: list[str] = []
        self.trials: list[Trial] = []

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def run_started(self, title: str, strategy: str, run_id: str, budget: int | None,
                    stored: int) -> None:
        pass

    def started(self, title: str) -> None:
        pass

    def trial(self, trial: Trial, decision: dict[str, Any], best: Trial | None) -> None:
        self.trials.append(trial)

    def testing(self, count: int) -> None:
        pass

    def tested(self, title: str, ok: bool) -> None:
        pass
