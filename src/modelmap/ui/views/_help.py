"""Help: how to use each view, and every plugin with its parameters and a default
configuration to copy into a job file."""

from __future__ import annotations

import json
from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html, no_update

from modelmap.ui._data import UIData
from modelmap.ui.views._common import container, guarded, state, vis_id

NAME = "help"

USAGE = {
    "Menu": "Open a job (the list at the top does the same) and choose which methods to show. "
            "Per-fold results of cross-validated jobs can be switched on here.",
    "Filter": "Narrow the classifiers: by status, by title, and by conditions such as "
              "test_accuracy>=0.9, param_kernel=rbf or fit_time<1 (one per line, then Apply).",
    "Toolbar": "Sort and Colour apply to every view: the order of Ranking rows, the drawing "
               "order of points, the colours of bars, points and lines. 'Beside' shows a second "
               "view next to the first. Export CSV saves the selected classifiers in this order.",
    "Ranking": "One column of bars per score; each column is ranked on its own and a line "
               "follows each classifier across columns. Group by method or fold to compare "
               "groups by their mean, median or best member.",
    "Map": "Each point is a classifier; close points predict alike. Choose what to compare "
           "(predictions, probabilities, confusion matrices, train or test), the distance and "
           "the projection (PCA, MDS, t-SNE, UMAP). Drag to pan, scroll to zoom, Labels shows "
           "titles.",
    "Plot": "Any parameter or score on x, y and marker size; jitter spreads categories. Below: "
            "how strongly each parameter goes with each score (η, the correlation ratio, for "
            "categorical parameters; Spearman's ρ for numeric ones) and how much each parameter "
            "matters for the y score (random-forest importance, seeded).",
    "Time": "Score against training time on a log axis. The line is the Pareto front: the "
            "best score you can get within each time budget.",
    "Summary": "One classifier in full: scores, times, parameters, confusion matrix (counts or "
               "percent of the true class, diagonal optional), training history, and the error, "
               "traceback and output of a failed one. Clicking a classifier anywhere opens it "
               "here.",
    "History": "Training histories (loss, accuracy, ... per epoch) of all selected classifiers "
               "that record one.",
    "Comparison": "Two classifiers side by side: scores (the better one marked), parameters "
                  "(differences marked), the difference of their confusion matrices, and "
                  "McNemar's test on their test predictions: p < 0.05 means the difference in "
                  "accuracy is unlikely to be chance.",
    "Data": "Samples per class in train and test, and a projection of the samples. Hard "
            "samples: colour and size say how many selected classifiers got a sample wrong; "
            "hover it to see which. Hover a classifier in another view to ring its mistakes.",
    "Highlighting": "Hovering a classifier in Ranking, Map, Plot, Time or History highlights it "
                    "in all of them (and its mistakes in Data); the status bar names it.",
    "Export": "Every chart has a camera button (PNG or SVG, chosen in Settings).",
    "Settings": "Bright or dark theme, colour map, palette and export format; kept in this "
                "browser.",
}


def layout() -> html.Div:
    return container(NAME, "Help", [], html.Div(id="mm-help-body"))


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _params(entry: dict[str, Any]) -> str:
    """The parameters as a Markdown table (one component, not one per cell)."""
    params = entry.get("parameters") or []
    if not params:
        return "*No parameters.*"
    lines = ["| name | type | range | default | description |", "|---|---|---|---|---|"]
    for p in params:
        cells = [f"`{p['name']}`", str(p.get("type") or ""),
                 f"`{json.dumps(p.get('range'))}`" if p.get("range") is not None else "",
                 f"`{json.dumps(p.get('default_value'))}`", p.get("description") or ""]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def _plugins(kind: str, entries: list[dict[str, Any]]) -> html.Div:
    """Every plugin as a collapsed native ``<details>`` with a handful of components: the
    Dash renderer pays for every component on each update, and a component per table cell
    made Help take 16-27 s to appear."""
    items = []
    for e in entries:
        config = e.get("default_config")
        items.append(html.Details([
            html.Summary(f"{e['name']} — {e.get('description') or e.get('short')}",
                         className="mm-help-summary"),
            html.Div([dcc.Markdown(_params(e), className="mm-table mm-help-params"),
                      html.Pre(json.dumps(config, indent=2, ensure_ascii=False),
                               className="mm-pre", title="Default configuration: select to "
                                                         "copy") if config is not None else None],
                     className="mm-help-detail")], className="mm-help-item"))
    return html.Div(items, className="accordion mm-help-list", **{"data-kind": kind})


def body(info: dict[str, Any]) -> list[Any]:
    usage = [html.Div([html.B(name + ": "), text], className="mb-2") for name, text in
             USAGE.items()]
    problems = [dbc.Alert(f"{p['kind']} {p['name']}: {p['error']}", color="warning",
                          className="mm-alert") for p in info.get("problems") or []]
    return [
        html.H3("Using the views", className="mm-section-title"), html.Div(usage),
        *problems,
        html.H3(f"Classifier plugins ({len(info['classifiers'])})",
                className="mm-section-title mt-3"),
        _plugins("classifier", info["classifiers"]),
        html.H3(f"Dataset plugins ({len(info['datasets'])})", className="mm-section-title mt-3"),
        _plugins("dataset", info["datasets"]),
        html.H3("Data projections (for a job's \"projections\")",
                className="mm-section-title mt-3"),
        _plugins("projection", info["projections"]),
    ]


def register(app: Any, data: UIData) -> None:
    @app.callback(Output("mm-help-body", "children"), Input(vis_id(NAME), "data"))
    @guarded(lambda text: state(text, kind="danger", icon="!"))
    def render(visible: bool) -> Any:
        if not visible:
            return no_update
        return body(data.info())
