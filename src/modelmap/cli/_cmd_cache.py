"""``modelmap cache``: look into the results store and clean it up (the seed's explorer)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from modelmap.cli._common import (DebugOpt, StoreOpt, WorkspaceOpt, console, err_console,
                                  open_store, reports_errors, workspace)

app = typer.Typer(help="Look into the results store and clean it up: ls, show, rm, du, "
                  "export, export-store, vacuum.\n\nExample: modelmap cache ls",
                  no_args_is_help=True, rich_markup_mode="rich")
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
_STATUS = {"ok": "green", "failed": "red", "timeout": "yellow"}


def _size(n: int | float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def _age(stamp: float | None) -> str:
    if not stamp:
        return "-"
    seconds = max(0.0, time.time() - stamp)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit} ago"
    return f"{seconds:.0f} s ago"


def _counts(counts: dict[str, int]) -> str:
    return " ".join(f"[{_STATUS.get(k, 'white')}]{n} {escape(k)}[/]"
                    for k, n in sorted(counts.items())) or "no results"


@app.command("ls", epilog="Examples:\n\n  modelmap cache ls\n\n  modelmap cache ls --jobs"
             "\n\n  modelmap cache ls --failed --dataset sklearn_iris")
@reports_errors
def ls(
    dataset: Annotated[str | None, typer.Option("--dataset", help="Only this dataset.")] = None,
    failed: Annotated[bool, typer.Option("--failed", help="Only failed/timed-out results.")
                      ] = False,
    jobs_only: Annotated[bool, typer.Option("--jobs", help="Stop at jobs (no results).")
                         ] = False,
    as_json: JsonOpt = False,
    ws_path: WorkspaceOpt = None,
    store_url: StoreOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Tree of datasets → jobs → classifiers with size on disk, key, status and age."""
    from modelmap import queries

    with open_store(workspace(ws_path), store_url, read_only=True) as store:
        tree = [d for d in queries.tree(store) if dataset is None or d["name"] == dataset]
        url = store.url
    for data in tree:
        for job in data["jobs"]:
            if failed:
                job["results"] = [r for r in job["results"] if r["status"] != "ok"]
    if as_json:
        print(json.dumps(tree, indent=2, ensure_ascii=False))
        return
    root = Tree(f"[bold]{escape(url)}[/]")
    for data in tree:
        name = escape(data["name"] or "(no dataset)")
        branch = root.add(f"[bold cyan]{name}[/]  {_size(data['bytes'])}")
        for job in data["jobs"]:
            node = branch.add(f"[bold]{escape(job['title'])}[/] [dim]#{job['id']}[/]  "
                              f"{_counts(job['counts'])}  {_size(job['bytes'])}  "
                              f"{_age(job['updated_at'])}")
            if jobs_only:
                continue
            for r in job["results"]:
                colour = _STATUS.get(r["status"], "white")
                fold = f" fold {r['fold']}" if r["fold"] is not None else ""
                error = f"  [red]{escape(r['error'])}[/]" if r["error"] else ""
                node.add(f"[dim]{r['key'][:12]}[/]  [{colour}]{r['status']:<7}[/] "
                         f"{escape(r['title'])}{fold}  {_size(r['bytes'])}  "
                         f"{_age(r['finished_at'])}{error}")
    console.print(root)
    if not tree:
        console.print("[dim]The store is empty; run a job with `modelmap run JOB`.[/]")


@app.command("show", epilog="Examples:\n\n  modelmap cache show 4ab1dc71\n\n"
             "  modelmap cache show 4ab1 --job Iris --json\n\n"
             "  modelmap cache show 4ab1 --full-log > result.txt")
@reports_errors
def show(
    key: Annotated[str, typer.Argument(help="Result key or a unique prefix of it "
                                     "(4 characters or more).")],
    job: Annotated[str | None, typer.Option("--job", help="Job title or id, when the key "
                                            "is in several jobs.")] = None,
    full_log: Annotated[bool, typer.Option("--full-log", help="Print the whole captured log "
                                           "and traceback (default: their first and last "
                                           "32 KB).")] = False,
    as_json: JsonOpt = False,
    ws_path: WorkspaceOpt = None,
    store_url: StoreOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Everything stored about one result: args, scores, times, machine, arrays, log, error."""
    from modelmap import queries

    limit = None if full_log else queries.LOG_PREVIEW
    with open_store(workspace(ws_path), store_url, read_only=True) as store:
        data = queries.find_result(store, key, job, log_limit=limit)
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    _print_result(data)


def _print_result(data: dict[str, Any]) -> None:
    import numpy as np

    table = Table(show_header=False, box=None)
    for name in ("title", "key", "job", "dataset", "method", "status", "fold", "parent_key",
                 "plugin_hash"):
        table.add_row(f"[bold]{name}[/]", escape(str(data.get(name))))
    table.add_row("[bold]args[/]", escape(json.dumps(data["args"], ensure_ascii=False)))
    table.add_row("[bold]tags[/]", escape(json.dumps(data["tags"], ensure_ascii=False)))
    table.add_row("[bold]times[/]", escape(", ".join(f"{k} {v:.4g}s" for k, v in
                                                      data["times"].items() if v is not None)))
    table.add_row("[bold]finished[/]", _age(data["finished_at"]))
    table.add_row("[bold]machine[/]", escape(json.dumps(data["machine"], ensure_ascii=False)))
    console.print(table)
    scores = Table("score", *data["scores"].keys(), title="scores")
    names = dict.fromkeys(n for split in data["scores"].values() for n in split)
    for name in names:
        scores.add_row(name, *(_fmt(split.get(name)) for split in data["scores"].values()))
    if names:
        console.print(scores)
    listing = Table("array", "dtype", "shape", title="arrays")
    for name, array in data["arrays"].items():
        listing.add_row(name, array["dtype"], str(tuple(array["shape"])))
    console.print(listing)
    for name in ("confusion_test", "confusion_train"):
        if data.get(name) is not None:
            matrix = np.asarray(data[name], dtype=data["arrays"][name]["dtype"])
            console.print(f"[bold]{name}[/]\n{escape(str(matrix))}")
    if data["history"]:
        console.print("[bold]history[/] " + ", ".join(
            f"{escape(k)}: {len(v)} values, last {_fmt(v[-1] if v else None)}"
            for k, v in data["history"].items()))
    for name in ("log", "traceback"):
        if data.get(name):
            console.print(f"[bold]{name}[/]")
            console.print(data[name], markup=False, highlight=False)
    if data.get("log_cut"):
        console.print(f"[dim]{data['log_cut']} bytes of the output not shown; --full-log "
                      f"prints all that is stored ({data['log_bytes']} bytes)[/]")


def _fmt(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def _confirm(plan: list[str], yes: bool) -> bool:
    console.print("This removes:")
    for line in plan:
        console.print(f"  {line}")
    if yes:
        return True
    if not sys.stdin.isatty():
        err_console.print("Nothing removed: not asked interactively; add --yes to remove.")
        return False
    return typer.confirm("Remove?", default=False)


@app.command("rm", epilog="Examples:\n\n  modelmap cache rm 4ab1dc71 9f3e\n\n"
             "  modelmap cache rm --job Iris\n\n  modelmap cache rm --dataset sklearn_iris --yes"
             "\n\n  modelmap cache rm --failed\n\n  modelmap cache rm --maps -y")
@reports_errors
def rm(
    keys: Annotated[list[str] | None, typer.Argument(help="Result keys or unique prefixes "
                                                     "(4 characters or more).",
                                                     show_default=False)] = None,
    dataset: Annotated[str | None, typer.Option("--dataset", help="Remove a dataset with "
                                                "its jobs and results.")] = None,
    job: Annotated[str | None, typer.Option("--job", help="Remove a job (title or id) with "
                                            "its results; with KEYS: the job they are in.")
                   ] = None,
    failed: Annotated[bool, typer.Option("--failed", help="Remove failed and timed-out "
                                         "results.")] = False,
    maps: Annotated[bool, typer.Option("--maps", help="Empty the classifier-map cache.")
                    ] = False,
    yes: YesOpt = False,
    ws_path: WorkspaceOpt = None,
    store_url: StoreOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Remove results, a job, a dataset, failed results or cached maps (asks first)."""
    keys = keys or []
    if not (keys or dataset or job or failed or maps):
        raise typer.BadParameter("say what to remove: KEYS, --job, --dataset, --failed or "
                                 "--maps")
    from modelmap import queries

    with open_store(workspace(ws_path), store_url, create=False) as store:
        plan = queries.removal_plan(store, keys=keys, job=job, dataset=dataset, failed=failed,
                                    maps=maps)
        if not _confirm([escape(step.text) for step in plan], yes):
            raise typer.Exit(1)
        for step in plan:
            counts = queries.remove(store, step)
            done = ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "nothing"
            console.print(f"removed {escape(step.text)}: {done}")


@app.command("du", epilog="Examples:\n\n  modelmap cache du\n\n  modelmap cache du --json")
@reports_errors
def du(as_json: JsonOpt = False, ws_path: WorkspaceOpt = None, store_url: StoreOpt = None,
       debug: DebugOpt = False) -> None:
    """Bytes used by dataset, job and kind (results, arrays, projections, maps)."""
    from modelmap import queries

    with open_store(workspace(ws_path), store_url, read_only=True) as store:
        rows = queries.sizes(store)
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table("dataset", "job", "kind", "items", "size", title="store usage")
    by_kind: dict[str, int] = {}
    for r in rows:
        by_kind[r["kind"]] = by_kind.get(r["kind"], 0) + r["bytes"]
        table.add_row(escape(r["dataset"] or "-"), escape(r["job"] or "-"), r["kind"],
                      str(r["items"]), _size(r["bytes"]))
    console.print(table)
    totals = Table("kind", "size", title="by kind")
    for kind, size in sorted(by_kind.items()):
        totals.add_row(kind, _size(size))
    totals.add_row("[bold]total[/]", f"[bold]{_size(sum(by_kind.values()))}[/]")
    console.print(totals)


@app.command("export", epilog="Examples:\n\n  modelmap cache export Iris --csv iris.csv\n\n"
             "  modelmap cache export Iris --xlsx iris.xlsx")
@reports_errors
def export(
    job: Annotated[str, typer.Argument(help="Job title or id.")],
    csv: Annotated[Path | None, typer.Option("--csv", help="Write CSV to this file.")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write Excel to this file.")
                    ] = None,
    ws_path: WorkspaceOpt = None,
    store_url: StoreOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write a job's results (one row per classifier, every score and parameter) to a file."""
    from modelmap import queries

    if (csv is None) == (xlsx is None):
        raise typer.BadParameter("give exactly one of --csv FILE or --xlsx FILE")
    fmt, path = ("csv", csv) if csv is not None else ("xlsx", xlsx)
    with open_store(workspace(ws_path), store_url, read_only=True) as store:
        data = queries.export_results(store, int(job) if job.isdigit() else job, fmt)
    assert path is not None
    path.write_bytes(data)
    console.print(f"wrote {escape(str(path))} ({_size(len(data))})")


@app.command("vacuum", epilog="Example:\n\n  modelmap cache vacuum")
@reports_errors
def vacuum(ws_path: WorkspaceOpt = None, store_url: StoreOpt = None,
           debug: DebugOpt = False) -> None:
    """Delete orphaned arrays and give free space back to the file system."""
    from modelmap import queries

    with open_store(workspace(ws_path), store_url, create=False) as store:
        path = Path(store.url.removeprefix("sqlite:///")) if store.dialect == "sqlite" else None
        before = path.stat().st_size if path and path.exists() else None
        counts = queries.vacuum(store)
        after = path.stat().st_size if path and path.exists() else None
    console.print(f"removed {counts['arrays']} orphaned array(s)")
    if before is not None and after is not None:
        console.print(f"store file: {_size(before)} → {_size(after)}")


@app.command("export-store", epilog="Examples:\n\n  modelmap cache export-store results-copy.db"
             "\n\n  modelmap cache export-store /mnt/usb/results.db --force")
@reports_errors
def export_store(
    target: Annotated[Path, typer.Argument(help="The new single-file store to write.")],
    force: Annotated[bool, typer.Option("--force", help="Replace TARGET if it exists.")
                     ] = False,
    ws_path: WorkspaceOpt = None,
    store_url: StoreOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Copy the store into one self-contained SQLite file (to move it to another machine).

    The copy holds every committed result (the WAL included) and is compacted; the store
    can be in use meanwhile.  Open the copy with --store TARGET."""
    from modelmap import queries

    if target.exists() and not force:
        raise typer.BadParameter(f"{target} already exists; add --force to replace it")
    with open_store(workspace(ws_path), store_url, read_only=True) as store:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            queries.export_store(store, partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    console.print(f"wrote {escape(str(target))} ({_size(target.stat().st_size)})")
