"""Replay every tuning strategy against the precomputed grids — no training, many seeds.

Each task's search space spans its grid (log scale where the grid is logarithmic); a
proposed config is scored by linear interpolation of the grid's 3-fold CV accuracy and
fit time (in the space's coordinates), so every strategy sees the same continuous
surrogate.  Every strategy starts at the same random point of the space for a given seed
(a different one per seed), so no strategy profits from a lucky fixed start.

Reported per task and strategy (medians over seeds):

* best validation score after 25, 50 and 100 evaluations;
* evaluations needed to reach random search's median best at 100 (and that / 100);
* cumulative fit time (3 folds) spent until that target is reached.

    python benchmarks/tuning/replay.py                  # 30 seeds, all tasks, all cores
    python benchmarks/tuning/replay.py --seeds 5 svc_digits
    python benchmarks/tuning/replay.py --first-seed 90 --out /tmp/held_out.json  # seeds 90-119
    # a variant of the stepwise defaults, against the stored results of seeds 0-29:
    python benchmarks/tuning/replay.py --only stepwise,stepwise-time \
        --stepwise adapt_steps=false --against benchmarks/tuning/replay_results.json

The settings the strategies use here (the stepwise defaults, the evolutionary population,
the time trade-off) were chosen on seeds 0-89 (see benchmarks/README.md); ``--first-seed
90`` replays seeds no setting was chosen on, to check that a result is not an accident of
those.
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
from scipy.interpolate import RegularGridInterpolator

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

from modelmap.tuning import load_tuning_job  # noqa: E402
from modelmap.tuning._replay import replay  # noqa: E402

BUDGET = 100
CHECKPOINTS = (25, 50, 100)
LOG = {"C", "gamma", "n_estimators", "max_depth", "width", "alpha", "learning_rate_init"}
INTS = {"n_estimators", "max_depth", "width"}
# stepwise-time: 1 s of mean fit time saved is worth 0.002 accuracy — picked on this
# benchmark among 0.002, 0.005 and 0.02 (see benchmarks/README.md)
TRADEOFF = 0.002
STRATEGIES = {
    "random": {"strategy": "random"},
    "evolutionary": {"strategy": "evolutionary"},
    "stepwise": {"strategy": "stepwise"},
    "stepwise-time": {"strategy": "stepwise", "stepwise": {"tradeoff_scr_per_sec": TRADEOFF}},
    "tpe": {"strategy": "tpe"},
}


class Surface:
    """Score and fit time of a grid, interpolated linearly in the space's coordinates."""

    def __init__(self, path: Path) -> None:
        with open(path) as handle:
            rows = list(csv.DictReader(handle))
        self.names = [k for k in rows[0] if k not in ("score", "fit_time")]
        axes = [sorted({float(r[n]) for r in rows}) for n in self.names]
        self.axes = axes
        shape = tuple(len(a) for a in axes)
        score, fit = np.zeros(shape), np.zeros(shape)
        for r in rows:
            index = tuple(a.index(float(r[n])) for n, a in zip(self.names, axes))
            score[index], fit[index] = float(r["score"]), float(r["fit_time"])
        coords = [self._scale(n, np.array(a)) for n, a in zip(self.names, axes)]
        self.score = RegularGridInterpolator(coords, score)
        self.fit = RegularGridInterpolator(coords, fit)
        self.best = float(score.max())

    @staticmethod
    def _scale(name: str, values):
        return np.log10(values) if name in LOG else values

    def __call__(self, family: int, values: dict) -> tuple[float, float]:
        point = [float(self._scale(n, np.float64(values[n]))) for n in self.names]
        return float(self.score(point)[0]), float(self.fit(point)[0])

    def job(self, task: str, options: dict, seed: int) -> dict:
        """The tuning job of this task; the start is a random point, the same for every
        strategy with the same seed."""
        rng = np.random.default_rng(10_000 + seed)
        params = {}
        for name, axis in zip(self.names, self.axes):
            kind = "int" if name in INTS else "float"
            low, high = (int(axis[0]), int(axis[-1])) if kind == "int" else (axis[0], axis[-1])
            lo, hi = self._scale(name, np.float64(low)), self._scale(name, np.float64(high))
            start = lo + rng.random() * (hi - lo)
            start = 10 ** start if name in LOG else start
            start = int(round(start)) if kind == "int" else float(f"{start:.4g}")
            params[name] = {"tune": True, "type": kind, "min": low, "max": high,
                            "log": name in LOG, "initial": min(max(start, low), high)}
        title = " ".join(f"{{{n}}}" for n in self.names)
        tuning = {"budget": BUDGET, **options}
        # evolutionary: 3 kept, 6 offspring each (5 new per kept config), sigma a tenth of
        # the range (the default) — chosen on a 16-seed pilot, see benchmarks/README.md
        return {"data": {"title": task, "dataset": task, "tuning_rounds": 1000,
                         "tuning_population": 3, "tuning_offspring": 6},
                "tuning": tuning, "classifiers": [{"title": title, "method": task, **params}]}


def run_one(args: tuple[str, str, int, dict]) -> dict:
    task, strategy, seed, options = args
    surface = Surface(HERE / "grids" / f"{task}.csv")
    tjob = load_tuning_job(surface.job(task, options, seed))
    settings = dataclasses.replace(tjob.settings, random_state=seed)
    trials = replay(tjob.space, settings, surface, budget=BUDGET, folds=3)
    scores = [t.score for t in trials]
    costs = [t.seconds for t in trials]  # 3 folds x mean fit time
    return {"task": task, "strategy": strategy, "seed": seed,
            "best": np.maximum.accumulate(scores).tolist(), "cost": np.cumsum(costs).tolist()}


def summarise(runs: list[dict], tasks: list[str], against: dict | None = None) -> dict:
    """Per task: the target and each strategy's row; with ``against`` (an earlier results
    file of the same seeds) the target and the strategies not replayed now come from it."""
    out: dict = {}
    for task in tasks:
        mine = [r for r in runs if r["task"] == task]
        if against is not None:
            target = against[task]["target"]
            out[task] = {"target": target, "strategies": dict(against[task]["strategies"])}
        else:
            randoms = [r["best"][min(BUDGET, len(r["best"])) - 1] for r in mine
                       if r["strategy"] == "random"]
            target = float(np.median(randoms))
            out[task] = {"target": target, "strategies": {}}
        for strategy in STRATEGIES:
            these = [r for r in mine if r["strategy"] == strategy]
            if not these:
                continue
            row = {f"best@{n}": float(np.median([r["best"][min(n, len(r["best"])) - 1]
                                                 for r in these])) for n in CHECKPOINTS}
            evals, costs = [], []
            for r in these:
                hit = next((i for i, b in enumerate(r["best"]) if b >= target - 1e-12), None)
                evals.append(math.inf if hit is None else hit + 1)
                costs.append(math.inf if hit is None else r["cost"][hit])
            row["evals_to_target"] = float(np.median(evals))
            row["ratio"] = row["evals_to_target"] / BUDGET
            row["reached"] = float(np.mean([e < math.inf for e in evals]))
            row["seconds_to_target"] = float(np.median(costs))
            out[task]["strategies"][strategy] = row
    return out


def table(summary: dict) -> str:
    lines = ["| task | strategy | best@25 | best@50 | best@100 | evals to target | ratio | "
             "reached | fit s to target |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for task, data in summary.items():
        for strategy, row in data["strategies"].items():
            evals = "—" if math.isinf(row["evals_to_target"]) else f"{row['evals_to_target']:g}"
            ratio = ">1" if math.isinf(row["ratio"]) else f"{row['ratio']:.2f}"
            secs = "—" if math.isinf(row["seconds_to_target"]) else \
                f"{row['seconds_to_target']:.2f}"
            lines.append(f"| {task} | {strategy} | {row['best@25']:.4f} | {row['best@50']:.4f} |"
                         f" {row['best@100']:.4f} | {evals} | {ratio} | "
                         f"{row['reached']:.0%} | {secs} |")
    return "\n".join(lines)


def verdict(summary: dict, tradeoff: float = TRADEOFF) -> str:
    """The issue's four targets, each for which every strategy it needs was replayed."""
    tasks, n = list(summary), len(summary)

    def count(test, *needed: str) -> int | None:
        if any(s not in summary[t]["strategies"] for t in tasks for s in needed):
            return None
        return sum(bool(test(summary[t]["strategies"])) for t in tasks)

    checks = [
        (count(lambda r: r["stepwise"]["ratio"] <= 0.5, "stepwise"),
         "stepwise reaches random search's median best@100 in <= 0.5 x the evaluations on "
         "{}/{} tasks (target: a majority)"),
        (count(lambda r: r["evolutionary"]["ratio"] <= 0.5, "evolutionary"),
         "evolutionary does so on {}/{} tasks (target: a majority)"),
        (count(lambda r: r["stepwise"]["best@100"] >= 0.99 * r["tpe"]["best@100"],
               "stepwise", "tpe"),
         "stepwise's median best@100 is within 1 % of TPE's on {}/{} tasks"),
        (count(lambda r: r["stepwise-time"]["seconds_to_target"]
               < r["tpe"]["seconds_to_target"], "stepwise-time", "tpe"),
         f"stepwise with the time trade-off ({tradeoff:g} per s) reaches the target in less "
         "cumulative fit time than TPE on {}/{} tasks"),
    ]
    return "\n".join(f"- {text.format(k, n)}" for k, text in checks if k is not None)


def _strategy_list(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in STRATEGIES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown strategy {', '.join(unknown) or '(none)'};"
                                         f" choose from {', '.join(STRATEGIES)}")
    return names


def _stepwise_settings(items: list[str], parser: argparse.ArgumentParser) -> dict:
    """The ``--stepwise KEY=VALUE`` settings (values in JSON)."""
    settings = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--stepwise {item}: expected KEY=VALUE")
        try:
            settings[key] = json.loads(value)
        except json.JSONDecodeError:
            parser.error(f"--stepwise {item}: the value must be JSON (e.g. 0, 0.5, true)")
    return settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tasks", nargs="*")
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--first-seed", type=int, default=0,
                        help="seeds first-seed .. first-seed + seeds - 1 (default 0)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--out", type=Path,
                        help="results file (default: replay_results.json here for a full "
                        "replay; nothing is written for a variant)")
    parser.add_argument("--only", type=_strategy_list, metavar="STRATEGY[,STRATEGY...]",
                        help=f"replay only these, comma-separated ({', '.join(STRATEGIES)})")
    parser.add_argument("--stepwise", action="append", default=[], metavar="KEY=VALUE",
                        help="a stepwise setting for stepwise and stepwise-time, the value "
                        "in JSON, e.g. --stepwise random_starts=0 (repeatable)")
    parser.add_argument("--against", type=Path, metavar="FILE",
                        help="take the targets and the strategies not replayed from FILE, "
                        "an earlier results file of the same seeds")
    options = parser.parse_args()
    variant = bool(options.only or options.stepwise)
    if options.only and "random" not in options.only and options.against is None:
        parser.error("the targets come from random search: add random to --only, or give "
                     "--against FILE (e.g. benchmarks/tuning/replay_results.json)")
    extra = _stepwise_settings(options.stepwise, parser)
    strategies = {name: {**spec, "stepwise": {**spec.get("stepwise", {}), **extra}}
                  if spec["strategy"] == "stepwise" else spec
                  for name, spec in STRATEGIES.items()
                  if not options.only or name in options.only}
    tasks = options.tasks or sorted(p.stem for p in (HERE / "grids").glob("*.csv"))
    against = json.loads(options.against.read_text()) if options.against else None
    seeds = range(options.first_seed, options.first_seed + options.seeds)
    work = [(t, s, seed, spec) for t in tasks for s, spec in strategies.items() for seed in seeds]
    started = time.time()
    with ProcessPoolExecutor(options.jobs) as pool:
        runs = list(pool.map(run_one, work, chunksize=4))
    summary = summarise(runs, tasks, against)
    out = options.out or (None if variant else HERE / "replay_results.json")
    if out is not None:
        out.write_text(json.dumps(summary, indent=1))
    print(table(summary))
    print()
    time_spec = strategies.get("stepwise-time", STRATEGIES["stepwise-time"])
    print(verdict(summary, time_spec["stepwise"]["tradeoff_scr_per_sec"]))
    print(f"\n{len(work)} replays of {BUDGET} evaluations in {time.time() - started:.0f} s "
          f"({options.jobs} processes)")


if __name__ == "__main__":
    main()
