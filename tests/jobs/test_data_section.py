"""The data section: defaults, and one message per problem with its JSON path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from modelmap.jobs import load_job

from ._helpers import error_of, job

NAIVE = {"title": "Naive", "method": "naive"}
VALID_KEYS = (
    "  hint: valid keys are: title, dataset, subset_train, subset_test, test_size, scale, "
    "random_state, disable_cross_validation, save_clfs_for_folds, cv, timeout, path, label, "
    "features, categorical, missing, text, sheet, delimiter, encoding, save_train_predictions, "
    "tuning_rounds, tuning_population, tuning_offspring"
)


def data_error(**data: Any) -> str:
    return error_of(job(NAIVE, data={"title": "t", "dataset": "iris", **data}))


def test_message_starts_with_the_file_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "x.json").write_text(
        '{"data": {"title": "t", "dataset": "iris", "test_size": 1.5},'
        ' "classifiers": [{"title": "N", "method": "naive"}]}',
        encoding="utf-8",
    )
    assert error_of("jobs/x.json") == "jobs/x.json: data.test_size: must be a number in [0, 1); got 1.5"


def test_all_keys_are_kept_with_their_types() -> None:
    data = {
        "title": "Table run 1", "dataset": "table", "subset_train": 500, "subset_test": 0.5,
        "test_size": 0, "scale": True, "random_state": 7, "disable_cross_validation": True,
        "save_clfs_for_folds": True, "cv": 5, "timeout": 60, "path": "data/x.csv",
        "label": 3, "features": ["a", 2], "tuning_rounds": 3, "tuning_population": 10,
        "tuning_offspring": 5,
    }
    loaded = load_job(job(NAIVE, data=data)).data
    assert loaded == {**data, "test_size": 0.0, "timeout": 60.0}
    assert type(loaded["subset_train"]) is int and type(loaded["subset_test"]) is float
    assert type(loaded["test_size"]) is float


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"subset_train": 0}, "data.subset_train: must be a fraction in (0, 1] or a whole sample count > 1; got 0"),
        ({"subset_test": 1.5}, "data.subset_test: must be a fraction in (0, 1] or a whole sample count > 1; got 1.5"),
        ({"subset_train": "all"}, 'data.subset_train: must be a fraction in (0, 1] or a whole sample count > 1; got "all"'),
        ({"test_size": -0.1}, "data.test_size: must be a number in [0, 1); got -0.1"),
        ({"test_size": "0.2"}, 'data.test_size: must be a number in [0, 1); got "0.2"'),
        ({"scale": 1}, "data.scale: must be true or false; got 1"),
        ({"disable_cross_validation": "no"}, 'data.disable_cross_validation: must be true or false; got "no"'),
        ({"random_state": -1}, "data.random_state: must be an integer in [0, 4294967295]; got -1"),
        ({"random_state": 4.0}, "data.random_state: must be an integer in [0, 4294967295]; got 4.0"),
        ({"random_state": True}, "data.random_state: must be an integer in [0, 4294967295]; got true"),
        ({"cv": 1}, "data.cv: must be an integer >= 2 (the number of stratified folds) or null; got 1"),
        ({"timeout": 0}, "data.timeout: must be a number of seconds > 0 or null; got 0"),
        ({"path": 3}, "data.path: must be a string (a file path) or null; got 3"),
        ({"label": 1.5}, "data.label: must be a string or integer (the label column) or null; got 1.5"),
        ({"features": "a"}, 'data.features: must be a list of column names or numbers, or null; got "a"'),
        ({"features": ["a", True]}, "data.features[1]: must be a string or an integer; got true"),
        ({"tuning_rounds": 0}, "data.tuning_rounds: must be an integer >= 1 or null; got 0"),
        ({"dataset": ""}, "data.dataset: must not be empty"),
        ({"dataset": 5}, "data.dataset: must be a non-empty string (the name of a dataset plugin); got 5"),
        ({"title": 5}, "data.title: must be a non-empty string (the job's name); got 5"),
        ({"title": "  "}, "data.title: must not be empty"),
        ({"title": "a/b"}, 'data.title: must not contain "/" (the title is used to name files); got "a/b"'),
        ({"title": "a\\b"}, 'data.title: must not contain "\\" (the title is used to name files); got "a\\\\b"'),
        ({"title": "a\0b"}, 'data.title: must not contain a NUL character (the title is used to name files); got "a\\u0000b"'),
        ({"title": "a\nb"}, 'data.title: must not contain control characters such as line breaks or tabs; got "a\\nb"'),
        ({"title": " a"}, 'data.title: must not start or end with a space; got " a"'),
    ],
)
def test_invalid_values(data: dict, message: str) -> None:
    assert data_error(**data) == f"<job>: {message}"


def test_unknown_keys_suggest_the_closest_one() -> None:
    assert data_error(tset_size=0.1, colour="red") == (
        f"<job>: data.tset_size: unknown key (did you mean 'test_size'?)\n{VALID_KEYS}\n"
        f"<job>: data.colour: unknown key\n{VALID_KEYS}"
    )


def test_all_problems_are_reported_at_once() -> None:
    assert error_of(job(NAIVE, data={"test_size": 2, "scale": "yes"})) == (
        '<job>: data.title: missing; add e.g. "title": "My experiment"\n'
        '<job>: data.dataset: missing; add e.g. "dataset": "iris"\n'
        "<job>: data.test_size: must be a number in [0, 1); got 2\n"
        '<job>: data.scale: must be true or false; got "yes"'
    )


def test_data_must_be_an_object() -> None:
    assert error_of({"data": ["iris"], "classifiers": [NAIVE]}) == (
        '<job>: data: must be an object; got ["iris"]\n'
        '  hint: e.g. "data": {"title": "My experiment", "dataset": "iris"}'
    )
