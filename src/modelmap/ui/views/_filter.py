"""Filter: narrow the classifiers by status, title and conditions on any field."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from modelmap.ui._data import UIData
from modelmap.ui.views._common import container

NAME = "filter"
EXAMPLES = "test_accuracy>=0.9\nparam_kernel=rbf\nfit_time<1"


def layout() -> html.Div:
    body = dbc.Row([
        dbc.Col([
            html.H3("Status", className="mm-section-title"),
            dbc.Checklist(id="mm-status", value=["ok", "failed", "timeout"], inline=True,
                          options=[{"label": " ok", "value": "ok"},
                                   {"label": " failed", "value": "failed"},
                                   {"label": " timed out", "value": "timeout"}]),
            html.H3("Title contains", className="mm-section-title mt-3"),
            dcc.Input(id="mm-q", type="search", debounce=True, placeholder="e.g. SVM",
                      className="form-control"),
            html.H3("Conditions (one per line)", className="mm-section-title mt-3"),
            dcc.Textarea(id="mm-filters", placeholder=EXAMPLES, className="form-control",
                         style={"height": "120px", "fontFamily": "monospace"}),
            html.Div([dbc.Button("Apply", id="mm-filter-apply", n_clicks=0, color="primary",
                                 size="sm", className="mt-2")]),
            html.Div(id="mm-filter-error", className="mt-2"),
        ], lg=6),
        dbc.Col([
            html.H3("How to write a condition", className="mm-section-title"),
            html.P(["FIELD OP VALUE with OP one of ", html.Code("= != < <= > >= ~"),
                    " (~ means 'contains'). VALUE is a number, true/false, or text."],
                   className="small"),
            html.H3("Fields of this job", className="mm-section-title"),
            html.Div(id="mm-filter-fields", className="mm-field-list small"),
        ], lg=6),
    ])
    return container(NAME, "Filter", [], body)


def register(app: Any, data: UIData) -> None:
    @app.callback(Output("mm-filter-fields", "children"), Input("mm-job", "data"))
    def fields(job: Any) -> Any:
        if job is None:
            return "Open a job to see its fields."
        f = data.table(int(job)).fields
        groups = [("scores", f.scores), ("times", f.times), ("parameters and tags", f.params),
                  ("others", ["title", "method", "status", "fold"])]
        return [html.Div([html.B(f"{name}: "), ", ".join(values) or "none"],
                         className="mb-1") for name, values in groups]
