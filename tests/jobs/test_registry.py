"""Checks against a plugin registry: names, suggestions, and unknown-parameter notices."""

from __future__ import annotations

from modelmap.jobs import load_job

from ._helpers import FakeRegistry, error_of, job, meta


def test_unknown_plugin_names_list_the_available_ones() -> None:
    source = job(
        {"title": "K", "method": "kneigbors"},
        {"title": "X", "method": "xgboost"},
        data={"title": "t", "dataset": "irsi"},
        projections=[{"title": "T", "method": "tnse"}],
    )
    assert error_of(source, registry=FakeRegistry()) == (
        "<job>: data.dataset: unknown dataset 'irsi' (did you mean 'iris'?); "
        "available: iris, name_of_your_dataset, table\n"
        "<job>: projections[0].method: unknown projection 'tnse' (did you mean 'tsne'?); "
        "available: pca, tsne\n"
        "<job>: classifiers[0].method: unknown classifier 'kneigbors' (did you mean "
        "'kneighbors'?); available: anything, kneighbors, mlpc_keras, naive, optimal, svm\n"
        "<job>: classifiers[1].method: unknown classifier 'xgboost'; "
        "available: anything, kneighbors, mlpc_keras, naive, optimal, svm"
    )


def test_names_are_not_checked_without_a_registry() -> None:
    assert load_job(job({"title": "X", "method": "xgboost"})).classifiers[0].method == "xgboost"


def test_plugin_checks_are_reported_with_other_problems() -> None:
    source = job({"title": "K {k}", "method": "kneigbors"}, data={"title": "t/1", "dataset": "irsi"})
    assert error_of(source, registry=FakeRegistry()) == (
        "<job>: data.title: must not contain \"/\" (the title is used to name files); got \"t/1\"\n"
        "<job>: classifiers[0].title: placeholder '{k}' names no parameter of this configuration; "
        "it has no parameters\n"
        "<job>: data.dataset: unknown dataset 'irsi' (did you mean 'iris'?); "
        "available: iris, name_of_your_dataset, table"
    )


def test_unknown_parameters_are_notices() -> None:
    source = job(
        {"title": "K {n_neighbour}", "method": "kneighbors", "n_neighbour": meta(values=[1, 2])},
        {"title": "S", "method": "svm", "C": 1, "gamma": "auto"},
        {"title": "A", "method": "anything", "whatever": 1},
        {"title": "S", "method": "svm", "C": 1, "gamma": "auto"},
        projections=[{"title": "P", "method": "pca", "n_components": 2}],
    )
    loaded = load_job(source, registry=FakeRegistry())
    assert loaded.unknown_parameters == (
        "projections[0]: pca has no parameter 'n_components'; it is passed to the plugin unchanged",
        "classifiers[0]: kneighbors has no parameter 'n_neighbour' (did you mean 'n_neighbors'?); "
        "it is passed to the plugin unchanged",
        "classifiers[1]: svm has no parameter 'gamma'; it is passed to the plugin unchanged",
        "classifiers[3]: svm has no parameter 'gamma'; it is passed to the plugin unchanged",
    )
    assert loaded.notices == (
        *loaded.unknown_parameters,
        "classifiers[3]: 'S' is the same configuration as classifiers[1]; the two were merged",
    )
    assert [c.args for c in loaded.classifiers[:2]] == [{"n_neighbour": 1}, {"n_neighbour": 2}]
