"""A config that changes its worker's process state leaves the next config a clean one."""

from __future__ import annotations

import pytest

from modelmap.store import Store
from tests.conftest import modelmap, write_job

pytestmark = pytest.mark.timeout(180)

LEAKY = '''
import logging
import os
import sys
import warnings

import numpy as np
from sklearn.dummy import DummyClassifier

CLF_INFO = {'name': 'leaky', 'short': 'LK', 'description': 'changes process state in fit',
            'parameters': [
                {'name': 'how', 'description': 'leak, leak_and_fail or look',
                 'type': 'string', 'range': ['leak', 'leak_and_fail', 'look'],
                 'default_value': 'look'},
                {'name': 'n', 'description': 'makes configs distinct', 'type': 'integer',
                 'range': [0, 100], 'default_value': 0}]}


def get_info():
    return CLF_INFO


def get_clf(args, data_specs):
    return Classifier(args.get('how', 'look'))


def state():
    root = logging.getLogger()
    mine = logging.getLogger('leaky.plugin')
    return (f"STATE cwd={os.getcwd()} home={os.environ.get('HOME')} "
            f"path={bool(os.environ.get('PATH'))} extra={os.environ.get('LEAKY_EXTRA')} "
            f"syspath0={sys.path[0]} handlers={len(root.handlers)} level={root.level} "
            f"mine={len(mine.handlers)} disable={logging.root.manager.disable} "
            f"numpy={np.geterr()['divide']}")


class Classifier:
    def __init__(self, how):
        self.how = how
        self.clf = DummyClassifier()

    def get_info(self):
        return CLF_INFO

    def fit(self, X, y):
        print(state())
        if self.how.startswith('leak'):
            os.chdir('/')
            os.environ['HOME'] = '/nonexistent'
            os.environ['PATH'] = ''
            os.environ['LEAKY_EXTRA'] = 'yes'
            sys.path.insert(0, '/leaked')
            logging.getLogger().addHandler(logging.StreamHandler())
            logging.getLogger().setLevel(logging.CRITICAL)
            logging.getLogger('leaky.plugin').addHandler(logging.StreamHandler())
            logging.disable(logging.ERROR)
            np.seterr(divide='raise')
            print(state())
        if self.how == 'leak_and_fail':
            raise RuntimeError('failed after leaking')
        return self.clf.fit(X, y)

    def predict(self, X, y):
        return self.clf.predict(X)
'''


def test_the_next_config_on_a_worker_sees_the_state_it_started_with(ws):
    folder = ws / "plugins" / "classifiers" / "leaky"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(LEAKY, encoding="utf-8")
    configs = [{"title": "first", "method": "leaky", "how": "look"},
               {"title": "leaks", "method": "leaky", "how": "leak"},
               *({"title": f"after {n}", "method": "leaky", "how": "look", "n": n}
                 for n in (1, 2)),
               {"title": "leaks and fails", "method": "leaky", "how": "leak_and_fail"},
               {"title": "after 3", "method": "leaky", "how": "look", "n": 3}]
    write_job(ws, "leaky", {"data": {"title": "Leaky", "dataset": "sklearn_iris"},
                            "classifiers": configs})
    # one worker: every config runs in the same process, in the job's order
    modelmap("run", "leaky", "-j", "1", cwd=ws, check=1)
    df = Store(ws / "modelmap.db").results(job="Leaky").set_index("title")
    with Store(ws / "modelmap.db") as store:
        logs = {title: [line for line in store.result(key)["log"].splitlines()
                        if line.startswith("STATE")] for title, key in df["key"].items()}
    seen = logs["first"][0]
    assert "cwd=/ " not in seen and "extra=None" in seen and "numpy=warn" in seen
    assert logs["leaks"][0] == seen and "home=/nonexistent" in logs["leaks"][1]
    for title in ("after 1", "after 2", "after 3"):
        assert logs[title] == [seen], title
    assert logs["leaks and fails"][0] == seen
    assert df.loc["leaks and fails", "status"] == "failed"
