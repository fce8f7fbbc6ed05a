"""App-wide callbacks: jobs and polling, the current job, the selection (filters and
sort), the toolbar's field lists, the colour legend, the status bar and CSV export."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from modelmap.queries import QueryError
from modelmap.ui import _theme
from modelmap.ui._analysis import higher_is_better
from modelmap.ui._data import UIData, label
from modelmap.ui.views._common import error_text, first_job_of_link, fmt, url_param
from modelmap.ui.views._filter import RANGES

STATUSES = ("ok", "failed", "timeout")

#: What the address holds besides the job and the views (``?job=3&view=map&beside=plot``,
#: written by ``modelmap.js``): ``"component-id"`` (its ``value``) or ``"component-id.prop"``
#: -> the URL parameter.  A parameter ending in ``[]`` is a list (comma-separated in the
#: address), ``#`` marks a number, ``?`` a switch (``1`` or absent; ``0`` for one that is on
#: in the layout and turned off); the marks are not part
#: of the address.  Each control listed is written to the address when it changes and
#: restored from it when the page is reloaded or a link is opened, so a view only has to
#: add its controls here.  Its callbacks must keep a value that is valid for the job, and
#: answer ``no_update`` (for the options too) while there is no job: a dropdown drops a
#: value that is not among new options, which would lose the restored one.
URL_STATE: dict[str, str] = {
    # the selection: toolbar, Menu, Filter, the ticked classifiers
    "mm-sort": "sort", "mm-sort-desc.n_clicks": "flip#", "mm-colour": "colour",
    "mm-top-n": "top#", "mm-folds": "folds?", "mm-status": "status[]", "mm-q": "q",
    "mm-filters": "where", "mm-picked.data": "pick#[]",
    # Table, Ranking, Map, Plot
    "mm-table-ci": "ci?",
    "mm-rank-columns": "rank[]", "mm-rank-group": "group", "mm-rank-how": "rep",
    "mm-map-values": "mapof", "mm-map-projection": "proj", "mm-map-metric": "dist",
    "mm-map-labels": "labels?", "mm-plot-x": "x", "mm-plot-y": "y", "mm-plot-size": "size",
    "mm-plot-imp-method": "imp",
    # Comparison, Across jobs
    "mm-compare-a": "a#", "mm-compare-b": "b#", "mm-compare-score": "cscore",
    "mm-compare-alpha": "alpha#", "mm-across-jobs": "jobs#[]", "mm-across-by": "by",
    "mm-across-score": "ascore", "mm-across-alpha": "aalpha#",
}


def url_spec(entries: dict[str, str] | None = None) -> list[dict[str, str]]:
    """:data:`URL_STATE` as the browser reads it: id, prop, param and kind (text, number,
    list, numbers or switch)."""
    out = []
    for target, param in (URL_STATE if entries is None else entries).items():
        ident, _, prop = target.partition(".")
        kind = "numbers" if param.endswith("#[]") else "list" if param.endswith("[]") else \
            "number" if param.endswith("#") else "switch" if param.endswith("?") else "text"
        out.append({"id": ident, "prop": prop or "value", "param": param.rstrip("#[]?"),
                    "kind": kind})
    return out
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _job_summary(job: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "title", "dataset", "n_results", "counts", "n_classes", "n_train", "n_test",
            "mode", "multilabel", "class_names", "updated_at", "n_folds")
    return {k: job.get(k) for k in keys}


def sort_descending(sort: str | None, best_first: bool) -> bool:
    """Whether ``sort`` runs from large to small: best first means descending for scores but
    ascending for times and losses (fastest first), and A to Z for titles and methods."""
    if sort in (None, "title", "method"):
        return not best_first
    return best_first == higher_is_better(sort)


def sort_arrow(sort: str | None, best_first: bool) -> str:
    if sort in (None, "title", "method"):
        return "A→Z" if best_first else "Z→A"
    return "best first" if best_first else "worst first"


def register(app: Any, data: UIData) -> None:
    _register_url(app)
    _register_jobs(app, data)
    _register_fields(app, data)
    _register_selection(app, data)
    _register_status(app, data)


def layout_values(root: Any, spec: list[dict[str, str]]) -> list[Any]:
    """The value each entry of ``spec`` has in the page's layout (left out of the address)."""
    found: dict[str, Any] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        ident = getattr(node, "id", None)
        if isinstance(ident, str):
            found[ident] = node
        children = getattr(node, "children", None)
        stack.extend(children if isinstance(children, (list, tuple)) else
                     [children] if hasattr(children, "to_plotly_json") else [])
    return [getattr(found.get(e["id"]), e["prop"], None) for e in spec]


def _register_url(app: Any) -> None:
    """The controls of :data:`URL_STATE`: restored from the address once, when the page
    opens, and written to it whenever one changes (both in the browser); a value equal to
    the layout's is left out of the address."""
    spec = url_spec()
    for entry, value in zip(spec, layout_values(app.layout, spec)):
        entry["default"] = value
    text = json.dumps(spec)
    app.clientside_callback(
        f"function (search) {{ return window.dash_clientside.modelmap.restoreUrl({text}); }}",
        [Output(e["id"], e["prop"], allow_duplicate=True) for e in spec]
        + [Output("mm-url-restored", "data")],
        Input("mm-url", "search"), prevent_initial_call="initial_duplicate")
    app.clientside_callback(
        f"function () {{ return window.dash_clientside.modelmap.stateUrl({text}, "
        "Array.prototype.slice.call(arguments)); }",
        Output("mm-url-state", "data"), [Input(e["id"], e["prop"]) for e in spec])


def _register_jobs(app: Any, data: UIData) -> None:
    @app.callback(Output("mm-jobs", "data"), Input("mm-poll", "n_intervals"),
                  Input("mm-deleted", "data"), State("mm-jobs", "data"))
    def jobs(_: Any, _deleted: Any, known: list | None) -> Any:
        fresh = [_job_summary(j) for j in data.jobs()]
        return no_update if fresh == known else fresh

    @app.callback(Output("mm-job-select", "options"), Input("mm-jobs", "data"))
    def job_options(jobs: list | None) -> list[dict]:
        return [{"label": f"{j['title']} · {j['dataset']} ({j['n_results']})", "value": j["id"]}
                for j in jobs or []]

    @app.callback(Output("mm-job", "data"), Output("mm-job-select", "value"),
                  Input("mm-job-select", "value"),
                  Input({"type": "mm-open", "job": ALL}, "n_clicks"),
                  Input("mm-jobs", "data"), State("mm-job", "data"), State("mm-url", "search"))
    def choose(picked: Any, _clicks: Any, jobs: list | None, current: Any,
               search: str | None = None) -> tuple:
        known = [j["id"] for j in jobs or []]
        linked = url_param(search, "job", kind="id")
        if current is None and linked in known:  # a shared link names the job
            return linked, linked
        trigger = ctx.triggered_id
        if isinstance(trigger, dict) and trigger.get("type") == "mm-open":
            if not any(t.get("value") for t in ctx.triggered):
                return no_update, no_update
            return trigger["job"], trigger["job"]
        if trigger == "mm-job-select" and picked is not None:
            return (no_update if picked == current else picked), no_update
        if current in known:
            return (no_update, current if picked != current else no_update)
        first = next((j["id"] for j in jobs or [] if j["n_results"]), known[0] if known else None)
        return first, first


def _register_fields(app: Any, data: UIData) -> None:
    @app.callback(Output("mm-sort", "options"), Output("mm-sort", "value"),
                  Output("mm-colour", "options"), Output("mm-colour", "value"),
                  Output("mm-methods", "options"), Output("mm-methods", "value"),
                  Output("mm-fields-job", "data"),
                  Input("mm-job", "data"), State("mm-sort", "value"),
                  State("mm-colour", "value"), State("mm-fields-job", "data"),
                  State("mm-url", "search"))
    def fields(job: Any, sort: str | None, colour: str | None, chosen_for: Any = None,
               search: str | None = None) -> tuple:
        if job is None:
            return [], None, [], "method", [], [], None
        if first_job_of_link(search, job, chosen_for):  # the link's sort and colour
            sort = url_param(search, "sort", sort)
            colour = url_param(search, "colour", colour)
        table = data.table(int(job))
        f = table.fields
        sort_fields = f.scores + f.times + ["title", "method"]
        sort_value = sort if sort in sort_fields else next(
            (s for s in ("test_accuracy", "test_balanced_accuracy") if s in f.scores),
            f.scores[0] if f.scores else "title")
        colour_fields = ["method", "status"] + f.params + f.scores + f.times
        if any(item.get("fold") is not None for item in table.items):
            colour_fields.insert(2, "fold")
        counts: dict[str, int] = {}
        for item in table.items:
            if item.get("fold") is None:
                counts[item["method"]] = counts.get(item["method"], 0) + 1
        methods = sorted(counts)
        return ([{"label": label(s), "value": s} for s in sort_fields], sort_value,
                [{"label": label(c), "value": c} for c in colour_fields],
                colour if colour in colour_fields else "method",
                [{"label": f" {m} ({counts[m]})", "value": m} for m in methods], methods, job)


def _register_selection(app: Any, data: UIData) -> None:
    @app.callback(Output("mm-titles", "data"), Input("mm-job", "data"),
                  Input("mm-new", "n_clicks"), Input("mm-deleted", "data"))
    def titles(job: Any, _new: Any, _deleted: Any) -> dict[str, str]:
        """Every title of the job by id (for the highlight's status line and Ranking's
        Find): apart from the selection, whose answer is on the way of every view."""
        try:
            table = data.table(int(job)) if job is not None else None
        except QueryError:
            table = None
        return {str(i): r["title"] for i, r in table.flat.items()} if table else {}

    @app.callback(Output("mm-selection", "data"), Output("mm-filter-error", "children"),
                  Output("mm-sort-desc", "children"),
                  Input("mm-job", "data"), Input("mm-methods", "value"),
                  Input("mm-status", "value"), Input("mm-folds", "value"),
                  Input("mm-q", "value"), Input("mm-filter-apply", "n_clicks"),
                  Input("mm-sort", "value"), Input("mm-sort-desc", "n_clicks"),
                  Input("mm-new", "n_clicks"), Input("mm-top-n", "value"),
                  Input("mm-deleted", "data"), Input("mm-url-restored", "data"),
                  Input(RANGES, "data"), State("mm-filters", "value"))
    def select(job: Any, methods: list | None, statuses: list | None, folds: list | None,
               q: str | None, _apply: Any, sort: str | None, flips: int | None, _new: Any,
               top: Any, _deleted: Any, restored: Any, ranges: dict | None = None,
               filters_text: str | None = None) -> tuple:
        if not restored:  # the views wait until the address has set the controls
            return no_update, no_update, no_update
        best_first = not (flips or 0) % 2
        arrow = sort_arrow(sort, best_first)
        if job is None:
            return None, None, arrow
        try:
            table = data.table(int(job))
        except QueryError:  # the job was just deleted; the job list moves on to another
            return None, None, arrow
        filters = [line.strip() for line in (filters_text or "").splitlines() if line.strip()]
        if ranges and ranges.get("job") == int(job):  # Filter's score sliders
            filters += ranges.get("filters", [])
        descending = sort_descending(sort, best_first)
        order = None if not sort else ("-" if descending else "") + sort + ",title"
        query = dict(methods=methods, statuses=statuses or [], q=q, sort=order,
                     include_folds=bool(folds))
        error = None
        try:
            ids = data.select(int(job), filters=filters, **query)
        except QueryError as exc:
            error = html.Div(error_text(exc), className="alert alert-danger mm-alert")
            ids = data.select(int(job), filters=[], **query)
        if isinstance(top, (int, float)) and top >= 1:  # Menu's "only the top N"
            ids = ids[:int(top)]
        base = [i for i in table.items if i.get("fold") is None]
        selection = {"job": int(job), "ids": ids, "sort": sort, "desc": descending,
                     "version": list(table.version), "n_total": len(base),
                     "n_failed": sum(1 for i in base if i["status"] != "ok")}
        return selection, error, arrow


def _register_status(app: Any, data: UIData) -> None:
    @app.callback(Output("mm-status-job", "children"), Output("mm-selection-count", "children"),
                  Input("mm-selection", "data"), State("mm-jobs", "data"))
    def status(selection: dict | None, jobs: list | None) -> tuple:
        if not selection:
            return "No job open", ""
        job = next((j for j in jobs or [] if j["id"] == selection["job"]), None)
        if job is None:
            return "", ""
        shown, total = len(selection["ids"]), selection["n_total"]
        samples = f"{job['n_train']} train · {job['n_test']} test" + (
            f" · {job['n_folds']}-fold CV" if job.get("mode") == "cv" else "")
        parts = [html.B(job["title"]), f" · {total} classifiers ({selection['n_failed']} failed)",
                 f" · {job['n_classes']} {'labels' if job.get('multilabel') else 'classes'}",
                 f" · {samples}"]
        return parts, f"{shown} of {total} selected"

    @app.callback(Output("mm-legend", "children"), Input("mm-selection", "data"),
                  Input("mm-colour", "value"), Input("mm-settings", "data"))
    def legend(selection: dict | None, colour: str | None, settings: dict | None) -> Any:
        if not selection or not selection.get("ids"):
            return None
        table = data.table(selection["job"])
        colours = _theme.colouring(table.rows(selection["ids"]), colour or "method",
                                   _theme.settings_of(settings), table.base_rows())
        return legend_items(colours)

    @app.callback(Output("mm-new", "children"), Output("mm-new", "style"),
                  Input("mm-poll", "n_intervals"), Input("mm-selection", "data"))
    def notice(_: Any, selection: dict | None) -> tuple:
        hidden = {"display": "none"}
        if not selection:
            return "", hidden
        version = list(data.version(selection["job"]))
        if version == selection["version"]:
            return "", hidden
        base = [i for i in data.table(selection["job"]).items if i.get("fold") is None]
        new = len(base) - selection["n_total"]
        text = f"{new} new result{'s' if new != 1 else ''}" if new > 0 else "Results changed"
        return f"● {text} — show", {}

    @app.callback(Output("mm-download", "data"), Input("mm-export", "n_clicks"),
                  State("mm-selection", "data"), prevent_initial_call=True)
    def export(clicks: int, selection: dict | None) -> Any:
        if not clicks or not selection:
            return no_update
        table = data.table(selection["job"])
        name = "".join(c if c.isalnum() else "_" for c in table.job["title"]).strip("_")
        stored = {item["id"]: item["title"] for item in table.items}
        return dcc.send_string(table_csv(table.rows(selection["ids"]), table.fields, stored),
                               f"{name or 'job'}-classifiers.csv")


def legend_items(colours: _theme.Colouring) -> list[Any]:
    head = html.Span(f"{label(colours.field)}:", className="mm-legend-title")
    if colours.kind == "category":
        chips = [html.Span([html.Span(className="mm-chip", style={"background": c}), name],
                           className="mm-legend-entry") for name, c in colours.categories[:24]]
        more = len(colours.categories) - 24
        return [head, *chips] + ([html.Span(f"+{more} more")] if more > 0 else [])
    stops = ", ".join(f"{c} {p * 100:.0f}%" for p, c in colours.scale)
    return [head, html.Span(fmt(colours.low)),
            html.Span(className="mm-gradient", style={"background": f"linear-gradient(to right,"
                                                                    f" {stops})"}),
            html.Span(fmt(colours.high))]


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def table_csv(rows: list[dict[str, Any]], fields: Any,
              stored: dict[int, str] | None = None) -> str:
    """The rows as CSV: title (as stored: ``stored`` maps ids to the store's titles), the
    title as the app shows it (``shown_title``: 🟊 as ★), method, status, fold, scores,
    times, parameters, id."""
    columns = ["title", "shown_title", "method", "status", "fold", *fields.scores,
               *fields.times, *fields.params, "id"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        values = {**row, "shown_title": row.get("title"),
                  "title": (stored or {}).get(row.get("id"), row.get("title"))}
        writer.writerow([_cell(values.get(c)) for c in columns])
    return buffer.getvalue()
