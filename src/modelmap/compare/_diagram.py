"""The critical-difference diagram of Demšar (2006), drawn with matplotlib (PNG or SVG).

An axis of average ranks (1 = best, on the left); each classifier hangs from its rank on
a line to its name (the better half on the left, the rest on the right); a bar joins
the classifiers of each clique (average ranks less than the critical difference apart);
the critical difference itself is drawn above the axis.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

from modelmap.errors import DataError

FORMATS = (".png", ".svg")


def cd_diagram(average_ranks: Mapping[str, float], critical_difference: float,
               cliques: Sequence[Sequence[str]], path: str | Path, *,
               title: str | None = None) -> Path:
    """Write the diagram to ``path`` (``.png`` or ``.svg``) and return the path."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        raise DataError(f"cannot draw a diagram as {target.suffix or 'a file without suffix'}",
                        where=str(target), hint="name the file .png or .svg")
    names = sorted(average_ranks, key=lambda n: (average_ranks[n], n))
    if len(names) < 2:
        raise DataError("a critical-difference diagram needs at least two classifiers",
                        hint="compare jobs that share two or more classifier titles")
    k = len(names)
    low, high = 1, max(k, math.ceil(max(average_ranks.values())))
    half = (k + 1) // 2
    fig_height = 1.2 + 0.28 * max(half, k - half) + 0.2 * len(cliques)
    fig, ax = plt.subplots(figsize=(8, fig_height))
    ax.set_xlim(low - 0.5, high + 0.5)
    ax.set_ylim(-(max(half, k - half) + 1.5 + 0.3 * len(cliques)), 1.6)
    ax.axis("off")
    ax.hlines(0, low, high, color="black", linewidth=1)
    for tick in range(low, high + 1):
        ax.vlines(tick, 0, 0.12, color="black", linewidth=1)
        ax.text(tick, 0.2, str(tick), ha="center", va="bottom", fontsize=9)
    if math.isfinite(critical_difference):
        ax.hlines(1.0, low, low + critical_difference, color="black", linewidth=1.5)
        ax.text(low + critical_difference / 2, 1.1, f"CD = {critical_difference:.2f}",
                ha="center", va="bottom", fontsize=9)
    _names(ax, names, average_ranks, half, low, high, 0.3 * len(cliques))
    for row, group in enumerate(cliques):
        ranks = [average_ranks[n] for n in group]
        y = -0.35 - 0.3 * row
        ax.hlines(y, min(ranks) - 0.03, max(ranks) + 0.03, color="black", linewidth=3)
    if title:
        ax.set_title(title, fontsize=10)
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, bbox_inches="tight", dpi=150)
    plt.close(fig)
    return target


def _names(ax, names: list[str], ranks: Mapping[str, float], half: int, low: float,
           high: float, offset: float) -> None:
    for i, name in enumerate(names):
        left = i < half
        row = i if left else len(names) - 1 - i
        y = -(row + 1.2 + offset)
        x = ranks[name]
        end = low - 0.35 if left else high + 0.35
        ax.vlines(x, y, 0, color="0.3", linewidth=0.8)
        ax.hlines(y, min(x, end), max(x, end), color="0.3", linewidth=0.8)
        label = f"{name} ({x:.2f})" if left else f"({x:.2f}) {name}"
        ax.text(end + (-0.05 if left else 0.05), y, label, ha="right" if left else "left",
                va="center", fontsize=9)
