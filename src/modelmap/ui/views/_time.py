"""Time: score versus training time, with the Pareto front (the best score for each
training-time budget)."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, dcc, html, no_update

from modelmap.ui import _theme
from modelmap.ui._analysis import higher_is_better, pareto_front
from modelmap.ui._data import UIData, is_reference, label
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


def _usable(row: dict[str, Any], x: str, y: str) -> bool:
    return all(isinstance(row.get(k), (int, float)) and row.get(k) == row.get(k) for k in (x, y))


def _reference_lines(refs: list[dict], y: str, settings: dict[str, str]) -> tuple[list, list]:
    """Each reference (optimal, naive) as a dotted horizontal line at its score."""
    muted = _theme.MUTED[settings["theme"]]
    shapes = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": r[y],
               "y1": r[y], "line": {"dash": "dot", "width": 1.5, "color": muted}} for r in refs]
    notes = [{"text": f"{r['title']} (reference): {fmt(r[y], 4)}", "xref": "paper", "x": 1,
              "xanchor": "right", "yref": "y", "y": r[y], "yanchor": "bottom",
              "showarrow": False, "font": {"size": 11, "color": muted}} for r in refs]
    return shapes, notes


def figure(given: ViewInput, x: str, y: str) -> tuple[dict, str]:
    usable = [r for r in reversed(given.rows) if _usable(r, x, y)]
    rows = [r for r in usable if not is_reference(r)]
    refs = [r for r in usable if is_reference(r)]
    if not rows:
        text = f"No selected classifier has both {label(x)} and {label(y)}" + (
            " (the references optimal and naive are not plotted against time)." if refs else ".")
        return _theme.message_figure(given.settings, text), ""
    higher = higher_is_better(y)
    front = pareto_front([r[x] for r in rows], [r[y] for r in rows], higher)
    hover = [f"<b>{r['title']}</b><br>{label(x)}: {fmt(r[x], 3)} s<br>{label(y)}: "
             f"{fmt(r[y], 4)}" for r in rows]
    points = {"type": "scatter", "mode": "markers", "x": [max(r[x], 1e-6) for r in rows],
              "y": [r[y] for r in rows], "customdata": [r["id"] for r in rows],
              "hovertext": hover, "hovertemplate": "%{hovertext}<extra></extra>",
              "marker": {"size": 10 * _theme.marker_scale(given.settings),
                         "color": [given.colours.of(r["id"]) for r in rows],
                         "opacity": 0.85, "line": {"width": 0.5, "color": "rgba(0,0,0,0.35)"}}}
    ink = _theme.INK[given.settings["theme"]]
    line = {"type": "scatter", "mode": "lines+markers", "name": "Pareto front",
            "x": [max(rows[i][x], 1e-6) for i in front], "y": [rows[i][y] for i in front],
            "customdata": [rows[i]["id"] for i in front], "line": {"shape": "hv", "width": 2,
                                                                    "color": ink},
            "marker": {"size": 13 * _theme.marker_scale(given.settings),
                       "symbol": "circle-open", "color": ink},
            "hovertext": [f"<b>{rows[i]['title']}</b> (on the front)" for i in front],
            "hovertemplate": "%{hovertext}<extra></extra>"}
    shapes, notes = _reference_lines(refs, y, given.settings)
    fig = {"data": [line, points, _theme.highlight_trace(given.settings, [1])],
           "layout": _theme.layout(given.settings, shapes=shapes, annotations=notes,
                                   xaxis={"type": "log", "title": {"text": f"{label(x)} (s)"}},
                                   yaxis={"title": {"text": label(y)}})}
    best = rows[front[-1]] if front else None
    note = (f"{len(front)} classifiers are on the Pareto front: none is both faster and better. "
            + (f"Best {label(y)}: {best['title']} ({fmt(best[y], 4)} in {fmt(best[x], 3)} s)."
               if best else ""))
    if refs:
        note += (" References (" + ", ".join(r["title"] for r in refs) + ") are dotted lines, "
                 "not points: they are not contenders.")
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
