"""A tuning run's rungs (halving, hyperband), shown in Plot when the job has them: each
config's score against the fidelity it was evaluated at (one line per config, filled
markers where it was promoted to the next rung), and per bracket and rung the candidates,
how many were promoted and the best score.

Tuning stores every evaluation as a result of "<title> · tuning" tagged ``rung``,
``fidelity`` (share of the full fidelity), ``resource``, ``bracket`` and ``config`` (see
docs/tuning.md); a config was promoted when it has a result on the next rung of its bracket.
"""

from __future__ import annotations

from typing import Any

from dash import Input, Output, html, no_update

from modelmap.ui import _theme
from modelmap.ui._analysis import higher_is_better
from modelmap.ui._data import UIData, label
from modelmap.ui.views._common import (COLOUR, SELECTION, SETTINGS, ViewInput, fmt, graph,
                                       guarded, view_input, vis_id)

NAME = "rungs"
_HIDDEN = {"display": "none"}


def layout() -> html.Div:
    return html.Div([
        html.Div("Rungs of this tuning run", className="mm-section-title"),
        html.Div(id="mm-rungs-note", className="mm-note"),
        graph(NAME, height="380px"),
        html.Div(id="mm-rungs-table", className="small"),
    ], id="mm-rungs-box", style=_HIDDEN)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        and value == value else None


def evaluations(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The finished rows with rung tags, each with ``promoted`` (it has a result on the next
    rung of its bracket), sorted by bracket, config and rung."""
    tagged = [r for r in rows if r.get("status") == "ok" and _number(r.get("tag_rung")) is not None
              and _number(r.get("tag_fidelity")) is not None]
    seen = {(r.get("tag_bracket"), r.get("tag_config"), int(r["tag_rung"])) for r in tagged}
    out = [{**r, "promoted": (r.get("tag_bracket"), r.get("tag_config"),
                              int(r["tag_rung"]) + 1) in seen} for r in tagged]
    return sorted(out, key=lambda r: (str(r.get("tag_bracket")), str(r.get("tag_config")),
                                      int(r["tag_rung"])))


def figure(given: ViewInput, runs: list[dict[str, Any]], score: str) -> dict[str, Any]:
    lx: list[Any] = []
    ly: list[Any] = []
    last = None
    for r in runs:
        line = (r.get("tag_bracket"), r.get("tag_config"))
        if last is not None and line != last:
            lx.append(None)
            ly.append(None)
        lx.append(r["tag_fidelity"])
        ly.append(r.get(score))
        last = line
    muted = _theme.MUTED[given.settings["theme"]]
    ticks = sorted({float(r["tag_fidelity"]) for r in runs})  # the rungs
    hover = [f"<b>{r['title']}</b><br>config {r.get('tag_config')} · bracket "
             f"{r.get('tag_bracket')} · rung {r['tag_rung']}<br>fidelity "
             f"{fmt(r['tag_fidelity'], 3)} (resource {fmt(r.get('tag_resource'))})<br>"
             f"{label(score)}: {fmt(r.get(score), 4)}<br>"
             + ("promoted" if r["promoted"] else "not promoted") for r in runs]
    size = 9 * _theme.marker_scale(given.settings)
    lines = {"type": "scatter", "mode": "lines", "x": lx, "y": ly, "hoverinfo": "skip",
             "line": {"color": muted, "width": 1}, "opacity": 0.6, "showlegend": False}
    points = {"type": "scatter", "mode": "markers", "x": [r["tag_fidelity"] for r in runs],
              "y": [r.get(score) for r in runs], "customdata": [r["id"] for r in runs],
              "hovertext": hover, "hovertemplate": "%{hovertext}<extra></extra>",
              "showlegend": False,
              "marker": {"size": size, "color": [given.colours.of(r["id"]) for r in runs],
                         "symbol": ["circle" if r["promoted"] else "circle-open"
                                    for r in runs], "line": {"width": 1.5}}}
    return {"data": [lines, points, _theme.highlight_trace(given.settings, [1])],
            "layout": _theme.layout(
                given.settings,
                xaxis={"type": "log", "tickvals": ticks, "ticktext": [fmt(t, 3) for t in ticks],
                       "title": {"text": "fidelity (share of the full fidelity, log)"}},
                yaxis={"title": {"text": label(score)}},
                margin={"l": 60, "r": 10, "t": 10, "b": 50})}


def rung_table(runs: list[dict[str, Any]], score: str) -> html.Table:
    """Per bracket and rung: fidelity, resource, candidates, promoted and the best score."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in runs:
        groups.setdefault((r.get("tag_bracket"), int(r["tag_rung"])), []).append(r)
    pick = max if higher_is_better(score) else min
    head = html.Tr([html.Th(h) for h in ("bracket", "rung", "fidelity", "resource",
                                         "candidates", "promoted", f"best {label(score)}")])
    body = []
    for (bracket, rung), members in sorted(groups.items(), key=lambda g: (str(g[0][0]), g[0][1])):
        values = [v for v in (_number(m.get(score)) for m in members) if v is not None]
        body.append(html.Tr([html.Td(str(bracket)), html.Td(str(rung)),
                             html.Td(fmt(members[0]["tag_fidelity"], 3)),
                             html.Td(fmt(members[0].get("tag_resource"))),
                             html.Td(str(len(members))),
                             html.Td(str(sum(1 for m in members if m["promoted"]))),
                             html.Td(fmt(pick(values), 4) if values else "–")]))
    return html.Table([html.Thead(head), html.Tbody(body)],
                      className="table table-sm mm-table mm-rung-table")


def register(app: Any, data: UIData) -> None:
    def failed(text: str) -> tuple:
        return _theme.message_figure(_theme.settings_of(None), text), {}, None, text

    @app.callback(Output({"type": "mm-linked", "name": NAME}, "figure"),
                  Output("mm-rungs-box", "style"), Output("mm-rungs-table", "children"),
                  Output("mm-rungs-note", "children"),
                  Input(SELECTION, "data"), Input(COLOUR, "value"), Input(SETTINGS, "data"),
                  Input(vis_id("plot"), "data"), Input("mm-plot-y", "value"))
    @guarded(failed)
    def render(selection: dict | None, colour: str | None, settings: dict | None,
               visible: bool, y: str | None) -> tuple:
        if not visible:
            return no_update, no_update, no_update, no_update
        given = view_input(data, selection, colour, settings)
        if isinstance(given, str):
            return no_update, _HIDDEN, None, ""
        runs = evaluations(given.rows)
        numeric = given.table.fields.numeric
        score = y if y in numeric else (given.sort if given.sort in numeric else None)
        if not runs or score is None:
            return no_update, _HIDDEN, None, ""
        configs = len({(r.get("tag_bracket"), r.get("tag_config")) for r in runs})
        note = (f"{len(runs)} evaluations of {configs} configs: {label(score)} (y of the plot "
                "above) against the fidelity each was evaluated at, one line per config; "
                "filled: promoted to the next rung of its bracket, open: stopped there.")
        return figure(given, runs, score), {}, rung_table(runs, score), note
