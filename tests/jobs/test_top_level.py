"""The top level of a job: required sections, unknown keys, and list shapes."""

from __future__ import annotations

from ._helpers import DATA, error_of

SKELETON = (
    '  hint: a job file is an object like {"data": {"title": "...", "dataset": "..."}, '
    '"classifiers": [...]}; create one with `modelmap init`'
)


def test_missing_sections() -> None:
    assert error_of({"projections": []}) == (
        f'<job>: data: missing; a job needs "data" and "classifiers"\n{SKELETON}\n'
        f'<job>: classifiers: missing; a job needs "data" and "classifiers"\n{SKELETON}'
    )


def test_unknown_keys_list_the_valid_ones() -> None:
    source = {"data": DATA, "classifier": [], "classifiers": [{"title": "N", "method": "naive"}],
              "my notes": 1}
    assert error_of(source) == (
        "<job>: classifier: unknown top-level key (did you mean 'classifiers'?)\n"
        "  hint: valid keys are: data, projections, classifiers\n"
        '<job>: ["my notes"]: unknown top-level key\n'
        "  hint: valid keys are: data, projections, classifiers"
    )


def test_sections_must_be_lists_and_classifiers_non_empty() -> None:
    assert error_of({"data": DATA, "classifiers": {}, "projections": None}) == (
        "<job>: projections: must be a list of configurations; got null\n"
        "<job>: classifiers: must be a list of configurations; got {}"
    )
    assert error_of({"data": DATA, "classifiers": []}) == (
        "<job>: classifiers: is empty; a job needs at least one classifier\n"
        '  hint: e.g. "classifiers": [{"title": "Naive", "method": "naive"}]'
    )


def test_error_lists_every_problem_and_keeps_them() -> None:
    from modelmap.errors import JobError
    from modelmap.jobs import load_job

    try:
        load_job({"data": {}, "classifiers": [{"title": "x"}]})
    except JobError as error:
        assert [(p.path, p.message) for p in error.problems] == [  # type: ignore[attr-defined]
            ("data.title", 'missing; add e.g. "title": "My experiment"'),
            ("data.dataset", 'missing; add e.g. "dataset": "iris"'),
            ("classifiers[0]", "\"method\" is missing; every configuration needs the plugin's name"),
        ]
        assert error.where == "<job>: data.title"
    else:
        raise AssertionError("no JobError")
