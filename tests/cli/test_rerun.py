"""Rerunning an unchanged job whose dataset is ``static`` skips loading the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from modelmap.store import Store, _schema
from tests.conftest import modelmap, write_job

pytestmark = pytest.mark.timeout(240)

COUNTED = '''
import numpy as np
from pathlib import Path

MARKER = Path({marker!r})


def get_info():
    return {{'name': 'counted', 'description': 'iris-like data that counts its loads',
             'static': {static}}}


def get_data(datasets_path):
    with MARKER.open('a') as f:
        f.write('x')
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(c, 0.3, size=(20, 2)) for c in range(3)])
    y = np.repeat(np.arange(3), 20)
    return {{'X_train': X, 'y_train': y, 'X_test': np.array([]), 'y_test': np.array([]),
             'class_names': ['a', 'b', 'c']}}
'''


def loads(marker: Path) -> int:
    return len(marker.read_text()) if marker.exists() else 0


def job(n: int) -> dict:
    return {"data": {"title": "Counted", "dataset": "counted", "random_state": 1},
            "classifiers": [{"title": f"knn {k}", "method": "kneighbors", "n_neighbors": k}
                            for k in range(1, n + 1)]}


@pytest.mark.parametrize("static", [True, False])
def test_rerun_of_an_unchanged_job_loads_static_data_only_when_needed(ws, tmp_path, static):
    marker = tmp_path / "loads.txt"
    plugin = ws / "plugins" / "datasets" / "counted"
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text(COUNTED.format(marker=str(marker), static=static))
    write_job(ws, "counted", job(2))
    modelmap("run", "counted", "-j", "1", cwd=ws, check=0)
    assert loads(marker) == 1
    again = modelmap("run", "counted", "-j", "1", cwd=ws, check=0)
    assert "2 already in the store (skipped)" in again.stdout
    assert loads(marker) == (1 if static else 2)  # nothing to train: data not even loaded
    if not static:
        return  # any other plugin's data may have changed: it is always loaded

    write_job(ws, "counted", job(3))  # a new config: the data is needed again
    grown = modelmap("run", "counted", "-j", "1", cwd=ws, check=0)
    assert "2 already in the store (skipped)" in grown.stdout
    assert loads(marker) == 2
    modelmap("run", "counted", "-j", "1", "--force", cwd=ws, check=0)
    assert loads(marker) == 3

    store = Store(ws / "modelmap.db")
    assert len(store.results(job="Counted")) == 3
    with store._engine.begin() as conn:  # as if scikit-learn had been upgraded since
        conn.execute(update(_schema.datasets).values(summary={"versions": {"numpy": "0"}}))
    modelmap("run", "counted", "-j", "1", cwd=ws, check=0)
    assert loads(marker) == 4
    assert len(store.results(job="Counted")) == 3 and store.job("Counted")["n_results"] == 3
