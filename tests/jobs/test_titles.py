"""Title placeholders, literal braces, and titles that collide."""

from __future__ import annotations

from typing import Any

import pytest

from modelmap.jobs import load_job

from ._helpers import error_of, job, meta, titles


def entry(title: str, **params: Any) -> dict:
    return {"title": title, "method": "m", **params}


@pytest.mark.parametrize(
    ("title", "params", "expected"),
    [
        ("KNN {k}", {"k": 3}, "KNN 3"),
        ("{s} {b} {n}", {"s": "relu", "b": False, "n": None}, "relu False None"),
        ("lr {lr}", {"lr": 0.1 + 0.2}, "lr 0.3"),
        ("lr {lr}", {"lr": 1e-05}, "lr 1e-05"),
        ("x{f}", {"f": 2.0}, "x2.0"),
        ("MLP {sizes}", {"sizes": [100, 100]}, "MLP [100, 100]"),
        ("{o}", {"o": {"ä": 1}}, '{"ä": 1}'),
        ("{{literal}} {k}", {"k": 1}, "{literal} 1"),
        ("}}{{", {}, "}{"),
        ("C={C:.1e}", {"C": 1000}, "C=1.0e+03"),
        ("{k}{k}", {"k": 7}, "77"),
        ("🌲 RF {n}", {"n": 100}, "🌲 RF 100"),
    ],
)
def test_placeholders(title: str, params: dict, expected: str) -> None:
    assert titles(job(entry(title, **params))) == [expected]


@pytest.mark.parametrize(
    ("title", "params", "message"),
    [
        ("KNN {n_neighbour}", {"n_neighbors": 1, "weights": "distance"},
         "placeholder '{n_neighbour}' names no parameter of this configuration "
         "(did you mean 'n_neighbors'?); its parameters are: n_neighbors, weights"),
        ("KNN {k}", {}, "placeholder '{k}' names no parameter of this configuration; it has no parameters"),
        ("{method}", {"x": 1}, "placeholder '{method}' names no parameter of this configuration; "
         "its parameters are: x"),
        ("KNN {", {}, "unmatched '{' in \"KNN {\"; write '{{' for a literal brace"),
        ("KNN }", {}, "unmatched '}' in \"KNN }\"; write '}}' for a literal brace"),
        ("KNN {}", {}, "empty placeholder '{}' in \"KNN {}\"; write '{{' and '}}' for literal braces"),
        ("{k:d}", {"k": "x"}, "placeholder {k:d} cannot format \"x\": "
         "Unknown format code 'd' for object of type 'str'"),
        ("{k}", {"k": ""}, "the title is empty once its placeholders are filled in"),
    ],
)
def test_placeholder_errors(title: str, params: dict, message: str) -> None:
    assert error_of(job(entry(title, **params))) == f"<job>: classifiers[0].title: {message}"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"method": "m"}, 'classifiers[0]: "title" is missing; every configuration needs a unique title'),
        ({"title": "t"}, "classifiers[0]: \"method\" is missing; every configuration needs the plugin's name"),
    ],
)
def test_missing_title_or_method(bad: dict, message: str) -> None:
    hint = '  hint: e.g. {"title": "KNN 5", "method": "kneighbors", "n_neighbors": 5}'
    assert error_of(job(bad)) == f"<job>: {message}\n{hint}"


def test_entry_shape_errors() -> None:
    entries = ["knn", {"title": 3, "method": " "}, {"title": "a\tb", "method": "m", "fold": 1}]
    assert error_of(job(*entries)) == (
        '<job>: classifiers[0]: must be an object like {"title": "KNN 5", "method": '
        '"kneighbors", "n_neighbors": 5}; got "knn"\n'
        "<job>: classifiers[1].title: must be a string; got 3\n"
        "<job>: classifiers[1].method: must not be empty\n"
        "<job>: classifiers[2].title: must not contain control characters such as line "
        'breaks or tabs; got "a\\tb"\n'
        "<job>: classifiers[2].fold: 'fold' is reserved (the system passes each cross-validation "
        "fold under this name) and cannot be a parameter\n"
        "  hint: rename or remove it"
    )


def test_identical_configurations_are_merged_with_a_notice() -> None:
    loaded = load_job(job(
        entry("K {k}", k=meta(values=[1, 2, 1])),
        entry("K 2", k=2),
    ))
    assert [c.title for c in loaded.classifiers] == ["K 1", "K 2"]
    assert loaded.notices == (
        "classifiers[0]: 'K 1' comes out more than once from this entry; it is trained once",
        "classifiers[1]: 'K 2' is the same configuration as classifiers[0]; the two were merged",
    )


def test_same_title_for_different_configurations_is_renamed_with_one_notice() -> None:
    loaded = load_job(job(
        entry("K", k=meta(values=[1, 2, 3])),
        entry("K 3", k=3.0),
        entry("K 3", k=3, weights="distance"),
        {"title": "K 3", "method": "svm"},
        entry("K (k=1)"),  # the title the first rename would take: it gets '#1'
    ))
    assert [c.title for c in loaded.classifiers] == [
        "K (k=1) #1", "K (k=2)", "K (k=3)",
        "K 3 (method=m, k=3.0, weights not set)", "K 3 (method=m, k=3, weights=distance)",
        "K 3 (method=svm, k not set, weights not set)", "K (k=1)",
    ]
    assert loaded.notices == (
        "classifiers: 6 title(s) were shared by different configurations and were made unique "
        "by appending the parameters that differ: 'K' → 'K (k=1) #1', 'K' → 'K (k=2)', … "
        "(4 more); --strict refuses such a job",
    )
    assert loaded.title_clashes == (
        "classifiers[0]: title 'K' is given to 3 different configurations (k: 2 vs 1); titles "
        "must be unique (add a placeholder such as {k} to the title, or rename them; without "
        "--strict they are renamed 'K (k=1) #1', 'K (k=2)', 'K (k=3)')",
        "classifiers[1], classifiers[2], classifiers[3]: title 'K 3' is given to 3 different "
        'configurations (k: 3 vs 3.0, weights: "distance" vs not set); titles must be unique '
        "(add a placeholder such as {k} "
        "to the title, or rename them; without --strict they are renamed "
        "'K 3 (method=m, k=3.0, weights not set)', 'K 3 (method=m, k=3, weights=distance)', "
        "'K 3 (method=svm, k not set, weights not set)')",
    )


def test_projections_and_classifiers_have_separate_titles() -> None:
    loaded = load_job(job(entry("PCA"), projections=[{"title": "PCA", "method": "pca"}]))
    assert [c.title for c in loaded.projections] == [c.title for c in loaded.classifiers] == ["PCA"]
    assert loaded.notices == ()


def test_tuning_titles_keep_their_placeholders() -> None:
    tuned = {"tune": True, "type": "float", "min": 0.1, "max": 10}
    loaded = load_job(
        job(entry("SVM {k} {C} {{x}}", k=meta(values=["a", "{b}"]), C=tuned)), allow_tuning=True
    )
    assert [c.title for c in loaded.classifiers] == ["SVM a {C} {{x}}", "SVM {{b}} {C} {{x}}"]
    assert [c.is_template for c in loaded.classifiers] == [True, True]
    assert load_job(loaded.to_dict(), allow_tuning=True) == loaded
