"""What every command shares: the console, workspace/store options, error printing."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from modelmap.errors import ModelmapError
from modelmap.workspace import Workspace, find_workspace

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", help="Workspace folder (default: $MODELMAP_WORKSPACE, "
                 "else the nearest folder up from here with modelmap.toml, else here).",
                 show_default=False),
]
StoreOpt = Annotated[
    str | None,
    typer.Option("--store", help="Results store: a SQLite file or postgresql://user@host/db "
                 "(default: $MODELMAP_STORE, else the workspace's modelmap.db).",
                 show_default=False),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show full tracebacks.")]

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Print a ModelmapError as one clear message (exit 2) instead of a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ModelmapError as exc:
            if kwargs.get("debug"):
                raise
            from rich.markup import escape

            err_console.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err_console.print("[yellow]Cancelled.[/]")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def workspace(path: Path | None) -> Workspace:
    return find_workspace(path)


def open_store(ws: Workspace, url: str | None, *, create: bool = True,
               read_only: bool | str = False):
    """The workspace's store (or ``url``).  Commands that only look (``cache ls``,
    ``compare`` ...) pass ``read_only=True``: a missing store is then an error ("no store
    at PATH") instead of a new empty one, and a store on a read-only file system opens;
    ``serve`` passes ``create=False, read_only="auto"``."""
    from modelmap.store import Store

    return Store(ws.store_url(url), create=create, read_only=read_only)  # type: ignore[arg-type]


def resolve_job(ws: Workspace, name: str) -> Path:
    """A job path as given, else under the workspace's jobs/ (with or without .json)."""
    candidates = [Path(name), ws.jobs_dir / name, ws.jobs_dir / f"{name}.json"]
    for path in candidates:
        if path.is_file():
            return path
    from modelmap.errors import JobError

    available = sorted(p.name for p in ws.jobs_dir.glob("*.json")) if ws.jobs_dir.is_dir() else []
    raise JobError(f"job file not found: {name}", hint=(
        f"jobs in {ws.jobs_dir}: {', '.join(available)}" if available else
        "create a workspace with example jobs with `modelmap init DIR`"))


def exit_code(ok: bool) -> None:
    if not ok:
        raise typer.Exit(1)


def is_tty() -> bool:
    return sys.stdout.isatty()
