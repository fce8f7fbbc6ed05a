"""Fixtures of the tuning tests: a workspace with the toy plugins, jobs, a shared executor."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from modelmap.execution import LocalExecutor

HERE = Path(__file__).parent


@pytest.fixture
def toy_ws(tmp_path: Path) -> Path:
    """A workspace whose plugins are the toy classifier and the flipped_test dataset."""
    root = tmp_path / "ws"
    (root / "jobs").mkdir(parents=True)
    shutil.copytree(HERE / "fixtures" / "plugins", root / "plugins")
    (root / "modelmap.toml").write_text('[store]\nurl = "modelmap.db"\n', encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def executor() -> Iterator[LocalExecutor]:
    """One worker process reused by the tests of a module (starting one takes a second)."""
    with LocalExecutor(1) as pool:
        yield pool


def toy_job(title: str = "Toy", *, tuning: dict | None = None, dataset: str = "flipped_test",
            depth: dict | None = None, **fixed: Any) -> dict:
    """A tuning job over the toy classifier: depth (int) and flip (categorical) tuned."""
    classifier = {
        "title": "Toy d{depth} f{flip}",
        "method": "toy",
        "depth": depth or {"tune": True, "type": "int", "min": 1, "max": 8, "initial": 2,
                           "sigma": 2},
        "flip": {"tune": True, "type": "categorical", "values": [False, True],
                 "initial": False},
        **fixed,
    }
    return {"data": {"title": title, "dataset": dataset, "random_state": 3},
            "tuning": {"budget": 6, **(tuning or {})}, "classifiers": [classifier]}


def write(folder: Path, name: str, job: dict) -> Path:
    path = folder / "jobs" / f"{name}.json"
    path.write_text(json.dumps(job, indent=2), encoding="utf-8")
    return path


Objective = Callable[[dict], tuple[float, float]]
