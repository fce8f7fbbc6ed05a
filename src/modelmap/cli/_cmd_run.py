"""``modelmap run``: train every config of one or more batch jobs."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from modelmap.cli._common import (DebugOpt, StoreOpt, WorkspaceOpt, console, err_console,
                                  open_store, reports_errors, resolve_job, workspace)

EPILOG = """Examples:

  modelmap run jobs/iris.json                   # all cores, results in ./modelmap.db

  modelmap run iris wine -j 2 --strict          # two jobs from jobs/, 2 processes

  modelmap run jobs/digits.json --force --store postgresql://me@db/modelmap

  modelmap run jobs/digits.json --cluster tcp://scheduler:8786   # on a Dask cluster
"""


StrictOpt = Annotated[bool, typer.Option(
    "--strict", help="Treat invalid or unknown parameters and titles shared by different "
    "configs as errors, before any training starts.")]
TimeoutOpt = Annotated[float | None, typer.Option(
    "--timeout", help="Seconds a config may take before it is stopped and recorded 'timeout' "
    "(with the job's data 'timeout' too: the smaller).", show_default=False)]
ClusterOpt = Annotated[str | None, typer.Option(
    "--cluster", help="Run on a Dask cluster: tcp://HOST:8786, or local[:N] for a local one "
    "on 127.0.0.1.", show_default=False)]


def parse_size(text: str | None) -> int | None:
    """'2G', '512M', '1000000' → bytes."""
    if not text:
        return None
    units = {"k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
    t = text.strip().lower().rstrip("b")
    try:
        if t and t[-1] in units:
            return int(float(t[:-1]) * units[t[-1]])
        return int(float(t))
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a size; use e.g. 2G or 512M") from None


@reports_errors
def run(
    jobs: Annotated[list[str], typer.Argument(help="Job files, or names of jobs in the "
                                               "workspace's jobs/ folder.", show_default=False)],
    break_: Annotated[bool, typer.Option("--break", "-b", help="Stop at the first error and show "
                                         "its traceback.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Retrain configs already in the store.")
                     ] = False,
    strict: StrictOpt = False,
    n_jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes "
                                               "(default: all cores).", show_default=False)
                      ] = None,
    timeout: TimeoutOpt = None,
    retries: Annotated[int, typer.Option("--retries", help="Extra attempts for a config whose "
                                         "worker process died.")] = 1,
    max_memory: Annotated[str | None, typer.Option("--max-memory", help="Memory limit per "
                                                   "worker, e.g. 4G.", show_default=False)] = None,
    max_configs: Annotated[int, typer.Option("--max-configs", help="Refuse jobs that expand to "
                                             "more configs than this.")] = 10_000,
    cluster: ClusterOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only failures and the "
                                        "summary.")] = False,
    ws_path: WorkspaceOpt = None,
    store_url: StoreOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Train every classifier config of the given batch jobs and store the results.

    Configs already in the store (same data, parameters and plugin code) are skipped, so
    an interrupted run resumes where it stopped. Exit status is 0 only if nothing failed.
    """
    from modelmap.execution import executor_for

    executor = executor_for(cluster, n_jobs, retries=retries, timeout=timeout,
                            max_memory=parse_size(max_memory))
    if hasattr(executor, "prestart") and getattr(executor, "connected", True):
        executor.prestart()  # workers import scikit-learn while we load everything else
    from modelmap.batch import Service
    from modelmap.cli._progress import RichEvents, summary_table

    try:
        ws, registry, loaded, store = _load(jobs, ws_path, store_url, max_configs)
    except BaseException:
        executor.shutdown(kill=True)
        raise
    if getattr(executor, "connected", True):
        workers = f"{executor.n_jobs}" + (f" on the Dask cluster {cluster}" if cluster else "")
    else:  # a cluster is joined once the first job's data is ready (see DaskExecutor)
        workers = f"on the Dask cluster {cluster} (joined when the first job's data is ready)"
    console.print(f"[dim]store: {escape(store.url)} · workers: {escape(workers)}[/]")
    # the command owns the executor (its `with` below) and the store (open to the end)
    service = Service(registry=registry, workspace=ws.root, store=store, executor=executor)
    with RichEvents(console, quiet=quiet) as events, executor:
        batch = service.batch(force=force, strict=strict, break_on_error=break_, events=events)
        reports = _run_all(batch, loaded, events, store, strict=strict, reraise=break_ or debug)
    console.print(summary_table(reports))
    if not batch.interrupts:
        from modelmap.cli._cmd_compare import print_best_lines

        print_best_lines(store, reports)
    _closing(reports, store, batch.interrupts > 0)


def _run_all(batch, loaded: list, events, store, *, strict: bool, reraise: bool) -> list:
    """Every job in turn (with ``strict``, all checked first); a job that cannot run is
    reported and the next one runs, unless ``reraise`` (--break, --debug)."""
    from modelmap.batch import JobReport
    from modelmap.errors import ModelmapError

    if strict:
        for job in loaded:
            batch.check(job)
    reports: list[JobReport] = []
    for job in loaded:
        try:
            reports.append(_run_one(batch, job, events, store))
        except ModelmapError as exc:
            if reraise:
                raise
            reports.append(JobReport(job.title, job.data.dataset,
                                     n_classifiers=len(job.classifiers),
                                     n_projections=len(job.projections), job_error=str(exc)))
            err_console.print(f"[bold red]error in job {escape(job.title)}:[/] "
                              f"{escape(str(exc))}", soft_wrap=True)
        if batch.interrupts:
            break
    return reports


def _run_one(batch, job, events, store):
    """``batch.run(job)``; Ctrl-C and a --break failure end the command (exit 130, 1)."""
    from modelmap.batch import BatchBreak

    try:
        return batch.run(job)
    except KeyboardInterrupt:
        events.__exit__(None, None, None)
        err_console.print(f"[yellow]Cancelled.[/] Finished results are saved in "
                          f"{escape(store.url)}; run the same command again to resume.")
        raise typer.Exit(130) from None
    except BatchBreak as stop:
        events.__exit__(None, None, None)
        err_console.print(f"[bold red]--break:[/] {escape(stop.result.title)} failed")
        err_console.print(stop.result.traceback or stop.result.error, markup=False)
        if stop.result.log:
            err_console.print("[dim]captured output:[/]")
            err_console.print(stop.result.log, markup=False)
        raise typer.Exit(1) from None


def _load(jobs: list[str], ws_path, store_url, max_configs: int):
    """The workspace, its plugins, every job (all checked before anything runs) and the
    store."""
    from modelmap.jobs import load_job
    from modelmap.plugins import Registry

    ws = workspace(ws_path)
    registry = Registry.discover(ws.root)
    for text in registry.notices:
        console.print(f"[yellow]notice:[/] {escape(text)}", soft_wrap=True)
    for problem in registry.problems:
        err_console.print(f"[yellow]plugin not loaded:[/] {escape(problem.location)}: "
                          f"{escape(problem.error)}",
                          soft_wrap=True)
    loaded = [load_job(resolve_job(ws, name), registry=registry, max_configs=max_configs)
              for name in jobs]  # all job files are checked before anything runs
    store = open_store(ws, store_url)
    return ws, registry, loaded, store


def _closing(reports: list, store, interrupted: bool) -> None:
    failed = [(r.title, t, e) for r in reports for t, e in r.errors]
    for job_title, title, error in failed[:20]:
        first = error.strip().splitlines()[-1] if error.strip() else error
        err_console.print(f"[red]failed:[/] {escape(job_title)} / {escape(title)}: "
                          f"{escape(first)}", soft_wrap=True)
    if len(failed) > 20:
        err_console.print(f"... and {len(failed) - 20} more (modelmap cache ls --failed)")
    if interrupted:
        left = sum(r.remaining for r in reports)
        console.print(f"[yellow]Interrupted.[/] Finished results are saved in {store.url}; "
                      f"{left} config(s) left. Run the same command again to resume.")
        raise typer.Exit(130)
    ok = not any(r.n_errors for r in reports)
    if failed:
        console.print("Rerun with [bold]--break[/] to stop at the first error and see its "
                      "traceback; failed configs are retried on the next run.")
    console.print(f"Results: {store.url}")
    if not ok:
        raise typer.Exit(1)
