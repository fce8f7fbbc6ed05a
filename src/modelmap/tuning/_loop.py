"""The tuning loop shared by every strategy: ask → evaluate → tell, budgets, resume, Ctrl-C."""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from modelmap.execution import Interrupts, graceful_interrupts
from modelmap.jobs import canonical_json, content_hash
from modelmap.tuning._evaluate import Evaluator
from modelmap.tuning._events import SilentTuneEvents, TuneEvents
from modelmap.tuning._job import TuningJob
from modelmap.tuning._strategy import Candidate, Strategy, Trial
from modelmap.tuning.strategies import make_strategy


@dataclass
class TuningResult:
    """What a tuning run found: every trial, the chosen configs and where outputs went."""

    title: str
    run_id: str
    strategy: str
    trials: list[Trial]
    decisions: dict[int, dict[str, Any]]
    top: list[Trial]
    snapshots: dict[int, list[Trial]]  # section (round or block of steps) → top list
    test_scores: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    interrupted: bool = False
    stop_reason: str = ""
    seconds: float = 0.0
    reused: int = 0
    tuning_job: str = ""
    #: multi-fidelity runs: per (bracket, rung) the configs, promotions, best score, seconds
    #: and wall seconds of the search (see ``_rung_report.rung_usage``)
    rungs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def best(self) -> Trial | None:
        return self.top[0] if self.top else None

    def test_score(self, trial: Trial, metric: str) -> float | None:
        value = self.test_scores.get(trial.candidate.signature, {}).get(metric)
        return None if value is None else float(value)


class Tuner:
    """Runs one tuning job against a store with an executor."""

    def __init__(self, tjob: TuningJob, evaluator: Evaluator, *, resume: bool = False,
                 events: TuneEvents | None = None, strategy: Strategy | None = None) -> None:
        self.tjob = tjob
        self.settings = tjob.settings
        self.evaluator = evaluator
        self.resume = resume
        self.events = events or SilentTuneEvents()
        self.strategy = strategy or make_strategy(tjob.space, tjob.settings)
        self._strategy_given = strategy is not None
        self.trials: list[Trial] = []
        self.by_signature: dict[str, Trial] = {}
        self.stored: dict[str, Any] = {}
        self._ctrl_c = Interrupts()
        self.started = 0.0
        self.seconds = 0.0  # the search: from the first candidate to the last result
        self.wall: dict[int, float] = {}  # trial number → its share of the search's wall time
        self.run_id = ""

    def identity(self) -> str:
        """The run id: the job's configs, its data and the settings that shape the search."""
        assert self.evaluator.validation is not None
        return content_hash("tuning", canonical_json(self.tjob.job.to_dict()["classifiers"]),
                            self.evaluator.validation.data_key, self.settings.identity())[:12]

    def search(self) -> str:
        """Run the search until a budget or the strategy ends it; return why it stopped."""
        self.evaluator.prepare()
        rungs = self._choose_fidelity()
        self.run_id = self.identity()
        self.stored = self.evaluator.stored(self.run_id) if self.resume else {}
        if hasattr(self.evaluator.executor, "on_start"):
            self.evaluator.executor.on_start = lambda item: self.events.started(item.title)
        self.events.run_started(self.tjob.title, self.strategy.name, self.run_id,
                                self.settings.max_evaluations, len(self.stored))
        if rungs:
            self.events.notice(rungs)
        if self.resume and not self.stored:
            self.events.notice(f"nothing stored for run {self.run_id} yet; starting from the "
                               "beginning")
        self._start_workers()
        self.started = time.time()
        notice = partial(self.events.notice, "Ctrl-C: finishing the running candidates, then "
                         "writing the report (press Ctrl-C again to cancel them)")
        with graceful_interrupts(self.evaluator.executor, notice) as self._ctrl_c:
            try:
                return self._loop()
            finally:
                self.seconds = time.time() - self.started  # what the time budget covers

    def _choose_fidelity(self) -> str:
        """A multi-fidelity run's rungs, from the data where the job leaves the subsample
        ``min`` out (the run's identity then has the chosen one); the line that names them."""
        chosen = self.evaluator.choose_fidelity()
        if chosen is None:
            return ""
        fidelity, line = chosen
        if fidelity != self.settings.fidelity:
            self.settings = dataclasses.replace(self.settings, fidelity=fidelity)
            self.tjob = dataclasses.replace(self.tjob, settings=self.settings)
            self.evaluator.use(self.tjob)
            if not self._strategy_given:
                self.strategy = make_strategy(self.tjob.space, self.settings)
        return line

    def _start_workers(self) -> None:
        """Under a time budget, start the workers before the clock does (the budget covers
        the search, not the workers' start: importing scikit-learn takes seconds)."""
        executor = self.evaluator.executor
        self.strategy.workers = self._workers()
        if self.settings.time_budget is not None and hasattr(executor, "start_workers"):
            executor.start_workers(self.strategy.workers)

    def _workers(self) -> int:
        return max(1, int(getattr(self.evaluator.executor, "n_jobs", 1) or 1))

    @property
    def interrupts(self) -> int:
        """How many times Ctrl-C was pressed during the search."""
        return self._ctrl_c.count

    def _loop(self) -> str:
        while True:
            if self.interrupts:
                return "interrupted"
            left = self._evaluations_left()
            if left == 0:
                return "budget"
            time_left = self._time_left()
            if time_left is not None and time_left <= 0:
                return "time budget"
            # what a candidate may use: it is stopped a margin before the budget ends
            self.strategy.time_left = None if time_left is None else \
                time_left - self._stop_margin()
            asked = self.strategy.ask(self.settings.batch_size)
            if not asked:
                return "time budget" if self.strategy.out_of_time else "strategy finished"
            batch = self._fit(asked[:left] if left is not None else asked, time_left)
            if not batch:
                self.strategy.tell([])
                return "time budget"
            started = time.time()
            trials = self._evaluate(batch, time_left)
            self._attribute(trials, time.time() - started)
            self.strategy.tell(trials)
            for text in self.strategy.notices:
                self.events.notice(text)
            self.strategy.notices.clear()
            for trial in trials:
                self.events.trial(trial, self.strategy.decisions.get(trial.number, {}),
                                  self.strategy.best())

    def _attribute(self, trials: list[Trial], wall: float) -> None:
        """Split a batch's wall time among its evaluations by their seconds."""
        fresh = [t for t in trials if not t.reused]
        total = sum(t.seconds for t in fresh)
        for t in trials:
            self.wall[t.number] = 0.0 if t.reused else (
                wall * t.seconds / total if total > 0 else wall / len(fresh))

    def _evaluations_left(self) -> int | None:
        limit = self.settings.max_evaluations
        return None if limit is None else max(0, limit - len(self.trials))

    def _time_left(self) -> float | None:
        if self.settings.time_budget is None:
            return None
        return self.settings.time_budget - (time.time() - self.started)

    def _stop_margin(self) -> float:
        """Seconds a candidate stopped at its time limit needs to be killed and recorded:
        items end this much before the time budget does (10 % of it, at most 2 s; at 3 %
        a 10 s hyperband run ended at 10.8 s on a loaded machine)."""
        return min(2.0, 0.1 * (self.settings.time_budget or 0.0))

    def _fit(self, batch: list[Candidate], time_left: float | None) -> list[Candidate]:
        """Drop the candidates whose pessimistic time estimate does not fit the time left."""
        if time_left is None:
            return batch
        workers = self._workers()
        usable = time_left - self._stop_margin()  # a candidate is stopped at this point
        seen = [t.seconds for t in self.trials if not t.reused]
        kept: list[Candidate] = []
        for candidate in batch:
            if self._stored_result(candidate) is not None:
                kept.append(candidate)
                continue
            estimate = self.strategy.estimate(candidate)
            if estimate is None and seen:
                estimate = max(seen)
            rounds = math.ceil((len(kept) + 1) / workers)
            if estimate is not None and estimate * rounds > usable:
                self.events.notice(f"not started: {self._title(candidate)} (estimated "
                                   f"{estimate:.1f} s, {max(usable, 0):.1f} s left)")
                continue
            kept.append(candidate)
        return kept

    def _title(self, candidate: Candidate) -> str:
        return self.tjob.space.families[candidate.family].render_title(candidate.values)

    def _stored_result(self, candidate: Candidate) -> Any:
        if not self.stored:
            return None
        stage = self.evaluator.validation
        assert stage is not None
        return self.stored.get(self.evaluator.item(candidate, self.run_id, stage).key)

    def _evaluate(self, batch: list[Candidate], time_left: float | None) -> list[Trial]:
        stage = self.evaluator.validation
        assert stage is not None
        numbers = {c.signature: len(self.trials) + i + 1 for i, c in enumerate(batch)}
        limit = None if time_left is None else max(0.1, time_left - self._stop_margin())
        items = {c.signature: self.evaluator.item(c, self.run_id, stage, limit)
                 for c in batch}
        results: dict[str, Any] = {}
        todo = []
        for candidate in batch:
            item = items[candidate.signature]
            if item.key in self.stored:
                results[item.key] = (self.stored[item.key], True)
            else:
                todo.append(item)
        by_key = {items[c.signature].key: c for c in batch}

        def tags(item: Any) -> dict[str, Any]:
            candidate = by_key[item.key]
            return {"tuning_run": self.run_id, "strategy": self.strategy.name,
                    self.strategy.position: candidate.round,
                    "iteration": numbers[candidate.signature]}

        done = self.evaluator.run(stage, todo, tags)
        results.update({key: (result, False) for key, result in done.items()})
        trials = []
        for candidate in batch:
            item = items[candidate.signature]
            if item.key not in results:
                continue  # not started: Ctrl-C
            result, reused = results[item.key]
            trial = self.evaluator.trial(numbers[candidate.signature], candidate, item, result,
                                         reused)
            trials.append(trial)
        for index, trial in enumerate(trials):  # numbers stay consecutive after a cut
            trials[index] = _renumber(trial, len(self.trials) + index + 1)
        self.trials.extend(trials)
        return trials


def _renumber(trial: Trial, number: int) -> Trial:
    if trial.number == number:
        return trial
    from dataclasses import replace

    return replace(trial, number=number)
