"""How a multi-fidelity run used its time, per bracket and rung: how many configs ran, how
many climbed, the best validation score, the evaluations' seconds and the wall-clock
seconds of the search they took, with their share of the time budget.

A batch's wall time (from handing it to the executor to its last result) is split among
its evaluations by their seconds, so with two workers two evaluations of 1 s that ran
together count 0.5 s each; what is left of the search's wall time (asking the strategy,
storing results, waiting between batches) is the "outside the rungs" line.  The shares
of the rungs and that line add up to the search's wall time over the budget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from modelmap.tuning._strategy import Trial


def rung_usage(trials: Sequence[Trial], wall: Mapping[int, float], settings: Any
               ) -> list[dict[str, Any]]:
    """One row per (bracket, rung), in order; empty for a strategy without rungs."""
    if not trials or all(t.candidate.rung is None for t in trials):
        return []
    groups: dict[tuple[int, int], list[Trial]] = {}
    for t in trials:
        groups.setdefault((t.candidate.bracket or 0, t.candidate.rung or 0), []).append(t)
    sign = 1.0 if settings.greater_is_better else -1.0
    rows = []
    for (bracket, rung), members in sorted(groups.items()):
        above = {t.candidate.round for (b, r), ts in groups.items()  # climbed or sent up
                 if b == bracket and r > rung for t in ts}
        ok = [t for t in members if t.ok]
        best = max((sign * t.score for t in ok), default=None)  # type: ignore[operator]
        fidelity = members[0].candidate.fidelity or 1.0
        rows.append({
            "bracket": bracket, "rung": rung, "fidelity": fidelity,
            "label": settings.fidelity.label(fidelity),
            "short_label": settings.fidelity.short_label(fidelity), "configs": len(members),
            "failed": len(members) - len(ok),
            "promoted": sum(t.candidate.round in above for t in members),
            "best": None if best is None else sign * best,
            "seconds": sum(t.seconds for t in members),
            "wall_seconds": sum(wall.get(t.number, 0.0) for t in members)})
    return rows


def rung_usage_total(rows: Sequence[Mapping[str, Any]], search_seconds: float
                ) -> tuple[float, float]:
    """(wall seconds of the rungs, wall seconds of the search outside them)."""
    inside = sum(r["wall_seconds"] for r in rows)
    return inside, max(0.0, search_seconds - inside)


def rung_share(seconds: float, settings: Any, search_seconds: float) -> str:
    """``"12 %"`` of the time budget (of the search's wall time without one)."""
    whole = float(settings.time_budget) if settings.time_budget else search_seconds
    return f"{100 * seconds / whole:.0f} %" if whole > 0 else "—"


def rung_lines(result: Any, tjob: Any) -> list[str]:
    """The report's "Rungs" section (empty for a strategy without rungs)."""
    s = tjob.settings
    rows = result.rungs
    if not rows:
        return []
    of = "time budget" if s.time_budget else "search's wall time"
    lines = ["", "## Rungs", "",
             f"eta {s.eta:g}: the best 1/{s.eta:g} of a rung climbs to the next; only "
             "full-fidelity scores make the top list. Wall seconds: the search's wall time "
             "each rung took (a batch's time split among its evaluations by their seconds); "
             f"share: of the {of}.", "",
             f"| Bracket | Rung | Fidelity | Configs | Failed | Promoted | Best validation "
             f"{s.metric} | Evaluation seconds | Wall seconds | Share of the {of} |",
             "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        best = "—" if r["best"] is None else f"{r['best']:.4f}"
        lines.append(
            f"| {r['bracket']} | {r['rung']} | {r['label']} | {r['configs']} | {r['failed']} | "
            f"{r['promoted']} | {best} | {r['seconds']:.1f} | {r['wall_seconds']:.1f} | "
            f"{rung_share(r['wall_seconds'], s, result.seconds)} |")
    inside, outside = rung_usage_total(rows, result.seconds)
    lines += [f"| | | outside the rungs | | | | | | {outside:.1f} | "
              f"{rung_share(outside, s, result.seconds)} |",
              f"| | | **search** | | | | | | **{inside + outside:.1f}** | "
              f"**{rung_share(inside + outside, s, result.seconds)}** |"]
    return lines
