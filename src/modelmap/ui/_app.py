"""``create_dash(store)``: the Dash app with every view, reading the store in process."""

from __future__ import annotations

import os
from pathlib import Path

import dash
from dash import ALL, ClientsideFunction, Input, Output, State

from modelmap.store import Store
from modelmap.ui import _layout, _state
from modelmap.ui._data import UIData
from modelmap.ui.views import VIEWS, modules

ASSETS = Path(__file__).parent / "assets"


def create_dash(store: Store | str | os.PathLike[str], *, requests_pathname_prefix: str = "/",
                workspace: str | os.PathLike[str] | None = None,
                keep_maps: bool = True) -> dash.Dash:
    """The web app over ``store``: every view, linked, with no asset from the internet.

    ``requests_pathname_prefix`` is where the app is served (``/`` when mounted at the root
    of the FastAPI app); ``workspace`` is where Help finds the workspace's plugins;
    ``keep_maps=False`` computes classifier maps without storing them (its callbacks write
    nothing to the store).
    """
    target = store if isinstance(store, Store) else Store(store)
    app = dash.Dash(
        "modelmap.ui", title="modelmap", assets_folder=str(ASSETS), serve_locally=True,
        requests_pathname_prefix=requests_pathname_prefix,
        routes_pathname_prefix=requests_pathname_prefix, suppress_callback_exceptions=False,
        update_title=None, compress=False,
    )
    app.enable_dev_tools(debug=False, dev_tools_ui=False, dev_tools_props_check=False)
    data = UIData(target, workspace, keep_maps=keep_maps)
    views = modules()
    app.layout = _layout.page(VIEWS, [view.layout() for view in views])
    _state.register(app, data)
    for view in views:
        view.register(app, data)
    _register_clientside(app)
    app.server.config["MODELMAP_UI_DATA"] = data
    return app


def _register_clientside(app: dash.Dash) -> None:
    linked = {"type": "mm-linked", "name": ALL}
    app.clientside_callback(ClientsideFunction("modelmap", "highlight"),
                            Output("mm-status-highlight", "children"),
                            Input("mm-highlight", "data"), Input("mm-titles", "data"))
    app.clientside_callback(ClientsideFunction("modelmap", "route"),
                            Output("mm-panes", "data"), Output("mm-beside", "value"),
                            Output("mm-focus", "data"),
                            Input({"type": "mm-nav", "view": ALL}, "n_clicks"),
                            Input("mm-beside", "value"), Input(linked, "clickData"),
                            State("mm-panes", "data"))
    app.clientside_callback(ClientsideFunction("modelmap", "panes"),
                            Output({"type": "mm-view", "view": ALL}, "style"),
                            Output({"type": "mm-nav", "view": ALL}, "className"),
                            Output({"type": "mm-vis", "view": ALL}, "data"),
                            Input("mm-panes", "data"),
                            State({"type": "mm-vis", "view": ALL}, "data"))
    app.clientside_callback(ClientsideFunction("modelmap", "jobUrl"),
                            Output("mm-dummy", "data"), Input("mm-job", "data"))
    app.clientside_callback(ClientsideFunction("modelmap", "settings"),
                            Output(linked, "config"),
                            Output({"type": "mm-graph", "name": ALL}, "config"),
                            Input("mm-settings", "data"))


def serve_files() -> list[str]:
    """Files under ``assets/`` the app loads (for packaging checks)."""
    return sorted(p.name for p in ASSETS.iterdir() if p.suffix in (".css", ".js"))

