"""Colours and figure styling shared by every view.

Settings (kept in the browser's local storage) choose the theme (``bright``/``dark``), the
continuous colour map and the categorical palette.  :func:`colouring` turns the toolbar's
"colour by" field into one explicit colour per classifier, so a classifier has the same
colour in every view, and a legend for the status bar.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from plotly import colors as pc

from modelmap.ui._analysis import category, is_categorical

COLORMAPS = {
    "viridis": pc.sequential.Viridis,
    "cividis": pc.sequential.Cividis,
    "plasma": pc.sequential.Plasma,
    "turbo": pc.sequential.Turbo,
    "blues": pc.sequential.Blues[2:],
}
def _lighter(colour: str, share: float = 0.45) -> str:
    """``colour`` (``#rrggbb``) mixed with ``share`` of white."""
    r, g, b = (int(colour[k:k + 2], 16) for k in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in (r, g, b))


#: Categorical palettes.  The default has 20 colours (ten hues, each also lighter), so 14
#: methods get 14 different colours; ``okabe-ito`` is the colour-blind-safe set of Okabe
#: and Ito (2008), which tells its 8 colours apart under every common colour-vision
#: deficiency.
PALETTES = {
    "tableau": list(pc.qualitative.T10) + [_lighter(c) for c in pc.qualitative.T10],
    "okabe-ito": ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                  "#CC79A7", "#8C8C8C"],
    "bold": pc.qualitative.Bold,
    "safe": pc.qualitative.Safe,
    "dark24": pc.qualitative.Dark24,
    "alphabet": pc.qualitative.Alphabet,
}
DEFAULT_SETTINGS = {"theme": "bright", "colormap": "viridis", "palette": "tableau",
                    "image": "png", "marker": "medium"}
#: The marker-size setting shared by the scatter views (Map, Plot, Time): a factor on sizes.
MARKER_SCALE = {"small": 0.6, "medium": 1.0, "large": 1.6}
HIGHLIGHT = {"bright": "#d6336c", "dark": "#ff6b9a"}
INK = {"bright": "#212529", "dark": "#dee2e6"}
_INK = INK
_GRID = {"bright": "#e3e6ea", "dark": "#3a4047"}
_PLOT_BG = {"bright": "#ffffff", "dark": "#1f2327"}
MUTED = {"bright": "#adb5bd", "dark": "#6c757d"}
#: Emoji fonts come last, so a title's emoji uses one when the machine has it (and the text
#: stays readable in the system font when it has none).
FONT = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif, "
        "'Noto Color Emoji', 'Apple Color Emoji', 'Segoe UI Emoji'")


def colorscale(settings: dict[str, str]) -> list[list[Any]]:
    """The chosen colour map as a Plotly colorscale (``[[0, colour], ..., [1, colour]]``)."""
    return pc.make_colorscale(list(COLORMAPS[settings["colormap"]]))


def settings_of(value: dict[str, Any] | None) -> dict[str, str]:
    """Settings with unknown or missing entries replaced by the defaults."""
    out = dict(DEFAULT_SETTINGS)
    for key, value_ in (value or {}).items():
        if key in out and isinstance(value_, str):
            out[key] = value_
    if out["theme"] not in ("bright", "dark"):
        out["theme"] = "bright"
    if out["colormap"] not in COLORMAPS:
        out["colormap"] = DEFAULT_SETTINGS["colormap"]
    if out["palette"] not in PALETTES:
        out["palette"] = DEFAULT_SETTINGS["palette"]
    if out["image"] not in ("png", "svg"):
        out["image"] = "png"
    if out["marker"] not in MARKER_SCALE:
        out["marker"] = "medium"
    return out


def marker_scale(settings: dict[str, str]) -> float:
    """The factor the scatter views multiply their marker sizes by (Settings' marker size)."""
    return MARKER_SCALE.get(settings.get("marker", "medium"), 1.0)


def layout(settings: dict[str, str], **extra: Any) -> dict[str, Any]:
    """A Plotly layout dict styled for the theme (transparent paper, readable fonts)."""
    theme = settings["theme"]
    axis = {"gridcolor": _GRID[theme], "zerolinecolor": _GRID[theme], "linecolor": _GRID[theme],
            "automargin": True, "title": {"font": {"size": 13}}}
    base: dict[str, Any] = {
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": _PLOT_BG[theme],
        "font": {"family": FONT, "size": 12, "color": _INK[theme]},
        "margin": {"l": 60, "r": 20, "t": 36, "b": 50}, "hovermode": "closest",
        "xaxis": dict(axis), "yaxis": dict(axis), "showlegend": False,
        "hoverlabel": {"font": {"family": FONT, "size": 12}}, "uirevision": "keep",
        "colorway": list(PALETTES[settings["palette"]]),
    }
    for key, value in extra.items():
        if key in ("xaxis", "yaxis") and isinstance(value, dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return base


def message_figure(settings: dict[str, str], text: str) -> dict[str, Any]:
    """An empty chart that says why it is empty (never a blank screen)."""
    hidden = {"visible": False}
    return {"data": [], "layout": {**layout(settings, xaxis=hidden, yaxis=hidden),
                                   "plot_bgcolor": "rgba(0,0,0,0)",
                                   "annotations": [{"text": text, "showarrow": False,
                                                    "xref": "paper", "yref": "paper",
                                                    "x": 0.5, "y": 0.5,
                                                    "font": {"size": 14,
                                                             "color": MUTED[settings["theme"]]}}]}}


def highlight_trace(settings: dict[str, str], sources: Sequence[int], kind: str = "points",
                    **meta: Any) -> dict[str, Any]:
    """The (empty) trace the browser fills with the hovered classifier's points.

    ``sources`` are the indices of the traces whose ``customdata`` holds result ids;
    ``kind`` is ``points`` (rings), ``line`` (a thick line through them) or ``lookup``
    (``meta["lookup"][id]`` lists point indices of trace ``meta["target"]``).
    """
    colour = HIGHLIGHT[settings["theme"]]
    mode = "lines+markers" if kind == "line" else "markers"
    return {"type": "scatter", "x": [], "y": [], "mode": mode, "hoverinfo": "skip",
            "showlegend": False, "name": "highlight",
            "line": {"color": colour, "width": 3},
            "marker": {"size": 15, "color": "rgba(0,0,0,0)",
                       "line": {"color": colour, "width": 3}},
            "meta": {"mm": "highlight", "sources": list(sources), "kind": kind,
                     "color": colour, **meta}}


@dataclass
class Colouring:
    """One colour per result id and the legend that explains them."""

    field: str
    kind: str  # "category" or "numeric"
    colors: dict[int, str] = field(default_factory=dict)
    categories: list[tuple[str, str]] = field(default_factory=list)
    scale: list[list[Any]] = field(default_factory=list)
    low: float | None = None
    high: float | None = None

    def of(self, result_id: int) -> str:
        return self.colors.get(result_id, "#888888")


def _numeric(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _memo_category() -> Callable[[Any], str]:
    """:func:`category`, remembered per value (and type: 1, 1.0 and True label apart)."""
    known: dict[tuple[type, Any], str] = {}

    def of(value: Any) -> str:
        try:
            key = (type(value), value)
            if key not in known:
                known[key] = category(value)
            return known[key]
        except TypeError:  # a list or dict value
            return category(value)

    return of


def colouring(rows: Sequence[dict[str, Any]], by: str, settings: dict[str, str],
              universe: Sequence[dict[str, Any]] | None = None) -> Colouring:
    """Colours of ``rows`` (flat records) by the field ``by`` (categorical or numeric).

    Colours are assigned over ``universe`` (every result of the job; ``rows`` when not
    given), so a method keeps its colour, and a score its place on the colour map, however
    the rows are filtered; the legend lists only the categories of ``rows``.
    """
    values = [row.get(by) for row in rows]
    every = values if universe is None else [row.get(by) for row in universe] + values
    muted = MUTED[settings["theme"]]
    if by in ("method", "status", "fold") or is_categorical(every):
        category = _memo_category()  # 10,000s of rows share a handful of values
        palette = PALETTES[settings["palette"]]
        labels = sorted({category(v) for v in every}, key=str.lower)
        chosen = {lab: palette[k % len(palette)] for k, lab in enumerate(labels)}
        if by == "status":
            chosen = {lab: {"ok": palette[0], "failed": "#dc3545",
                            "timeout": "#fd7e14"}.get(lab, muted) for lab in labels}
        colors = {row["id"]: chosen[category(v)] for row, v in zip(rows, values)}
        shown = {category(v) for v in values}
        return Colouring(by, "category", colors,
                         [(lab, c) for lab, c in chosen.items() if lab in shown])
    scale = COLORMAPS[settings["colormap"]]
    numbers = [_numeric(v) for v in values]
    finite = [v for v in (_numeric(v) for v in every) if v is not None]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    span = (high - low) or 1.0
    stops = pc.make_colorscale(list(scale))
    positions = [(n - low) / span for n in numbers if n is not None]
    sampled = iter(pc.sample_colorscale(stops, positions) if positions else [])
    colors = {row["id"]: (muted if number is None else next(sampled))
              for row, number in zip(rows, numbers)}
    return Colouring(by, "numeric", colors, [], stops, low, high)
