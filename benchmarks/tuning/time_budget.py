"""How well ``--time-budget`` holds: ``modelmap.tuning.tune`` on the digits tuning example
(SVC and MLP, subsample fidelity for halving/hyperband) with budgets of a few sizes.

Per strategy and budget: the search's wall time (from the first candidate to the last
result, what the budget limits; ``TuningResult.seconds``) over the budget, the stop
reason, whether the run ended with a full-fidelity result, and the whole call's wall time
(data, the chosen configs' test-set scoring after the search included; the workers are
started by a 2-candidate run before anything is timed).
The budget is held when the search's wall time is at most 1.05 x the budget.

    python benchmarks/tuning/time_budget.py                      # 10 and 30 s, 2 workers
    python benchmarks/tuning/time_budget.py --budgets 20 --strategies halving
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "src"))

from modelmap.execution import LocalExecutor  # noqa: E402
from modelmap.tuning import tune  # noqa: E402


def job_text(strategy: str) -> str:
    text = (ROOT / "examples" / "jobs" / "tuning_digits.json").read_text(encoding="utf-8")
    text = re.sub(r'"strategy": "stepwise"', f'"strategy": "{strategy}"', text)
    return re.sub(r'"budget": 40', '"budget": 1000', text)  # the time budget ends it


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", type=float, nargs="+", default=[10, 30])
    parser.add_argument("--strategies", nargs="+", default=["halving", "hyperband", "tpe"])
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    warnings.simplefilter("ignore")
    print(f"load average before: {os.getloadavg()}")
    print("| strategy | budget s | search s | search / budget | stop | full-fidelity result |"
          " candidates | whole call s |")
    print("|---|---:|---:|---:|---|---|---:|---:|")
    folder = Path(tempfile.mkdtemp(prefix="mm-budget-"))
    try:
        with LocalExecutor(options.jobs) as executor:
            warm = folder / "warm.json"  # start the workers before any budget is timed
            warm.write_text(job_text("random"), encoding="utf-8")
            tune(warm, workspace=folder, store=folder / "m.db", executor=executor, budget=2,
                 outputs=False)
            for strategy in options.strategies:
                for budget in options.budgets:
                    path = folder / f"{strategy}_{budget:g}.json"
                    path.write_text(job_text(strategy), encoding="utf-8")
                    started = time.time()
                    result = tune(path, workspace=folder, store=folder / "m.db",
                                  executor=executor, time_budget=budget, outputs=False)
                    whole = time.time() - started
                    best = result.best
                    full = best is not None and (best.candidate.fidelity or 1.0) >= 1
                    print(f"| {strategy} | {budget:g} | {result.seconds:.1f} | "
                          f"{result.seconds / budget:.3f} | {result.stop_reason} | "
                          f"{'yes' if full else 'no'} | {len(result.trials)} | {whole:.1f} |",
                          flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
