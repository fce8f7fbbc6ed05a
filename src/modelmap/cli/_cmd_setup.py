"""``modelmap init``, ``modelmap expand`` and ``modelmap plugins``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from modelmap.cli._common import (DebugOpt, WorkspaceOpt, console, err_console, reports_errors,
                                  resolve_job, workspace)


@reports_errors
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create (may exist).")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Add missing example files to an "
                                        "existing workspace.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Create a workspace with example jobs and one example plugin of each kind.

    Example:

      modelmap init my-experiments && cd my-experiments && modelmap run jobs/iris.json
    """
    from modelmap.workspace import init_workspace

    ws, created = init_workspace(directory, force=force)
    console.print(f"Workspace [bold]{escape(str(ws.root))}[/]")
    for path in created:
        console.print(f"  created {escape(str(path.relative_to(ws.root)))}")
    console.print("\nNext: [bold]cd " + escape(str(directory)) + " && modelmap run jobs/iris.json"
                  "[/]  then  [bold]modelmap plugins[/] to see what you can use.")


@reports_errors
def expand(
    job: Annotated[str, typer.Argument(help="Job file or name in jobs/.")],
    max_configs: Annotated[int, typer.Option("--max-configs")] = 10_000,
    titles: Annotated[bool, typer.Option("--titles", help="Print only the titles.")] = False,
    ws_path: WorkspaceOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Print a job with every meta parameter expanded (valid input for `modelmap run`).

    Example:

      modelmap expand jobs/iris.json --titles
    """
    from modelmap.jobs import load_job
    from modelmap.plugins import Registry

    ws = workspace(ws_path)
    loaded = load_job(resolve_job(ws, job), registry=Registry.discover(ws.root),
                      max_configs=max_configs)
    for text in loaded.notices:
        err_console.print(f"[yellow]notice:[/] {escape(text)}", soft_wrap=True)
    if titles:
        for c in loaded.projections:
            console.print(f"projection  {escape(c.title)}")
        for c in loaded.classifiers:
            console.print(f"classifier  {escape(c.title)}")
        console.print(f"[dim]{len(loaded.classifiers)} classifiers, "
                      f"{len(loaded.projections)} projections[/]")
        return
    print(json.dumps(loaded.to_dict(), indent=2, ensure_ascii=False))


@reports_errors
def plugins(
    name: Annotated[str | None, typer.Argument(help="Show one plugin in full.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    ws_path: WorkspaceOpt = None,
    debug: DebugOpt = False,
) -> None:
    """List every dataset, classifier and projection plugin with its parameters and origin.

    Example:

      modelmap plugins            # everything, as tables

      modelmap plugins svm        # one plugin with a default config to copy
    """
    from modelmap.plugins import Registry

    registry = Registry.discover(workspace(ws_path).root)
    spec = registry.spec()
    if as_json:
        print(json.dumps(spec, indent=2, ensure_ascii=False, default=str))
        return
    if name:
        _one(spec, name)
        return
    for kind in ("datasets", "classifiers", "projections"):
        table = Table(title=kind.capitalize(), show_lines=True)
        for col in ("name", "description", "parameters", "origin"):
            table.add_column(col)
        for entry in spec.get(kind, []):
            params = "\n".join(_describe(p) for p in entry.get("parameters") or [])
            if entry.get("parameters") is None:
                params = "(any estimator parameter)"
            table.add_row(escape(entry["name"]), escape(str(entry.get("description", ""))),
                          escape(params), escape(str(entry.get("origin", ""))))
        console.print(table)
    for text in registry.notices:
        err_console.print(f"[yellow]notice:[/] {escape(text)}", soft_wrap=True)
    for problem in registry.problems:
        err_console.print(f"[red]not loaded:[/] {escape(problem.location)}: "
                          f"{escape(problem.error)}", soft_wrap=True)
    if registry.problems:
        raise typer.Exit(1)


def _describe(param: dict) -> str:
    """'n_neighbors: integer [1, 1000] = 5' — name, type, range and default on one line."""
    kind = param.get("type", "other")
    rng = param.get("range")
    text = f"{param['name']}: {kind}"
    if rng is not None and kind != "boolean":
        text += f" {list(rng)}" if not isinstance(rng, str) else f" {rng}"
    return f"{text} = {param.get('default_value')!r}"


def _one(spec: dict, name: str) -> None:
    from modelmap.errors import PluginError

    for kind in ("datasets", "classifiers", "projections"):
        for entry in spec.get(kind, []):
            if entry["name"] != name:
                continue
            origin = escape(str(entry.get("origin")))
            console.print(f"[bold]{escape(name)}[/] ({kind[:-1]}, {origin})"
                          f"\n{escape(str(entry.get('description', '')))}")
            table = Table("parameter", "type", "range", "default", "description")
            config: dict = {"title": entry.get("short") or name, "method": name}
            for p in entry.get("parameters") or []:
                table.add_row(escape(p["name"]), escape(str(p.get("type"))),
                              escape(str(p.get("range", ""))),
                              escape(repr(p.get("default_value"))),
                              escape(str(p.get("description", ""))))
                config[p["name"]] = p.get("default_value")
            console.print(table)
            if kind != "datasets":
                console.print("Default config:")
                print(json.dumps(config, indent=2, ensure_ascii=False, default=str))
            return
    names = sorted(e["name"] for k in spec for e in spec.get(k, []) if isinstance(e, dict))
    raise PluginError(f"no plugin named '{name}'", hint=f"available: {', '.join(names)}")
