"""A dotted name in a job file runs no code: meta_learner and the sklearn plugin's estimator."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelmap.tuning._classes import ClassRefused, sklearn_class
from modelmap.errors import JobError
from modelmap.tuning._anticipation import resolve_meta_learner
from tests.conftest import modelmap
from tests.tuning.conftest import toy_job, write

pytestmark = pytest.mark.timeout(120)


def test_tune_refuses_a_meta_learner_that_is_not_a_regressor_and_runs_nothing(
        toy_ws: Path) -> None:
    job = toy_job(tuning={"strategy": "stepwise", "budget": 2,
                          "stepwise": {"meta_learner": "os.abort"}})
    write(toy_ws, "abort", job)
    proc = modelmap("tune", "jobs/abort.json", "-j", "1", cwd=toy_ws, timeout=100)
    assert proc.returncode == 2, proc.stdout + proc.stderr  # was 134: os.abort() ran
    text = " ".join(proc.stderr.split())
    assert "tuning.stepwise.meta_learner: cannot use meta_learner 'os.abort': 'os.abort' is " \
        "not in scikit-learn: only modules of scikit-learn (sklearn.…) are imported for a " \
        "name in a job file" in text
    assert 'hint: give the dotted name of a scikit-learn regressor class, e.g. ' \
        '"sklearn.linear_model.Ridge"' in text
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("spec, reason", [
    ("os.getpid", "'os.getpid' is not in scikit-learn: only modules of scikit-learn "
                  "(sklearn.…) are imported for a name in a job file"),
    ("antigravity.Fly", "'antigravity.Fly' is not in scikit-learn: only modules of "
                        "scikit-learn (sklearn.…) are imported for a name in a job file"),
    ("sklearn.linear_model.LogisticRegression",
     "'sklearn.linear_model.LogisticRegression' is not a scikit-learn regressor class"),
    ("sklearn.utils.check_array", "'sklearn.utils.check_array' is not a scikit-learn "
                                  "regressor class"),
    ("sklearn.nope.Model", "cannot import 'sklearn.nope': No module named 'sklearn.nope'"),
    ("sklearn.linear_model.Nope", "the module 'sklearn.linear_model' has no 'Nope'"),
    ("Ridge", "'Ridge' is not a dotted import path"),
    ("sklearn.linear_model.Ridge()", "'sklearn.linear_model.Ridge()' is not a dotted import "
                                     "path"),
])
def test_meta_learner_names_refused_with_the_field_named(spec: str, reason: str) -> None:
    with pytest.raises(JobError) as info:
        resolve_meta_learner(spec)
    assert str(info.value) == (
        f"tuning.stepwise.meta_learner: cannot use meta_learner {spec!r}: {reason}\n  hint: "
        'give the dotted name of a scikit-learn regressor class, e.g. '
        '"sklearn.linear_model.Ridge"')


def test_a_scikit_learn_regressor_is_accepted() -> None:
    model = resolve_meta_learner("sklearn.neighbors.KNeighborsRegressor")
    assert type(model.steps[-1][1]).__name__ == "KNeighborsRegressor"


def test_nothing_outside_scikit_learn_is_imported(monkeypatch) -> None:
    import importlib

    imported = []
    monkeypatch.setattr(importlib, "import_module",
                        lambda name, *a: imported.append(name) or pytest.fail(name))
    with pytest.raises(ClassRefused):
        sklearn_class("subprocess.Popen")
    with pytest.raises(ClassRefused):
        sklearn_class("sklearnx.Popen")
    assert imported == []
