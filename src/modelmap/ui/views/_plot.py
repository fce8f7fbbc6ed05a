"""Plot: any parameter or score on x, y and marker size (with jitter), the
parameter↔score association matrix and the parameters' importance for a score."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import numpy as np
from dash import Input, Output, State, dcc, html, no_update

from modelmap.ui import _theme
from modelmap.ui._analysis import (association_matrix, category, is_categorical,
                                   parameter_importance)
from modelmap.ui._data import Fields, UIData, is_reference, label
from modelmap.ui.views import _rungs
from modelmap.ui.views._common import (COLOUR, SELECTION, SETTINGS, ViewInput, container,
                                       control, first_job_of_link, fmt, graph, guarded,
                                       url_param, view_input, vis_id)

NAME = "plot"
#: Parameters where 0 (or no value) means "no limit".
UNLIMITED = frozenset({"param_max_depth", "param_max_leaf_nodes"})
#: Parameters that seed or steer a run rather than shape the model; left out of importance.
SEED_LIKE = ("random_state", "seed", "random_seed", "verbose", "n_jobs", "warm_start")
MIN_N = 5  # association cells from fewer classifiers are greyed
GL_POINTS = 2000
ALL_METHODS = "__all__"  # importance over every selected classifier


def _value(row: dict[str, Any], name: str) -> Any:
    value = row.get(name)
    if value is None and name in UNLIMITED and row.get("status") == "ok" \
            and any(k.startswith("param_") for k in row) and name in row:
        return 0
    return value


def layout() -> html.Div:
    controls = [
        dcc.Store(id="mm-plot-axes-job"),  # the job the axes were chosen for
        control("x", dcc.Dropdown(id="mm-plot-x", clearable=False), "170px"),
        control("y", dcc.Dropdown(id="mm-plot-y", clearable=False), "170px"),
        control("Size", dcc.Dropdown(id="mm-plot-size", placeholder="constant"), "150px"),
        control("Jitter", html.Div(dcc.Slider(id="mm-plot-jitter", min=0, max=1, step=0.1,
                                              value=0.3, marks=None,
                                              tooltip={"placement": "bottom"}),
                                   style={"width": "130px"})),
        control("Importance within", dcc.Dropdown(id="mm-plot-imp-method", value=ALL_METHODS,
                                                  clearable=False), "170px"),
        control("", dbc.Checkbox(id="mm-plot-imp-seeds", value=False,
                                 label="seed-like parameters")),
    ]
    body = html.Div([
        graph(NAME, height="430px"),
        html.Div([html.Div(graph("association", linked=False, height="360px"),
                           className="mm-half"),
                  html.Div(graph("importance", linked=False, height="360px"),
                           className="mm-half")], className="mm-row"),
        _rungs.layout(),
    ])
    return container(NAME, "Plot", controls, body, note_id="mm-plot-note")


def _axis(values: list[Any], jitter: float, rng: np.random.Generator) -> tuple[list, dict]:
    """Plotted positions and axis settings: categories become evenly spaced codes."""
    present = [v for v in values if v is not None]
    if is_categorical(present):
        levels = sorted({category(v) for v in present}, key=str.lower)
        code = {lev: k for k, lev in enumerate(levels)}
        spread = rng.uniform(-0.4, 0.4, len(values)) * jitter
        pos = [None if v is None else code[category(v)] + float(d) for v, d in zip(values, spread)]
        return pos, {"tickmode": "array", "tickvals": list(range(len(levels))),
                     "ticktext": levels, "range": [-0.6, len(levels) - 0.4]}
    nums = [float(v) for v in present]
    settings: dict[str, Any] = {"autorange": True}
    if nums and min(nums) > 0 and max(nums) / min(nums) > 100:
        settings["type"] = "log"
    # numbers are plotted where they are: jitter would move a score or a C off its value
    return [None if v is None else float(v) for v in values], settings


def _unlimited(values: list[Any]) -> tuple[list[Any], dict[str, Any]]:
    """``max_depth``-like values where 0 (or None) means "no limit": drawn after the largest
    limit, labelled ∞, rather than as the shallowest."""
    limits = sorted({float(v) for v in values if isinstance(v, (int, float)) and v})
    if not limits or not any(v in (0, None) for v in values):
        return values, {}
    step = (limits[-1] - limits[0]) / max(len(limits) - 1, 1) or 1.0
    if all(v.is_integer() for v in limits):
        step = max(1.0, float(round(step)))
    far = limits[-1] + step
    ticks = limits if len(limits) <= 25 else limits[:: max(1, len(limits) // 10)]
    return ([far if v in (0, None) else v for v in values],
            {"tickmode": "array", "tickvals": [*ticks, far],
             "ticktext": [fmt(t) for t in ticks] + ["∞ (no limit)"]})


def _sizes(values: list[Any]) -> list[float] | float:
    nums = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)
            and v == v]
    if not nums or is_categorical([v for v in values if v is not None]):
        return 10.0
    low, span = min(nums), (max(nums) - min(nums)) or 1.0
    return [5.0 if not isinstance(v, (int, float)) or v != v else 6 + 18 * (v - low) / span
            for v in values]


def _scaled(sizes: list[float] | float, factor: float) -> list[float] | float:
    return [s * factor for s in sizes] if isinstance(sizes, list) else sizes * factor


def scatter(given: ViewInput, x: str, y: str, size: str | None, jitter: float) -> dict:
    rows = [r for r in reversed(given.rows)
            if _value(r, x) is not None and _value(r, y) is not None]
    if not rows:
        return _theme.message_figure(given.settings, f"No selected classifier has both "
                                     f"{label(x)} and {label(y)}.")
    rng = np.random.default_rng(0)
    xs, xaxis = _axis([_value(r, x) for r in rows], jitter, rng)
    ys, yaxis = _axis([_value(r, y) for r in rows], jitter, rng)
    if x in UNLIMITED:
        xs, extra = _unlimited(xs)
        xaxis.update(extra)
    if y in UNLIMITED:
        ys, extra = _unlimited(ys)
        yaxis.update(extra)
    hover = [f"<b>{r['title']}</b><br>{label(x)}: {fmt(r.get(x), 4)}<br>{label(y)}: "
             f"{fmt(r.get(y), 4)}" + (f"<br>{label(size)}: {fmt(r.get(size), 4)}" if size else "")
             for r in rows]
    # WebGL above 2,000 points: SVG markers make hovering 10,000 of them take seconds
    trace = {"type": "scattergl" if len(rows) > GL_POINTS else "scatter", "mode": "markers",
             "x": xs, "y": ys,
             "customdata": [r["id"] for r in rows], "hovertext": hover,
             "hovertemplate": "%{hovertext}<extra></extra>",
             "marker": {"size": _scaled(_sizes([r.get(size) for r in rows]) if size else 10.0,
                                        _theme.marker_scale(given.settings)),
                        "color": [given.colours.of(r["id"]) for r in rows], "opacity": 0.85,
                        "line": {"width": 0.5, "color": "rgba(0,0,0,0.35)"}}}
    # a new pair of axes starts from its own ranges (a kept zoom would hide data)
    return {"data": [trace, _theme.highlight_trace(given.settings, [0])],
            "layout": _theme.layout(given.settings, uirevision=f"{x}|{y}",
                                    xaxis={**xaxis, "title": {"text": label(x)}},
                                    yaxis={**yaxis, "title": {"text": label(y)}})}


def _param_columns(rows: list[dict], fields: Fields) -> dict[str, list]:
    columns = {label(p): [r.get(p) for r in rows] for p in fields.params}
    if len({r["method"] for r in rows}) > 1:
        columns = {"method": [r["method"] for r in rows], **columns}
    return columns


def _counts(params: dict[str, list], scores: dict[str, list], result: Any) -> list[list[int]]:
    """How many classifiers each association cell is computed from."""
    def present(v: Any) -> bool:
        return v is not None and not (isinstance(v, float) and v != v)

    return [[sum(1 for a, b in zip(params[p], scores[sc]) if present(a) and present(b))
             for sc in result.scores] for p in result.params]


def association(given: ViewInput) -> dict:
    rows = [r for r in given.rows if r.get("status") == "ok"]
    fields = given.table.fields
    scores = [s for s in fields.scores if s.startswith(("test_", "train_")) and
              not s.startswith(("test_std", "train_std"))][:8] + fields.times[:1]
    params = _param_columns(rows, fields)
    score_columns = {label(s): [r.get(s) for r in rows] for s in scores}
    result = association_matrix(params, score_columns)
    if not result.params or len(rows) < 3:
        return _theme.message_figure(given.settings, "Association needs at least 3 finished "
                                     "classifiers whose parameters vary.")
    n = _counts(params, score_columns, result)
    values = [[None if v != v else round(v, 3) for v in row] for row in result.values]
    z = [[v if c >= MIN_N else None for v, c in zip(row, counts)]
         for row, counts in zip(values, n)]
    text = [[(f"{m} {fmt(v, 2)}<br>n={c}" if v is not None else f"n={c}")
             for v, c in zip(row, counts)] for m, row, counts in zip(result.measures, values, n)]
    few = [[0 if c < MIN_N else None for c in counts] for counts in n]
    few_text = [[t if c < MIN_N else "" for t, c in zip(row, counts)]
                for row, counts in zip(text, n)]
    text = [[t if c >= MIN_N else "" for t, c in zip(row, counts)]
            for row, counts in zip(text, n)]
    ylabels = [f"{p} ({'η' if m == 'η' else 'ρ'})" for p, m in zip(result.params,
                                                                   result.measures)]
    trace = {"type": "heatmap", "z": z, "x": result.scores, "y": ylabels, "text": text,
             "texttemplate": "%{text}", "zmin": -1, "zmax": 1, "colorscale": "RdBu",
             "reversescale": True, "hovertemplate": "%{y} ~ %{x}: %{text}<extra></extra>",
             "colorbar": {"thickness": 10, "len": 0.8}}
    grey = _theme.MUTED[given.settings["theme"]]
    greyed = {"type": "heatmap", "z": few, "x": result.scores, "y": ylabels, "text": few_text,
              "texttemplate": "%{text}", "showscale": False, "opacity": 0.35,
              "colorscale": [[0, grey], [1, grey]], "textfont": {"color": grey},
              "hovertemplate": "%{y} ~ %{x}: %{text} (fewer than " + str(MIN_N) +
                               " classifiers: not shown)<extra></extra>"}
    return {"data": [trace, greyed], "layout": _theme.layout(
        given.settings, title={"text": "Parameter ↔ score association (η categorical, "
                                       "ρ Spearman)", "font": {"size": 13}},
        yaxis={"autorange": "reversed"}, margin={"l": 10, "r": 10, "t": 40, "b": 10})}


def importance(given: ViewInput, target: str, method: str = "__all__",
               seeds: bool = False) -> dict:
    """Random-forest importance of the parameters for ``target``, over the classifiers of
    ``method`` (parameters are a method's own, so one method's importance is the one that
    reads as "what to tune"), leaving seed-like parameters out unless ``seeds``."""
    rows = [r for r in given.rows if r.get("status") == "ok"
            and (method == ALL_METHODS or r.get("method") == method)]
    columns = {name: values for name, values in _param_columns(rows, given.table.fields).items()
               if seeds or not name.lower().endswith(SEED_LIKE)}
    scores = parameter_importance(columns, [r.get(target) for r in rows], seed=0)
    within = "" if method == ALL_METHODS else f" within {method} ({len(rows)})"
    if not scores:
        return _theme.message_figure(given.settings, f"No parameter importance for "
                                     f"{label(target)}{within}: it needs 3+ finished "
                                     "classifiers with varying parameters and scores.")
    names = list(scores)[::-1]
    trace = {"type": "bar", "orientation": "h", "x": [scores[n] for n in names], "y": names,
             "marker": {"color": _theme.PALETTES[given.settings["palette"]][0]},
             "hovertemplate": "%{y}: %{x:.1%}<extra></extra>",
             "text": [f"{scores[n]:.0%}" for n in names], "textposition": "auto"}
    return {"data": [trace], "layout": _theme.layout(
        given.settings, title={"text": f"Importance for {label(target)}{within} (random "
                                       "forest, seed 0" + ("" if seeds else
                                                           "; random_state &c. left out") + ")",
                               "font": {"size": 13}},
        xaxis={"tickformat": ".0%", "range": [0, 1]},
        margin={"l": 10, "r": 10, "t": 40, "b": 30})}


def default_x(table: Any) -> str:
    """The parameter that (nearly) every classifier has, else ``method``: a parameter only
    some methods have would silently drop the others from the plot."""
    rows = table.base_rows()
    fields = [p for p in table.fields.params if not p.lower().endswith(SEED_LIKE)]
    covered = {p: sum(1 for r in rows if r.get(p) is not None) for p in fields}
    best = max(fields, key=lambda p: covered[p], default=None)
    return best if best is not None and covered[best] >= 0.9 * len(rows) else "method"


def register(app: Any, data: UIData) -> None:
    _rungs.register(app, data)

    @app.callback(Output("mm-plot-x", "options"), Output("mm-plot-x", "value"),
                  Output("mm-plot-y", "options"), Output("mm-plot-y", "value"),
                  Output("mm-plot-size", "options"), Output("mm-plot-imp-method", "options"),
                  Output("mm-plot-axes-job", "data"),
                  Input(SELECTION, "data"), Input("mm-plot-x", "value"),
                  Input("mm-plot-y", "value"), State("mm-plot-axes-job", "data"),
                  State("mm-url", "search"))
    def axes(selection: dict | None, x: str | None, y: str | None, chosen_for: Any,
             search: str | None = None) -> tuple:
        if not selection or selection.get("job") is None:  # keep values from the address
            return (no_update,) * 7
        if chosen_for is not None and chosen_for != selection["job"]:
            x = y = None  # another job: its own defaults, not the last job's axes
        if first_job_of_link(search, selection["job"], chosen_for):  # the link's axes
            x, y = url_param(search, "x", x), url_param(search, "y", y)
        f = data.table(int(selection["job"])).fields
        every = f.params + f.scores + f.times + ["method"]
        options = [{"label": label(n), "value": n} for n in every]
        numeric = [{"label": label(n), "value": n} for n in f.numeric + f.params]
        x = x if x in every else default_x(data.table(int(selection["job"])))
        y = y if y in every else (selection.get("sort") if selection.get("sort") in f.numeric
                                  else (f.scores[0] if f.scores else "method"))
        methods = sorted({r["method"] for r in data.table(int(selection["job"])).base_rows()
                          if not is_reference(r)})
        return options, x, options, y, numeric, [
            {"label": "all methods", "value": ALL_METHODS},
            *({"label": m, "value": m} for m in methods)], selection["job"]

    _register_render(app, data)


def _register_render(app: Any, data: UIData) -> None:
    """The scatter, the association matrix and the importance of the chosen axes."""

    def failed(text: str) -> tuple:
        fig = _theme.message_figure(_theme.settings_of(None), text)
        return fig, fig, fig, text

    @app.callback(Output({"type": "mm-linked", "name": NAME}, "figure"),
                  Output({"type": "mm-graph", "name": "association"}, "figure"),
                  Output({"type": "mm-graph", "name": "importance"}, "figure"),
                  Output("mm-plot-note", "children"),
                  Input(SELECTION, "data"), Input(COLOUR, "value"), Input(SETTINGS, "data"),
                  Input(vis_id(NAME), "data"), Input("mm-plot-x", "value"),
                  Input("mm-plot-y", "value"), Input("mm-plot-size", "value"),
                  Input("mm-plot-jitter", "value"), Input("mm-plot-imp-method", "value"),
                  Input("mm-plot-imp-seeds", "value"))
    @guarded(failed)
    def render(selection: dict | None, colour: str | None, settings: dict | None,
               visible: bool, x: str | None, y: str | None, size: str | None,
               jitter: float | None, method: str | None = None,
               seeds: bool | None = False) -> tuple:
        if not visible:
            return no_update, no_update, no_update, no_update
        given = view_input(data, selection, colour, settings)
        if isinstance(given, str) or not x or not y:
            text = given if isinstance(given, str) else "Choose what to plot on x and y."
            fig = _theme.message_figure(_theme.settings_of(settings), text)
            return fig, fig, fig, ""
        target = y if y in given.table.fields.numeric else (
            given.sort if given.sort in given.table.fields.numeric else None)
        imp = importance(given, target, method or ALL_METHODS, bool(seeds)) if target else \
            _theme.message_figure(given.settings,
                                  "Put a score on y to see which parameters matter for it.")
        note = ("Jitter spreads categorical values over their category (numbers stay where "
                "they are). η: correlation ratio (how much of a score's variance the "
                f"categories explain); ρ: Spearman; cells from fewer than {MIN_N} classifiers "
                "are greyed.")
        shown = sum(1 for r in given.rows if _value(r, x) is not None
                    and _value(r, y) is not None)
        if shown < len(given.rows):
            note = (f"{shown} of {len(given.rows)} selected classifiers have both {label(x)} "
                    f"and {label(y)}; the others are not plotted. " + note)
        return scatter(given, x, y, size, float(jitter or 0)), association(given), imp, note
