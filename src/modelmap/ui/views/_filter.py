"""Filter: narrow the classifiers by status, title, score ranges and conditions on any
field; and what the filtered set looks like: its size, each score's mean, median, min and
max, and its mean confusion matrix."""

from __future__ import annotations

import statistics
from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, dcc, html, no_update

from modelmap.ui import _theme
from modelmap.ui._data import UIData, is_reference, label
from modelmap.ui.views._common import (SELECTION, SETTINGS, container, fmt, graph, guarded,
                                       state, vis_id)

NAME = "filter"
EXAMPLES = "test_accuracy>=0.9\nparam_kernel=rbf\nfit_time<1"
RANGE = "mm-range"  # the pattern-matching id type of a score's range slider
RANGES = "mm-range-filters"  # {"job", "filters"}: the sliders' conditions, read by the selection
MAX_RANGES = 8  # sliders for this many scores (test scores first)


def layout() -> html.Div:
    body = dbc.Row([
        dbc.Col([
            html.H3("Status", className="mm-section-title"),
            dbc.Checklist(id="mm-status", value=["ok", "failed", "timeout"], inline=True,
                          options=[{"label": " ok", "value": "ok"},
                                   {"label": " failed", "value": "failed"},
                                   {"label": " timed out", "value": "timeout"}]),
            html.H3("Title contains", className="mm-section-title mt-3"),
            dcc.Input(id="mm-q", type="search", debounce=True, placeholder="e.g. SVM",
                      className="form-control"),
            html.H3("Score ranges", className="mm-section-title mt-3"),
            html.Div(id="mm-ranges", className="mm-ranges"),
            dcc.Store(id=RANGES, data=None), dcc.Store(id="mm-ranges-job", data=None),
            html.H3("Conditions (one per line)", className="mm-section-title mt-3"),
            dcc.Textarea(id="mm-filters", placeholder=EXAMPLES, className="form-control",
                         style={"height": "100px", "fontFamily": "monospace"}),
            html.Div([dbc.Button("Apply", id="mm-filter-apply", n_clicks=0, color="primary",
                                 size="sm", className="mt-2")]),
            html.Div(id="mm-filter-error", className="mt-2"),
        ], lg=5),
        dbc.Col([
            html.H3("The filtered classifiers", className="mm-section-title"),
            html.Div(id="mm-filter-stats", className="small"),
            graph("filter-confusion", linked=False, height="330px"),
            html.H3("How to write a condition", className="mm-section-title"),
            html.P(["FIELD OP VALUE with OP one of ", html.Code("= != < <= > >= ~"),
                    " (~ means 'contains'). VALUE is a number, true/false, or text."],
                   className="small"),
            html.H3("Fields of this job", className="mm-section-title"),
            html.Div(id="mm-filter-fields", className="mm-field-list small"),
        ], lg=7),
    ])
    return container(NAME, "Filter", [], body)


def _numbers(values: Any) -> list[float]:
    return [float(v) for v in values
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v]


def range_scores(fields: Any) -> list[str]:
    """The scores that get a range slider: test scores, then the others (no spreads)."""
    scores = [s for s in fields.scores if "_std_" not in s and not s.startswith("train_std")]
    return sorted(scores, key=lambda s: not s.startswith("test_"))[:MAX_RANGES]


def range_filters(ranges: list[Any], ids: list[dict[str, Any]],
                  bounds: dict[str, tuple[float, float]]) -> list[str]:
    """Conditions (``test_accuracy>=0.8``) for the sliders moved in from their ends; a
    slider at both ends filters nothing (so classifiers without that score stay)."""
    out = []
    for value, ident in zip(ranges or [], ids or []):
        field = ident.get("field")
        if field not in bounds or not value or len(value) != 2:
            continue
        low, high = bounds[field]
        if value[0] > low + 1e-12:
            out.append(f"{field}>={value[0]:.6g}")
        if value[1] < high - 1e-12:
            out.append(f"{field}<={value[1]:.6g}")
    return out


def bounds_of(rows: list[dict[str, Any]], scores: list[str]) -> dict[str, tuple[float, float]]:
    out = {}
    for score in scores:
        nums = _numbers(r.get(score) for r in rows)
        if nums and max(nums) > min(nums):
            out[score] = (min(nums), max(nums))
    return out


def _end(value: float, span: float) -> str:
    """A slider end's label: 3 digits, and 0 for a value within 1e-4 of the range from it
    (a log loss of 2.15e-15 is 0 to whoever reads the slider)."""
    return fmt(0.0 if abs(value) < span * 1e-4 else value, 3)


def _slider(score: str, low: float, high: float) -> html.Div:
    step = float(f"{(high - low) / 200:.1g}")
    return html.Div([
        html.Div(label(score), className="mm-range-label"),
        dcc.RangeSlider(id={"type": RANGE, "field": score}, min=low, max=high,
                        value=[low, high], step=step, allowCross=False,
                        marks={low: _end(low, high - low), high: _end(high, high - low)},
                        updatemode="mouseup",
                        tooltip={"placement": "bottom", "always_visible": False})],
        className="mm-range")


def summary_table(rows: list[dict[str, Any]], scores: list[str]) -> html.Table:
    """n, mean, median, min and max of each score over ``rows`` (references left out)."""
    head = html.Tr([html.Th(h) for h in ("score", "n", "mean", "median", "min", "max")])
    body = []
    for score in scores:
        nums = _numbers(r.get(score) for r in rows)
        if not nums:
            continue
        body.append(html.Tr([html.Td(label(score)), html.Td(str(len(nums))),
                             *(html.Td(fmt(v, 4)) for v in (
                                 statistics.fmean(nums), statistics.median(nums),
                                 min(nums), max(nums)))]))
    return html.Table([html.Thead(head), html.Tbody(body)],
                      className="table table-sm mm-table mm-filter-stats")


def register(app: Any, data: UIData) -> None:
    @app.callback(Output("mm-filter-fields", "children"), Output("mm-ranges", "children"),
                  Output("mm-ranges-job", "data"),
                  Input("mm-job", "data"), Input(vis_id(NAME), "data"),
                  State("mm-ranges-job", "data"))
    def fields(job: Any, visible: bool, built_for: Any) -> Any:
        # built when Filter is on screen, once per job: opening a job must not wait for
        # new sliders (the selection listens to them), and showing Filter again keeps them
        if not visible or (job is not None and job == built_for):
            return no_update, no_update, no_update
        if job is None:
            return "Open a job to see its fields.", None, None
        table = data.table(int(job))
        f = table.fields
        groups = [("scores", f.scores), ("times", f.times), ("parameters and tags", f.params),
                  ("others", ["title", "method", "status", "fold"])]
        bounds = bounds_of(table.base_rows(), range_scores(f))
        sliders = [_slider(s, *bounds[s]) for s in range_scores(f) if s in bounds] or \
            html.Span("No score varies in this job.", className="small")
        return [html.Div([html.B(f"{name}: "), ", ".join(values) or "none"],
                         className="mb-1") for name, values in groups], sliders, job

    @app.callback(Output(RANGES, "data"), Input({"type": RANGE, "field": ALL}, "value"),
                  State({"type": RANGE, "field": ALL}, "id"), State("mm-job", "data"),
                  State(RANGES, "data"))
    def ranges(values: list | None, ids: list | None, job: Any, current: dict | None) -> Any:
        """The sliders' conditions, updated only when they change: new sliders (a job
        opened) at both ends would otherwise select everything a second time."""
        if job is None:
            return no_update
        fields = [i.get("field") for i in ids or []]
        fresh = {"job": int(job), "filters": range_filters(
            values or [], ids or [], bounds_of(data.table(int(job)).base_rows(), fields))}
        same = current and current.get("filters") == fresh["filters"] and (
            not fresh["filters"] or current.get("job") == fresh["job"])
        return no_update if same else fresh

    _register_statistics(app, data)


def _register_statistics(app: Any, data: UIData) -> None:
    """The filtered set described: each score's statistics and the mean confusion matrix."""

    def failed(text: str) -> tuple:
        return state(text, kind="danger", icon="!"), _theme.message_figure(
            _theme.settings_of(None), text)

    @app.callback(Output("mm-filter-stats", "children"),
                  Output({"type": "mm-graph", "name": "filter-confusion"}, "figure"),
                  Input(SELECTION, "data"), Input(vis_id(NAME), "data"),
                  Input(SETTINGS, "data"))
    @guarded(failed)
    def describe(selection: dict | None, visible: bool, settings: dict | None) -> tuple:
        if not visible:
            return no_update, no_update
        chosen = _theme.settings_of(settings)
        if not selection or selection.get("job") is None:
            return state("Open a job to see its classifiers."), _theme.message_figure(
                chosen, "")
        table = data.table(int(selection["job"]))
        rows = [r for r in table.rows(selection["ids"])
                if r.get("status") == "ok" and not is_reference(r)]
        if not rows:
            text = "No finished classifier (references aside) passes the filters."
            return state(text), _theme.message_figure(chosen, text)
        n_ref = sum(1 for r in table.rows(selection["ids"]) if is_reference(r))
        left_out = f" ({n_ref} reference{'' if n_ref == 1 else 's'} left out)" if n_ref else ""
        lead = html.P(f"{len(rows)} finished classifier{'' if len(rows) == 1 else 's'}"
                      f"{left_out}: each score's n, mean, median, min and max.",
                      className="mb-1")
        figure = mean_confusion(data, rows, table.job.get("class_names") or [], chosen)
        return [lead, summary_table(rows, table.fields.scores)], figure


def mean_confusion(data: UIData, rows: list[dict[str, Any]], names: list[str],
                   settings: dict[str, str]) -> dict[str, Any]:
    """The mean test confusion matrix of ``rows`` (counts averaged over classifiers)."""
    import numpy as np

    from modelmap.ui.views._summary import confusion_figure

    ids, stacked = data.predictions([r["id"] for r in rows], "confusion_test")
    if not ids:
        return _theme.message_figure(settings, "No test confusion matrices (no test set?).")
    mean = np.asarray(stacked, dtype=float).mean(axis=0)
    figure = confusion_figure(mean, names, settings, percent=False, ignore_diagonal=False,
                              title=f"test, mean of {len(ids)}")
    for trace in figure["data"]:
        if trace.get("type") == "heatmap":
            trace["text"] = [[f"{v:.1f}" for v in row] for row in mean.tolist()] \
                if mean.ndim == 2 else trace.get("text")
    return figure
