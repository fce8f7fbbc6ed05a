"""``job.data`` is the validated, typed data section (issue 12 item 4), and still reads as the
mapping of the same keys and values that content keys are made of."""

from __future__ import annotations

import pickle
from collections.abc import Mapping

import modelmap as mm
from modelmap.batch import data_args
from modelmap.jobs import DATA_DEFAULTS, NOT_IN_KEY, DataSection

JOB = {"data": {"title": "T", "dataset": "sklearn_iris", "timeout": 5, "tuning_rounds": 2},
       "classifiers": [{"title": "Naive", "method": "naive"}]}


def test_typed_fields_with_the_defaults_of_the_model():
    data = mm.load_job(JOB).data
    assert isinstance(data, DataSection) and isinstance(data, Mapping)
    assert (data.dataset, data.random_state, data.test_size, data.timeout) == (
        "sklearn_iris", 42, 0.2, 5.0)
    assert DATA_DEFAULTS["random_state"] == 42 and DATA_DEFAULTS["test_size"] == 0.2
    assert data.cv is None and data.missing is None


def test_the_mapping_holds_what_the_dict_held():
    data = mm.load_job(JOB).data
    assert data["dataset"] == "sklearn_iris" and data.get("nope", 1) == 1
    assert "missing" not in data and "cv" in data  # table options are left out when None
    assert dict(data) == {k: data[k] for k in data} and len(data) == len(dict(data))
    assert data == dict(data) and hash(data) == hash(mm.load_job(JOB).data)
    assert pickle.loads(pickle.dumps(data)) == data


def test_one_list_of_keys_left_out_of_the_data_key():
    job = mm.load_job(JOB)
    args = data_args(job)
    assert set(NOT_IN_KEY) == {"timeout", "tuning_rounds", "tuning_population",
                               "tuning_offspring"}
    assert not set(NOT_IN_KEY) & set(args) and args == job.data.key_args()
    assert set(args) | set(NOT_IN_KEY) == set(job.data)
    changed = mm.load_job({**JOB, "data": {**JOB["data"], "timeout": 50}})
    assert data_args(changed) == args  # a new timeout trains nothing again
