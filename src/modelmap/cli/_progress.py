"""Rich progress and result lines for ``modelmap run``."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table

from modelmap.batch import JobReport
from modelmap.training import TrainResult


class RichEvents:
    """Shows a batch run: a progress bar with ETA and running titles, one line per result."""

    def __init__(self, console: Console, *, quiet: bool = False) -> None:
        self.console = console
        self.quiet = quiet
        self.progress = Progress(
            SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
            MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("[dim]{task.fields[running]}"), console=console, transient=True,
        )
        self.task = None
        self.running: list[str] = []

    def __enter__(self) -> RichEvents:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def notice(self, text: str) -> None:
        self.console.print(f"[yellow]notice:[/] {_escape(text)}", soft_wrap=True)

    def job_started(self, title: str, total: int, skipped: int) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.running = []
        self.console.print(f"[bold]{_escape(title)}[/]: {total} classifier configs"
                           + (f", {skipped} already in the store (skipped)" if skipped else ""))
        self.task = self.progress.add_task(title, total=total - skipped, running="")

    def started(self, title: str) -> None:
        self.running.append(title)
        self._update()

    def _update(self) -> None:
        if self.task is not None:
            shown = ", ".join(self.running[-3:])
            self.progress.update(self.task, running=f"running: {shown}" if shown else "")

    def result(self, result: TrainResult) -> None:
        if result.title in self.running:
            self.running.remove(result.title)
        if self.task is not None:
            self.progress.advance(self.task)
        self._update()
        if self.quiet and result.ok:
            return
        mark = "[green]✓[/]" if result.ok else "[red]✗[/]"
        self.console.print(f"{mark} {_escape(result.summary_line())}", soft_wrap=True)

    def projection(self, title: str, error: str | None) -> None:
        if error:
            self.console.print(f"[red]✗[/] projection {_escape(title)}: {_escape(error)}")
        elif not self.quiet:
            self.console.print(f"[green]✓[/] projection {_escape(title)}")

    def job_finished(self, report: JobReport) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
            self.task = None


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def summary_table(reports: list[JobReport]) -> Table:
    """The seed's end-of-run table: one row per job plus totals."""
    table = Table(title="Summary", show_footer=True)
    rows = [(r.title, r.dataset, r.n_classifiers, r.n_projections, r.n_errors, r.seconds)
            for r in reports]
    totals = ("Total", "", sum(r[2] for r in rows), sum(r[3] for r in rows),
              sum(r[4] for r in rows), sum(r[5] for r in rows))
    for i, name in enumerate(("Title", "Dataset", "#Classifiers", "#Projections", "#Errors",
                              "Time")):
        footer = _fmt(totals[i], i)
        table.add_column(name, footer=footer, justify="right" if i >= 2 else "left")
    for row in rows:
        style = "red" if row[4] else None
        table.add_row(*(_fmt(v, i) for i, v in enumerate(row)), style=style)
    return table


def _fmt(value: object, column: int) -> str:
    if column == 5:
        seconds = float(value)  # type: ignore[arg-type]
        return f"{seconds:.1f}s" if seconds < 120 else f"{seconds / 60:.1f}min"
    return _escape(str(value))
