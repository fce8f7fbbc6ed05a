"""History: the training histories (loss, accuracy, ... per epoch) of all selected
classifiers in one chart."""

from __future__ import annotations

from typing import Any

import numpy as np

from dash import Input, Output, dcc, html, no_update

from modelmap.ui import _theme
from modelmap.ui._data import MAX_HISTORIES, UIData
from modelmap.ui.views._common import (COLOUR, SELECTION, SETTINGS, ViewInput, container,
                                       control, graph, guarded, view_input, vis_id)

NAME = "history"


def layout() -> html.Div:
    controls = [
        control("Curve", dcc.Dropdown(id="mm-history-key", clearable=False,
                                      placeholder="loss"), "180px"),
        control("Smoothing", html.Div(dcc.Slider(id="mm-history-smooth", min=0, max=0.95,
                                                 step=0.05, value=0, marks=None,
                                                 tooltip={"placement": "bottom"}),
                                      style={"width": "130px"})),
        control("Show", dcc.Checklist(
            id="mm-history-show", value=["band"], inline=True, className="mm-radio",
            options=[{"label": " mean and 90 % band per method", "value": "band"},
                     {"label": " log scale", "value": "log"}])),
    ]
    return container(NAME, "History", controls, graph(NAME, height="calc(100vh - 250px)"),
                     note_id="mm-history-note")


def smooth(values: list[float | None], weight: float) -> list[float | None]:
    """Exponential moving average (``weight`` of the previous smoothed value); gaps stay."""
    out: list[float | None] = []
    last: float | None = None
    for v in values:
        if v is None:
            out.append(None)
            continue
        last = v if last is None or weight <= 0 else weight * last + (1 - weight) * v
        out.append(last)
    return out


def shades(base: str, n: int) -> list[str]:
    """``n`` shades of one hue (a method's classifiers: one hue family, told apart)."""
    r, g, b = (int(base[k:k + 2], 16) for k in (1, 3, 5))
    out = []
    for k in range(n):
        t = 0.0 if n == 1 else (k / (n - 1)) * 0.9 - 0.5  # darker ... lighter
        mix = (255 if t > 0 else 0, abs(t) * 0.75)
        out.append("#" + "".join(f"{round(c + (mix[0] - c) * mix[1]):02x}" for c in (r, g, b)))
    return out


def band(curves: list[list[float | None]]) -> tuple[list[int], list[float], list[float],
                                                    list[float]]:
    """Per epoch: the mean and the 5th-95th percentile (90 % band) of the curves that
    reach that epoch."""
    epochs, mean, low, high = [], [], [], []
    for e in range(max((len(c) for c in curves), default=0)):
        at = [c[e] for c in curves if e < len(c) and c[e] is not None]
        if len(at) < 2:
            continue
        epochs.append(e + 1)
        mean.append(float(np.mean(at)))
        low.append(float(np.percentile(at, 5)))
        high.append(float(np.percentile(at, 95)))
    return epochs, mean, low, high


def _colours(given: ViewInput, order: list[dict], by_method: bool) -> dict[int, str]:
    if not by_method:
        return {r["id"]: given.colours.of(r["id"]) for r in order}
    members: dict[str, list[int]] = {}
    for row in order:
        members.setdefault(row["method"], []).append(row["id"])
    out = {}
    for ids in members.values():
        out.update(zip(ids, shades(given.colours.of(ids[0]), len(ids))))
    return out


def _band_traces(method: str, curves: list[list], colour: str) -> list[dict]:
    epochs, mean, low, high = band(curves)
    if not epochs:
        return []
    return [{"type": "scatter", "mode": "lines", "x": epochs + epochs[::-1],
             "y": high + low[::-1], "fill": "toself", "fillcolor": colour, "opacity": 0.18,
             "line": {"width": 0}, "hoverinfo": "skip", "legendgroup": method,
             "showlegend": False, "name": f"{method} 90 % band"},
            {"type": "scatter", "mode": "lines", "x": epochs, "y": mean,
             "line": {"color": colour, "width": 4, "dash": "dash"}, "legendgroup": method,
             "name": f"{method} mean", "hovertemplate": f"<b>{method} mean</b><br>epoch %{{x}}:"
                                                        " %{y:.4g}<extra></extra>"}]


def figure(given: ViewInput, histories: dict[int, dict[str, list]], key: str,
           weight: float = 0.0, show: list[str] | None = None) -> dict:
    show = ["band"] if show is None else show
    order = [r for r in reversed(given.rows) if key in (histories.get(r["id"]) or {})]
    order.sort(key=lambda r: r["method"])
    colours = _colours(given, order, given.colours.field == "method")
    data, curves = [], {}
    for row in order:
        raw = [v if isinstance(v, (int, float)) else None for v in histories[row["id"]][key]]
        values = smooth(raw, weight)
        curves.setdefault(row["method"], []).append(values)
        data.append({"type": "scatter", "mode": "lines", "name": row["title"],
                     "legendgroup": row["method"], "legendgrouptitle": {"text": row["method"]},
                     "x": list(range(1, len(values) + 1)), "y": values,
                     "customdata": [row["id"]] * len(values),
                     "line": {"color": colours[row["id"]], "width": 2}, "opacity": 0.85,
                     "hovertemplate": f"<b>{row['title']}</b><br>epoch %{{x}}: %{{y:.4g}}"
                                      "<extra></extra>"})
    sources = list(range(len(data)))
    if "band" in show:
        for method, group in curves.items():
            if len(group) > 1:
                first = next(r["id"] for r in order if r["method"] == method)
                data += _band_traces(method, group, given.colours.of(first))
    data.append(_theme.highlight_trace(given.settings, sources, "line"))
    yaxis = {"title": {"text": key.replace("_", " ")}}
    if "log" in show:
        yaxis["type"] = "log"
    return {"data": data, "layout": _theme.layout(
        given.settings, showlegend=True, legend={"groupclick": "toggleitem", "font": {"size": 11}},
        xaxis={"title": {"text": "epoch"}}, yaxis=yaxis, uirevision=f"{key}|{'log' in show}")}


def _keys(histories: dict[int, dict[str, list]]) -> list[str]:
    keys: dict[str, None] = {}
    for history in histories.values():
        keys.update(dict.fromkeys(k for k, v in history.items() if isinstance(v, list)))
    return sorted(keys, key=lambda k: (k.startswith("val_"), "loss" not in k, k))


def register(app: Any, data: UIData) -> None:
    def failed(text: str) -> tuple:
        return _theme.message_figure(_theme.settings_of(None), text), [], None, text

    @app.callback(Output({"type": "mm-linked", "name": NAME}, "figure"),
                  Output("mm-history-key", "options"), Output("mm-history-key", "value"),
                  Output("mm-history-note", "children"),
                  Input(SELECTION, "data"), Input(COLOUR, "value"), Input(SETTINGS, "data"),
                  Input(vis_id(NAME), "data"), Input("mm-history-key", "value"),
                  Input("mm-history-smooth", "value"), Input("mm-history-show", "value"))
    @guarded(failed)
    def render(selection: dict | None, colour: str | None, settings: dict | None,
               visible: bool, key: str | None, weight: float | None = 0.0,
               show: list[str] | None = None) -> tuple:
        if not visible:
            return no_update, no_update, no_update, no_update
        given = view_input(data, selection, colour, settings)
        if isinstance(given, str):
            return _theme.message_figure(_theme.settings_of(settings), given), [], None, ""
        histories = data.histories(given.rows)
        keys = _keys(histories)
        if not keys:
            text = ("None of the selected classifiers recorded a training history (MLPs and "
                    "plugins with get_history() do).")
            return _theme.message_figure(given.settings, text), [], None, ""
        key = key if key in keys else keys[0]
        note = f"{len(histories)} of {len(given.rows)} selected classifiers have a history."
        if len(given.rows) > MAX_HISTORIES:
            note += f" Only the first {MAX_HISTORIES} in the sort order are read."
        note += (" One hue per method, a shade per classifier; dashed: the method's mean, "
                 "shaded: its 90 % band (5th to 95th percentile).")
        return (figure(given, histories, key, float(weight or 0), show or []),
                [{"label": k, "value": k} for k in keys], key,
                note)
