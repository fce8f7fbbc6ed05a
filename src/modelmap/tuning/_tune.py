"""``tune()``: run a tuning job end to end — search, test scores, result job, report."""

from __future__ import annotations

import dataclasses
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from modelmap.batch import Service
from modelmap.jobs import escape_title
from modelmap.tuning._evaluate import Evaluator
from modelmap.tuning._events import SilentTuneEvents, TuneEvents
from modelmap.tuning._fidelity import fidelity_args
from modelmap.tuning._rung_report import rung_usage
from modelmap.tuning._history import history_frame, top_list, write_tables
from modelmap.tuning._job import TuningJob, load_tuning_job
from modelmap.tuning._loop import Tuner, TuningResult
from modelmap.tuning._strategy import Trial
from modelmap.tuning.strategies import strategy_class

SECTIONS = 10  # step-based strategies: the report groups steps into at most this many blocks


def tune(job: str | os.PathLike | Mapping[str, Any] | TuningJob, *, strategy: str | None = None,
         budget: int | None = None, time_budget: float | None = None,
         batch_size: int | None = None, resume: bool = False, store: Any = "modelmap.db",
         workspace: str | os.PathLike | None = None, n_jobs: int | None = None,
         executor: Any = None, output_dir: str | os.PathLike | None = None,
         events: TuneEvents | None = None, registry: Any = None,
         outputs: bool = True) -> TuningResult:
    """Tune the ``"tune": true`` parameters of a job and write its result job and report.

    ``job`` is a tuning job file, a dict or a loaded :class:`TuningJob`; ``strategy``,
    ``budget`` (candidates), ``time_budget`` (seconds) and ``batch_size`` override the
    job's ``"tuning"`` section.  Candidates are scored on validation folds inside the
    training data only; the chosen configs are then scored on the test set.  Outputs go
    next to the job file (or into ``output_dir``): ``<job>.result.json``,
    ``<job>.report.md``, ``<job>.history.csv``/``.xlsx`` and PNG plots.
    """
    service = Service.open(workspace=workspace, registry=registry, store=store,
                           executor=executor, n_jobs=n_jobs)
    tjob = job if isinstance(job, TuningJob) else load_tuning_job(job, registry=service.registry)
    settings = tjob.settings.override(strategy=strategy, budget=budget, time_budget=time_budget,
                                      batch_size=batch_size)
    tjob = dataclasses.replace(tjob, settings=settings)
    evaluator = make_evaluator(tjob, service.store, service.registry, service.executor,
                               service.workspace)
    events = events or SilentTuneEvents()
    for text in tjob.notices:
        events.notice(text)
    try:
        tuner = Tuner(tjob, evaluator, resume=resume, events=events)
        reason = tuner.search()
        result = _result(tuner, reason, tuner.seconds)  # the clock of the time budget
        if not result.interrupted:
            _test(result, tuner, events)
        if outputs:
            stem = tjob.output_stem(Path(output_dir) if output_dir is not None else None)
            result.files = write_outputs(result, tuner, stem)
        return result
    finally:
        evaluator.close()
        service.close()  # only what it opened: the executor first, then the store


def make_evaluator(tjob: TuningJob, store: Any, registry: Any, executor: Any,
                   root: Path | None) -> Evaluator:
    """The evaluator a strategy needs (multi-fidelity ones train at a fidelity)."""
    if tjob.settings.strategy_class.multi_fidelity:
        from modelmap.tuning._fidelity_eval import FidelityEvaluator

        return FidelityEvaluator(tjob, store, registry, executor, root)
    return Evaluator(tjob, store, registry, executor, root)


def _result(tuner: Tuner, reason: str, seconds: float) -> TuningResult:
    s = tuner.settings
    sign = 1.0 if s.greater_is_better else -1.0
    trials = tuner.trials
    full = [t for t in trials if t.candidate.fidelity is None or t.candidate.fidelity >= 1]
    snapshots = {section: top_list([t for t in full if t.number <= members[-1].number],
                                   s.keep, sign)
                 for section, members in sections(trials, tuner.strategy.name).items()}
    assert tuner.evaluator.validation is not None
    return TuningResult(
        title=tuner.tjob.title, run_id=tuner.run_id, strategy=tuner.strategy.name,
        trials=list(trials), decisions=dict(tuner.strategy.decisions),
        top=top_list(full, s.keep, sign), snapshots=snapshots,
        interrupted=reason == "interrupted", stop_reason=reason, seconds=seconds,
        reused=sum(t.reused for t in trials), tuning_job=tuner.evaluator.validation.job_title,
        rungs=rung_usage(trials, tuner.wall, s))


def sections(trials: list[Trial], strategy: str) -> dict[int, list[Trial]]:
    """Rounds (evolutionary) or up to ten blocks of consecutive steps."""
    groups: dict[int, list[Trial]] = {}
    block = max(1, math.ceil(len(trials) / SECTIONS))
    by_round = strategy_class(strategy).position == "round"
    for trial in trials:
        key = max(trial.candidate.round, 1) if by_round else ((trial.number - 1) // block + 1)
        groups.setdefault(key, []).append(trial)
    return groups


def _test(result: TuningResult, tuner: Tuner, events: TuneEvents) -> None:
    """Test scores of every config in a top list — after the search, never used to select."""
    chosen: dict[str, Trial] = {}
    for trial in [*result.top, *(t for top in result.snapshots.values() for t in top)]:
        chosen.setdefault(trial.candidate.signature, trial)
    if not chosen or not tuner.evaluator.has_test:
        return
    events.testing(len(chosen))
    entries = [(t.candidate, signature) for signature, t in chosen.items()]
    result.test_scores = tuner.evaluator.test_scores(
        entries, result.run_id, result.strategy,
        lambda item, res: events.tested(item.title, res.ok))


def result_job(result: TuningResult, tjob: TuningJob) -> dict[str, Any]:
    """A batch job ``modelmap run`` accepts: the data section and the chosen configs."""
    data = dict(tjob.raw.get("data") or {})
    data["title"] = f"{tjob.title} · tuned"
    classifiers, used = [], set()
    for trial in result.top:
        family = tjob.space.families[trial.candidate.family]
        title, n = trial.title, 2
        while title in used:
            title, n = f"{trial.title} #{n}", n + 1
        used.add(title)
        classifiers.append({"title": escape_title(title), "method": family.method,
                            **family.config_args(trial.candidate.values),
                            **fidelity_args(tjob.settings, trial.candidate.fidelity)})
    return {"data": data, "classifiers": classifiers}


def write_outputs(result: TuningResult, tuner: Tuner, stem: Path) -> dict[str, Path]:
    from modelmap.tuning._plots import plot_scores, plot_time
    from modelmap.tuning._report import write_report

    tjob, s = tuner.tjob, tuner.settings
    stem.parent.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    if result.top:
        path = Path(f"{stem}.result.json")
        path.write_text(json.dumps(result_job(result, tjob), indent=2, ensure_ascii=False)
                        + "\n", encoding="utf-8")
        files["result"] = path
    sign = 1.0 if s.greater_is_better else -1.0
    frame = history_frame(result.trials, result.decisions, result.strategy, s.keep, sign)
    plots: dict[str, str] = {}
    if len(frame):
        files.update({k: Path(v) for k, v in write_tables(frame, str(stem)).items()})
        plots["validation score"] = plot_scores(frame, f"{stem}.scores.png", s.metric)
        plots["cumulative time"] = plot_time(frame, f"{stem}.time.png")
        files.update(scores_png=Path(plots["validation score"]),
                     time_png=Path(plots["cumulative time"]))
    report = Path(f"{stem}.report.md")
    files["report"] = write_report(report, result, tjob, sections(result.trials,
                                   result.strategy), plots, files, tuner.evaluator)
    return files
