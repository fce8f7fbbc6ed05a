"""Fixtures shared across the suite: temporary workspaces and running the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """An empty workspace with the test plugins (misbehave, …) in plugins/classifiers."""
    root = tmp_path / "ws"
    (root / "jobs").mkdir(parents=True)
    shutil.copytree(FIXTURES / "plugins", root / "plugins")
    (root / "plugins" / "datasets").mkdir(exist_ok=True)
    (root / "modelmap.toml").write_text('[store]\nurl = "modelmap.db"\n', encoding="utf-8")
    return root


def write_job(folder: Path, name: str, job: dict) -> Path:
    path = folder / "jobs" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(job, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def modelmap(*args: str, cwd: Path, timeout: float = 240, env: dict | None = None,
             check: int | None = None) -> subprocess.CompletedProcess:
    """Run the real `modelmap` command in a fresh process."""
    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    full_env.pop("MODELMAP_WORKSPACE", None)
    proc = subprocess.run([sys.executable, "-m", "modelmap", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)
    if check is not None:
        assert proc.returncode == check, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


# The store URL fixtures (SQLite and, with MODELMAP_TEST_POSTGRES_URL, PostgreSQL) are
# shared with every test that needs a store of each kind.
from tests.store.conftest import pg_admin, store_url  # noqa: E402,F401
