"""sys.exit() and KeyboardInterrupt in plugin code are that plugin's failure, not success."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelmap.store import Store
from tests.conftest import modelmap, write_job

pytestmark = pytest.mark.timeout(180)

EXITING_DATA = '''
import sys


def get_info():
    return {'name': 'exiting_data', 'description': 'exits in get_data',
            'class_names': ['a', 'b']}


def get_data(datasets_path):
    HOW
'''

EXITING_CLF = '''
import os
import sys
import uuid

from sklearn.dummy import DummyClassifier

CLF_INFO = {'name': 'exiting', 'short': 'EX', 'description': 'exits in fit',
            'parameters': [
                {'name': 'how', 'description': 'exit, interrupt or ok', 'type': 'string',
                 'range': ['exit', 'exit0', 'interrupt', 'ok'], 'default_value': 'ok'},
                {'name': 'marker_dir', 'description': 'count fits', 'type': 'other',
                 'default_value': None}]}


def get_info():
    return CLF_INFO


def get_clf(args, data_specs):
    return Classifier(args)


class Classifier:
    def __init__(self, args):
        self.how = args.get('how', 'ok')
        self.marker_dir = args.get('marker_dir')
        self.title = args['title']
        self.clf = DummyClassifier()

    def get_info(self):
        return CLF_INFO

    def fit(self, X, y):
        if self.marker_dir:
            open(os.path.join(self.marker_dir, f"{self.title}.{uuid.uuid4().hex}"), 'w').close()
        if self.how == 'exit0':
            sys.exit(0)
        if self.how == 'exit':
            sys.exit("bye")
        if self.how == 'interrupt':
            raise KeyboardInterrupt
        return self.clf.fit(X, y)

    def predict(self, X, y):
        return self.clf.predict(X)
'''


def _dataset(ws: Path, how: str) -> None:
    folder = ws / "plugins" / "datasets" / "exiting_data"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(EXITING_DATA.replace("HOW", how), encoding="utf-8")


@pytest.mark.parametrize("how, said", [
    ("sys.exit(0)", "SystemExit: the plugin called sys.exit(0) at "),
    ("raise KeyboardInterrupt", "KeyboardInterrupt: the plugin raised KeyboardInterrupt at "),
])
def test_get_data_that_exits_fails_the_job_with_status_1(ws, how, said):
    _dataset(ws, how)
    write_job(ws, "a", {"data": {"title": "A", "dataset": "exiting_data"},
                        "classifiers": [{"title": "n", "method": "naive"}]})
    write_job(ws, "b", {"data": {"title": "B", "dataset": "sklearn_iris"},
                        "classifiers": [{"title": "n", "method": "naive"}]})
    proc = modelmap("run", "a", "b", "-j", "1", cwd=ws, check=1)
    text = " ".join(proc.stderr.split())  # rich may wrap the line
    assert "error in job A: dataset plugin 'exiting_data'" in text
    assert f"get_data() failed: {said}" in text
    line = EXITING_DATA.splitlines().index("    HOW") + 1
    assert f"exiting_data/__init__.py:{line} " in text.replace("\\", "/")
    assert "Traceback" not in proc.stderr
    assert len(Store(ws / "modelmap.db").results(job="B")) == 1  # the next job still ran


def test_debug_shows_the_traceback_of_a_get_data_that_exits(ws):
    _dataset(ws, "sys.exit(0)")
    write_job(ws, "a", {"data": {"title": "A", "dataset": "exiting_data"},
                        "classifiers": [{"title": "n", "method": "naive"}]})
    proc = modelmap("run", "a", "-j", "1", "--debug", cwd=ws)
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr and "sys.exit(0)" in proc.stderr


def test_exit_and_interrupt_in_fit_are_failures_with_traceback_never_retried(ws, tmp_path):
    folder = ws / "plugins" / "classifiers" / "exiting"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(EXITING_CLF, encoding="utf-8")
    markers = tmp_path / "markers"
    markers.mkdir()
    write_job(ws, "fit", {"data": {"title": "Fit", "dataset": "sklearn_iris"},
                          "classifiers": [
                              {"title": t, "method": "exiting", "how": t,
                               "marker_dir": str(markers)}
                              for t in ("exit0", "exit", "interrupt", "ok")]})
    proc = modelmap("run", "fit", "-j", "1", "--retries", "2", cwd=ws, check=1)
    df = Store(ws / "modelmap.db").results(job="Fit").set_index("title")
    assert dict(df["status"]) == {"exit0": "failed", "exit": "failed", "interrupt": "failed",
                                  "ok": "ok"}
    assert df.loc["exit0", "error"].startswith("SystemExit: the plugin called sys.exit(0) at ")
    assert df.loc["exit", "error"].startswith("SystemExit: the plugin called sys.exit('bye') at ")
    assert df.loc["interrupt", "error"].startswith(
        "KeyboardInterrupt: the plugin raised KeyboardInterrupt at ")
    line = EXITING_CLF.splitlines().index("            sys.exit(0)") + 1
    assert f"exiting/__init__.py:{line} " in df.loc["exit0", "error"].replace("\\", "/")
    with Store(ws / "modelmap.db") as store:
        full = store.result(df.loc["exit0", "key"])
    assert "Traceback" in full["traceback"] and "sys.exit(0)" in full["traceback"]
    # one fit each: a plugin's own exit is its failure, not a dead worker to retry
    assert sorted(p.name.split(".")[0] for p in markers.iterdir()) == \
        ["exit", "exit0", "interrupt", "ok"]
    assert "failed: Fit / exit0: SystemExit" in " ".join(proc.stderr.split())
