"""``modelmap tune``: auto-tune the ``"tune": true`` parameters of a job."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                           TimeElapsedColumn)
from rich.table import Table

from modelmap.cli._common import (DebugOpt, StoreOpt, WorkspaceOpt, console, err_console,
                                  open_store, reports_errors, resolve_job, workspace)

EPILOG = """Examples:

  modelmap tune jobs/tuning_iris.json            # the job's strategy (or evolutionary)

  modelmap tune jobs/tuning_digits.json --strategy stepwise --budget 60 -j 4

  modelmap tune jobs/tuning_digits.json --strategy tpe --time-budget 300

  modelmap tune jobs/tuning_digits.json -s stepwise --resume   # after Ctrl-C or a crash

  modelmap tune jobs/tuning_digits.json -s halving --batch-size 2 -j 2 --time-budget 120

Writes <job>.result.json (a batch job for `modelmap run`), <job>.report.md with PNG plots,
and <job>.history.csv / .xlsx next to the job file.
"""


class RichTuneEvents:
    """A progress bar with the best score so far and one line per candidate."""

    def __init__(self, out: Console, metric: str, *, quiet: bool = False) -> None:
        self.console = out
        self.metric = metric
        self.quiet = quiet
        self.progress = Progress(
            SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
            MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[best]}"),
            TextColumn("[dim]{task.fields[running]}"), console=out, transient=True)
        self.task: Any = None
        self.running: list[str] = []

    def __enter__(self) -> RichTuneEvents:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def notice(self, text: str) -> None:
        self.console.print(f"[yellow]notice:[/] {escape(text)}", soft_wrap=True)

    def run_started(self, title: str, strategy: str, run_id: str, budget: int | None,
                    stored: int) -> None:
        what = f"{budget} candidates" if budget is not None else "until the last round"
        self.console.print(f"[bold]{escape(title)}[/]: {strategy} search, {what} · run {run_id}"
                           + (f" · {stored} candidates in the store (resumed)" if stored else ""))
        self.task = self.progress.add_task(f"{strategy}", total=budget, best="", running="")

    def started(self, title: str) -> None:
        self.running.append(title)
        self._update()

    def _update(self) -> None:
        if self.task is not None:
            shown = ", ".join(self.running[-2:])
            self.progress.update(self.task, running=f"running: {shown}" if shown else "")

    def trial(self, trial: Any, decision: dict[str, Any], best: Any) -> None:
        if trial.title in self.running:
            self.running.remove(trial.title)
        if self.task is not None:
            self.progress.advance(self.task)
            if best is not None:
                self.progress.update(self.task, best=f"best {self.metric} {best.score:.4f}")
        self._update()
        improved = bool(decision.get("improved"))
        if self.quiet and trial.ok and not improved:
            return
        if not trial.ok:
            last = (trial.error or trial.status).strip().splitlines()
            self.console.print(f"[red]✗[/] #{trial.number} {escape(trial.title)}: "
                               f"{trial.status.upper()} {escape(last[-1] if last else '')}",
                               soft_wrap=True)
            return
        mark = "[bold green]▲[/]" if improved else "[green]✓[/]"
        reused = " [dim](stored)[/]" if trial.reused else ""
        self.console.print(f"{mark} #{trial.number} {escape(trial.title)}  validation "
                           f"{trial.score:.4f}  fit {trial.fit_time or 0:.3f}s{reused}",
                           soft_wrap=True)

    def testing(self, count: int) -> None:
        self.console.print(f"Scoring the {count} chosen config(s) on the test set "
                           "(trained on all training data)")
        if self.task is not None:
            self.progress.update(self.task, description="test", total=count, completed=0,
                                 best="")

    def tested(self, title: str, ok: bool) -> None:
        if self.task is not None:
            self.progress.advance(self.task)


def _top_table(result: Any, metric: str) -> Table:
    table = Table(title=f"Best configs ({result.strategy}, run {result.run_id})")
    for name, justify in (("#", "right"), ("Title", "left"), (f"Validation {metric}", "right"),
                          (f"Test {metric}", "right"), ("Fit time", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for rank, trial in enumerate(result.top, 1):
        test = result.test_score(trial, metric)
        table.add_row(str(rank), escape(trial.title), f"{trial.score:.4f}",
                      "—" if test is None else f"{test:.4f}", f"{trial.fit_time or 0:.3f}s")
    return table


def _rung_table(result: Any, settings: Any) -> Table:
    """How much of the time budget (or of the search) each bracket's rung used (the report
    also has each rung's failures and evaluation seconds)."""
    from modelmap.tuning import rung_share, rung_usage_total

    of = f"the {settings.time_budget:g} s time budget" if settings.time_budget else \
        "the search"
    table = Table(title=f"Rungs (eta {settings.eta:g}): wall seconds and share of {of}")
    for name in ("Bracket", "Rung", "Fidelity", "Configs", "Promoted", "Best", "Wall s",
                 "Share"):
        table.add_column(name, justify="left" if name == "Fidelity" else "right")
    for r in result.rungs:
        table.add_row(str(r["bracket"]), str(r["rung"]), escape(r["short_label"]),
                      str(r["configs"]), str(r["promoted"]),
                      "—" if r["best"] is None else f"{r['best']:.4f}",
                      f"{r['wall_seconds']:.1f}",
                      rung_share(r["wall_seconds"], settings, result.seconds))
    inside, outside = rung_usage_total(result.rungs, result.seconds)
    table.add_row("", "", "outside", "", "", "", f"{outside:.1f}",
                  rung_share(outside, settings, result.seconds))
    table.add_row("", "", "search", "", "", "", f"{inside + outside:.1f}",
                  rung_share(inside + outside, settings, result.seconds))
    return table


@reports_errors
def tune(
    job: Annotated[str, typer.Argument(help="Tuning job file, or the name of a job in the "
                                       "workspace's jobs/ folder.", show_default=False)],
    strategy: Annotated[str | None, typer.Option("--strategy", "-s", help="evolutionary, "
                        "stepwise, tpe, random, halving or hyperband (default: the job's, else "
                        "evolutionary).",
                        show_default=False)] = None,
    budget: Annotated[int | None, typer.Option("--budget", "-n", help="Candidates to train "
                      "(default: the job's, else 50; evolutionary: its rounds).",
                      show_default=False)] = None,
    time_budget: Annotated[float | None, typer.Option("--time-budget", help="Seconds for the "
                           "search; a candidate expected not to fit is not started.",
                           show_default=False)] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the same run from the "
                                         "candidates already in the store.")] = False,
    n_jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes "
                      "(default: all cores).", show_default=False)] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", help="Candidates proposed "
                          "and trained at once (default: the job's, else 1; evolutionary: a "
                          "round).", show_default=False)] = None,
    timeout: Annotated[float | None, typer.Option("--timeout", help="Seconds one candidate may "
                       "take before it is stopped and scored as failed (with the job's data "
                       "'timeout' or the time left of the budget too: the smallest).",
                       show_default=False)] = None,
    cluster: Annotated[str | None, typer.Option("--cluster", help="Train on a Dask cluster: "
                       "tcp://HOST:8786 or local[:N].", show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only improvements and "
                                        "failures.")] = False,
    ws_path: WorkspaceOpt = None,
    store_url: StoreOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Tune the parameters marked "tune": true, selecting on validation folds only.

    Every candidate is stored like a batch result in the job "<title> · tuning", tagged with the run and its round or step. The chosen configs are then scored on the test set, which is never used to choose.
    """  # noqa: E501
    from modelmap.execution import executor_for
    from modelmap.plugins import Registry
    from modelmap.tuning import Settings, load_tuning_job
    from modelmap.tuning import tune as run_tuning

    Settings().override(strategy=strategy, budget=budget, time_budget=time_budget,
                        batch_size=batch_size)  # bad options fail before anything is read
    ws = workspace(ws_path)
    registry = Registry.discover(ws.root)
    tjob = load_tuning_job(resolve_job(ws, job), registry=registry)
    settings = tjob.settings.override(strategy=strategy, budget=budget,
                                      time_budget=time_budget, batch_size=batch_size)
    store = open_store(ws, store_url)
    executor = executor_for(cluster, n_jobs, timeout=timeout)
    console.print(f"[dim]store: {escape(store.url)} · workers: {executor.n_jobs}[/]")
    try:
        with RichTuneEvents(console, settings.metric, quiet=quiet) as events, executor:
            result = run_tuning(tjob, strategy=strategy, budget=budget, time_budget=time_budget,
                                batch_size=batch_size, resume=resume, store=store,
                                workspace=ws.root, executor=executor, events=events,
                                registry=registry)
    finally:
        store.close()
    _closing(result, settings)


def _closing(result: Any, settings: Any) -> None:
    metric = settings.metric
    if result.rungs:
        console.print(_rung_table(result, settings))
    if result.top:
        console.print(_top_table(result, metric))
    failed = sum(1 for t in result.trials if not t.ok)
    console.print(f"{len(result.trials)} candidates ({failed} failed, {result.reused} from the "
                  f"store) in {result.seconds:.1f} s · stopped: {result.stop_reason}")
    for name in ("result", "report", "history_csv", "history_xlsx"):
        if name in result.files:
            console.print(f"  {name.replace('_', ' ')}: {escape(str(result.files[name]))}")
    if result.interrupted:
        console.print("[yellow]Interrupted.[/] Every finished candidate is stored; continue "
                      "with the same command and [bold]--resume[/].")
        raise typer.Exit(130)
    if not result.top:
        reason = "no candidate reached the full fidelity (a larger --time-budget or --budget " \
            "lets the best climb)" if any(t.ok for t in result.trials) else \
            "every candidate failed"
        err_console.print(f"[bold red]error:[/] {reason}; see the report")
        raise typer.Exit(1)
