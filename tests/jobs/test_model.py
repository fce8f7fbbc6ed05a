"""Config and Job records: arguments for plugins, equality, hashing and to_dict."""

from __future__ import annotations

import dataclasses

import pytest

from modelmap.jobs import Config, load_job

from ._helpers import DATA, job, meta


def test_as_args_gives_plugins_a_fresh_copy() -> None:
    config = Config("MLP", "mlpc", {"sizes": [10, 10], "title": "ignored"}, "classifiers[0]")
    args = config.as_args()
    assert args == {"sizes": [10, 10], "title": "MLP", "method": "mlpc"}
    args["sizes"].append(5)
    assert config.args["sizes"] == [10, 10]


def test_configs_are_frozen_and_compare_without_source() -> None:
    one = Config("K", "knn", {"k": 1}, "classifiers[0]")
    assert one == Config("K", "knn", {"k": 1}, "classifiers[7]")
    assert one != Config("K", "knn", {"k": 1.0})
    assert len({one, Config("K", "knn", {"k": 1}), Config("K", "knn", {"k": 2})}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.title = "L"  # type: ignore[misc]


def test_to_dict_round_trips_literal_braces_and_objects() -> None:
    source = job(
        {"title": "{{raw}} {k}", "method": "m", "k": meta(values=[{"a": 1}, "{x}"])},
        projections=[{"title": "PCA", "method": "pca"}],
    )
    loaded = load_job(source)
    assert [c.title for c in loaded.classifiers] == ['{raw} {"a": 1}', "{raw} {x}"]
    plain = loaded.to_dict()
    assert plain == {
        "data": loaded.data,
        "projections": [{"title": "PCA", "method": "pca"}],
        "classifiers": [
            {"title": '{{raw}} {{"a": 1}}', "method": "m", "k": {"a": 1}},
            {"title": "{{raw}} {{x}}", "method": "m", "k": "{x}"},
        ],
    }
    again = load_job(plain)
    assert again == loaded and hash(again) == hash(loaded)
    assert again.to_dict() == plain


def test_jobs_differ_when_a_configuration_differs() -> None:
    one = load_job(job({"title": "K", "method": "m", "k": 1}))
    two = load_job(job({"title": "K", "method": "m", "k": 2}))
    assert one != two
    assert one.title == DATA["title"]
