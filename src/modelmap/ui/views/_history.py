"""History: the training histories (loss, accuracy, ... per epoch) of all selected
classifiers in one chart."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, dcc, html, no_update

from modelmap.ui import _theme
from modelmap.ui._data import MAX_HISTORIES, UIData
from modelmap.ui.views._common import (COLOUR, SELECTION, SETTINGS, ViewInput, container,
                                       control, graph, guarded, view_input, vis_id)

NAME = "history"


def layout() -> html.Div:
    controls = [control("Curve", dcc.Dropdown(id="mm-history-key", clearable=False,
                                              placeholder="loss"), "180px")]
    return container(NAME, "History", controls, graph(NAME, height="calc(100vh - 250px)"),
                     note_id="mm-history-note")


def figure(given: ViewInput, histories: dict[int, dict[str, list]], key: str) -> dict:
    order = [r for r in reversed(given.rows) if key in (histories.get(r["id"]) or {})]
    data = []
    for row in order:
        values = [v if isinstance(v, (int, float)) else None for v in histories[row["id"]][key]]
        data.append({"type": "scatter", "mode": "lines", "name": row["title"],
                     "x": list(range(1, len(values) + 1)), "y": values,
                     "customdata": [row["id"]] * len(values),
                     "line": {"color": given.colours.of(row["id"]), "width": 2},
                     "opacity": 0.8,
                     "hovertemplate": f"<b>{row['title']}</b><br>epoch %{{x}}: %{{y:.4g}}"
                                      "<extra></extra>"})
    data.append(_theme.highlight_trace(given.settings, list(range(len(data))), "line"))
    return {"data": data, "layout": _theme.layout(
        given.settings, xaxis={"title": {"text": "epoch"}},
        yaxis={"title": {"text": key.replace("_", " ")}})}


def _keys(histories: dict[int, dict[str, list]]) -> list[str]:
    keys: dict[str, None] = {}
    for history in histories.values():
        keys.update(dict.fromkeys(k for k, v in history.items() if isinstance(v, list)))
    return sorted(keys, key=lambda k: (k.startswith("val_"), "loss" not in k, k))


def register(app: Any, data: UIData) -> None:
    def failed(text: str) -> tuple:
        return _theme.message_figure(_theme.settings_of(None), text), [], None, text

    @app.callback(Output({"type": "mm-linked", "name": NAME}, "figure"),
                  Output("mm-history-key", "options"), Output("mm-history-key", "value"),
                  Output("mm-history-note", "children"),
                  Input(SELECTION, "data"), Input(COLOUR, "value"), Input(SETTINGS, "data"),
                  Input(vis_id(NAME), "data"), Input("mm-history-key", "value"))
    @guarded(failed)
    def render(selection: dict | None, colour: str | None, settings: dict | None,
               visible: bool, key: str | None) -> tuple:
        if not visible:
            return no_update, no_update, no_update, no_update
        given = view_input(data, selection, colour, settings)
        if isinstance(given, str):
            return _theme.message_figure(_theme.settings_of(settings), given), [], None, ""
        histories = data.histories(given.rows)
        keys = _keys(histories)
        if not keys:
            text = ("None of the selected classifiers recorded a training history (MLPs and "
                    "plugins with get_history() do).")
            return _theme.message_figure(given.settings, text), [], None, ""
        key = key if key in keys else keys[0]
        note = f"{len(histories)} of {len(given.rows)} selected classifiers have a history."
        if len(given.rows) > MAX_HISTORIES:
            note += f" Only the first {MAX_HISTORIES} in the sort order are read."
        return (figure(given, histories, key), [{"label": k, "value": k} for k in keys], key,
                note)
