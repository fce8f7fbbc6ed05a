"""Map: the classifiers as points, close together when they predict alike (a 2-D
projection of their predictions, probabilities or confusion matrices)."""

from __future__ import annotations

import importlib.util
from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html, no_update

from modelmap.projection import MAP_METRICS, MAP_PROJECTIONS
from modelmap.queries import MAX_MAP_RESULTS
from modelmap.ui import _theme
from modelmap.ui._data import UIData, label
from modelmap.ui.views._common import (COLOUR, SELECTION, SETTINGS, ViewInput, container,
                                       control, fmt, graph, guarded, view_input, vis_id)

NAME = "map"
MAX_LABELS = 40  # labels drawn at once (the best in view that do not overlap; zoom for more)
VALUES = {"pred_test": "test predictions", "proba_test": "test probabilities",
          "confusion_test": "test confusion matrix", "pred_train": "train predictions",
          "proba_train": "train probabilities", "confusion_train": "train confusion matrix",
          "scores": "scores"}


def layout() -> html.Div:
    controls = [
        control("Compare", dcc.Dropdown(id="mm-map-values", value="pred_test", clearable=False,
                                        options=[{"label": v, "value": k}
                                                 for k, v in VALUES.items()]), "190px"),
        control("Projection", dcc.Dropdown(
            id="mm-map-projection", value="pca", clearable=False,
            options=[{"label": info["short"], "value": name}
                     for name, info in available_projections().items()]), "110px"),
        control("Distance", dcc.Dropdown(id="mm-map-metric", value="euclidean",
                                         clearable=False,
                                         options=[{"label": m, "value": m}
                                                  for m in MAP_METRICS]), "120px"),
        control("Labels", dbc.Switch(id="mm-map-labels", value=False, className="mt-1")),
    ]
    return container(NAME, "Map", controls, graph(NAME, height="calc(100vh - 250px)"),
                     note_id="mm-map-note")


def available_projections() -> dict[str, dict[str, Any]]:
    """The map projections whose package is installed (UMAP needs umap-learn)."""
    return {name: info for name, info in MAP_PROJECTIONS.items()
            if name != "umap" or importlib.util.find_spec("umap") is not None}


def stacks(where: dict[int, Any], ids: list[int]) -> dict[int, list[int]]:
    """For each id, the ids drawn at the same place (identical predictions give identical
    points; they are drawn as one, with their count)."""
    xs = [float(where[i][0]) for i in ids] or [0.0]
    ys = [float(where[i][1]) for i in ids] or [0.0]
    tol = 1e-6 * max(max(xs) - min(xs), max(ys) - min(ys), 1e-12)
    groups: dict[tuple[int, int], list[int]] = {}
    for i in ids:
        key = (round(float(where[i][0]) / tol), round(float(where[i][1]) / tol))
        groups.setdefault(key, []).append(i)
    return {i: members for members in groups.values() for i in members}


def _hover(row: dict, others: list[str], sort: str | None) -> str:
    text = f"<b>{row['title']}</b><br>{row['method']}" + (
        f"<br>{label(sort)}: {fmt(row.get(sort), 4)}" if sort and sort != "title" else "")
    if others:
        listed = ", ".join(others[:12]) + (f" +{len(others) - 12} more" if len(others) > 12
                                           else "")
        text += f"<br><i>{len(others) + 1} classifiers here</i> (same predictions): {listed}"
    return text


def figure(given: ViewInput, answer: dict[str, Any], labels: bool) -> dict[str, Any]:
    """The map's scatter plot: one point per classifier, best drawn on top; classifiers at
    the same place are one larger point with their count."""
    points = answer["points"]["data"]
    where = {rid: points[k] for k, rid in enumerate(answer["results"])}
    rows = [r for r in reversed(given.rows) if r["id"] in where]
    titles = {r["id"]: r["title"] for r in rows}
    stacked = stacks(where, [r["id"] for r in rows])
    counts = [len(stacked[r["id"]]) for r in rows]
    hover = [_hover(r, [titles[i] for i in stacked[r["id"]] if i != r["id"]], given.sort)
             for r in rows]
    size = 11 if len(rows) <= 100 else 8 if len(rows) <= 500 else 6
    scale = _theme.marker_scale(given.settings)  # Settings' marker size
    top = {members[-1] for members in stacked.values()}  # drawn last, so on top
    trace = {"type": "scattergl" if len(rows) > 2000 and not labels else "scatter",
             "mode": "markers",
             "x": [where[r["id"]][0] for r in rows], "y": [where[r["id"]][1] for r in rows],
             "customdata": [r["id"] for r in rows], "hovertext": hover,
             "hovertemplate": "%{hovertext}<extra></extra>",
             "marker": {"size": [(size + 4 * (c - 1) ** 0.5) * scale for c in counts],
                        "color": [given.colours.of(r["id"]) for r in rows],
                        "line": {"width": 0.5, "color": "rgba(0,0,0,0.35)"}, "opacity": 0.9}}
    badges = [r for r, c in zip(rows, counts) if c > 1 and r["id"] in top]
    badge = {"type": "scatter", "mode": "text", "hoverinfo": "skip", "cliponaxis": False,
             "x": [where[r["id"]][0] for r in badges], "y": [where[r["id"]][1] for r in badges],
             "text": [f"×{len(stacked[r['id']])}" for r in badges],
             "textposition": "middle right", "meta": {"mm": "counts"},
             "textfont": {"size": 11, "color": _theme.INK[given.settings["theme"]]}}
    axis = {"zeroline": False, "showticklabels": False, "title": None}
    spec = {"labels": {"trace": 0, "max": MAX_LABELS, "color": _theme.INK[given.settings["theme"]],
                       "text": [r["title"] if r["id"] in top else "" for r in rows]}} \
        if labels else {}
    return {"data": [trace, badge,
                     _theme.highlight_trace(given.settings, [0], "points", **spec)],
            "layout": _theme.layout(given.settings, xaxis=axis, yaxis=dict(axis),
                                    dragmode="pan", margin={"l": 20, "r": 20, "t": 20, "b": 20})}


def register(app: Any, data: UIData) -> None:
    def failed(text: str) -> tuple:
        return _theme.message_figure(_theme.settings_of(None), text), text

    @app.callback(Output({"type": "mm-linked", "name": NAME}, "figure"),
                  Output("mm-map-note", "children"),
                  Input(SELECTION, "data"), Input(COLOUR, "value"), Input(SETTINGS, "data"),
                  Input(vis_id(NAME), "data"), Input("mm-map-values", "value"),
                  Input("mm-map-projection", "value"), Input("mm-map-metric", "value"),
                  Input("mm-map-labels", "value"))
    @guarded(failed)
    def render(selection: dict | None, colour: str | None, settings: dict | None,
               visible: bool, values: str, projection: str, metric: str,
               labels: bool) -> tuple:
        if not visible:
            return no_update, no_update
        given = view_input(data, selection, colour, settings)
        if isinstance(given, str):
            return _theme.message_figure(_theme.settings_of(settings), given), ""
        ok = [r["id"] for r in given.rows if r.get("status") == "ok"]
        if not ok:
            text = "None of the selected classifiers finished, so there is nothing to map."
            return _theme.message_figure(given.settings, text), ""
        ok = ok[:MAX_MAP_RESULTS]
        answer = data.classifier_map(ok, values=values, metric=metric, projection=projection)
        skipped = len(given.rows) - len(ok)
        n_places = len({tuple(members) for members in stacks(
            {rid: answer["points"]["data"][k] for k, rid in enumerate(answer["results"])},
            list(answer["results"])).values()})
        note = (f"{len(ok)} classifiers at {n_places} places (a ×N badge counts identical "
                f"classifiers drawn as one); close points predict alike ({VALUES[values]}, "
                f"{metric} distance, {MAP_PROJECTIONS[projection]['short']}). Drag to pan, "
                "scroll to zoom, click a point to open it in Summary.")
        if skipped:
            note += f" {skipped} failed classifier(s) are not shown."
        return figure(given, answer, bool(labels)), note
