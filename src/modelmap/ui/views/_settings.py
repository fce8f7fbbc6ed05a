"""Settings: bright or dark theme, colour map, palette and chart export format, kept in
the browser (local storage) so they survive reloads."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, ctx, dcc, html, no_update

from modelmap.ui import _theme
from modelmap.ui.views._common import container

NAME = "settings"
_KEYS = ("theme", "colormap", "palette", "image", "marker")


def _swatch(colours: list[str], gradient: bool) -> html.Span:
    if gradient:
        return html.Span(className="mm-gradient ms-2", style={
            "background": f"linear-gradient(to right, {', '.join(colours)})"})
    return html.Span([html.Span(className="mm-chip", style={"background": c})
                      for c in colours[:8]], className="ms-2 mm-swatch")


def _radio(key: str, options: list[dict[str, Any]]) -> dcc.RadioItems:
    return dcc.RadioItems(id=f"mm-set-{key}", options=options, className="mm-settings-radio",
                          labelClassName="mm-settings-option",
                          value=_theme.DEFAULT_SETTINGS[key])


def layout() -> html.Div:
    maps = [{"label": html.Span([name, _swatch(list(c), True)]), "value": name}
            for name, c in _theme.COLORMAPS.items()]
    palettes = [{"label": html.Span([name, _swatch(list(c), False)]), "value": name}
                for name, c in _theme.PALETTES.items()]
    body = html.Div([
        html.H3("Theme", className="mm-section-title"),
        _radio("theme", [{"label": "bright", "value": "bright"},
                         {"label": "dark", "value": "dark"}]),
        html.H3("Colour map (numbers: scores, times, hard samples, confusion matrices)",
                className="mm-section-title"),
        _radio("colormap", maps),
        html.H3("Palette (categories: methods, classes)", className="mm-section-title"),
        _radio("palette", palettes),
        html.H3("Marker size (Map, Plot and Time)", className="mm-section-title"),
        _radio("marker", [{"label": k, "value": k} for k in _theme.MARKER_SCALE]),
        html.H3("Chart export (camera button of every chart)", className="mm-section-title"),
        _radio("image", [{"label": "PNG", "value": "png"}, {"label": "SVG", "value": "svg"}]),
        html.P("Settings are kept in this browser.", className="small text-body-secondary mt-3"),
    ])
    return container(NAME, "Settings", [], body)


def register(app: Any, data: Any) -> None:
    @app.callback(Output("mm-settings", "data"),
                  *(Output(f"mm-set-{k}", "value") for k in _KEYS),
                  Input("mm-settings", "data"), *(Input(f"mm-set-{k}", "value") for k in _KEYS))
    def sync(stored: dict | None, *values: str) -> tuple:
        if ctx.triggered_id in (None, "mm-settings"):
            chosen = _theme.settings_of(stored)
            # on load, answer the stored settings (not no_update): Dash skips callbacks whose
            # input was not updated, and the charts' config (scroll zoom on the Map, the
            # export format) would wait for the first change in Settings
            return (chosen if ctx.triggered_id is None else no_update,
                    *(chosen[k] for k in _KEYS))
        fresh = _theme.settings_of(dict(zip(_KEYS, values)))
        return (fresh, *(no_update for _ in _KEYS))
