"""Comparison of many: the ticked classifiers' pairwise significance matrix (the query
layer's ``compare_pairwise``: exact McNemar or paired bootstrap, Holm) and their
parameter-difference table.  The ticked set is :data:`modelmap.ui._state.PICKED`."""

from __future__ import annotations

from collections import Counter
from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, html, no_update

from modelmap import queries
from modelmap.ui import _theme
from modelmap.ui._data import Table, UIData, is_reference, readable
from modelmap.ui.views._summary import MAX_OPTIONS
from modelmap.ui.views._common import (PICKED, SELECTION, SETTINGS, fmt, guarded, state,
                                       vis_id)

#: Classifiers ticked by default (when nothing is ticked): the first of the selection.
DEFAULT_PICK = 10
#: Most classifiers in the pairwise matrix (the query layer's limit).
MAX_MATRIX = queries.MAX_PAIRWISE
#: Most classifiers (columns) in the parameter-difference table.
MAX_COLUMNS = 40
#: Above this many classifiers the matrix shows colours only (the p-values on hover).
MAX_TEXT = 30


def default_pick(rows: list[dict[str, Any]], n: int = DEFAULT_PICK) -> list[int]:
    """The first ``n`` classifiers of the selection that finished and are not references."""
    return [r["id"] for r in rows if r["status"] == "ok" and not is_reference(r)][:n]


def p_text(p: float | None) -> str:
    if p is None:
        return ""
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def colorscale(alpha: float, theme: str) -> list[list[Any]]:
    """Reds below α (a real difference), greys from α to 1 (may be chance)."""
    grey = ("#f1f3f5", "#ced4da") if theme == "bright" else ("#2b3035", "#495057")
    return [[0.0, "#b2182b"], [alpha, "#f4a582"], [min(alpha + 1e-6, 1.0), grey[1]],
            [1.0, grey[0]]]


def pairwise_figure(answer: dict[str, Any], settings: dict[str, str]) -> dict[str, Any]:
    """Heatmap of the Holm-adjusted p-values of every pair, the value in each cell."""
    titles, holm, raw = [readable(t) for t in answer["titles"]], answer["p_holm"], answer["p"]
    n = len(titles)
    labels = [f"{t} ·{k + 1}" if titles.count(t) > 1 else t for k, t in enumerate(titles)]
    text = [[p_text(p) for p in row] for row in holm]
    hover = [[f"{labels[i]} vs {labels[j]}<br>p (Holm) = {fmt(holm[i][j], 4)}"
              f"<br>p (unadjusted) = {fmt(raw[i][j], 4)}" if i != j else labels[i]
              for j in range(n)] for i in range(n)]
    trace = {"type": "heatmap", "z": holm, "x": labels, "y": labels, "zmin": 0, "zmax": 1,
             "colorscale": colorscale(answer["alpha"], settings["theme"]),
             "xgap": 1 if n <= 50 else 0, "ygap": 1 if n <= 50 else 0,
             "text": text, "customdata": hover, "hovertemplate": "%{customdata}<extra></extra>",
             "colorbar": {"thickness": 10, "title": {"text": "p (Holm)", "side": "right"}},
             "meta": {"mm": "pairwise"}}
    if n <= MAX_TEXT:
        trace["texttemplate"] = "%{text}"
        trace["textfont"] = {"size": 11 if n <= 12 else 9}
    axis = {"type": "category", "tickmode": "array", "tickvals": labels, "ticktext": labels,
            "tickfont": {"size": 10 if n <= 30 else 8}, "showticklabels": n <= 80,
            "automargin": True}
    return {"data": [trace], "layout": _theme.layout(
        settings, xaxis={**axis, "tickangle": -40}, yaxis={**axis, "autorange": "reversed"},
        margin={"l": 10, "r": 10, "t": 10, "b": 10})}


def pairwise_note(answer: dict[str, Any], dropped: int) -> list[Any]:
    """The method, the omnibus test and α, in words."""
    omnibus = answer.get("omnibus") or {}
    pairs = len(answer["titles"]) * (len(answer["titles"]) - 1) // 2
    holm = answer["p_holm"]
    n_sig = sum(1 for i, row in enumerate(holm) for j, p in enumerate(row)
                if j > i and p is not None and p < answer["alpha"])
    parts: list[Any] = [
        html.B("Test: "), f"{answer['test']} on {answer['score'].replace('_', ' ')}, "
                          f"α = {answer['alpha']:g}. ",
        html.B(f"{n_sig} of {pairs} pairs differ"), f" (p < {answer['alpha']:g}, red); "
                                                    "grey pairs may differ by chance."]
    if omnibus.get("p") is not None:
        parts += [html.Br(), f"{omnibus['name']}: statistic {fmt(omnibus.get('statistic'), 3)}"
                             f", p = {fmt(omnibus['p'], 4)}."]
    if dropped:
        parts += [html.Br(), f"{dropped} more ticked classifiers are not in the matrix "
                             f"(at most {MAX_MATRIX})."]
    return parts


def pairwise(data: UIData, table: Table, ids: list[int], score: str,
             alpha: float) -> tuple[dict[str, Any], int, list[str]]:
    """``(compare_pairwise's answer, how many were left out, titles of those that cannot be
    compared)`` for the ticked ``ids``: failed ones and those without predictions stay out."""
    usable, skipped = [], []
    for rid in ids:
        item = table.item(rid)
        if item is None:
            continue
        (usable if item.get("status") == "ok" else skipped).append(item)
    dropped = max(0, len(usable) - MAX_MATRIX)
    keys = [item["key"] for item in usable[:MAX_MATRIX]]
    answer = queries.compare_pairwise(data.store, keys, score=score, alpha=alpha,
                                      job=table.job["id"])
    return answer, dropped, [readable(item["title"]) for item in skipped]


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return fmt(value, 4)
    return "–" if value is None else str(value)


def parameter_table(rows: list[dict[str, Any]]) -> Any:
    """Rows: parameters; columns: the classifiers; a cell that differs from the row's most
    common value is marked, rows where the classifiers differ come first."""
    if not rows:
        return html.P("Tick classifiers to see their parameters.", className="small")
    shown = rows[:MAX_COLUMNS]
    names = sorted({k for r in shown for k in r if k.startswith("param_")} | {"method"})
    body, same = [], []
    for name in names:
        values = [_shown(r.get(name)) for r in shown]
        common = Counter(values).most_common(1)[0][0]
        cells = [html.Td(v, className="mm-differs" if v != common else "") for v in values]
        line = html.Tr([html.Th(name.removeprefix("param_"), scope="row"), *cells],
                       className="mm-param-differs" if len(set(values)) > 1 else "")
        (body if len(set(values)) > 1 else same).append(line)
    head = html.Thead(html.Tr([html.Th("parameter")] + [html.Th(r["title"]) for r in shown]))
    note = [html.P(f"The first {MAX_COLUMNS} of {len(rows)} ticked classifiers.",
                   className="small text-body-secondary")] if len(rows) > MAX_COLUMNS else []
    return html.Div([
        *note,
        html.Div(dbc.Table([head, html.Tbody(body + same)], size="sm", hover=True,
                           className="mm-table mm-param-table"), className="mm-scroll-x"),
        html.P(f"{len(body)} parameters differ (marked; the cell that differs from the most "
               f"common value is highlighted), {len(same)} are the same.",
               className="small text-body-secondary"),
    ])


def _chart_ids(selected: dict | None, known: set[int]) -> list[int]:
    """The classifier ids of a chart's lasso or box selection (``selectedData``)."""
    points = (selected or {}).get("points") or []
    ids = [p.get("customdata") for p in points]
    return list(dict.fromkeys(i for i in ids if isinstance(i, int) and i in known))


def register(app: Any, data: UIData, view: str) -> None:
    _register_ticks(app, data)
    _register_render(app, data, view)


def _register_ticks(app: Any, data: UIData) -> None:
    lassos = [Input({"type": "mm-linked", "name": name}, "selectedData")
              for name in ("map", "ranking")]

    @app.callback(Output(PICKED, "data"), Output("mm-compare-many", "options"),
                  Output("mm-compare-many", "value"), Input(SELECTION, "data"),
                  Input("mm-compare-many", "value"), *lassos,
                  Input("mm-compare-many", "search_value"), State(PICKED, "data"))
    def tick(selection: dict | None, listed: list | None, on_map: dict | None,
             on_ranking: dict | None, search: str | None, picked: list | None) -> tuple:
        if not selection or selection.get("job") is None:  # keep ticks from the address
            return no_update, [], no_update
        table = data.table(int(selection["job"]))
        known = set(table.flat)
        trigger = ctx.triggered_id
        typing = trigger == "mm-compare-many" and bool(ctx.triggered_prop_ids) and all(
            p.endswith(".search_value") for p in ctx.triggered_prop_ids)
        if typing:
            ids = [i for i in picked or [] if i in known]
        elif trigger == "mm-compare-many":
            ids = [i for i in listed or [] if i in known]
        elif isinstance(trigger, dict):  # a lasso or box on a chart
            ids = _chart_ids(on_map if trigger.get("name") == "map" else on_ranking, known)
            if not ids:
                return no_update, no_update, no_update
        else:
            ids = [i for i in picked or [] if i in known] or default_pick(
                table.rows(selection["ids"]))
        rows = table.rows(selection["ids"])
        needle = (search or "").strip().lower()
        shown = [r for r in rows if needle in r["title"].lower()] if needle else rows
        shown = shown[:MAX_OPTIONS]  # a few hundred options; type to search the rest
        listed_ids = {r["id"] for r in shown}
        options = [{"label": r["title"], "value": r["id"]} for r in shown] + [
            {"label": table.flat[i]["title"], "value": i} for i in ids if i not in listed_ids]
        if typing:  # only the options change while the user types
            return no_update, options, no_update
        return ids, options, ids

    @app.callback(Output("mm-compare-score", "options"), Output("mm-compare-score", "value"),
                  Input(SELECTION, "data"), State("mm-compare-score", "value"))
    def scores(selection: dict | None, score: str | None) -> tuple:
        if not selection or selection.get("job") is None:
            return [], no_update
        fields = data.table(int(selection["job"])).fields
        names = [s for s in fields.scores if s.startswith("test_") and not s.endswith("_std")]
        value = score if score in names else (names[0] if names else "test_accuracy")
        return [{"label": n.removeprefix("test_").replace("_", " "), "value": n}
                for n in names], value


def _register_render(app: Any, data: UIData, view: str) -> None:
    def failed(text: str) -> tuple:
        return (state(text, kind="danger", icon="!"), _theme.message_figure(
            _theme.settings_of(None), text), None, None)

    @app.callback(Output("mm-compare-pick-note", "children"),
                  Output({"type": "mm-graph", "name": "pairwise"}, "figure"),
                  Output("mm-compare-pairwise-note", "children"),
                  Output("mm-compare-params", "children"),
                  Input(PICKED, "data"), Input("mm-compare-score", "value"),
                  Input("mm-compare-alpha", "value"), Input(SETTINGS, "data"),
                  Input(vis_id(view), "data"), State(SELECTION, "data"))
    @guarded(failed)
    def render(picked: list | None, score: str | None, alpha: float | None,
               settings: dict | None, visible: bool, selection: dict | None) -> tuple:
        if not visible:
            return no_update, no_update, no_update, no_update
        chosen = _theme.settings_of(settings)
        if not selection or selection.get("job") is None:
            text = "Pick a job in the Menu to compare its classifiers."
            return state(text), _theme.message_figure(chosen, text), None, None
        table = data.table(int(selection["job"]))
        rows = table.rows(picked or [])
        how = (f"{len(rows)} ticked. Tick or untick them in the list; a lasso or box on the "
               "Map or in Ranking (their toolbar's select buttons) ticks the classifiers in it.")
        if len(rows) < 2:
            text = "Tick two or more classifiers to compare every pair."
            return how, _theme.message_figure(chosen, text), None, parameter_table(rows)
        answer, dropped, skipped = pairwise(data, table, [r["id"] for r in rows],
                                            score or "test_accuracy", float(alpha or 0.05))
        note = pairwise_note(answer, dropped)
        if skipped:
            note += [html.Br(), f"Left out (not finished): {', '.join(skipped[:10])}."]
        return how, pairwise_figure(answer, chosen), note, parameter_table(rows)
