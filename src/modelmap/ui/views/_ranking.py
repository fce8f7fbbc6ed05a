"""Ranking: one column of bars per score, each column ranked on its own, and a line that
follows each classifier from column to column; optionally grouped by method or fold with a
mean, median or best representative."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import ClientsideFunction, Input, Output, State, dcc, html, no_update

from modelmap import queries
from modelmap.ui import _theme
from modelmap.ui._analysis import aggregate, higher_is_better
from modelmap.ui._data import UIData, is_reference, label
from modelmap.ui.views._common import (COLOUR, log, SELECTION, SETTINGS, ViewInput, container,
                                       control, first_job_of_link, fmt, graph, guarded, state,
                                       url_param, view_input, vis_id)

NAME = "ranking"
GROUPS = {"auto": "auto (method above 1,000)", "none": "no grouping", "method": "method",
          "fold": "fold", "classifier": "classifier (over folds)"}
MAX_INTERVALS = 1000  # rows up to which Ranking asks the compare layer for intervals
AUTO_GROUP = 1000  # more rows than this are grouped by method unless asked otherwise
_GAP = 0.35
LABELLED = 150  # up to this many rows, each row is labelled with its title


def layout() -> html.Div:
    controls = [
        control("Columns", dcc.Dropdown(id="mm-rank-columns", multi=True, clearable=False,
                                        placeholder="scores to rank by"), "260px"),
        control("Group by", dcc.Dropdown(id="mm-rank-group", value="auto", clearable=False,
                                         options=[{"label": v, "value": k}
                                                  for k, v in GROUPS.items()]), "190px"),
        control("Representative", dcc.Dropdown(
            id="mm-rank-how", value="mean", clearable=False,
            options=[{"label": x, "value": x} for x in ("mean", "median", "best")]), "110px"),
        control("Find", html.Div([
            dcc.Input(id="mm-rank-find", type="search", debounce=True, placeholder="a title…",
                      className="form-control form-control-sm mm-find"),
            html.Span(id="mm-rank-found", className="mm-found")], className="mm-find-box"),
            "220px"),
    ]
    body = html.Div([html.Div(id="mm-rank-state"),
                     html.Div(graph(NAME), className="mm-scroll", id="mm-rank-scroll")])
    return container(NAME, "Ranking", controls, body, note_id="mm-rank-note")


def _entities(rows: list[dict], columns: list[str], group: str,
              how: str) -> list[dict[str, Any]]:
    """One entity per row, or per group (value per column, representative id)."""
    if group == "none":
        return [{"id": r["id"], "title": r["title"], "n": 1, "reference": is_reference(r),
                 "values": [r.get(c) for c in columns]} for r in rows]
    keys = {"method": lambda r: r.get("method"),
            "fold": lambda r: "mean" if r.get("fold") is None else f"fold {r['fold']}",
            "classifier": lambda r: r.get("title")}[group]
    groups: dict[Any, list[dict]] = {}
    for row in rows:
        groups.setdefault(keys(row), []).append(row)
    out = []
    for key, members in groups.items():
        values, rep = [], None
        for k, column in enumerate(columns):
            value, index = aggregate([m.get(column) for m in members], how,
                                     higher_is_better(column))
            values.append(value)
            if k == 0:
                rep = members[index]["id"]
        out.append({"id": rep, "title": f"{key} ×{len(members)}", "n": len(members),
                    "values": values, "reference": all(is_reference(m) for m in members)})
    first = columns[0]
    sign = -1 if higher_is_better(first) else 1
    out.sort(key=lambda e: (e["values"][0] != e["values"][0],
                            sign * (e["values"][0] if e["values"][0] == e["values"][0] else 0)))
    return out


def _ranks(values: Sequence[Any], higher: bool) -> list[int]:
    """Position of each entity in one column (best first; missing values last)."""
    def key(i: int) -> tuple:
        v = values[i]
        missing = not isinstance(v, (int, float)) or v != v
        return (missing, 0 if missing else (-v if higher else v), i)

    order = sorted(range(len(values)), key=key)
    ranks = [0] * len(values)
    for position, i in enumerate(order):
        ranks[i] = position
    return ranks


BAR = 0.6  # share of a column the longest bar takes; its value and name follow it
TEXTED = 600  # up to this many rows, every bar carries its value (and name) as text


def scale(values: Sequence[Any]) -> tuple[float, float]:
    """``(baseline, top)`` of a column's bars: a true zero (or the lowest value when some
    are negative), and 1 for values in [0, 1] (scores) or else the largest value, so that a
    bar's length is proportional to its value and does not change with the filters."""
    nums = [float(v) for v in values if isinstance(v, (int, float)) and v == v]
    low = min(nums, default=0.0)
    high = max(nums, default=1.0)
    base = min(low, 0.0)
    top = 1.0 if base == 0.0 and high <= 1.0 else high
    return base, (top if top > base else base + 1.0)


def _lengths(values: Sequence[Any], base: float, top: float) -> list[float]:
    return [0.0 if not (isinstance(v, (int, float)) and v == v)
            else BAR * (v - base) / (top - base) for v in values]


def _short(title: str, width: int = 28) -> str:
    return title if len(title) <= width else title[:width - 1] + "…"


def _value_text(entity: dict, k: int) -> str:
    text = fmt(entity["values"][k], 3)
    ci = entity.get("ci") if k == 0 else None
    if ci:
        text += f" [{fmt(ci[0], 2)}–{fmt(ci[1], 2)}]" + (" ≈best" if ci[2] else "")
    return text


def _texts(entities: list[dict], k: int, x: list[float], y: list[int], named: bool,
           ink: str) -> dict[str, Any]:
    """The values (with the first column's interval and tie with the best, when known, and,
    where the axis does not name the rows, the titles) after the bars."""
    text = [_value_text(e, k) + (f"  {_short(e['title'])}" if named else "")
            for e in entities]
    return {"type": "scatter", "mode": "text", "x": x, "y": y, "text": text,
            "textposition": "middle right", "hoverinfo": "skip", "cliponaxis": False,
            "textfont": {"size": 10 if len(entities) > 40 else 11, "color": ink},
            "meta": {"mm": "values"}}


def figure(entities: list[dict], columns: list[str], colours: _theme.Colouring,
           settings: dict[str, str], keep_first_order: bool = True) -> dict[str, Any]:
    """The ranking chart as a Plotly figure dict (rows top to bottom, best first)."""
    n = len(entities)
    ranks = [list(range(n)) if (k == 0 and keep_first_order) else
             _ranks([e["values"][k] for e in entities], higher_is_better(c))
             for k, c in enumerate(columns)]
    scales = [scale([e["values"][k] for e in entities]) for k in range(len(columns))]
    lengths = [_lengths([e["values"][k] for e in entities], *scales[k])
               for k in range(len(columns))]
    offsets = [k * (1 + _GAP) for k in range(len(columns))]
    lx: list[Any] = []
    ly: list[Any] = []
    lc: list[Any] = []
    for i, entity in enumerate(entities):
        for k in range(len(columns)):
            lx += [offsets[k], offsets[k] + lengths[k][i]]
            ly += [ranks[k][i], ranks[k][i]]
            lc += [entity["id"], entity["id"]]
        lx.append(None)
        ly.append(None)
        lc.append(None)
    muted = _theme.MUTED[settings["theme"]]
    data: list[dict[str, Any]] = [{"type": "scatter", "mode": "lines", "x": lx, "y": ly,
                                   "customdata": lc, "hoverinfo": "skip",
                                   "line": {"color": muted, "width": 1}, "opacity": 0.45}]
    errors = _error_bars(entities, scales[0]) if any(e.get("ci") for e in entities) else None
    for k, column in enumerate(columns):
        hover = [f"<b>{e['title']}</b>" + (" (reference)" if e.get("reference") else "") +
                 f"<br>{label(column)}: {fmt(e['values'][k], 4)}"
                 f"<br>rank {ranks[k][i] + 1} of {n}" for i, e in enumerate(entities)]
        data.append({"type": "bar", "orientation": "h", "x": lengths[k],
                     "base": offsets[k], "y": ranks[k], "customdata": [e["id"] for e in entities],
                     "hovertext": hover, "hovertemplate": "%{hovertext}<extra></extra>",
                     "marker": {"color": [colours.of(e["id"]) for e in entities],
                                "pattern": {"shape": ["/" if e.get("reference") else ""
                                                      for e in entities], "solidity": 0.5},
                                "line": {"width": 0}}, "width": 0.78, "name": column,
                     **({"error_x": errors} if k == 0 and errors else {})})
    if n <= TEXTED:
        ink = _theme.INK[settings["theme"]]
        for k in range(len(columns)):
            data.append(_texts(entities, k, [offsets[k] + x + 0.01 for x in lengths[k]],
                               ranks[k], k > 0 or n > LABELLED, ink))
    data.append(_theme.highlight_trace(settings, [0], "line"))
    return {"data": data, "layout": _layout(entities, columns, offsets, scales, settings)}


def _error_bars(entities: list[dict], scale_: tuple[float, float]) -> dict[str, Any]:
    """The first column's intervals as Plotly error bars, in bar-length units."""
    base, top = scale_
    unit = BAR / (top - base)
    plus, minus = [], []
    for e in entities:
        value, ci = e["values"][0], e.get("ci")
        ok = ci and isinstance(value, (int, float)) and value == value
        plus.append(max(0.0, (ci[1] - value) * unit) if ok else 0.0)
        minus.append(max(0.0, (value - ci[0]) * unit) if ok else 0.0)
    return {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
            "thickness": 1.2, "width": 2, "color": "#555"}


def intervals(data: UIData, given: ViewInput, score: str) -> dict[str, Any] | None:
    """The statistics of ``score`` from the compare layer: for each result id ``(low, high,
    tied with the best)``, and the method and test names; ``None`` when not available."""
    try:
        answer = queries.compare_job(data.store, int(given.table.job["id"]), score=score)
    except Exception as exc:  # noqa: BLE001 - a score without intervals just has none
        log.info("no intervals for %s: %s", score, exc)
        return None
    ids = {item.get("key"): item["id"] for item in given.table.items}
    by_id = {ids[r["key"]]: (r["ci_low"], r["ci_high"], bool(r.get("tied_with_best")))
             for r in answer["rows"] + answer.get("references", [])
             if r.get("key") in ids and r.get("ci_low") is not None}
    return {"by_id": by_id, "method": answer.get("method"), "test": answer.get("test"),
            "n_tied": sum(1 for r in answer["rows"] if r.get("tied_with_best"))}


def _heading(column: str, base: float, top: float) -> str:
    text = f"<b>{label(column)}</b>" + ("" if higher_is_better(column) else " (lower is better)")
    return text + (f" · bars from {fmt(base, 3)}" if base != 0 else "")


def _layout(entities: list[dict], columns: list[str], offsets: list[float],
            scales: list[tuple[float, float]], settings: dict[str, str]) -> dict[str, Any]:
    n = len(entities)
    row = 20 if n <= 40 else 15 if n <= LABELLED else 12
    height = max(260, n * row + 60)
    titles = [_short(e["title"], 32) for e in entities]
    if n <= LABELLED:  # one label per row; Plotly measures every tick label, so not for 1000s
        ticks = {"tickvals": list(range(n)), "ticktext": titles}
        left = 12 + 6.3 * max((len(t) for t in titles), default=4)
    else:
        step = 50 if n > 500 else 10
        ticks = {"tickvals": [0, *range(step - 1, n, step)],
                 "ticktext": ["#1", *(f"#{k + 1}" for k in range(step - 1, n, step))]}
        left = 50
    notes = [{"text": _heading(c, *scales[k]), "x": offsets[k] + BAR / 2, "y": 1, "xref": "x",
              "yref": "paper", "yanchor": "bottom", "showarrow": False, "yshift": 4}
             for k, c in enumerate(columns)]
    return _theme.layout(
        settings, height=height, bargap=0.2, annotations=notes,
        margin={"l": left, "r": 10, "t": 30, "b": 10},
        xaxis={"visible": False, "range": [-0.02, offsets[-1] + 1.02], "fixedrange": True},
        yaxis={"autorange": False, "range": [n - 0.5, -0.5], "tickmode": "array", **ticks,
               "showgrid": False, "fixedrange": True, "automargin": False,
               "tickfont": {"size": 11}},
        plot_bgcolor="rgba(0,0,0,0)")


def default_columns(fields: Any, sort: str | None) -> list[str]:
    numeric = fields.numeric
    chosen = [sort] if sort in numeric else []
    for name in ("test_accuracy", "test_f1_macro", "train_accuracy", "fit_time"):
        if name in numeric and name not in chosen and len(chosen) < 3:
            chosen.append(name)
    return chosen or numeric[:3]


def register(app: Any, data: UIData) -> None:
    app.clientside_callback(ClientsideFunction("modelmap", "find"),
                            Output("mm-rank-found", "children"),
                            Input("mm-rank-find", "value"), State("mm-titles", "data"))

    def failed(text: str) -> tuple:
        return no_update, no_update, _theme.message_figure(_theme.settings_of(None), text), \
            {}, state(text, kind="danger", icon="!"), ""

    # the column picker and the chart in one callback: a picker answered first held the
    # chart's request back by a round trip when a job opens
    @app.callback(Output("mm-rank-columns", "options"), Output("mm-rank-columns", "value"),
                  Output({"type": "mm-linked", "name": NAME}, "figure"),
                  Output({"type": "mm-linked", "name": NAME}, "style"),
                  Output("mm-rank-state", "children"), Output("mm-rank-note", "children"),
                  Input(SELECTION, "data"), Input(COLOUR, "value"), Input(SETTINGS, "data"),
                  Input(vis_id(NAME), "data"), Input("mm-rank-columns", "value"),
                  Input("mm-rank-group", "value"), Input("mm-rank-how", "value"),
                  State("mm-rank-columns", "options"), State("mm-url", "search"))
    @guarded(failed)
    def render(selection: dict | None, colour: str | None, settings: dict | None,
               visible: bool, current: list[str] | None, group: str, how: str,
               known: list | None = None, search: str | None = None) -> tuple:
        if not selection or selection.get("job") is None:
            picked: tuple = (no_update, no_update)  # keep a value from the address
            columns = current or []
        else:
            wanted = url_param(search, "rank", current, kind="list") if first_job_of_link(
                search, selection["job"], known or None) else current
            picked = pick_columns(data.table(int(selection["job"])).fields,
                                  selection.get("sort"), wanted, current, known)
            columns = current if picked[1] is no_update else picked[1]
        if not visible:
            return *picked, no_update, no_update, no_update, no_update
        given = view_input(data, selection, colour, settings)
        if isinstance(given, str):
            chosen = _theme.settings_of(settings)
            return *picked, _theme.message_figure(chosen, given), {"height": "240px"}, \
                state(given), ""
        return *picked, *_render(given, columns or [], group, how, data)


def pick_columns(fields: Any, sort: str | None, wanted: list[str] | None,
                 current: list[str] | None, known: list | None) -> tuple:
    """The picker's options and value (the ``wanted`` columns the job has, else the
    defaults), each ``no_update`` when equal to the ``known`` options and ``current``
    value."""
    options = [{"label": label(f), "value": f} for f in fields.numeric]
    kept = [c for c in (wanted or []) if c in fields.numeric] or default_columns(fields, sort)
    return (no_update if options == known else options,
            no_update if kept == current else kept)


def _render(given: ViewInput, columns: list[str], group: str, how: str,
            data: UIData | None = None) -> tuple:
    columns = [c for c in columns if c in given.table.fields.numeric]
    rows = [r for r in given.rows if r.get("status") == "ok"]
    if not columns or not rows:
        text = ("None of the selected classifiers finished, so there are no scores to rank; "
                "their errors are in Summary.")
        return _theme.message_figure(given.settings, text), {"height": "240px"}, state(text), ""
    sort = given.sort if given.sort in given.table.fields.numeric else None
    if sort and sort not in columns:
        columns = [sort, *columns]
    elif sort:
        columns = [sort] + [c for c in columns if c != sort]
    grouped = group == "auto" and len(rows) > AUTO_GROUP
    if group == "auto":
        group = "method" if grouped else "none"
    entities = _entities(rows, columns, group, how)
    stats = intervals(data, given, columns[0]) if (
        data is not None and group == "none" and len(entities) <= MAX_INTERVALS) else None
    for entity in entities if stats else []:
        entity["ci"] = stats["by_id"].get(entity["id"])
    fig = figure(entities, columns, given.colours, given.settings,
                 keep_first_order=group == "none" and sort is not None)
    failed = len(given.rows) - len(rows)
    note = (f"{len(entities)} {'groups' if group != 'none' else 'classifiers'}, best first "
            "in each column; the first column follows the toolbar's sort.")
    if stats and stats["by_id"]:
        note += (f" Whiskers and [brackets]: {stats['method']}; ≈best marks the "
                 f"{stats['n_tied']} not distinguishable from the best ({stats['test']}, "
                 "p ≥ 0.05).")
    if grouped:
        note += (f" {len(rows)} classifiers are grouped by method ({how} of each; Group by "
                 "'no grouping' shows every one).")
    if len(entities) > LABELLED:
        note += " Rows are numbered by rank; hover a bar for its title."
    if failed:
        note += f" {failed} failed classifier(s) have no scores and are not shown."
    return fig, {"height": f"{fig['layout']['height']}px"}, None, note
