"""Menu's delete: a job, or the selected classifiers, after a confirmation dialog, through
the query layer's delete functions.  On a non-loopback bind the app must not write (its
callbacks carry no API token): there the buttons are disabled with the reason."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, html, no_update

from modelmap import queries
from modelmap.ui._data import UIData
from modelmap.ui.views._common import SELECTION, error_text

#: Why deleting is off when the app may not write.
READ_ONLY = ("Deleting is off: this server listens on a non-loopback address, where every "
             "write needs the API token. Delete with `modelmap cache rm` on the server, or "
             "through the API with the token.")


def modal() -> dbc.Modal:
    return dbc.Modal([
        dbc.ModalHeader(dbc.ModalTitle("Delete?")),
        dbc.ModalBody(html.Div(id="mm-delete-text")),
        dbc.ModalFooter([
            dbc.Button("Cancel", id="mm-delete-cancel", n_clicks=0, color="secondary",
                       outline=True),
            dbc.Button("Delete", id="mm-delete-confirm", n_clicks=0, color="danger"),
        ]),
    ], id="mm-delete-modal", is_open=False, centered=True)


def job_button(job_id: int, writes: bool) -> dbc.Button:
    return dbc.Button("Delete", id={"type": "mm-delete-job", "job": job_id}, n_clicks=0,
                      size="sm", color="danger", outline=True, disabled=not writes,
                      className="ms-1", title="Delete this job and its results"
                      if writes else READ_ONLY)


def results_controls(writes: bool) -> list[Any]:
    return [
        dbc.Button("Delete the selected classifiers…", id="mm-delete-results", n_clicks=0,
                   size="sm", color="danger", outline=True, disabled=not writes),
        html.Div(None if writes else READ_ONLY, className="small text-body-secondary mt-1",
                 id="mm-delete-reason"),
    ]


def _ask(data: UIData, target: dict[str, Any]) -> list[Any]:
    if target["kind"] == "job":
        job = queries.get_job(data.store, target["job"])
        return [html.P(["Delete the job ", html.B(job["title"]),
                        f" with its {job['n_results']} results, projections and arrays?"]),
                html.P("This cannot be undone.", className="text-danger small")]
    table = data.table(target["job"])
    titles = [r["title"] for r in table.rows(target["ids"])]
    shown = ", ".join(titles[:8]) + (f" and {len(titles) - 8} more" if len(titles) > 8 else "")
    return [html.P([f"Delete {len(titles)} classifier{'s' if len(titles) != 1 else ''} of ",
                    html.B(table.job["title"]), f" ({shown}) with their per-fold results "
                                                "and arrays?"]),
            html.P("This cannot be undone.", className="text-danger small")]


def _delete(data: UIData, target: dict[str, Any]) -> None:
    if target["kind"] == "job":
        queries.delete_job(data.store, int(target["job"]))
        return
    for result_id in target["ids"]:
        queries.delete_result(data.store, int(result_id))


def register(app: Any, data: UIData) -> None:
    # Two callbacks: the one the Delete buttons trigger does not write mm-deleted, so that
    # the selection (which listens to mm-deleted) does not wait for it each time the Menu
    # redraws its job cards (new buttons fire it) when a job opens.
    @app.callback(Output("mm-delete-modal", "is_open"), Output("mm-delete-text", "children"),
                  Output("mm-delete-target", "data"),
                  Input({"type": "mm-delete-job", "job": ALL}, "n_clicks"),
                  Input("mm-delete-results", "n_clicks"), Input("mm-delete-cancel", "n_clicks"),
                  State(SELECTION, "data"), prevent_initial_call=True)
    def ask(_jobs: Any, _results: Any, _cancel: Any, selection: dict | None) -> tuple:
        trigger = ctx.triggered_id
        if not any(t.get("value") for t in ctx.triggered):  # a button was (re)created
            return no_update, no_update, no_update
        if trigger == "mm-delete-cancel":
            return False, no_update, None
        if not data.keep_maps:
            return True, READ_ONLY, None
        if isinstance(trigger, dict):
            target = {"kind": "job", "job": int(trigger["job"])}
        elif selection and selection.get("ids"):
            target = {"kind": "results", "job": int(selection["job"]),
                      "ids": list(selection["ids"])}
        else:
            return True, "No classifier is selected.", None
        return True, _ask(data, target), target

    @app.callback(Output("mm-delete-modal", "is_open", allow_duplicate=True),
                  Output("mm-delete-text", "children", allow_duplicate=True),
                  Output("mm-delete-target", "data", allow_duplicate=True),
                  Output("mm-deleted", "data"),
                  Input("mm-delete-confirm", "n_clicks"), State("mm-delete-target", "data"),
                  State("mm-deleted", "data"), prevent_initial_call=True)
    def confirm(clicks: Any, target: dict | None, deleted: int | None) -> tuple:
        if not clicks:
            return no_update, no_update, no_update, no_update
        if not target or not data.keep_maps:
            return False, no_update, None, no_update
        try:
            _delete(data, target)
        except Exception as exc:  # noqa: BLE001 - shown in the dialog
            return True, html.Div(error_text(exc), className="alert alert-danger"), \
                None, (deleted or 0) + 1
        return False, no_update, None, (deleted or 0) + 1
