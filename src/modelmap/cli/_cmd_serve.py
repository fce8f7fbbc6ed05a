"""``modelmap serve``: the results server (JSON API under /api) with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from modelmap.cli._common import (DebugOpt, StoreOpt, WorkspaceOpt, console, err_console,
                                  open_store, reports_errors, workspace)

EPILOG = """Examples:

  modelmap serve                                # web app at http://127.0.0.1:8050/

  modelmap serve --port 9000 --store results.db

  MODELMAP_TOKEN=s3cret modelmap serve --host 0.0.0.0 --allow-host myserver.lan
"""


@reports_errors
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but "
                                      "127.0.0.1/localhost exposes the results to the "
                                      "network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535,
                                      help="Port to listen on.")] = 8050,
    token: Annotated[str | None, typer.Option("--token", envvar="MODELMAP_TOKEN",
                                              help="Token that requests changing the store "
                                              "(deleting, POST /api/maps) must send "
                                              "(Authorization: Bearer TOKEN).",
                                              show_default=False)] = None,
    allow_host: Annotated[list[str] | None, typer.Option(
        "--allow-host", help="Extra host name clients may use in the Host header "
        "(repeatable), e.g. the server's DNS name behind a proxy.", show_default=False)] = None,
    ws_path: WorkspaceOpt = None,
    store_url: StoreOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Serve the web app (at /) and the JSON API of the results store (docs at /api/docs).

    New results written by `modelmap run` in another terminal show up without a restart.
    """
    import uvicorn

    from modelmap.app import create_app
    from modelmap.server import is_loopback

    ws = workspace(ws_path)
    store = open_store(ws, store_url, create=False, read_only="auto")
    if store.read_only:
        err_console.print("[yellow]The store cannot be written: it is served read-only "
                          "(deleting is off, maps are computed but not kept).[/]",
                          soft_wrap=True)
    if not is_loopback(host):
        err_console.print(f"[bold yellow]warning:[/] listening on {escape(host)} makes the "
                          "results readable by other machines on the network.", soft_wrap=True)
        if not token:
            err_console.print("[yellow]Changing the store through the API (deleting, "
                              "POST /api/maps) is disabled; give --token or MODELMAP_TOKEN "
                              "to allow it.[/]", soft_wrap=True)
    app = create_app(store, workspace=ws.root, host=host, token=token,
                     allow_hosts=allow_host or (), debug=debug)
    shown = f"[{host}]" if ":" in host else host
    console.print(f"modelmap serving [bold]{escape(store.url)}[/] at "
                  f"[bold]http://{escape(shown)}:{port}/[/] (API docs: /api/docs; Ctrl-C to stop)",
                  soft_wrap=True)
    from modelmap import _gc

    _gc.settle()  # a server runs for long: collect as usual from here on
    try:
        uvicorn.run(app, host=host, port=port, log_level="debug" if debug else "warning")
    finally:
        store.close()
