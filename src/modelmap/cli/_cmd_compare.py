"""``modelmap compare``: intervals and tied-with-best for one job, ranks across several."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from modelmap.cli._common import (DebugOpt, StoreOpt, WorkspaceOpt, console, err_console,
                                  open_store, reports_errors, workspace)

EPILOG = """Examples:

  modelmap compare Iris                          # which classifiers are tied with the best

  modelmap compare Iris --score test_f1_macro --alpha 0.01 --include-references

  modelmap compare Iris --json > iris.json       # the same as JSON

  modelmap compare Iris Wine Digits --by method --png cd.png   # across data sets
"""


def _number(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _job_table(out: dict[str, Any]) -> Table:
    # light borders and a title column that does not wrap, so titles stay on one line in an
    # 80-column terminal (the numbers keep their width; a very long title is cut with …)
    table = Table(title=f"{out['job']}: {out['score']} (α={out['alpha']:g})",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("rank", "title", "score", "CI low", "CI high", "p vs best", "Holm p",
                 "tied with best"):
        if name == "title":
            table.add_column(name, no_wrap=True, min_width=12, ratio=1)
        else:
            table.add_column(name, justify="right")
    for row in out["rows"] + out["references"]:
        tied = "yes" if row["tied_with_best"] else ("reference" if row["is_reference"] else "no")
        if row.get("reason"):
            tied = row["reason"]
        table.add_row("–" if row["rank"] is None else str(row["rank"]), escape(row["title"]),
                      _number(row["score"]), _number(row["ci_low"]), _number(row["ci_high"]),
                      _p(row["p_vs_best"]), _p(row["p_holm"]), tied,
                      style="dim" if row["is_reference"] else None)
    return table


def _jobs_table(out: dict[str, Any]) -> Table:
    table = Table(title=f"{len(out['jobs'])} jobs: {out['score']} (α={out['alpha']:g})")
    table.add_column("average rank", justify="right")
    table.add_column(out["by"])
    for name in out["jobs"]:
        table.add_column(escape(name), justify="right")
    for title, rank in sorted(out["average_ranks"].items(), key=lambda kv: (kv[1], kv[0])):
        table.add_row(f"{rank:.2f}", escape(title), *(_number(v) for v in out["scores"][title]))
    return table


def _print_jobs(out: dict[str, Any]) -> None:
    console.print(_jobs_table(out))
    console.print(f"ranks: {escape(out['method'])}\npairs: {escape(out['test'])}", soft_wrap=True)
    console.print(f"Friedman χ² = {_number(out['friedman_statistic'], 2)}, "
                  f"p = {_p(out['friedman_p'])}; Iman-Davenport F = "
                  f"{_number(out['iman_davenport_F'], 2)}, p = {_p(out['iman_davenport_p'])}; "
                  f"Nemenyi critical difference = {_number(out['critical_difference'], 2)} "
                  f"at α={out['alpha']:g}")
    close = [p for p in out["pairs"] if p["p_holm"] is not None and p["p_holm"] < out["alpha"]]
    console.print(f"Holm-adjusted Wilcoxon: {len(close)} of {len(out['pairs'])} pairs have "
                  f"p < {out['alpha']:g}" + "".join(
                      f"\n  {escape(p['a'])} vs {escape(p['b'])}: p = {_p(p['p_holm'])}"
                      for p in close[:20]))
    for group in out["cliques"]:
        console.print("[dim]within the critical difference:[/] " + escape(", ".join(group)))


@reports_errors
def compare(
    jobs: Annotated[list[str], typer.Argument(help="Titles (or ids) of stored jobs; several "
                                              "jobs compare across data sets.",
                                              show_default=False)],
    score: Annotated[str, typer.Option("--score", help="The test score to compare (test_"
                                       "accuracy, test_f1_macro, test_log_loss, ...).")
                     ] = "test_accuracy",
    alpha: Annotated[float, typer.Option("--alpha", help="Significance level of the tests "
                                         "and 1 - confidence of the intervals.")] = 0.05,
    include_references: Annotated[bool, typer.Option(
        "--include-references", help="Let the optimal/naive reference classifiers take part "
        "in the best and the tests.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")
                       ] = False,
    by: Annotated[str, typer.Option("--by", help="Across jobs: match classifiers by title, "
                                    "or by method (each method's best config per job).")
                  ] = "title",
    png: Annotated[Path | None, typer.Option("--png", help="Write the critical-difference "
                                             "diagram of several jobs to this .png or .svg "
                                             "file.", show_default=False)] = None,
    ws_path: WorkspaceOpt = None,
    store_url: StoreOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Confidence intervals of every classifier's score and which are tied with the best.

    One job: a table of score, interval, rank, p-value against the best, Holm-adjusted p
    and whether it is tied with the best (cannot be told apart at α). Several jobs: average
    ranks across them (one data set each), Friedman, Iman-Davenport, the Nemenyi critical
    difference, Holm-adjusted Wilcoxon pairs, and the critical-difference diagram (--png).
    """
    from modelmap import queries

    store = open_store(workspace(ws_path), store_url, read_only=True)  # never creates one
    refs = list(jobs)  # a title, else (all digits) an id: queries.find_job's rule
    if len(refs) == 1:
        if png is not None:
            err_console.print("[bold red]error:[/] --png draws the critical-difference "
                              "diagram of several jobs\n  hint: name two or more jobs")
            raise typer.Exit(2)
        _one_job(queries.compare_job(store, refs[0], score=score, alpha=alpha,
                                     include_references=include_references), as_json)
    else:
        _several_jobs(queries.compare_jobs(store, refs, score=score, alpha=alpha, by=by),
                      as_json, png)


def _one_job(out: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    console.print(_job_table(out))
    console.print(f"interval: {escape(out['method'])}\ntest: {escape(out['test'])}",
                  soft_wrap=True)
    for failed in out["failed"]:
        err_console.print(f"[red]failed:[/] {escape(failed['title'])}: "
                          f"{escape(failed['error'] or '')}", soft_wrap=True)
    for note in out["notes"]:
        console.print(f"[dim]note:[/] {escape(note)}", soft_wrap=True)


def _several_jobs(out: dict[str, Any], as_json: bool, png: Path | None) -> None:
    if png is not None:
        from modelmap.compare import cd_diagram

        cd_diagram(out["average_ranks"], out["critical_difference"] or float("nan"),
                   out["cliques"], png, title=f"{out['score']}, α={out['alpha']:g}")
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        _print_jobs(out)
        for note in out["notes"]:
            console.print(f"[dim]note:[/] {escape(note)}", soft_wrap=True)
    if png is not None:
        err_console.print(f"critical-difference diagram: {png}")


def print_best_lines(store, reports: list) -> None:
    """The last lines of ``modelmap run``: per job, the best classifier on test accuracy
    with its interval and how many classifiers are tied with it."""
    from modelmap.queries import best_line

    for report in reports:
        if report.job_id is None or report.job_error:
            continue
        try:
            line = best_line(store, report.job_id)
        except Exception as exc:  # noqa: BLE001 - a summary line must not cost the run its end
            err_console.print(f"note: {escape(report.title)}: no comparison "
                              f"({type(exc).__name__}: {escape(str(exc))})")
            continue
        if line:
            console.print(f"[bold]{escape(report.title)}[/] best: {escape(line)}",
                          soft_wrap=True)
