"""Replay halving and hyperband against the grids and learning-curve tables — no training.

Tasks with a fidelity table: ``svc_*`` and ``mlp_*`` (subsample fidelity:
``grids/curves/<task>.csv`` from ``curves.py``, scores at 1/27, 1/9, 1/3 and 1 of the rows)
and ``rf_*`` (parameter fidelity: ``n_estimators`` 7.4, 22, 67, 200, interpolated on the
grid's log axis; the search space is then max_depth × max_features).

A subsample rung's fit time is the grid's full-fidelity fit time × the config's measured
ratio of its fit time at that fraction to its fit time on all rows, both timed in the same
run of ``curves.py`` (the grid was timed on another machine, so only ratios carry over).

Reported per task and strategy (medians over seeds): the best full-fidelity score at the
end, the cumulative fit time (3 folds) until a full-fidelity score reached the target
(random search's median best@100 of the same seeds, from the stored results of
``replay.py``), and that time over the best full-fidelity strategy's (the smallest median
"fit s to target" of random, stepwise and tpe there, the issue's full-fidelity
strategies; ``--strict``: also evolutionary and stepwise-time), and each task's Spearman
correlation of the low-fidelity scores with the full-fidelity ones.

    python benchmarks/tuning/replay_halving.py                       # seeds 0-29
    python benchmarks/tuning/replay_halving.py --first-seed 90 \\
        --against benchmarks/tuning/replay_results_seeds90-119.json  # held out
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import math
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1] / "src"))
sys.path.insert(0, str(HERE))

from replay import Surface  # noqa: E402

from modelmap.tuning import load_tuning_job  # noqa: E402
from modelmap.tuning._replay import replay  # noqa: E402

BUDGET = 100  # evaluations, every rung counted
FULL = ("random", "stepwise", "tpe")  # the full-fidelity strategies
STRICT = ("random", "evolutionary", "stepwise", "stepwise-time", "tpe")  # --strict
STRATEGIES = {
    "halving": {"strategy": "halving"},
    "halving-async": {"strategy": "halving", "halving": {"asynchronous": True}},
    "hyperband": {"strategy": "hyperband"},
}
EXTRA = {"halving-tpe": {"strategy": "halving", "halving": {"sampler": "tpe"}}}  # --with-tpe
RF_FIDELITY = {"param": "n_estimators", "min": 5, "max": 200}


class Curves:
    """Scores per subsample fidelity (surfaces of the curve table) plus the full grid."""

    def __init__(self, task: str) -> None:
        self.full = Surface(HERE / "grids" / f"{task}.csv")
        with open(HERE / "grids" / "curves" / f"{task}.csv") as handle:
            rows = list(csv.DictReader(handle))
        self.levels: dict[float, Surface] = {}
        for fidelity in sorted({float(r["fidelity"]) for r in rows}):
            part = HERE / "grids" / "curves" / f".{task}.{fidelity:.4f}.csv"
            keep = [{k: v for k, v in r.items() if k not in ("fidelity", "rows")}
                    for r in rows if float(r["fidelity"]) == fidelity]
            with open(part, "w", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(keep[0]))
                writer.writeheader()
                writer.writerows(keep)
            self.levels[fidelity] = Surface(part)
            part.unlink()

    def __call__(self, family: int, values: dict, fidelity: float | None = None):
        score, fit = self.full(family, values)
        if fidelity is None or fidelity >= 1:
            return score, fit
        level = min(self.levels, key=lambda f: abs(math.log(f / fidelity)))
        low_score, low_fit = self.levels[level](family, values)
        if 1.0 not in self.levels:  # an old table: linear in the rows
            return low_score, fit * fidelity
        # the rung's share of the full fit, both timed in the same run of curves.py
        full_fit = self.levels[1.0](family, values)[1]
        return low_score, fit * min(1.0, low_fit / full_fit) if full_fit > 0 else fit

    def spearman(self) -> dict[float, float]:
        """Rank correlation of each rung's scores with the full-fidelity ones (grid nodes)."""
        top = self.levels.get(1.0, self.full)
        return {f: float(spearmanr(surface.score.values.ravel(),
                                   top.score.values.ravel())[0])
                for f, surface in self.levels.items() if f < 1}


class Trees:
    """The forest grid with n_estimators as the fidelity parameter."""

    def __init__(self, task: str) -> None:
        self.full = Surface(HERE / "grids" / f"{task}.csv")

    def __call__(self, family: int, values: dict, fidelity: float | None = None):
        trees = 200 * (1.0 if fidelity is None else fidelity)
        return self.full(family, {**values, "n_estimators": max(5.0, trees)})

    def spearman(self) -> dict[float, float]:
        """Rank correlation of the scores at 7.4, 22, 67 trees with those at 200."""
        rng = np.random.default_rng(0)
        points = [{"max_depth": float(2 ** rng.uniform(0, 5)),
                   "max_features": float(rng.uniform(0.05, 0.6))} for _ in range(500)]
        top = [self(0, p)[0] for p in points]
        return {f: float(spearmanr([self(0, p, f)[0] for p in points], top)[0])
                for f in (1 / 27, 1 / 9, 1 / 3)}


def objective(task: str):
    return Trees(task) if task.startswith("rf_") else Curves(task)


def job(task: str, options: dict, seed: int) -> dict:
    surface = Surface(HERE / "grids" / f"{task}.csv")
    spec = surface.job(task, {**options, "budget": options.get("budget", BUDGET)}, seed)
    if task.startswith("rf_"):
        spec["classifiers"][0].pop("n_estimators")
        spec["classifiers"][0]["title"] = "{max_depth} {max_features}"
        spec["tuning"]["fidelity"] = RF_FIDELITY
    return spec


def run_one(args: tuple[str, str, int, dict]) -> dict:
    task, strategy, seed, options = args
    tjob = load_tuning_job(job(task, options, seed))
    settings = dataclasses.replace(tjob.settings, random_state=seed)
    trials = replay(tjob.space, settings, objective(task), budget=settings.budget or BUDGET,
                    folds=3, fit_seconds=settings.time_budget)
    full = [(t.score if t.candidate.fidelity in (None, 1.0) else -math.inf) for t in trials]
    return {"task": task, "strategy": strategy, "seed": seed,
            "best": np.maximum.accumulate(full).tolist(),
            "cost": np.cumsum([t.seconds for t in trials]).tolist()}


def summarise(runs: list[dict], against: dict, full: tuple[str, ...] = FULL) -> dict:
    out = {}
    for task in sorted({r["task"] for r in runs}):
        target = against[task]["target"]
        stored = against[task]["strategies"]
        name = min((s for s in full if s in stored),
                   key=lambda s: stored[s]["seconds_to_target"])
        reference = stored[name]["seconds_to_target"]
        rows = {}
        for strategy in sorted({r["strategy"] for r in runs}, key=list(STRATEGIES).index):
            these = [r for r in runs if r["task"] == task and r["strategy"] == strategy]
            costs = []
            for r in these:
                hit = next((i for i, b in enumerate(r["best"]) if b >= target - 1e-12), None)
                costs.append(math.inf if hit is None else r["cost"][hit])
            seconds = float(np.median(costs))
            rows[strategy] = {"best": float(np.median([r["best"][-1] for r in these])),
                              "total": float(np.median([r["cost"][-1] for r in these])),
                              "reached": float(np.mean([c < math.inf for c in costs])),
                              "seconds_to_target": seconds, "vs_best_full": seconds / reference}
        out[task] = {"target": target, "best_full": name, "best_full_seconds": reference,
                     "strategies": rows}
    return out


def table(summary: dict) -> str:
    lines = ["| task | strategy | best at the end | reached | fit s to target | best full-fidelity"
             " (fit s) | ratio | total fit s |", "|---|---|---:|---:|---:|---|---:|---:|"]
    for task, data in summary.items():
        for strategy, row in data["strategies"].items():
            secs = row["seconds_to_target"]
            shown = "—" if math.isinf(secs) else f"{secs:.2f}"
            ratio = "—" if math.isinf(secs) else f"{row['vs_best_full']:.2f}"
            lines.append(f"| {task} | {strategy} | {row['best']:.4f} | {row['reached']:.0%} | "
                         f"{shown} | {data['best_full']} ({data['best_full_seconds']:.2f}) | "
                         f"{ratio} | {row['total']:.2f} |")
    return "\n".join(lines)


def _fit_limit(stored: dict, full: tuple[str, ...], factor: float | None) -> dict:
    """The tuning section's time budget for ``--fit-budget`` (nothing without it)."""
    if factor is None:
        return {}
    seconds = min(stored["strategies"][s]["seconds_to_target"] for s in full
                  if s in stored["strategies"])
    return {"time_budget": factor * seconds} if math.isfinite(seconds) else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tasks", nargs="*")
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--against", type=Path, default=HERE / "replay_results.json")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--budget", type=int, default=BUDGET,
                        help=f"evaluations per replay, every rung counted (default {BUDGET})")
    parser.add_argument("--fit-budget", type=float, default=None, metavar="FACTOR",
                        help="a time budget of FACTOR x the best full-fidelity strategy's "
                        "fit time to the target (summed fit time; halving then runs "
                        "brackets of 27), with --budget as the evaluation cap")
    parser.add_argument("--strict", action="store_true",
                        help="the best full-fidelity strategy among " + ", ".join(STRICT) +
                        " (default: " + ", ".join(FULL) + ", as the issue defines it)")
    parser.add_argument("--with-tpe", action="store_true",
                        help="also halving with the TPE sampler (slower)")
    options = parser.parse_args()
    if options.with_tpe:
        STRATEGIES.update(EXTRA)
    tasks = options.tasks or sorted(
        [p.stem for p in (HERE / "grids" / "curves").glob("*.csv")] +
        [p.stem for p in (HERE / "grids").glob("rf_*.csv")])
    seeds = range(options.first_seed, options.first_seed + options.seeds)
    against = json.loads(options.against.read_text())
    full = STRICT if options.strict else FULL
    limits = {t: _fit_limit(against[t], full, options.fit_budget) for t in tasks}
    work = [(t, s, seed, {**spec, "budget": options.budget, **limits[t]}) for t in tasks
            for s, spec in STRATEGIES.items() for seed in seeds]
    started = time.time()
    with ProcessPoolExecutor(options.jobs) as pool:
        runs = list(pool.map(run_one, work, chunksize=4))
    summary = summarise(runs, against, full)
    for task in summary:
        summary[task]["spearman"] = objective(task).spearman()
    if options.out:
        options.out.write_text(json.dumps(summary, indent=1))
    print(table(summary))
    print("\n| task | Spearman 1/27 | 1/9 | 1/3 (with full fidelity, grid configs) |")
    print("|---|---:|---:|---:|")
    for task, data in summary.items():
        rho = [data["spearman"][f] for f in sorted(data["spearman"])]
        print(f"| {task} | " + " | ".join(f"{r:.2f}" for r in rho) + " |")
    for strategy in STRATEGIES:
        hits = sum(d["strategies"][strategy]["vs_best_full"] <= 0.3 for d in summary.values())
        print(f"- {strategy}: target reached in <= 0.3 x the best full-fidelity strategy's fit "
              f"time on {hits}/{len(summary)} tasks")
    if options.fit_budget is not None:
        print(f"(time budget: {options.fit_budget:g} x the best full-fidelity strategy's fit "
              f"time to the target; evaluation cap {options.budget})")
    print(f"\n{len(work)} replays of {options.budget} evaluations in "
          f"{time.time() - started:.0f} s ({options.jobs} processes, "
          f"seeds {seeds.start}-{seeds.stop - 1})")


if __name__ == "__main__":
    main()
