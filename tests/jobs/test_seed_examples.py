"""The seed's own example jobs, verbatim, parsed and expanded."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelmap.jobs import load_job

from ._helpers import FakeRegistry, error_of

# The "my_job.json" example of the seed's plugin tutorial, verbatim.
MY_JOB = """\
{
"data": {
// You probably want to change the next two:
"title": "Your batch job title",
"dataset": "name_of_your_dataset",
"subset_train": 1,
"subset_test": 1,
// Only needed if your dataset's X_test and y_test are empty
"test_size": 0.2,
// Feature scaling, setting this to true may help some classifiers
"scale": false,
"random_state": 42
},
"projections": [
// Just keep PCA for now, you can copy paste
// more projections from other jobs later
// Projections do not change the data that
// is passed to the classifiers
{
"title": "PCA",
"method": "pca",
"random_state": 42
}
],
"classifiers": [
// I recommend keeping optimal and naive,
// so you can check if you dataset works
// and see the majority class baseline
{
// As you can see, titles may use Unicode
"title": "🟊 Optimal",
"method": "optimal"
},
{
"title": "Ⓝ Naive",
"method": "naive"
},
// Now let's add our classifier, by specifying
// a unique title, the plugin name and all parameters
{
"title": "KNN 1",
"method": "kneighbors",
"n_neighbors": 1
},
// If you want to specify multiple parameters,
// you do not have to copy-paste this!
// Just add all values inside a meta parameter like this.
// The placeholder in the title is automatically replaced,
// so you still have unique titles.
{
"title": "KNN {n_neighbors}",
"method": "kneighbors",
"n_neighbors": {
"is_meta": true,
"values": [
1,
2,
3
]
}
},
// You can do this for any number of parameters!
// But keep in mind that the number of classifiers
// that you will need to train will by the number
// of all possible parameter value combinations.
{
"title": "MLPC {activation} d{dropout} es{early_stopping}",
"method": "mlpc_keras",
"activation": {
"is_meta": true,
"values": [
"relu",
"tanh"
]
},
"dropout": {
"is_meta": true,
"values": [
0.3,
0.5,
0.7,
0.9
]
},
"optimizer": "adam",
"learning_rate_init": 0.001,
"epochs": 200,
"batch_size": 64,
"early_stopping": {
"is_meta": true,
"values": [
true,
false
]
}
}
]
}
"""

# The meta-parameter example of the seed's job documentation, verbatim.
META_JOB = """\
{
"data": {
// The same data configuration as for normal batch jobs
// ...
},
// The projected data is only used for the data view in the frontend,
// not for the classifier plugins! (You can use dimensionality-reduction
// yourself in the classifier plugins if you like)
"projections": [
{
// The title is automatically formatted to contain
// the parameter's value if specified like this
"title": "t-SNE p{perplexity}",
"method": "tsne",
"perplexity": {
// The is_meta key is mandatory and used to differentiate
// between meta parameters and other object-like parameter values
"is_meta": true,
// Option 1: All values as array
// If values are defined, they will be used
// even if min, max and step are set (see below)
"values": [
10,
20,
30
]
},
// Non-meta parameters are the same
// as for standard batch configurations
"random_state": 42
},
// ...
],
"classifiers": [
{
"title": "KNN {n_neighbors}",
"method": "kneighbors",
"n_neighbors": {
"is_meta": true,
// Option 2: Define values as a range, similar to a for loop:
// for(v=min; v<=max; v+=step)
// or: for(v=min; v<=max; v*=step)
// If many (numerical) values are needed,
// you can instead define a range like this
"min": 1,
"max": 30,
"step": {
// The step type is either "add" or "multiply"
// Use negative or decimal values when needed
"type": "add",
"value": 1
}
},
"random_state": 42
},
// ...
]
}
"""

# The batch job data section example of the seed, verbatim (a comma is missing in it).
MNIST_JOB = """\
{
"data": {
// The title is displayed in the frontend and can be used
// to differenciate multiple experiments on the same dataset
// It must only contain characters that are valid for file names
"title": "MNIST Experiment 1"
// Name of the dataset plugin
"dataset": "keras_mnist",
// Data can be sub-sampled
"subset_train": 1,
"subset_test": 1,
// Data will only be split if there is
// no test data defined in the dataset plugin
"test_size": 0.2,
// If true, ScikitLearn StandardScaler will be applied
// to scale the training and test data before classifiers get it
// Do not use this if classifiers scale the data themselves
// or it comes already scaled from the dataset plugin
"scale": false,
// Random seed for train-test-split
"random_state": 42,
// Disables cross validation even if it is supported in the dataset plugin
"disable_cross_validation": false,
// For cross validation only mean scores are saved by default
// Set this to true to save a classification result for each fold too
"save_clfs_for_folds": false
},
"projections": [
// A list of projections (for the frontend' data view)
// See below for projection configurations
],
"classifiers": [
// A list of classifiers
// See below for classifier configurations
]
}
"""

# The tuning job example of the seed, verbatim.
TUNING_JOB = """\
{
"data": {
// ...
// Number of rounds
"tuning_rounds": 3,
// Size of the population _after_ each round
// (number of best configurations that are kept)
"tuning_population": 10,
// Number of variations that are created for
// each configuration that is kept
"tuning_offspring": 5
},
// No projections in this kind of job
"classifiers": [
{
"title": "SVM {kernel} {C}",
"method": "svm",
"kernel": {
"tune": true,
// Categorical for strings and booleans
// (and other values with limited possibilities)
"type": "categorical",
// Categorical values are defined as an array
"values": [
"linear",
"rbf"
],
// In the first round, initial values are used
// together with the first offspring generation
"initial": "rbf"
},
"degree": 3,
"C": {
"tune": true,
// Float or int for numerical values
// (int will be rounded)
"type": "float",
// Numerical values have min and max
"min": 0.001,
"max": 10,
"initial": 1,
// Sigma is used to sample a normal distribution around
// the current value when creating a variation
"sigma": 2
},
"random_state": 42
},
// ..
]
}
"""

MLPC_TITLES = [
    f"MLPC {activation} d{dropout} es{early}"
    for activation in ("relu", "tanh")
    for dropout in ("0.3", "0.5", "0.7", "0.9")
    for early in ("True", "False")
]


def with_data(text: str) -> str:
    """The example with its elided data section ("// ...") filled in."""
    return text.replace("// ...\n", '"title": "Seed example", "dataset": "iris",\n', 1)


def test_my_job_expands_to_the_documented_titles(tmp_path: Path) -> None:
    path = tmp_path / "my_job.json"
    path.write_text(MY_JOB, encoding="utf-8")
    job = load_job(path, registry=FakeRegistry())
    assert job.title == "Your batch job title"
    assert job.path == path
    assert [c.title for c in job.classifiers] == [
        "🟊 Optimal", "Ⓝ Naive", "KNN 1", "KNN 2", "KNN 3", *MLPC_TITLES
    ]
    assert len(job.classifiers) == 21
    assert [(c.title, c.method, c.args) for c in job.projections] == [
        ("PCA", "pca", {"random_state": 42})
    ]
    assert job.notices == (
        "classifiers[3]: 'KNN 1' is the same configuration as classifiers[2]; the two were merged",
    )
    assert job.unknown_parameters == ()
    assert job.raw["classifiers"][2] == {"title": "KNN 1", "method": "kneighbors", "n_neighbors": 1}


def test_my_job_parameters_and_sources() -> None:
    job = load_job(MY_JOB)
    knn2 = job.classifiers[3]
    assert (knn2.args, knn2.source) == ({"n_neighbors": 2}, "classifiers[3]")
    first = job.classifiers[5]
    assert first.as_args() == {
        "activation": "relu", "dropout": 0.3, "optimizer": "adam", "learning_rate_init": 0.001,
        "epochs": 200, "batch_size": 64, "early_stopping": True,
        "title": "MLPC relu d0.3 esTrue", "method": "mlpc_keras",
    }
    assert first.source == "classifiers[4]"
    assert job.data == {
        "title": "Your batch job title", "dataset": "name_of_your_dataset",
        "subset_train": 1, "subset_test": 1, "test_size": 0.2, "scale": False,
        "random_state": 42, "disable_cross_validation": False, "save_clfs_for_folds": False,
        "cv": None, "timeout": None, "path": None, "label": None, "features": None,
        "tuning_rounds": None, "tuning_population": None, "tuning_offspring": None,
    }


def test_my_job_round_trips_through_to_dict() -> None:
    job = load_job(MY_JOB)
    again = load_job(job.to_dict())
    assert again == job
    assert again.notices == ()


def test_meta_example_verbatim_lacks_its_elided_data() -> None:
    assert error_of(META_JOB) == (
        '<job>: data.title: missing; add e.g. "title": "My experiment"\n'
        '<job>: data.dataset: missing; add e.g. "dataset": "iris"'
    )


def test_meta_example_expands_values_and_range() -> None:
    job = load_job(with_data(META_JOB), registry=FakeRegistry())
    assert [(c.title, c.args) for c in job.projections] == [
        (f"t-SNE p{p}", {"perplexity": p, "random_state": 42}) for p in (10, 20, 30)
    ]
    assert [c.title for c in job.classifiers] == [f"KNN {k}" for k in range(1, 31)]
    assert [c.args["n_neighbors"] for c in job.classifiers] == list(range(1, 31))
    assert all(type(c.args["n_neighbors"]) is int for c in job.classifiers)
    assert job.unknown_parameters == (
        "classifiers[0]: kneighbors has no parameter 'random_state'; "
        "it is passed to the plugin unchanged",
    )
    assert job.notices == job.unknown_parameters


def test_meta_example_counts_against_the_limit() -> None:
    assert error_of(with_data(META_JOB), max_configs=32) == (
        "<job>: the job expands to 33 configurations, more than the limit of 32; most come from "
        "classifiers[0] (30 = n_neighbors: 30), projections[0] (3 = perplexity: 3)\n"
        "  hint: use fewer meta-parameter values or narrower ranges, or raise the limit with "
        "--max-configs 33 (load_job(..., max_configs=33))"
    )
    assert len(load_job(with_data(META_JOB), max_configs=33).classifiers) == 30


def test_mnist_data_example_reports_its_missing_comma(tmp_path: Path) -> None:
    path = tmp_path / "mnist.json"
    path.write_text(MNIST_JOB, encoding="utf-8")
    assert error_of(path) == (
        f"{path}:8:1: syntax error: unexpected '\"'\n"
        '  | "dataset": "keras_mnist",\n'
        "  | ^\n"
        "  hint: a comma is probably missing after line 6: "
        "values and entries are separated by commas"
    )


def test_mnist_data_example_with_the_comma_needs_a_classifier() -> None:
    fixed = MNIST_JOB.replace('"MNIST Experiment 1"\n', '"MNIST Experiment 1",\n')
    assert error_of(fixed) == (
        "<job>: classifiers: is empty; a job needs at least one classifier\n"
        '  hint: e.g. "classifiers": [{"title": "Naive", "method": "naive"}]'
    )


def test_tuning_example_needs_modelmap_tune() -> None:
    hint = (
        "  hint: to train without tuning, give a fixed value or a meta parameter "
        '({"is_meta": true, "values": [...]})'
    )
    assert error_of(with_data(TUNING_JOB)) == (
        "<job>: classifiers[0].kernel: 'kernel' is a tuning parameter; "
        f"run this file with `modelmap tune`\n{hint}\n"
        "<job>: classifiers[0].C: 'C' is a tuning parameter; "
        f"run this file with `modelmap tune`\n{hint}"
    )


@pytest.mark.parametrize("registry", [None, FakeRegistry()])
def test_tuning_example_keeps_tuning_parameters(registry: FakeRegistry | None) -> None:
    job = load_job(with_data(TUNING_JOB), allow_tuning=True, registry=registry)
    assert (job.data["tuning_rounds"], job.data["tuning_population"]) == (3, 10)
    assert job.data["tuning_offspring"] == 5
    (svm,) = job.classifiers
    assert svm.title == "SVM {kernel} {C}"
    assert svm.args["kernel"] == {
        "tune": True, "type": "categorical", "values": ["linear", "rbf"], "initial": "rbf"
    }
    assert svm.args["C"]["sigma"] == 2
    assert svm.args["degree"] == 3
    assert load_job(job.to_dict(), allow_tuning=True) == job
