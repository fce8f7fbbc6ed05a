"""The small public API a notebook user reaches for."""

from __future__ import annotations

import pytest

import modelmap

pytestmark = pytest.mark.timeout(180)


def test_run_job_from_a_dict_and_read_a_dataframe(tmp_path):
    job = {
        "data": {"title": "API", "dataset": "sklearn_wine", "scale": True},
        "classifiers": [
            {"title": "KNN {n_neighbors}", "method": "kneighbors",
             "n_neighbors": {"is_meta": True, "values": [1, 5]}},
            {"title": "Naive", "method": "naive"},
        ],
    }
    report = modelmap.run_job(job, store=tmp_path / "s.db", n_jobs=2)
    assert (report.trained, report.skipped, report.n_errors) == (3, 0, 0)
    df = modelmap.Store(tmp_path / "s.db").results(job="API")
    assert sorted(df["title"]) == ["KNN 1", "KNN 5", "Naive"]
    assert df.set_index("title").loc["KNN 1", "param_n_neighbors"] == 1
    again = modelmap.run_job(job, store=tmp_path / "s.db", n_jobs=2)
    assert (again.trained, again.skipped) == (0, 3)


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        modelmap.nope  # noqa: B018


def test_tuning_is_part_of_the_public_api():
    from modelmap.tuning import StepSearchCV, tune

    assert modelmap.StepSearchCV is StepSearchCV and modelmap.tune is tune
