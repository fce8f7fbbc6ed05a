"""``benchmarks/tuning/replay.py`` as a user runs it: a variant against stored results."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "tuning" / "replay.py"


def replay(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--jobs", "1", *args],
                          capture_output=True, text=True, timeout=300)


def test_a_stepwise_variant_replays_against_a_stored_results_file(tmp_path: Path) -> None:
    full = replay("--seeds", "3", "--out", str(tmp_path / "full.json"), "svc_wine")
    assert full.returncode == 0, full.stderr
    stored = json.loads((tmp_path / "full.json").read_text())
    out = tmp_path / "variant.json"
    variant = replay("--seeds", "3", "--only", "stepwise-time", "--stepwise",
                     "tradeoff_scr_per_sec=0.5", "--stepwise", "random_starts=0",
                     "--against", str(tmp_path / "full.json"), "--out", str(out), "svc_wine")
    assert variant.returncode == 0, variant.stderr
    assert "3 replays" in variant.stdout  # only the variant ran
    assert "time trade-off (0.5 per s)" in variant.stdout
    result = json.loads(out.read_text())["svc_wine"]
    assert result["target"] == stored["svc_wine"]["target"]  # the stored random search's
    for strategy in ("random", "evolutionary", "stepwise", "tpe"):
        assert result["strategies"][strategy] == stored["svc_wine"]["strategies"][strategy]
    assert result["strategies"]["stepwise-time"] != stored["svc_wine"]["strategies"][
        "stepwise-time"]  # replayed with other settings


def test_a_variant_without_random_search_needs_a_file_to_compare_with() -> None:
    run = replay("--seeds", "1", "--only", "stepwise", "svc_wine")
    assert run.returncode == 2
    assert "add random to --only, or give --against FILE" in run.stderr
    run = replay("--seeds", "1", "--only", "random", "--stepwise", "random_starts", "svc_wine")
    assert run.returncode == 2 and "expected KEY=VALUE" in run.stderr
