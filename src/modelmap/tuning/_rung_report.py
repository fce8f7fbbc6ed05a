"""The report's rung table of a multi-fidelity run: per bracket and rung, how many configs
ran, how many climbed, the best validation score and how much of the (time) budget it used."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from modelmap.tuning._strategy import Trial


def rung_lines(result: Any, tjob: Any) -> list[str]:
    """Markdown lines (empty for a strategy without rungs)."""
    trials: Sequence[Trial] = result.trials
    if not trials or all(t.candidate.rung is None for t in trials):
        return []
    s = tjob.settings
    total = sum(t.seconds for t in trials) or 1.0
    budget = float(s.time_budget) if s.time_budget else None
    share = "Share of the time budget" if budget else "Share of the search time"
    lines = ["", "## Rungs", "",
             f"eta {s.eta:g}: the best 1/{s.eta:g} of a rung climbs to the next; only "
             "full-fidelity scores make the top list.", "",
             f"| Bracket | Rung | Fidelity | Configs | Failed | Promoted | Best validation "
             f"{s.metric} | Seconds | {share} |", "|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    groups: dict[tuple[int, int], list[Trial]] = {}
    for t in trials:
        groups.setdefault((t.candidate.bracket or 0, t.candidate.rung or 0), []).append(t)
    sign = 1.0 if s.greater_is_better else -1.0
    for (bracket, rung), members in sorted(groups.items()):
        above = {t.candidate.round for t in groups.get((bracket, rung + 1), [])}
        ok = [t for t in members if t.ok]
        best = max((sign * t.score for t in ok), default=None)  # type: ignore[operator]
        seconds = sum(t.seconds for t in members)
        fidelity = members[0].candidate.fidelity or 1.0
        lines.append(
            f"| {bracket} | {rung} | {s.fidelity.label(fidelity)} | {len(members)} | "
            f"{len(members) - len(ok)} | {sum(t.candidate.round in above for t in members)} | "
            f"{'—' if best is None else f'{sign * best:.4f}'} | {seconds:.1f} | "
            f"{100 * seconds / (budget or total):.0f} % |")
    return lines
