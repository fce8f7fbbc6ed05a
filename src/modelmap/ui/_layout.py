"""The page: navigation bar, toolbar, the two panes of views, the status bar, the stores."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from modelmap.ui._theme import DEFAULT_SETTINGS

POLL_MS = 3000
DEFAULT_PANES = {"left": "menu", "right": "off"}


def stores() -> list[Any]:
    """Client-side state: job, panes, selection, highlight, focus, settings."""
    return [
        dcc.Store(id="mm-job", storage_type="session"),
        dcc.Store(id="mm-panes", storage_type="session", data=dict(DEFAULT_PANES)),
        dcc.Store(id="mm-settings", storage_type="local", data=dict(DEFAULT_SETTINGS)),
        dcc.Store(id="mm-focus", storage_type="session"),
        dcc.Store(id="mm-compare", storage_type="session"),
        dcc.Store(id="mm-selection"),
        dcc.Store(id="mm-picked", storage_type="session"),
        dcc.Store(id="mm-titles", data={}),
        dcc.Store(id="mm-highlight"),
        dcc.Store(id="mm-jobs", data=[]),
        dcc.Store(id="mm-dummy"),
        dcc.Store(id="mm-url-state"),
        dcc.Store(id="mm-url-restored", data=False),
        dcc.Store(id="mm-fields-job"),  # the job the toolbar's sort and colour were chosen for
        dcc.Location(id="mm-url", refresh=False),
        dcc.Interval(id="mm-poll", interval=POLL_MS),
        dcc.Download(id="mm-download"),
    ]


def navbar(views: Sequence[tuple[str, str]]) -> html.Nav:
    links = [html.Button(title, id={"type": "mm-nav", "view": name}, n_clicks=0,
                         className="mm-nav-link", **{"data-view": name})
             for name, title in views]
    return html.Nav([
        html.Div([html.Span("◈", className="mm-logo"), html.Span("modelmap")],
                 className="mm-brand"),
        html.Div(dcc.Dropdown(id="mm-job-select", clearable=False, placeholder="Pick a job",
                              className="mm-job-select"), className="mm-job"),
        html.Div(links, className="mm-nav-links"),
        html.Button(id="mm-new", n_clicks=0, className="mm-new-results",
                    style={"display": "none"}, title="Show the results that arrived"),
    ], className="mm-navbar")


def toolbar(views: Sequence[tuple[str, str]]) -> html.Div:
    beside = [{"label": "single view", "value": "off"}] + [
        {"label": title, "value": name} for name, title in views]
    return html.Div([
        html.Div([html.Label("Sort", className="mm-control-label"),
                  dcc.Dropdown(id="mm-sort", clearable=False, className="mm-tool-dd"),
                  dbc.Button("best first", id="mm-sort-desc", n_clicks=0, size="sm",
                             outline=True, color="secondary", className="mm-sort-dir",
                             title="Best first: highest score, fastest time, lowest loss "
                                   "(click for the reverse)")],
                 className="mm-tool"),
        html.Div([html.Label("Colour", className="mm-control-label"),
                  dcc.Dropdown(id="mm-colour", value="method", clearable=False,
                               className="mm-tool-dd")], className="mm-tool"),
        html.Div([html.Label("Beside", className="mm-control-label"),
                  dcc.Dropdown(id="mm-beside", value="off", clearable=False, options=beside,
                               className="mm-tool-dd-sm")], className="mm-tool"),
        html.Div(id="mm-selection-count", className="mm-selection-count"),
        dbc.Button("Export CSV", id="mm-export", n_clicks=0, size="sm", outline=True,
                   color="secondary", title="The selected classifiers, in this order, as CSV"),
    ], className="mm-toolbar")


def status_bar() -> html.Footer:
    return html.Footer([
        html.Span(id="mm-status-job", className="mm-status-item"),
        html.Span(id="mm-legend", className="mm-status-item mm-legend"),
        html.Span(id="mm-status-highlight", className="mm-status-item mm-status-highlight"),
    ], className="mm-statusbar")


def page(views: Sequence[tuple[str, str]], bodies: Sequence[Any]) -> html.Div:
    return html.Div([
        *stores(),
        navbar(views),
        toolbar(views),
        html.Main(list(bodies), className="mm-panes", id="mm-panes-box"),
        status_bar(),
    ], className="mm-app", id="mm-app")
