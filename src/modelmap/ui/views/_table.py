"""Table: every selected classifier as a row of numbers (scores, times, status, parameters),
in a maintained grid component (AG Grid through dash-ag-grid): sort, filter, search, pick
columns and export what is shown as CSV, smoothly at 10,000 rows (rows are virtualised)."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
from dash import ClientsideFunction, Input, Output, State, dcc, html, no_update

import dash_bootstrap_components as dbc

from modelmap import queries
from modelmap.ui._data import Fields, Table, UIData, is_reference, label
from modelmap.ui.views._common import (SELECTION, container, control, guarded, log, state,
                                       vis_id)

NAME = "table"
MAX_INTERVALS = 1000  # rows up to which the Table asks the compare layer for intervals
GRID = "mm-grid"
_NUMBER = {"function": "params.value == null ? '' : d3.format("
                       "Math.abs(params.value) >= 1e5 || (params.value !== 0 && "
                       "Math.abs(params.value) < 1e-3) ? '.3e' : '.4~f')(params.value)"}


def layout() -> html.Div:
    controls = [
        control("Search", dcc.Input(id="mm-table-search", type="search", debounce=False,
                                    placeholder="any cell…",
                                    className="form-control form-control-sm"), "200px"),
        control("Columns", dcc.Dropdown(id="mm-table-columns", multi=True, clearable=False,
                                        placeholder="columns to show",
                                        className="mm-table-columns"), "380px"),
        control("", dbc.Checkbox(id="mm-table-ci", value=True, label="intervals")),
        html.Button("Export shown rows (CSV)", id="mm-table-export", n_clicks=0,
                    className="btn btn-sm btn-outline-secondary mm-table-export",
                    title="The rows and columns the table shows, in its order, as CSV"),
    ]
    grid = dag.AgGrid(
        id=GRID, rowData=[], columnDefs=[], getRowId="params.data.id",
        defaultColDef={"sortable": True, "filter": True, "resizable": True,
                       "floatingFilter": True, "minWidth": 90},
        dashGridOptions={"animateRows": False, "rowHeight": 28, "headerHeight": 34,
                         "floatingFiltersHeight": 32, "rowBuffer": 20,
                         "tooltipShowDelay": 300, "enableCellTextSelection": True},
        style={"height": "calc(100vh - 270px)", "width": "100%"}, className="mm-grid")
    body = html.Div([html.Div(id="mm-table-state"), grid,
                     html.Span(id="mm-table-exported", className="mm-found")])
    return container(NAME, "Table", controls, body, note_id="mm-table-note")


def column_defs(fields: Fields, shown: list[str] | None = None,
                stats: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """AG Grid column definitions: title pinned, then method, status, scores, times and
    parameters; numbers right-aligned with a number filter.  A score in ``stats`` shows
    its interval (``0.953 [0.91, 0.98] ≈best``), the method and α in its header tooltip."""
    stats = stats or {}

    def numeric(name: str, group: str) -> dict[str, Any]:
        out = {"field": name, "headerName": label(name), "type": "rightAligned",
               "filter": "agNumberColumnFilter", "valueFormatter": _NUMBER,
               "headerTooltip": f"{group}: {name}", "width": 130}
        if name in stats:
            out.update(valueFormatter={"function": f"mmScore(params, {name!r})"},
                       headerName=label(name) + " [CI]", headerClass="mm-ci", width=200,
                       headerTooltip=ci_caption(name, stats[name]))
        return out

    defs: list[dict[str, Any]] = [
        {"field": "title", "headerName": "title", "pinned": "left", "width": 230,
         "filter": "agTextColumnFilter", "cellClassRules": {"mm-ref-cell": "params.data.ref"},
         "headerTooltip": "title (references, optimal and naive, in italics: never best)"},
        {"field": "method", "headerName": "method", "width": 150},
        {"field": "status", "headerName": "status", "width": 100},
    ]
    defs += [numeric(s, "score") for s in fields.scores]
    defs += [numeric(t, "time (s)") for t in fields.times]
    defs += [{"field": p, "headerName": label(p), "headerTooltip": f"parameter: {p}",
              "width": 120} for p in fields.params]
    if shown is not None:
        keep = set(shown) | {"title"}
        for d in defs:
            d["hide"] = d["field"] not in keep
    return defs


def ci_caption(score: str, stat: dict[str, Any]) -> str:
    return (f"{score}: {stat['method']}. ≈best: not distinguishable from the best "
            f"({stat['test']}, α = {stat['alpha']:g}); ref: a reference (optimal, naive), "
            "never best and not tested")


def intervals(data: UIData, table: Table, scores: list[str]) -> dict[str, dict[str, Any]]:
    """For each of ``scores`` the compare layer knows: ``{"by_id": {id: [low, high, tied]},
    "method", "test", "alpha"}`` (a score it cannot compare is left out)."""
    ids = {item.get("key"): item["id"] for item in table.items}
    out: dict[str, dict[str, Any]] = {}
    for score in scores:
        try:
            answer = queries.compare_job(data.store, int(table.job["id"]), score=score)
        except Exception as exc:  # noqa: BLE001 - a score without intervals just has none
            log.info("no intervals for %s: %s", score, exc)
            continue
        by_id = {ids[r["key"]]: [r["ci_low"], r["ci_high"], bool(r.get("tied_with_best"))]
                 for r in answer["rows"] + answer.get("references", [])
                 if r.get("key") in ids and r.get("ci_low") is not None}
        if by_id:
            out[score] = {"by_id": by_id, "method": answer.get("method"),
                          "test": answer.get("test"), "alpha": answer.get("alpha", 0.05)}
    return out


def default_columns(fields: Fields) -> list[str]:
    scores = [s for s in fields.scores if not s.startswith(("train_std", "test_std"))]
    return ["method", "status", *scores[:8], *fields.times[:2], *fields.params]


def _compact(value: Any) -> Any:
    """A cell value for the browser: floats to 7 significant digits (the grid shows 4; a
    float's 17 digits made half of a 10,000-row table's 4 MB), NaN as empty, lists and
    dicts (e.g. hidden_layer_sizes) as text."""
    if isinstance(value, float):
        return None if value != value else float(f"{value:.7g}")
    return value if isinstance(value, (str, int, type(None))) else str(value)


def row_data(rows: list[dict[str, Any]], fields: Fields, shown: list[str] | None = None,
             stats: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """One record per classifier with the columns ``shown`` (all when ``None``): the
    browser receives only what the grid can display (no empty cells: a missing key is an
    empty cell to AG Grid); picking a column asks again."""
    keys = ["title", "method", "status", *fields.scores, *fields.times, *fields.params]
    if shown is not None:
        keep = set(shown) | {"title"}
        keys = [k for k in keys if k in keep]
    out = []
    for row in rows:
        record = {key: value for key in keys if (value := _compact(row.get(key))) is not None}
        for score, stat in (stats or {}).items():
            if row["id"] in stat["by_id"]:
                record[f"ci:{score}"] = [float(f"{v:.4g}") if isinstance(v, float) else v
                                         for v in stat["by_id"][row["id"]]]
        if is_reference(row):
            record["ref"] = True
        record["id"] = str(row["id"])  # AG Grid row ids are strings
        out.append(record)
    return out


def register(app: Any, data: UIData) -> None:
    _register_clientside(app)

    def failed(text: str) -> tuple:
        return no_update, no_update, no_update, no_update, state(text, kind="danger",
                                                                 icon="!"), text

    # the column picker and the grid in one callback: a picker answered first held the
    # grid's request back by a round trip when a job opens
    @app.callback(Output("mm-table-columns", "options"), Output("mm-table-columns", "value"),
                  Output(GRID, "rowData"), Output(GRID, "columnDefs"),
                  Output("mm-table-state", "children"), Output("mm-table-note", "children"),
                  Input(SELECTION, "data"), Input(vis_id(NAME), "data"),
                  Input("mm-table-columns", "value"), Input("mm-table-ci", "value"),
                  State("mm-table-columns", "options"))
    @guarded(failed)
    def render(selection: dict | None, visible: bool, current: list[str] | None,
               with_ci: bool = True, known: list | None = None) -> tuple:
        if not selection or selection.get("job") is None:
            text = "Pick a job in the Menu (or the job list at the top) to see its classifiers."
            return [], [], [], [], state(text), ""
        options, shown = picker(data.table(int(selection["job"])).fields, current)
        picked = (no_update if options == known else options,
                  no_update if shown == current else shown)
        if not visible:
            return *picked, no_update, no_update, no_update, no_update
        return (*picked, *_grid(data, selection, shown, with_ci))


def picker(fields: Fields, current: list[str] | None) -> tuple[list[dict], list[str]]:
    """The column picker's options and value (the current columns the job has, else the
    default ones)."""
    every = ["method", "status", *fields.scores, *fields.times, *fields.params]
    kept = [c for c in (current or []) if c in every]
    return [{"label": label(f), "value": f} for f in every], kept or default_columns(fields)


def _grid(data: UIData, selection: dict, shown: list[str], with_ci: bool) -> tuple:
    """The grid's rows and columns, the empty state and the note."""
    table = data.table(int(selection["job"]))
    rows = table.rows(selection.get("ids") or [])
    if not rows:
        text = "No classifier passes the current filters. Loosen them in Filter or Menu."
        return [], [], state(text), ""
    note = (f"{len(rows)} classifiers, one per row, in the toolbar's order: click a header "
            "to sort, type under it to filter (numbers: =, <, > and ranges), Search looks "
            "in every cell; Columns picks what is shown.")
    stats: dict[str, dict[str, Any]] = {}
    if with_ci and len(rows) <= MAX_INTERVALS:
        wanted = [s for s in table.fields.scores if s.startswith("test_")
                  and not s.startswith("test_std") and (shown is None or s in shown)]
        stats = intervals(data, table, wanted)
    elif with_ci:
        note += (f" Intervals are computed for up to {MAX_INTERVALS} classifiers: filter "
                 "to fewer to see them.")
    if stats:
        alpha = next(iter(stats.values()))["alpha"]
        note += (" Intervals [brackets]: " + "; ".join(
            f"{label(k)}: {v['method'].split(' over ')[0]}" for k, v in stats.items()) +
            f". ≈best: not distinguishable from the best at α = {alpha:g} (the test is in "
            "each header's tooltip); references (italics, 'ref') are never best.")
    return (row_data(rows, table.fields, shown, stats),
            column_defs(table.fields, shown, stats), None, note)


def _register_clientside(app: Any) -> None:
    app.clientside_callback(ClientsideFunction("modelmap", "gridSearch"),
                            Output(GRID, "dashGridOptions"),
                            Input("mm-table-search", "value"), State(GRID, "dashGridOptions"))
    app.clientside_callback(ClientsideFunction("modelmap", "gridExport"),
                            Output("mm-table-exported", "children"),
                            Input("mm-table-export", "n_clicks"))
