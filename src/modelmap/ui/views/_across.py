"""Across jobs: the critical-difference diagram of the same classifiers (titles, or each
method's best) over several jobs (data sets), from the query layer's ``compare_jobs``:
average ranks, Friedman and Iman-Davenport tests, Nemenyi critical difference, cliques."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

from modelmap import queries
from modelmap.ui import _theme
from modelmap.ui._data import UIData
from modelmap.ui.views._common import (SETTINGS, container, control, fmt, graph, guarded, state,
                                       vis_id)

NAME = "across"
SCORES = ("test_accuracy", "test_balanced_accuracy", "test_f1_macro", "test_f1_weighted",
          "test_precision_macro", "test_recall_macro", "test_log_loss", "test_roc_auc")
DEFAULT_JOBS = 6


def layout() -> html.Div:
    controls = [
        control("Jobs", dcc.Dropdown(id="mm-across-jobs", multi=True,
                                     placeholder="pick two or more jobs"), "460px"),
        control("Rank", dcc.RadioItems(
            id="mm-across-by", value="method", inline=True, className="mm-radio",
            options=[{"label": " each method's best", "value": "method"},
                     {"label": " classifiers by title", "value": "title"}])),
        control("Score", dcc.Dropdown(id="mm-across-score", value="test_accuracy",
                                      clearable=False,
                                      options=[{"label": s.removeprefix("test_")
                                                .replace("_", " "), "value": s}
                                               for s in SCORES]), "170px"),
        control("Level", dcc.Dropdown(id="mm-across-alpha", value=0.05, clearable=False,
                                      options=[{"label": f"α = {a:g}", "value": a}
                                               for a in (0.01, 0.05, 0.1)]), "110px"),
    ]
    body = html.Div([
        graph("cd", linked=False, height="420px"),
        html.Div(id="mm-across-caption", className="mm-note"),
        html.Div(id="mm-across-table"),
    ])
    return container(NAME, "Across jobs", controls, body)


def default_jobs(data: UIData, ids: list[int], most: int = DEFAULT_JOBS) -> list[int]:
    """The newest jobs that keep at least two methods in common (what can be ranked)."""
    chosen: list[int] = []
    common: set[str] | None = None
    for job_id in ids[:20]:
        methods = {item["method"] for item in data.table(job_id).items
                   if item.get("fold") is None and item["status"] == "ok"}
        both = methods if common is None else common & methods
        if len(both) >= 2:
            chosen, common = chosen + [job_id], both
        if len(chosen) == most:
            break
    return chosen if len(chosen) >= 2 else ids[:2]


def _sides(order: list[str]) -> tuple[list[str], list[str]]:
    half = (len(order) + 1) // 2
    return order[:half], order[half:]


def cd_figure(answer: dict[str, Any], settings: dict[str, str]) -> dict[str, Any]:
    """The critical-difference diagram (Demšar 2006): the average-rank axis (1 = best, on the
    left), each classifier's rank with its name, the cliques (groups whose ranks lie less
    than CD apart) as thick bars, and the CD bar with its value."""
    ranks = answer["average_ranks"]
    order = sorted(ranks, key=lambda t: (ranks[t], t))
    k, step = len(order), 0.32
    left, right = _sides(order)
    reach = max(len(left), len(right))
    x_lo, x_hi = 1 - max(1.2, 0.45 * k), k + max(1.2, 0.45 * k)
    ink, muted = _theme.INK[settings["theme"]], _theme.MUTED[settings["theme"]]
    lines_x: list[Any] = [1, k, None]
    lines_y: list[Any] = [0, 0, None]
    label_x, label_y, label_text, label_pos = [], [], [], []
    for side, names, end in (("left", left, x_lo + 0.1), ("right", right[::-1], x_hi - 0.1)):
        for depth, name in enumerate(names, start=1):
            y = -depth * step - 0.15
            lines_x += [ranks[name], ranks[name], end, None]
            lines_y += [0, y, y, None]
            label_x.append(end)
            label_y.append(y)
            label_text.append(f"{name} ({ranks[name]:.2f})")
            label_pos.append("top right" if side == "left" else "top left")
    data = [
        {"type": "scatter", "mode": "lines", "x": lines_x, "y": lines_y, "hoverinfo": "skip",
         "line": {"color": ink, "width": 1}, "showlegend": False},
        {"type": "scatter", "mode": "text", "x": label_x, "y": label_y, "text": label_text,
         "textposition": label_pos, "hoverinfo": "skip", "showlegend": False,
         "textfont": {"size": 12, "color": ink}, "meta": {"mm": "labels"}},
        {"type": "scatter", "mode": "markers", "x": [ranks[t] for t in order], "y": [0] * k,
         "text": order, "customdata": [ranks[t] for t in order], "showlegend": False,
         "hovertemplate": "%{text}: average rank %{customdata:.3f}<extra></extra>",
         "marker": {"size": 8, "color": ink}, "meta": {"mm": "ranks"}},
    ]
    cliques = [c for c in answer.get("cliques") or [] if len(c) > 1]
    for c, clique in enumerate(cliques):
        low, high = min(ranks[t] for t in clique), max(ranks[t] for t in clique)
        y = -0.1 - c * 0.1 if reach * step > 0.1 + len(cliques) * 0.1 else -0.1
        data.append({"type": "scatter", "mode": "lines", "x": [low - 0.03, high + 0.03],
                     "y": [y, y], "line": {"color": _theme.HIGHLIGHT[settings["theme"]],
                                           "width": 5},
                     "hovertemplate": "not significantly different: " + ", ".join(clique)
                                      + "<extra></extra>", "meta": {"mm": "clique"},
                     "showlegend": False})
    cd = answer.get("critical_difference")
    if cd is not None:
        data.append({"type": "scatter", "mode": "lines+text", "x": [1, 1 + cd], "y": [0.55] * 2,
                     "text": ["", f"CD = {cd:.2f}"], "textposition": "middle right",
                     "line": {"color": ink, "width": 2}, "hoverinfo": "skip",
                     "showlegend": False, "meta": {"mm": "cd"}, "cliponaxis": False})
    ticks = list(range(1, k + 1))
    return {"data": data, "layout": _theme.layout(
        settings, showlegend=False, hovermode="closest",
        xaxis={"range": [x_lo, x_hi], "side": "top", "tickvals": ticks, "showgrid": False,
               "zeroline": False, "ticks": "outside", "tickcolor": muted,
               "title": {"text": "average rank (1 = best)", "font": {"size": 12}}},
        yaxis={"range": [-(reach + 1) * step - 0.1, 0.8], "visible": False, "fixedrange": True},
        margin={"l": 10, "r": 10, "t": 50, "b": 10})}


def caption(answer: dict[str, Any]) -> list[Any]:
    """The tests, α and what the bars mean, in words."""
    alpha = answer["alpha"]
    friedman, iman = answer.get("friedman_p"), answer.get("iman_davenport_p")
    verdict = ("the classifiers' ranks differ" if iman is not None and iman < alpha
               else "no difference between the ranks shown")
    parts: list[Any] = [
        html.B(f"{len(answer['titles'])} {answer['by']}s over {answer['n_datasets']} jobs, "
               f"ranked by {answer['score'].replace('_', ' ')}. "),
        f"Friedman χ²F = {fmt(answer.get('friedman_statistic'), 3)}, p = {fmt(friedman, 4)}; "
        f"Iman–Davenport F = {fmt(answer.get('iman_davenport_F'), 3)}, p = {fmt(iman, 4)}; "
        f"α = {alpha:g}: {verdict}. ",
        f"Nemenyi critical difference CD = {fmt(answer.get('critical_difference'), 3)}: "
        "classifiers joined by a bar are not significantly different.",
    ]
    for note in answer.get("notes") or []:
        parts += [html.Br(), note[0].upper() + note[1:] + "."]
    return parts


def rank_table(answer: dict[str, Any]) -> Any:
    ranks, scores = answer["average_ranks"], answer["scores"]
    order = sorted(ranks, key=lambda t: (ranks[t], t))
    head = html.Thead(html.Tr([html.Th(answer["by"]), html.Th("average rank")]
                              + [html.Th(j) for j in answer["jobs"]]))
    body = [html.Tr([html.Td(t), html.Td(f"{ranks[t]:.2f}", className="num")]
                    + [html.Td(fmt(v, 4), className="num") for v in scores[t]]) for t in order]
    return dbc.Table([head, html.Tbody(body)], size="sm", hover=True, className="mm-table")


def register(app: Any, data: UIData) -> None:
    @app.callback(Output("mm-across-jobs", "options"), Output("mm-across-jobs", "value"),
                  Input("mm-jobs", "data"), State("mm-across-jobs", "value"))
    def jobs(known: list | None, picked: list | None) -> tuple:
        if not known:  # the job list is not read yet: keep a value from the address
            return no_update, no_update
        usable = [j for j in known or [] if (j.get("counts") or {}).get("ok")]
        options = [{"label": f"{j['title']} · {j['dataset']}", "value": j["id"]} for j in usable]
        ids = [j["id"] for j in usable]
        kept = [i for i in picked or [] if i in ids]
        return options, kept if kept else default_jobs(data, ids)

    def failed(text: str) -> tuple:
        return _theme.message_figure(_theme.settings_of(None), text), state(
            text, kind="danger", icon="!"), None

    @app.callback(Output({"type": "mm-graph", "name": "cd"}, "figure"),
                  Output("mm-across-caption", "children"), Output("mm-across-table", "children"),
                  Input("mm-across-jobs", "value"), Input("mm-across-by", "value"),
                  Input("mm-across-score", "value"), Input("mm-across-alpha", "value"),
                  Input(SETTINGS, "data"), Input(vis_id(NAME), "data"))
    @guarded(failed)
    def render(jobs: list | None, by: str, score: str, alpha: float, settings: dict | None,
               visible: bool) -> tuple:
        if not visible:
            return no_update, no_update, no_update
        chosen = _theme.settings_of(settings)
        if not jobs or len(jobs) < 2:
            text = "Pick two or more jobs (data sets) to rank their classifiers across them."
            return _theme.message_figure(chosen, text), state(text), None
        answer = queries.compare_jobs(data.store, [int(j) for j in jobs], score=score,
                                      alpha=float(alpha), by=by)
        if len(answer["titles"]) < 2:
            text = "; ".join(answer.get("notes") or ["nothing to rank"])
            return _theme.message_figure(chosen, text), caption(answer), None
        return cd_figure(answer, chosen), caption(answer), rank_table(answer)
