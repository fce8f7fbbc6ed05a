"""Time: score versus training time, with the Pareto front (the best score for each
training-time budget)."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, dcc, html, no_update

from modelmap.ui import _theme
from modelmap.ui._analysis import higher_is_better, pareto_front
from modelmap.ui._data import UIData, label
from modelmap.ui.views._common import (COLOUR, SELECTION, SETTINGS, ViewInput, container,
                                       control, fmt, graph, guarded, view_input, vis_id)

NAME = "time"


def layout() -> html.Div:
    controls = [
        control("Time", dcc.Dropdown(id="mm-time-x", clearable=False), "170px"),
        control("Score", dcc.Dropdown(id="mm-time-y", clearable=False), "190px"),
    ]
    return container(NAME, "Score vs time", controls, graph(NAME, height="calc(100vh - 250px)"),
                     note_id="mm-time-note")


def figure(given: ViewInput, x: str, y: str) -> tuple[dict, str]:
    rows = [r for r in reversed(given.rows) if isinstance(r.get(x), (int, float))
            and isinstance(r.get(y), (int, float)) and r.get(x) == r.get(x)]
    if not rows:
        text = f"No selected classifier has both {label(x)} and {label(y)}."
        return _theme.message_figure(given.settings, text), ""
    higher = higher_is_better(y)
    front = pareto_front([r[x] for r in rows], [r[y] for r in rows], higher)
    hover = [f"<b>{r['title']}</b><br>{label(x)}: {fmt(r[x], 3)} s<br>{label(y)}: "
             f"{fmt(r[y], 4)}" for r in rows]
    points = {"type": "scatter", "mode": "markers", "x": [max(r[x], 1e-6) for r in rows],
              "y": [r[y] for r in rows], "customdata": [r["id"] for r in rows],
              "hovertext": hover, "hovertemplate": "%{hovertext}<extra></extra>",
              "marker": {"size": 10, "color": [given.colours.of(r["id"]) for r in rows],
                         "opacity": 0.85, "line": {"width": 0.5, "color": "rgba(0,0,0,0.35)"}}}
    ink = "#212529" if given.settings["theme"] == "bright" else "#dee2e6"
    line = {"type": "scatter", "mode": "lines+markers", "name": "Pareto front",
            "x": [max(rows[i][x], 1e-6) for i in front], "y": [rows[i][y] for i in front],
            "customdata": [rows[i]["id"] for i in front], "line": {"shape": "hv", "width": 2,
                                                                    "color": ink},
            "marker": {"size": 13, "symbol": "circle-open", "color": ink},
            "hovertext": [f"<b>{rows[i]['title']}</b> (on the front)" for i in front],
            "hovertemplate": "%{hovertext}<extra></extra>"}
    fig = {"data": [line, points, _theme.highlight_trace(given.settings, [1])],
           "layout": _theme.layout(given.settings,
                                   xaxis={"type": "log", "title": {"text": f"{label(x)} (s)"}},
                                   yaxis={"title": {"text": label(y)}})}
    best = rows[front[-1]] if front else None
    note = (f"{len(front)} classifiers are on the Pareto front: none is both faster and better. "
            + (f"Best {label(y)}: {best['title']} ({fmt(best[y], 4)} in {fmt(best[x], 3)} s)."
               if best else ""))
    return fig, note


def register(app: Any, data: UIData) -> None:
    @app.callback(Output("mm-time-x", "options"), Output("mm-time-x", "value"),
                  Output("mm-time-y", "options"), Output("mm-time-y", "value"),
                  Input(SELECTION, "data"), Input("mm-time-x", "value"),
                  Input("mm-time-y", "value"))
    def axes(selection: dict | None, x: str | None, y: str | None) -> tuple:
        if not selection or selection.get("job") is None:
            return [], None, [], None
        f = data.table(int(selection["job"])).fields
        x = x if x in f.times else ("fit_time" if "fit_time" in f.times else
                                    (f.times[0] if f.times else None))
        sort = selection.get("sort")
        y = y if y in f.scores else (sort if sort in f.scores else
                                     (f.scores[0] if f.scores else None))
        return ([{"label": label(t), "value": t} for t in f.times], x,
                [{"label": label(s), "value": s} for s in f.scores], y)

    def failed(text: str) -> tuple:
        return _theme.message_figure(_theme.settings_of(None), text), text

    @app.callback(Output({"type": "mm-linked", "name": NAME}, "figure"),
                  Output("mm-time-note", "children"),
                  Input(SELECTION, "data"), Input(COLOUR, "value"), Input(SETTINGS, "data"),
                  Input(vis_id(NAME), "data"), Input("mm-time-x", "value"),
                  Input("mm-time-y", "value"))
    @guarded(failed)
    def render(selection: dict | None, colour: str | None, settings: dict | None,
               visible: bool, x: str | None, y: str | None) -> tuple:
        if not visible:
            return no_update, no_update
        given = view_input(data, selection, colour, settings)
        if isinstance(given, str) or not x or not y:
            text = given if isinstance(given, str) else "These classifiers have no times or " \
                "scores (all failed?)."
            return _theme.message_figure(_theme.settings_of(settings), text), ""
        return figure(given, x, y)
