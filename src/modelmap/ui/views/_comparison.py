"""Comparison: the ticked classifiers — their pairwise significance matrix and parameter
differences (see ``_comparison_many``) — and two of them side by side: scores, parameters,
the difference of their confusion matrices, and McNemar's test on their test predictions."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import numpy as np
from dash import Input, Output, State, ctx, dcc, html, no_update

from modelmap.ui import _theme
from modelmap.ui._analysis import higher_is_better, mcnemar, wrong_matrix
from modelmap.ui._data import UIData, is_reference, readable
from modelmap.ui.views import _comparison_many as many
from modelmap.ui.views._common import (PICKED, SELECTION, SETTINGS, container, control, fmt,
                                       graph, guarded, state, vis_id)
from modelmap.ui.views._summary import class_axis, pick_options

NAME = "comparison"


def layout() -> html.Div:
    controls = [
        control("A", dcc.Dropdown(id="mm-compare-a", clearable=False), "260px"),
        control("B", dcc.Dropdown(id="mm-compare-b", clearable=False), "260px"),
        control("Confusion", dcc.RadioItems(
            id="mm-compare-split", value="test", inline=True, className="mm-radio",
            options=[{"label": " test", "value": "test"}, {"label": " train", "value": "train"}])),
    ]
    picks = html.Div([
        control("Classifiers", dcc.Dropdown(id="mm-compare-many", multi=True,
                                            placeholder="tick classifiers to compare",
                                            className="mm-compare-many"), "520px"),
        control("Score", dcc.Dropdown(id="mm-compare-score", value="test_accuracy",
                                      clearable=False), "190px"),
        control("Level", dcc.Dropdown(id="mm-compare-alpha", value=0.05, clearable=False,
                                      options=[{"label": f"α = {a:g}", "value": a}
                                               for a in (0.01, 0.05, 0.1)]), "110px"),
    ], className="mm-controls mm-compare-picks")
    body = html.Div([
        html.Div("Ticked classifiers: every pair", className="mm-section-title"),
        picks,
        html.Div(id="mm-compare-pick-note", className="mm-note"),
        dbc.Row([dbc.Col(graph("pairwise", linked=False, height="480px"), lg=7),
                 dbc.Col(html.Div(id="mm-compare-pairwise-note", className="small"), lg=5)]),
        html.Div("Parameters of the ticked classifiers", className="mm-section-title"),
        html.Div(id="mm-compare-params"),
        html.Hr(),
        html.Div("Two classifiers (A and B above; ticking exactly two sets them)",
                 className="mm-section-title"),
        html.Div(id="mm-compare-verdict"),
        dbc.Row([dbc.Col(html.Div(id="mm-compare-tables"), lg=6),
                 dbc.Col(graph("difference", linked=False, height="400px"), lg=6)]),
    ])
    return container(NAME, "Comparison", controls, body)


def truth(data: UIData, job: dict[str, Any], n: int) -> np.ndarray | None:
    """The labels the test predictions are scored against (the training labels for
    cross-validation, whose predictions are out-of-fold), or ``None`` if unknown."""
    y_train, y_test = data.labels(job["id"])
    for y in (y_test, y_train):
        if len(y) == n and len(y):
            return y
    return None


def verdict(data: UIData, a: dict, b: dict) -> Any:
    ids, preds = data.predictions([a["id"], b["id"]], "pred_test")
    if len(ids) < 2:
        return state("McNemar's test needs the test predictions of both classifiers; "
                     "one of them has none (failed?).", kind="warning", icon="!")
    y = truth(data, data.table(a["job_id"]).job, preds.shape[1])
    if y is None:
        return state("The job's labels do not match the predictions, so the two cannot be "
                     "tested against each other.", kind="warning", icon="!")
    right = ~wrong_matrix(preds, y)
    test = mcnemar(right[0], right[1])
    significant = test.significant()
    where = "test" if len(data.labels(a["job_id"])[1]) else "out-of-fold"
    text = [html.B("McNemar's test: "),
            f"on {right.shape[1]} {where} samples, only {a['title']} is right on {test.b}, only "
            f"{b['title']} on {test.c}; p = {fmt(test.p_value, 4)} "
            f"({'exact binomial' if test.method == 'exact' else 'χ², continuity-corrected'}). ",
            html.B("The difference is real (p < 0.05)." if significant else
                   "The difference may be chance (p ≥ 0.05).")]
    return html.Div(text, className="mm-verdict " + ("alert alert-success" if significant
                                                      else "alert alert-secondary"))


def tables(a: dict, b: dict) -> list[Any]:
    scores_a, scores_b = a.get("scores") or {}, b.get("scores") or {}
    rows = []
    for split in ("test", "train"):
        for metric in sorted(set(scores_a.get(split) or {}) | set(scores_b.get(split) or {})):
            va = (scores_a.get(split) or {}).get(metric)
            vb = (scores_b.get(split) or {}).get(metric)
            rows.append(_score_row(f"{split} {metric}", va, vb, higher_is_better(metric)))
    for name in sorted(set(a.get("times") or {}) | set(b.get("times") or {})):
        rows.append(_score_row(f"{name} time", (a.get("times") or {}).get(name),
                               (b.get("times") or {}).get(name), False))
    params = sorted(set(a.get("args") or {}) | set(b.get("args") or {}))
    prow = [html.Tr([html.Td(p), html.Td(str((a.get("args") or {}).get(p, "–"))),
                     html.Td(str((b.get("args") or {}).get(p, "–")))],
                    className="" if (a.get("args") or {}).get(p) == (b.get("args") or {}).get(p)
                    else "table-warning") for p in params]
    head = html.Thead(html.Tr([html.Th(""), html.Th("A: " + a["title"]),
                               html.Th("B: " + b["title"]), html.Th("A − B")]))
    return [html.Div("Scores", className="mm-section-title"),
            dbc.Table([head, html.Tbody(rows)], size="sm", className="mm-table", hover=True),
            html.Div("Parameters (differences marked)", className="mm-section-title"),
            dbc.Table([html.Thead(html.Tr([html.Th("parameter"), html.Th("A"), html.Th("B")])),
                       html.Tbody(prow)], size="sm", className="mm-table")
            if prow else html.P("Neither has parameters.", className="small")]


def _score_row(name: str, va: Any, vb: Any, higher: bool) -> html.Tr:
    numbers = isinstance(va, (int, float)) and isinstance(vb, (int, float))
    better_a = numbers and va != vb and ((va > vb) == higher)
    better_b = numbers and va != vb and not better_a
    return html.Tr([html.Td(name),
                    html.Td(fmt(va, 4), className="num" + (" mm-better" if better_a else "")),
                    html.Td(fmt(vb, 4), className="num" + (" mm-better" if better_b else "")),
                    html.Td(fmt(va - vb, 4) if numbers else "–", className="num")])


def difference_figure(a: dict, b: dict, split: str, names: list[str],
                      settings: dict[str, str]) -> dict:
    ma, mb = a.get(f"confusion_{split}"), b.get(f"confusion_{split}")
    if ma is None or mb is None:
        return _theme.message_figure(settings, f"Both need a {split} confusion matrix.")
    diff = np.asarray(ma, dtype=float) - np.asarray(mb, dtype=float)
    if diff.ndim == 3:
        diff = diff.reshape(-1, 2, 2)
        names = [f"{n} {t}" for n in names for t in ("0", "1")]
        diff = np.concatenate(list(diff), axis=0)
        cols = ["predicted 0", "predicted 1"]
    else:
        names = names if len(names) == len(diff) else [str(i) for i in range(len(diff))]
        cols = names
    limit = float(np.abs(diff).max()) or 1.0
    trace = {"type": "heatmap", "z": diff.tolist(), "x": cols, "y": names[:len(diff)],
             "zmin": -limit, "zmax": limit, "colorscale": "RdBu", "zmid": 0,
             "text": [[f"{v:+.0f}" if v else "0" for v in row] for row in diff.tolist()],
             "texttemplate": "%{text}", "xgap": 1, "ygap": 1, "colorbar": {"thickness": 10},
             "hovertemplate": "true %{y}, predicted %{x}: A − B = %{text}<extra></extra>"}
    return {"data": [trace], "layout": _theme.layout(
        settings, title={"text": f"Confusion A − B ({split}); diagonal > 0: A gets more right",
                         "font": {"size": 13}},
        xaxis={"title": {"text": "predicted"}, **class_axis(cols)},
        yaxis={"autorange": "reversed", "title": {"text": "true"},
               **class_axis(names[:len(diff)])},
        margin={"l": 10, "r": 10, "t": 40, "b": 10})}


def register(app: Any, data: UIData) -> None:
    @app.callback(Output("mm-compare-a", "options"), Output("mm-compare-a", "value"),
                  Output("mm-compare-b", "options"), Output("mm-compare-b", "value"),
                  Input(SELECTION, "data"), Input("mm-focus", "data"), Input(PICKED, "data"),
                  Input("mm-compare-a", "search_value"), Input("mm-compare-b", "search_value"),
                  State("mm-compare-a", "value"), State("mm-compare-b", "value"))
    def pick(selection: dict | None, focus: Any, picked: list | None, search_a: str | None,
             search_b: str | None, a: Any, b: Any) -> tuple:
        if not selection or selection.get("job") is None:  # keep values from the address
            return no_update, no_update, no_update, no_update
        table = data.table(selection["job"])
        rows = table.rows(selection["ids"])
        ids = [r["id"] for r in rows]
        if ctx.triggered_id == "mm-focus" and focus in ids:
            a = focus
        if ctx.triggered_id == PICKED and picked and len(picked) == 2 and \
                all(p in ids for p in picked):
            a, b = picked
        # the best contenders by default: the references (optimal, naive) come last
        ranked = [r["id"] for r in rows if not is_reference(r)] + \
            [r["id"] for r in rows if is_reference(r)]
        a = a if a in ids else (focus if focus in ids else (ranked[0] if ranked else None))
        b = b if b in ids and b != a else next((i for i in ranked if i != a), None)
        # a few hundred options, and the rest by search (10,000 held the browser for seconds)
        return (pick_options(rows, table.flat, a, search_a), a,
                pick_options(rows, table.flat, b, search_b), b)

    many.register(app, data, NAME)

    def failed(text: str) -> tuple:
        return state(text, kind="danger", icon="!"), None, _theme.message_figure(
            _theme.settings_of(None), text)

    @app.callback(Output("mm-compare-verdict", "children"),
                  Output("mm-compare-tables", "children"),
                  Output({"type": "mm-graph", "name": "difference"}, "figure"),
                  Input("mm-compare-a", "value"), Input("mm-compare-b", "value"),
                  Input("mm-compare-split", "value"), Input(SETTINGS, "data"),
                  Input(vis_id(NAME), "data"))
    @guarded(failed)
    def render(a_id: Any, b_id: Any, split: str, settings: dict | None, visible: bool) -> tuple:
        if not visible:
            return no_update, no_update, no_update
        chosen = _theme.settings_of(settings)
        if a_id is None or b_id is None or a_id == b_id:
            text = "Pick two different classifiers (a job with one classifier has no pair)."
            return state(text), None, _theme.message_figure(chosen, "Nothing to compare.")
        # the titles as every view shows them (🟊 as ★), in the verdict and the headers
        a, b = ({**r, "title": readable(r["title"])} for r in (data.result(int(a_id)),
                                                                data.result(int(b_id))))
        names = data.table(a["job_id"]).job.get("class_names") or []
        return (verdict(data, a, b), tables(a, b),
                difference_figure(a, b, split, names, chosen))
