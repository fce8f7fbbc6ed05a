"""Menu: the datasets and jobs of the store, and which classifiers of the job to show."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, dcc, html

from modelmap.ui._data import UIData
from modelmap.ui.views import _menu_delete
from modelmap.ui.views._common import badge, container, state

NAME = "menu"


def layout() -> html.Div:
    body = dbc.Row([
        dbc.Col([html.H3("Jobs", className="mm-section-title"),
                 html.Div(id="mm-menu-jobs", className="mm-job-list")], lg=7),
        dbc.Col([html.H3("Classifiers to show", className="mm-section-title"),
                 html.P("Methods of the open job (uncheck to hide them everywhere):",
                        className="text-body-secondary small"),
                 dbc.Checklist(id="mm-methods", options=[], value=[], className="mm-methods"),
                 html.Div([html.Label("Only the top", htmlFor="mm-top-n",
                                      className="me-2 small"),
                           dcc.Input(id="mm-top-n", type="number", min=1, step=1,
                                     debounce=True, placeholder="all",
                                     className="form-control form-control-sm mm-top-n"),
                           html.Span("by the toolbar's sort", className="ms-2 small")],
                          className="d-flex align-items-center mt-2"),
                 html.Hr(),
                 dbc.Switch(id="mm-folds", label="Include per-fold results", value=False),
                 html.P("Cross-validated jobs run with save_clfs_for_folds keep one result per "
                        "fold; with this on they are listed too (Table's fold column), and "
                        "Ranking groups them by fold or classifier.",
                        className="text-body-secondary small", id="mm-folds-note"),
                 html.Hr(),
                 *_menu_delete.results_controls(True)], lg=5),
        dcc.Store(id="mm-delete-target"), dcc.Store(id="mm-deleted", data=0),
        _menu_delete.modal(),
    ])
    return container(NAME, "Menu", [], body)


def _card(job: dict[str, Any], active: bool, writes: bool = True) -> dbc.Card:
    counts = job.get("counts") or {}
    bad = sum(n for status, n in counts.items() if status != "ok")
    mode = {"cv": f"{job.get('n_folds')}-fold CV", "holdout": "hold-out"}.get(
        job.get("mode"), job.get("mode") or "")
    kind = "labels" if job.get("multilabel") else "classes"
    badges = [badge(f"{counts.get('ok', 0)} ok", "success")]
    if bad:
        badges.append(badge(f"{bad} failed", "danger"))
    if job.get("multilabel"):
        badges.append(badge("multi-label", "info"))
    return dbc.Card(dbc.CardBody([
        html.Div([html.Div([html.Div(job["title"], className="mm-job-title"),
                            html.Div(job.get("dataset") or "", className="mm-job-dataset")]),
                  html.Div([dbc.Button("Open" if not active else "Open ✓", size="sm",
                                       color="primary", outline=not active,
                                       id={"type": "mm-open", "job": job["id"]}, n_clicks=0),
                            _menu_delete.job_button(job["id"], writes)])],
                 className="mm-job-head"),
        html.Div(badges + [html.Span(f"{job.get('n_classes') or '?'} {kind} · "
                                     f"{job.get('n_train') or 0} train · "
                                     f"{job.get('n_test') or 0} test · {mode}",
                                     className="mm-job-meta")]),
    ]), className="mm-job-card" + (" mm-job-active" if active else ""),
        id={"type": "mm-job-card", "job": job["id"]})


def register(app: Any, data: UIData) -> None:
    # the cards are drawn when the job list changes; opening a job only marks its card (in
    # the browser): new cards make Dash re-read the page's callbacks, which held the
    # selection of the opened job back by 200 ms
    @app.callback(Output("mm-menu-jobs", "children"), Input("mm-jobs", "data"),
                  State("mm-job", "data"))
    def jobs(jobs: list | None, current: Any) -> Any:
        if not jobs:
            return state("The store has no jobs yet. Run one, e.g. `modelmap run "
                         "jobs/iris.json`; it shows up here while it runs.")
        return [_card(job, job["id"] == current, data.keep_maps) for job in jobs]

    app.clientside_callback(
        """function (job, ids) {
            return [ids.map(i => i.job === job ? 'Open ✓' : 'Open'),
                    ids.map(i => i.job !== job),
                    ids.map(i => 'mm-job-card' + (i.job === job ? ' mm-job-active' : ''))];
        }""",
        Output({"type": "mm-open", "job": ALL}, "children"),
        Output({"type": "mm-open", "job": ALL}, "outline"),
        Output({"type": "mm-job-card", "job": ALL}, "className"),
        Input("mm-job", "data"), Input({"type": "mm-open", "job": ALL}, "id"))

    @app.callback(Output("mm-delete-results", "disabled"), Output("mm-delete-reason", "children"),
                  Output("mm-folds-note", "children"), Input("mm-jobs", "data"),
                  Input("mm-job", "data"))
    def writes(jobs: list | None, current: Any) -> tuple:
        job = next((j for j in jobs or [] if j["id"] == current), None)
        folds = "Cross-validated jobs run with save_clfs_for_folds keep one result per fold; " \
                "with this on they are listed too (Table's fold column), and Ranking groups " \
                "them by fold or classifier."
        if job is not None and job.get("mode") != "cv":
            folds = "This job is not cross-validated: it has no per-fold results. " + folds
        reason = None if data.keep_maps else _menu_delete.READ_ONLY
        return not data.keep_maps, reason, folds

    _menu_delete.register(app, data)
