"""``<job>.report.md``: settings, plots, per round (or block of steps) the top list and what
changed, anticipated versus measured score and time, the final top list and failures."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from modelmap.tuning._rung_report import rung_lines
from modelmap.tuning._strategy import Trial


def _num(value: Any, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{float(value):.{digits}f}"


def _seconds(value: Any) -> str:
    if value is None:
        return "—"
    return f"{float(value):.3f} s" if value < 10 else f"{float(value):.1f} s"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _top_table(trials: Sequence[Trial], result: Any, metric: str) -> list[str]:
    lines = [f"| Nr. | Title | Validation {metric} | ± | Test {metric} | Fit time |",
             "|---:|---|---:|---:|---:|---:|"]
    for rank, trial in enumerate(trials, 1):
        lines.append(f"| {rank} | {_cell(trial.title)} | {_num(trial.score)} | "
                     f"{_num(trial.score_std)} | {_num(result.test_score(trial, metric))} | "
                     f"{_seconds(trial.fit_time)} |")
    return lines


def _steps_table(trials: Sequence[Trial], decisions: dict[int, dict], strategy: str
                 ) -> list[str]:
    mark = "Adopted" if strategy == "stepwise" else "New best"
    lines = ["| # | Change | Anticipated score | Measured score | Anticipated fit | "
             f"Measured fit | {mark} |", "|---:|---|---:|---:|---:|---:|:---:|"]
    for trial in trials:
        anticipated = trial.candidate.anticipated or {}
        adopted = "✓" if decisions.get(trial.number, {}).get("improved") else ""
        measured = _num(trial.score) if trial.ok else trial.status
        change = trial.candidate.changes or ", ".join(
            f"{k} = {json.dumps(v)}" for k, v in trial.candidate.values.items())
        lines.append(f"| {trial.number} | {_cell(change)} | {_num(anticipated.get('score'))} | "
                     f"{measured} | {_seconds(anticipated.get('fit_time'))} | "
                     f"{_seconds(trial.fit_time)} | {adopted} |")
    return lines


def _round_summary(trials: Sequence[Trial], top: Sequence[Trial]) -> list[str]:
    ok = [t for t in trials if t.ok]
    mean = sum(t.score for t in top) / len(top) if top else None  # type: ignore[misc]
    changed = [t for t in trials if t.candidate.changes and t.candidate.origin == "variation"]
    lines = ["", f"- Evaluated: {len(trials)} ({len(trials) - len(ok)} failed)",
             f"- Best: {_num(top[0].score) if top else '—'} · top-list mean: {_num(mean)}"]
    if changed:
        lines.append("- Variations that made the top list: " + (", ".join(
            f"{_cell(t.title)} ({_cell(t.candidate.changes)})" for t in top
            if t in changed) or "none"))
    return lines


def write_report(path: Path, result: Any, tjob: Any, sections: dict[int, list[Trial]],
                 plots: dict[str, str], files: dict[str, Path], evaluator: Any) -> Path:
    s = tjob.settings
    metric = s.metric
    lines = [f"# Tuning report: {tjob.title}", ""]
    lines += _header(result, tjob, evaluator, files)
    if plots:
        lines += ["", "## Progress", ""]
        lines += [f"![{name}]({Path(p).name})" for name, p in plots.items()]
    lines += rung_lines(result, tjob)
    for section, trials in sections.items():
        top = result.snapshots.get(section, [])
        if result.strategy == "evolutionary":
            lines += ["", f"## Round {section}", "", f"### Best {len(top)} configs", ""]
        else:
            lines += ["", f"## Steps {trials[0].number}–{trials[-1].number}", ""]
            lines += _steps_table(trials, result.decisions, result.strategy)
            lines += ["", f"### Top {len(top)} after step {trials[-1].number}", ""]
        lines += _top_table(top, result, metric)
        lines += _round_summary(trials, top)
    lines += ["", "## Result", ""] + _top_table(result.top, result, metric)
    lines += _parameters(result.top)
    lines += _failures(result.trials)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _header(result: Any, tjob: Any, evaluator: Any, files: dict[str, Path]) -> list[str]:
    s = tjob.settings
    bundle = evaluator.bundle
    n_train = len(bundle.y_train) if bundle is not None else 0
    n_test = len(bundle.y_test) if bundle is not None and evaluator.has_test else 0
    failed = sum(1 for t in result.trials if not t.ok)
    budget = s.max_evaluations if s.max_evaluations is not None else (
        f"{s.rounds} rounds × population {s.population} × offspring {s.offspring}")
    test = (f"the test set ({n_test} samples) only for the test column, after selection"
            if n_test else "no test set (the data cross-validates over all its samples)")
    lines = [
        f"- Job file: {tjob.path if tjob.path else '(given as a dict)'}",
        f"- Strategy: **{result.strategy}** · run `{result.run_id}` · random_state "
        f"{s.random_state} · batch size {s.batch_size}",
        f"- Selected on: validation {s.metric}, {s.cv} stratified folds inside the training "
        f"data ({n_train} samples); {test}",
        f"- Budget: {budget}" + (f" · time budget {s.time_budget:g} s" if s.time_budget else "")
        + f" · stopped: {result.stop_reason}",
        f"- Evaluations: {len(result.trials)} ({failed} failed, {result.reused} taken from the "
        f"store) in {result.seconds:.1f} s",
        f"- Store: job “{result.tuning_job}” holds every candidate (tag tuning_run = "
        f"{result.run_id})",
    ]
    if "result" in files:
        lines.append(f"- Result job: `{files['result'].name}` — train it with "
                     f"`modelmap run {files['result'].name}`")
    if result.interrupted:
        lines.append("- **Interrupted** — continue with `modelmap tune JOB --resume`; test "
                     "scores were not computed")
    return lines


def _parameters(top: Sequence[Trial]) -> list[str]:
    if not top:
        return ["", "No candidate succeeded."]
    lines = ["", "Parameters of the chosen configs:", ""]
    for trial in top:
        lines.append(f"- {_cell(trial.title)}: `{json.dumps(dict(trial.candidate.values))}`")
    return lines


def _failures(trials: Sequence[Trial]) -> list[str]:
    failed = [t for t in trials if not t.ok]
    if not failed:
        return []
    lines = ["", "## Failed candidates", "", "| # | Title | Status | Error |", "|---:|---|---|---|"]
    for t in failed:
        last = (t.error or "").strip().splitlines()
        lines.append(f"| {t.number} | {_cell(t.title)} | {t.status} | "
                     f"{_cell(last[-1] if last else '')} |")
    return lines
