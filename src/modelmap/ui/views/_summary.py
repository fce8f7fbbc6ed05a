"""Summary: one classifier in full — scores, times, parameters, confusion matrix (counts or
percent, diagonal optional), training history, and the error of a failed one."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html, no_update

from modelmap.ui import _theme
from modelmap.ui._data import UIData, is_reference, readable
from modelmap.ui.views._common import (SELECTION, SETTINGS, badge, container, control, fmt,
                                       graph, guarded, state, vis_id)

NAME = "summary"


def layout() -> html.Div:
    controls = [
        control("Classifier", dcc.Dropdown(id="mm-summary-pick", clearable=False), "300px"),
        control("Confusion", dcc.RadioItems(
            id="mm-summary-split", value="test", inline=True, className="mm-radio",
            options=[{"label": " test", "value": "test"}, {"label": " train", "value": "train"}])),
        control("Show", dcc.RadioItems(
            id="mm-summary-norm", value="count", inline=True, className="mm-radio",
            options=[{"label": " counts", "value": "count"},
                     {"label": " % of true class", "value": "percent"}])),
        control("", dbc.Checkbox(id="mm-summary-diag", label="ignore diagonal", value=False)),
    ]
    body = dbc.Row([
        dbc.Col(html.Div(id="mm-summary-info"), lg=5),
        dbc.Col([graph("confusion", linked=False, height="380px"),
                 html.Div(graph("summary-history", linked=False, height="260px"),
                          id="mm-summary-history-box")], lg=7),
    ])
    return container(NAME, "Summary", controls, body)


def class_axis(names: list[str]) -> dict[str, Any]:
    """A category axis that labels every class (Plotly reads "0".."9" as numbers and would
    label only every other one)."""
    return {"type": "category", "tickmode": "array", "tickvals": list(names),
            "ticktext": list(names)}


def confusion_figure(matrix: Any, names: list[str], settings: dict[str, str], *,
                     percent: bool, ignore_diagonal: bool, title: str) -> dict[str, Any]:
    """Heatmap of a confusion matrix (rows: true class, columns: predicted)."""
    import numpy as np

    if matrix is None:
        return _theme.message_figure(settings, f"No {title} confusion matrix (failed, or no "
                                     "such split).")
    m = np.asarray(matrix, dtype=float)
    if m.ndim == 3:  # multi-label: one 2x2 matrix per label, shown side by side
        return _multilabel(m, names, settings, percent=percent, ignore_diagonal=ignore_diagonal)
    names = names if len(names) == len(m) else [str(i) for i in range(len(m))]
    shown = m / np.maximum(m.sum(axis=1, keepdims=True), 1) * 100 if percent else m.copy()
    z: list[list[float | None]] = shown.tolist()
    if ignore_diagonal:
        for i in range(len(z)):
            z[i][i] = None
    text = [[("" if v is None else (f"{v:.0f}%" if percent else f"{v:.0f}")) for v in row]
            for row in z]
    trace = {"type": "heatmap", "z": z, "x": names, "y": names, "text": text,
             "texttemplate": "%{text}", "colorscale": _theme.colorscale(settings),
             "hovertemplate": "true %{y}<br>predicted %{x}<br>%{text}<extra></extra>",
             "colorbar": {"thickness": 10}, "xgap": 1, "ygap": 1}
    return {"data": [trace], "layout": _theme.layout(
        settings, title={"text": f"Confusion matrix ({title})", "font": {"size": 13}},
        xaxis={"title": {"text": "predicted"}, "side": "bottom", **class_axis(names)},
        yaxis={"title": {"text": "true"}, "autorange": "reversed", **class_axis(names)},
        margin={"l": 10, "r": 10, "t": 40, "b": 10})}


def _multilabel(m: Any, names: list[str], settings: dict[str, str], *, percent: bool,
                ignore_diagonal: bool) -> dict[str, Any]:
    data, layout = [], _theme.layout(settings, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                                     title={"text": "Confusion per label (rows: true 0/1)",
                                            "font": {"size": 13}})
    n = len(m)
    for k in range(n):
        block = m[k] / max(m[k].sum(), 1) * 100 if percent else m[k]
        z = block.tolist()
        if ignore_diagonal:
            z[0][0] = z[1][1] = None
        axis = "" if k == 0 else str(k + 1)
        data.append({"type": "heatmap", "z": z, "x": ["0", "1"], "y": ["0", "1"],
                     "xaxis": f"x{axis}", "yaxis": f"y{axis}", "showscale": False,
                     "colorscale": _theme.colorscale(settings),
                     "text": [[("" if v is None else f"{v:.0f}" + ("%" if percent else ""))
                               for v in row] for row in z], "texttemplate": "%{text}",
                     "hovertemplate": f"{names[k] if k < len(names) else k}: "
                                      "true %{y}, predicted %{x}<extra></extra>"})
        left, width = k / n, 1 / n
        layout[f"xaxis{axis}"] = {"domain": [left + 0.02, left + width - 0.02],
                                  "anchor": f"y{axis}",
                                  "title": {"text": names[k] if k < len(names) else str(k)}}
        layout[f"yaxis{axis}"] = {"domain": [0.2, 0.95], "anchor": f"x{axis}",
                                  "autorange": "reversed", "showticklabels": k == 0}
    return {"data": data, "layout": layout}


def history_figure(history: dict[str, list] | None, settings: dict[str, str]) -> dict | None:
    if not history:
        return None
    data = [{"type": "scatter", "mode": "lines", "name": name, "y": list(values),
             "x": list(range(1, len(values) + 1))}
            for name, values in history.items() if isinstance(values, list)]
    return {"data": data, "layout": _theme.layout(
        settings, showlegend=True, title={"text": "Training history", "font": {"size": 13}},
        xaxis={"title": {"text": "epoch"}}, margin={"l": 10, "r": 10, "t": 40, "b": 10})}


def _table(rows: list[list[Any]], head: list[str]) -> dbc.Table:
    return dbc.Table([html.Thead(html.Tr([html.Th(h) for h in head])),
                      html.Tbody([html.Tr([html.Td(c, className="num" if k else "")
                                           for k, c in enumerate(row)]) for row in rows])],
                     size="sm", hover=True, className="mm-table")


def info(result: dict[str, Any]) -> list[Any]:
    """Scores, times, parameters and (for a failed one) the error, as tables."""
    scores = result.get("scores") or {}
    metrics = sorted({m for split in scores.values() if isinstance(split, dict) for m in split})
    splits = [s for s in ("train", "test", "test_std") if s in scores]
    status = result.get("status")
    head = [html.H3(readable(result["title"]), className="mm-subtitle"),
            html.Div([badge(result["method"], "primary"),
                      badge(status, "success" if status == "ok" else "danger"),
                      *( [badge(f"fold {result['fold']}", "info")] if result.get("fold")
                         is not None else []),
                      html.Span(f"key {result['key'][:12]}…", className="text-body-secondary "
                                "small ms-1")])]
    out = head
    if status != "ok":
        out += [dbc.Alert([html.B(f"{status}: "), result.get("error") or "no message"],
                          color="danger", className="mt-2 mm-alert"),
                html.Pre(result.get("traceback") or "", className="mm-pre")]
    if metrics:
        out += [html.Div("Scores", className="mm-section-title"),
                _table([[m] + [fmt((scores.get(s) or {}).get(m), 4) for s in splits]
                        for m in metrics], ["score", *splits])]
    times = result.get("times") or {}
    if times:
        out += [html.Div("Times (s)", className="mm-section-title"),
                _table([[k, fmt(v, 4)] for k, v in times.items()], ["step", "seconds"])]
    args = result.get("args") or {}
    out += [html.Div("Parameters", className="mm-section-title"),
            _table([[k, fmt(v) if not isinstance(v, (list, dict)) else str(v)]
                    for k, v in args.items()], ["parameter", "value"]) if args else
            html.P("defaults only", className="small text-body-secondary")]
    if result.get("log"):
        out += [html.Div("Captured output", className="mm-section-title"),
                html.Pre(result["log"][-4000:], className="mm-pre")]
    return out


MAX_OPTIONS = 200  # the picker lists this many (type to search the rest)


def _option(row: dict[str, Any], note: str = "") -> dict[str, Any]:
    status = "" if row["status"] == "ok" else f" ({row['status']})"
    return {"label": row["title"] + status + note, "value": row["id"]}


def pick_options(rows: list[dict[str, Any]], flat: dict[int, dict[str, Any]], value: Any,
                 search: str | None) -> list[dict[str, Any]]:
    """The picker's options: the first :data:`MAX_OPTIONS` selected classifiers in the
    toolbar's order, or those whose title contains ``search``, and always the one shown
    (10,000 options made the browser spend seconds on a hidden dropdown)."""
    needle = (search or "").strip().lower()
    chosen = [r for r in rows if needle in r["title"].lower()] if needle else rows
    options = [_option(r) for r in chosen[:MAX_OPTIONS]]
    if value in flat and all(o["value"] != value for o in options):
        shown = any(r["id"] == value for r in rows)
        options.insert(0, _option(flat[value], "" if shown else " (filtered out)"))
    return options


def register(app: Any, data: UIData) -> None:
    @app.callback(Output("mm-summary-pick", "options"), Output("mm-summary-pick", "value"),
                  Input(SELECTION, "data"), Input("mm-focus", "data"),
                  Input("mm-summary-pick", "search_value"),
                  State("mm-summary-pick", "value"))
    def pick(selection: dict | None, focus: Any, search: str | None, current: Any) -> tuple:
        if not selection or selection.get("job") is None:
            return [], None
        table = data.table(selection["job"])
        rows = table.rows(selection["ids"])
        ids = {r["id"] for r in rows}
        first = next((r["id"] for r in rows if not is_reference(r)),
                     rows[0]["id"] if rows else None)  # the best contender, not "optimal"
        if ctx.triggered_id == "mm-focus" and (focus in ids or focus in table.flat):
            value = focus
        else:
            value = current if current in ids else (focus if focus in ids else first)
        return pick_options(rows, table.flat, value, search), value

    def failed(text: str) -> tuple:
        fig = _theme.message_figure(_theme.settings_of(None), text)
        return state(text, kind="danger", icon="!"), fig, fig, {"display": "none"}

    @app.callback(Output("mm-summary-info", "children"),
                  Output({"type": "mm-graph", "name": "confusion"}, "figure"),
                  Output({"type": "mm-graph", "name": "summary-history"}, "figure"),
                  Output("mm-summary-history-box", "style"),
                  Input("mm-summary-pick", "value"), Input(SETTINGS, "data"),
                  Input(vis_id(NAME), "data"), Input("mm-summary-split", "value"),
                  Input("mm-summary-norm", "value"), Input("mm-summary-diag", "value"),
                  State(SELECTION, "data"))
    @guarded(failed)
    def render(result_id: Any, settings: dict | None, visible: bool, split: str, norm: str,
               diagonal: bool, selection: dict | None) -> tuple:
        if not visible:
            return no_update, no_update, no_update, no_update
        chosen = _theme.settings_of(settings)
        if result_id is None:
            text = ("Click a classifier in any chart (or pick one above) to see it here."
                    if selection else "Pick a job in the Menu first.")
            fig = _theme.message_figure(chosen, "Nothing to show yet.")
            return state(text), fig, fig, {"display": "none"}
        result = data.result(int(result_id))
        names = data.table(result["job_id"]).job.get("class_names") or []
        confusion = confusion_figure(result.get(f"confusion_{split}"), names, chosen,
                                     percent=norm == "percent", ignore_diagonal=bool(diagonal),
                                     title=split)
        history = history_figure(result.get("history"), chosen)
        box = {} if history else {"display": "none"}
        return info(result), confusion, history or _theme.message_figure(chosen, ""), box
