"""Table: every selected classifier as a row of numbers (scores, times, status, parameters),
in a maintained grid component (AG Grid through dash-ag-grid): sort, filter, search, pick
columns and export what is shown as CSV, smoothly at 10,000 rows (rows are virtualised)."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
from dash import ClientsideFunction, Input, Output, State, dcc, html, no_update

from modelmap.ui._data import Fields, UIData, label
from modelmap.ui.views._common import (SELECTION, container, control, guarded, state,
                                       vis_id)

NAME = "table"
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


def column_defs(fields: Fields, shown: list[str] | None = None) -> list[dict[str, Any]]:
    """AG Grid column definitions: title pinned, then method, status, scores, times and
    parameters; numbers right-aligned with a number filter."""
    def numeric(name: str, group: str) -> dict[str, Any]:
        return {"field": name, "headerName": label(name), "type": "rightAligned",
                "filter": "agNumberColumnFilter", "valueFormatter": _NUMBER,
                "headerTooltip": f"{group}: {name}", "width": 130}

    defs: list[dict[str, Any]] = [
        {"field": "title", "headerName": "title", "pinned": "left", "width": 230,
         "filter": "agTextColumnFilter"},
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


def row_data(rows: list[dict[str, Any]], fields: Fields,
             shown: list[str] | None = None) -> list[dict[str, Any]]:
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
        record["id"] = str(row["id"])  # AG Grid row ids are strings
        out.append(record)
    return out


def register(app: Any, data: UIData) -> None:
    @app.callback(Output("mm-table-columns", "options"), Output("mm-table-columns", "value"),
                  Input(SELECTION, "data"), State("mm-table-columns", "value"))
    def columns(selection: dict | None, current: list[str] | None) -> tuple:
        if not selection or selection.get("job") is None:
            return [], []
        fields = data.table(int(selection["job"])).fields
        every = ["method", "status", *fields.scores, *fields.times, *fields.params]
        options = [{"label": label(f), "value": f} for f in every]
        kept = [c for c in (current or []) if c in every]
        return options, kept or default_columns(fields)

    def failed(text: str) -> tuple:
        return no_update, no_update, state(text, kind="danger", icon="!"), text

    @app.callback(Output(GRID, "rowData"), Output(GRID, "columnDefs"),
                  Output("mm-table-state", "children"), Output("mm-table-note", "children"),
                  Input(SELECTION, "data"), Input(vis_id(NAME), "data"),
                  Input("mm-table-columns", "value"))
    @guarded(failed)
    def render(selection: dict | None, visible: bool, shown: list[str] | None) -> tuple:
        if not visible:
            return no_update, no_update, no_update, no_update
        if not selection or selection.get("job") is None:
            text = "Pick a job in the Menu (or the job list at the top) to see its classifiers."
            return [], [], state(text), ""
        table = data.table(int(selection["job"]))
        rows = table.rows(selection.get("ids") or [])
        if not rows:
            text = "No classifier passes the current filters. Loosen them in Filter or Menu."
            return [], [], state(text), ""
        note = (f"{len(rows)} classifiers, one per row, in the toolbar's order: click a header "
                "to sort, type under it to filter (numbers: =, <, > and ranges), Search looks "
                "in every cell; Columns picks what is shown.")
        return (row_data(rows, table.fields, shown), column_defs(table.fields, shown), None,
                note)

    app.clientside_callback(ClientsideFunction("modelmap", "gridSearch"),
                            Output(GRID, "dashGridOptions"),
                            Input("mm-table-search", "value"), State(GRID, "dashGridOptions"))
    app.clientside_callback(ClientsideFunction("modelmap", "gridExport"),
                            Output("mm-table-exported", "children"),
                            Input("mm-table-export", "n_clicks"))
