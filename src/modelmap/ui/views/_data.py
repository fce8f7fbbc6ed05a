"""Data: class distributions of train and test, the projected samples, and the hard
samples (coloured by how many of the selected classifiers got them wrong)."""

from __future__ import annotations

from typing import Any

import numpy as np
from dash import Input, Output, dcc, html, no_update

from modelmap.ui import _theme
from modelmap.ui._analysis import wrong_matrix
from modelmap.ui._data import UIData, is_reference
from modelmap.ui.views._common import (COLOUR, SELECTION, SETTINGS, ViewInput, container,
                                       control, graph, guarded, view_input, vis_id)

NAME = "data"
MAX_LOOKUP = 300_000
#: Above this many samples the view draws a seeded sample of this many, stratified by
#: split (train / test) and class; wrong-counts are still over every evaluated sample.
MAX_POINTS = 20_000
#: Above this many drawn points the markers are drawn with WebGL (as in Map).
WEBGL_POINTS = 2_000


def layout() -> html.Div:
    controls = [
        control("Projection", dcc.Dropdown(id="mm-data-projection", clearable=False), "170px"),
        control("Colour samples by", dcc.RadioItems(
            id="mm-data-colour", value="hard", inline=True, className="mm-radio",
            options=[{"label": " hard samples", "value": "hard"},
                     {"label": " class", "value": "class"}])),
        control("References", dcc.Checklist(
            id="mm-data-refs", value=[], inline=True, className="mm-radio",
            options=[{"label": " count optimal/naive as classifiers", "value": "count"}])),
    ]
    body = html.Div([
        graph("samples", linked=False, height="calc(100vh - 430px)", receives=True),
        graph("classes", linked=False, height="230px"),
    ])
    return container(NAME, "Data", controls, body, note_id="mm-data-note")


def class_label(y: Any, names: list[str]) -> str:
    if np.ndim(y):
        on = [names[k] if k < len(names) else str(k) for k, v in enumerate(y) if v]
        return " + ".join(on) or "(none)"
    return names[int(y)] if 0 <= int(y) < len(names) else str(y)


def classes_figure(job: dict[str, Any], settings: dict[str, str]) -> dict:
    counts = max((len(job.get(f"{s}_counts") or []) for s in ("train", "test")), default=0)
    names = [str(n) for n in job.get("class_names") or []] or [str(k) for k in range(counts)]
    palette = _theme.PALETTES[settings["palette"]]
    data = [{"type": "bar", "name": split, "x": names, "y": job.get(f"{split}_counts") or [],
             "marker": {"color": palette[k]}, "hovertemplate": f"{split} %{{x}}: %{{y}}"
                                                                "<extra></extra>"}
            for k, split in enumerate(("train", "test")) if any(job.get(f"{split}_counts") or [])]
    if not data:
        return _theme.message_figure(settings, "No class counts stored for this job.")
    # a category axis naming every class: names such as "0".."9" made Plotly draw a number
    # axis (every other class labelled); the margin leaves room for the names
    return {"data": data, "layout": _theme.layout(
        settings, barmode="group", showlegend=True, legend={"orientation": "h", "y": 1.2},
        xaxis={"type": "category", "tickmode": "array", "tickvals": names, "ticktext": names,
               "automargin": True},
        title={"text": "Samples per " + ("label" if job.get("multilabel") else "class"),
               "font": {"size": 13}}, margin={"l": 10, "r": 10, "t": 50, "b": 40})}


def hard_samples(data: UIData, given: ViewInput, n_eval: int, y: np.ndarray,
                 references: bool = False) -> tuple[np.ndarray, list[int], np.ndarray] | None:
    """Wrong-counts per evaluated sample over the selected finished classifiers; the
    references (optimal, naive) only when ``references`` (a naive classifier is wrong on
    every sample outside the majority class, which says nothing about the samples)."""
    ok = [r["id"] for r in given.rows if r.get("status") == "ok"
          and (references or not is_reference(r))]
    ids, preds = data.predictions(ok, "pred_test") if ok else ([], None)
    if not ids or preds.shape[1] != n_eval:
        return None
    wrong = wrong_matrix(preds, y)
    return wrong.sum(axis=0), ids, wrong


def samples_figure(data: UIData, given: ViewInput, projection: dict, labels: dict,
                   mode: str, references: bool = False) -> tuple[dict, str]:
    settings, job = given.settings, given.table.job
    names = labels["class_names"] or []
    points = np.asarray(projection["points"]["data"], dtype=float)
    y_all = np.asarray(labels["labels"]["data"])
    n_train, n_test = labels["n_train"], labels["n_test"]
    start = n_train if n_test else 0  # cross-validation: out-of-fold predictions of train
    evaluated = np.arange(start, len(points))
    result = hard_samples(data, given, len(evaluated), y_all[evaluated], references) \
        if mode == "hard" else None
    others = np.arange(0, start)
    shown_others, shown = drawn(others, evaluated, y_all)
    webgl = len(shown_others) + len(shown) > WEBGL_POINTS
    traces, titles = [], {r["id"]: r["title"] for r in given.rows}
    palette = _theme.PALETTES[settings["palette"]]
    label_of = _labels_of(y_all, names, np.concatenate([shown_others, evaluated[shown]]))
    levels = sorted(set(label_of.values()))
    colour = {lev: palette[k % len(palette)] for k, lev in enumerate(levels)}
    if len(shown_others):
        faded = mode == "hard" and result is not None
        traces.append(_points(points, shown_others, label_of, "train",
                              [_theme.MUTED[settings["theme"]] if faded else colour[label_of[i]]
                               for i in shown_others], 6, 0.5 if faded else 0.8, webgl))
    if result is None:
        index = evaluated[shown]
        traces.append(_points(points, index, label_of, "test" if n_test else "sample",
                              [colour[label_of[i]] for i in index], 8, 0.9, webgl))
        note = ("Colours are classes." if mode == "class" else
                "No predictions to score samples by (no finished classifier selected).")
    else:
        counts, ids, wrong = result
        result = counts[shown], ids, wrong[:, shown]
        traces.append(_hard_trace(points, evaluated[shown], label_of, *result, titles,
                                  settings, webgl))
        note = (f"Colour and size: how many of the {len(ids)} selected finished classifiers "
                f"got each {'test' if n_test else 'out-of-fold'} sample wrong "
                f"({int((counts == len(ids)).sum()):,} wrong by all, "
                f"{int((counts == 0).sum()):,} by none"
                + (f", of all {len(counts):,}" if len(shown) < len(evaluated) else "")
                + "). Hover a classifier elsewhere to ring the samples it got wrong."
                + ("" if references else " The references (optimal, naive) are not counted."))
    note = sampled_note(len(shown_others), len(others), len(shown), len(evaluated),
                        "test" if n_test else "out-of-fold") + note
    meta = _lookup(result, len(traces) - 1)
    traces.append(_theme.highlight_trace(settings, [], "lookup", **meta))
    axis = {"showticklabels": False, "zeroline": False, "title": None}
    return {"data": traces, "layout": _theme.layout(
        settings, xaxis=axis, yaxis={**axis, "scaleanchor": "x"}, showlegend=False,
        title={"text": f"{projection['title']} of the {job.get('dataset')} samples",
               "font": {"size": 13}}, margin={"l": 10, "r": 10, "t": 40, "b": 10})}, note


def drawn(others: np.ndarray, evaluated: np.ndarray, y: np.ndarray,
          limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The samples to draw: every one up to ``limit`` (default :data:`MAX_POINTS`), else a
    seeded sample of ``limit``, the same share of each split and, within it, of each class
    (sample indices of ``others``, positions into ``evaluated``)."""
    limit = MAX_POINTS if limit is None else limit
    total = len(others) + len(evaluated)
    if total <= limit:
        return others, np.arange(len(evaluated))
    rng = np.random.default_rng(0)
    strata = _strata(y)
    n_others = int(round(limit * len(others) / total))
    picked = _stratified(others, strata[others], n_others, rng)
    positions = _stratified(np.arange(len(evaluated)), strata[evaluated],
                            limit - n_others, rng)
    return picked, positions


def _strata(y: np.ndarray) -> np.ndarray:
    """One integer per sample: its class, or its combination of labels (multi-label)."""
    if y.ndim == 1:
        return y.astype(np.int64)
    return np.unique(y.reshape(len(y), -1), axis=0, return_inverse=True)[1].ravel()


def _stratified(index: np.ndarray, keys: np.ndarray, k: int,
                rng: np.random.Generator) -> np.ndarray:
    """``k`` of ``index`` (in order), each stratum (``keys[j]`` is that of ``index[j]``)
    in proportion to its size (largest remainders)."""
    if k >= len(index):
        return index
    values, inverse = np.unique(keys, return_inverse=True)
    counts = np.bincount(inverse, minlength=len(values))
    quota = counts * k / len(index)
    take = np.floor(quota).astype(np.int64)
    rest = np.argsort(-(quota - take), kind="stable")[:k - int(take.sum())]
    take[rest] += 1
    chosen = [rng.choice(np.flatnonzero(inverse == s), take[s], replace=False)
              for s in range(len(values)) if take[s]]
    return index[np.sort(np.concatenate(chosen))] if chosen else index[:0]


def sampled_note(shown_train: int, n_train: int, shown_eval: int, n_eval: int,
                 split: str) -> str:
    """'' when every sample is drawn; else which share of which split is."""
    if shown_train == n_train and shown_eval == n_eval:
        return ""
    parts = [f"{shown_eval:,} of {n_eval:,} {split}"]
    if n_train:
        parts.append(f"{shown_train:,} of {n_train:,} train")
    return (f"Showing {shown_train + shown_eval:,} of {n_train + n_eval:,} samples "
            f"({', '.join(parts)}): sampled above {MAX_POINTS:,}, seeded, stratified by "
            "class. ")


def _labels_of(y: np.ndarray, names: list[str], index: np.ndarray) -> dict[int, str]:
    return {int(i): class_label(y[i], names) for i in index}


def _points(points: np.ndarray, index: np.ndarray, label_of: dict[int, str], split: str,
            colours: list[str], size: int, opacity: float, webgl: bool = False) -> dict:
    return {"type": "scattergl" if webgl else "scatter", "mode": "markers",
            "x": points[index, 0].tolist(),
            "y": points[index, 1].tolist(), "customdata": index.tolist(),
            "hovertext": [f"{split} sample #{i}: {label_of[i]}" for i in index],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"size": size, "color": colours, "opacity": opacity,
                       "symbol": "circle" if split == "train" else "diamond"}}


def _hard_trace(points: np.ndarray, index: np.ndarray, label_of: dict[int, str],
                counts: np.ndarray, ids: list[int], wrong: np.ndarray, titles: dict,
                settings: dict, webgl: bool = False) -> dict:
    hover = []
    for k, i in enumerate(index):
        by = [titles.get(ids[c], str(ids[c])) for c in np.flatnonzero(wrong[:, k])[:8]]
        more = int(counts[k]) - len(by)
        hover.append(f"sample #{i}: {label_of[i]}<br>wrong by {int(counts[k])} of {len(ids)}"
                     + (f"<br>{', '.join(by)}" + (f" +{more} more" if more > 0 else "")
                        if by else ""))
    n = max(len(ids), 1)
    return {"type": "scattergl" if webgl else "scatter", "mode": "markers",
            "x": points[index, 0].tolist(),
            "y": points[index, 1].tolist(), "customdata": index.tolist(), "hovertext": hover,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"size": (7 + 10 * counts / n).tolist(), "color": counts.tolist(),
                       "cmin": 0, "cmax": n, "colorscale": _theme.colorscale(settings),
                       "showscale": True, "line": {"width": 0.5, "color": "rgba(0,0,0,.3)"},
                       "colorbar": {"title": {"text": "wrong by"}, "thickness": 10}}}


def _lookup(result: Any, target: int) -> dict[str, Any]:
    if result is None:
        return {"target": target, "lookup": {}}
    _, ids, wrong = result
    if wrong.sum() > MAX_LOOKUP:
        return {"target": target, "lookup": {}}
    return {"target": target,
            "lookup": {str(rid): np.flatnonzero(wrong[c]).tolist() for c, rid in enumerate(ids)}}


def register(app: Any, data: UIData) -> None:
    def failed(text: str) -> tuple:
        fig = _theme.message_figure(_theme.settings_of(None), text)
        return fig, fig, [], None, text

    @app.callback(Output({"type": "mm-graph", "name": "samples"}, "figure"),
                  Output({"type": "mm-graph", "name": "classes"}, "figure"),
                  Output("mm-data-projection", "options"), Output("mm-data-projection", "value"),
                  Output("mm-data-note", "children"),
                  Input(SELECTION, "data"), Input(COLOUR, "value"), Input(SETTINGS, "data"),
                  Input(vis_id(NAME), "data"), Input("mm-data-projection", "value"),
                  Input("mm-data-colour", "value"), Input("mm-data-refs", "value"))
    @guarded(failed)
    def render(selection: dict | None, colour: str | None, settings: dict | None,
               visible: bool, chosen: Any, mode: str, refs: list | None = None) -> tuple:
        if not visible:
            return no_update, no_update, no_update, no_update, no_update
        given = view_input(data, selection, colour, settings)
        if isinstance(given, str):
            fig = _theme.message_figure(_theme.settings_of(settings), given)
            return fig, fig, [], None, ""
        classes = classes_figure(given.table.job, given.settings)
        labels = data.projections(given.table.job["id"])
        projections = labels["projections"]
        options = [{"label": p["title"], "value": p["id"]} for p in projections]
        if not projections:
            text = "This job has no data projection; add one to its \"projections\" list."
            return _theme.message_figure(given.settings, text), classes, [], None, text
        picked = next((p for p in projections if p["id"] == chosen), projections[0])
        fig, note = samples_figure(data, given, picked, labels, mode, "count" in (refs or []))
        return fig, classes, options, picked["id"], note
