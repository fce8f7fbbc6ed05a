"""Reading tuning jobs: the seed's format, the tuning section, and every bad-input message."""

from __future__ import annotations

import copy

import pytest

from modelmap.errors import JobError
from modelmap.tuning import load_tuning_job
from modelmap.tuning._settings import Settings
from tests.tuning.conftest import write

BASE = {
    "data": {"title": "T", "dataset": "sklearn_iris", "tuning_rounds": 3,
             "tuning_population": 10, "tuning_offspring": 5},
    "classifiers": [{"title": "SVM {kernel} {C}", "method": "svm",
                     "kernel": {"tune": True, "type": "categorical",
                                "values": ["linear", "rbf"], "initial": "rbf"},
                     "degree": 3,
                     "C": {"tune": True, "type": "float", "min": 0.001, "max": 10,
                           "initial": 1, "sigma": 2},
                     "random_state": 42}],
}


def with_c(**changes: object) -> dict:
    job = copy.deepcopy(BASE)
    job["classifiers"][0]["C"].update(changes)
    return job


def test_the_seeds_tuning_job_reads_unchanged() -> None:
    tjob = load_tuning_job(BASE)
    s = tjob.settings
    assert (s.strategy, s.rounds, s.population, s.offspring) == ("evolutionary", 3, 10, 5)
    assert (s.keep, s.cv, s.metric, s.random_state) == (10, 3, "accuracy", 42)
    [family] = tjob.space.families
    assert [p.name for p in family.params] == ["kernel", "C"]
    kernel, c = family.params
    assert (kernel.kind, kernel.values, kernel.initial) == ("categorical", ("linear", "rbf"), "rbf")
    assert (c.kind, c.low, c.high, c.initial, c.sigma) == ("float", 0.001, 10, 1.0, 2)
    assert family.render_title({"kernel": "linear", "C": 0.5}) == "SVM linear 0.5"
    assert family.config_args({"kernel": "linear", "C": 0.5}) == {
        "kernel": "linear", "degree": 3, "C": 0.5, "random_state": 42}


def test_meta_parameters_next_to_tuned_ones_give_one_family_each() -> None:
    job = copy.deepcopy(BASE)
    job["classifiers"][0]["kernel"] = {"is_meta": True, "values": ["linear", "rbf"]}
    families = load_tuning_job(job).space.families
    assert [f.title for f in families] == ["SVM linear {C}", "SVM rbf {C}"]
    assert [f.args["kernel"] for f in families] == ["linear", "rbf"]


def test_tuning_section_sets_the_strategy_and_its_settings() -> None:
    job = {**BASE, "tuning": {"strategy": "stepwise", "budget": 7, "cv": 4, "keep": 2,
                              "random_state": 9,
                              "stepwise": {"tradeoff_scr_per_sec": 0.5,
                                           "step_rules": {"add_scale": 1}}}}
    s = load_tuning_job(job).settings
    assert (s.strategy, s.budget, s.cv, s.keep, s.random_state) == ("stepwise", 7, 4, 2, 9)
    assert s.stepwise.tradeoff_scr_per_sec == 0.5
    assert dict(s.stepwise.step_rules) == {"multiply_scale": 1.0, "add_scale": 1}
    assert (s.stepwise.stall_steps, s.stepwise.stall_growth) == (8, 1.5)  # the defaults
    assert (s.stepwise.random_starts, s.stepwise.score_floor_quantile) == (3, 0.75)
    assert s.stepwise.adapt_steps
    job["tuning"]["stepwise"] = {"stall_steps": 0, "stall_growth": 2}
    s = load_tuning_job(job).settings
    assert (s.stepwise.stall_steps, s.stepwise.stall_growth) == (0, 2)


NO_TUNE = {"data": BASE["data"], "classifiers": [{"title": "SVM", "method": "svm", "C": 1}]}
BAD = [
    (NO_TUNE, '<job>: classifiers: no tunable parameter; a tuning job needs at least one '
     'parameter with "tune": true\n  hint: e.g. "C": {"tune": true, "type": "float", '
     '"min": 0.01, "max": 100, "initial": 1, "sigma": 2}'),
    (with_c(min=20), "<job>: classifiers[0].C.min: min 20 is greater than max 10\n"
     "  hint: swap the two values"),
    (with_c(initial=50), "<job>: classifiers[0].C.initial: 50 is outside the range "
     "[0.001, 10]\n  hint: give an initial value inside [0.001, 10]"),
    (with_c(sigma=0), "<job>: classifiers[0].C.sigma: must be a number > 0 (the spread of "
     "the normal step around the current value); got 0"),
    (with_c(sigma=-1.5), "<job>: classifiers[0].C.sigma: must be a number > 0 (the spread of "
     "the normal step around the current value); got -1.5"),
    ({**BASE, "tuning": {"strategy": "genetic"}}, '<job>: tuning.strategy: must be one of '
     'evolutionary, stepwise, tpe, random, halving, hyperband; got "genetic"'),
    ({**BASE, "tuning": {"strategy": "stepwize"}}, '<job>: tuning.strategy: must be one of '
     'evolutionary, stepwise, tpe, random, halving, hyperband; got "stepwize" '
     '(did you mean \'stepwise\'?)'),
    ({**BASE, "tuning": {"budget": 0}}, "<job>: tuning.budget: must be an integer >= 1 or "
     "null; got 0"),
    (with_c(type="number"), '<job>: classifiers[0].C.type: must be one of categorical, int, '
     'float, list; got "number"\n  hint: "categorical" with "values" for strings and '
     'booleans, "int" or "float" with "min" and "max" for numbers'),
    (with_c(log=True, min=0), "<job>: classifiers[0].C.min: must be > 0 on a log scale; got 0"
     '\n  hint: use a positive min or remove "log": true'),
    (with_c(sigmaa=2), "<job>: classifiers[0].C.sigmaa: unknown key in a tuning parameter "
     "(did you mean 'sigma'?)\n  hint: valid keys are: tune, type, values, min, max, initial, "
     "sigma, log, min_length, max_length"),
    ({**BASE, "tuning": {"budgte": 3}}, "<job>: tuning.budgte: unknown key (did you mean "
     "'budget'?)\n  hint: valid keys are: strategy, budget, time_budget, cv, metric, keep, "
     "batch_size, random_state, stepwise, tpe, eta, fidelity, halving"),
    ({**BASE, "tuning": {"stepwise": {"explore_rt_min": 2}}},
     "<job>: tuning.stepwise.explore_rt_min: must be a number in [0, 1]; got 2"),
    ({**BASE, "tuning": {"stepwise": {"stall_steps": -1}}},
     "<job>: tuning.stepwise.stall_steps: must be an integer >= 0; got -1"),
    ({**BASE, "tuning": {"stepwise": {"stall_steps": 2.5}}},
     "<job>: tuning.stepwise.stall_steps: must be an integer >= 0; got 2.5"),
    ({**BASE, "tuning": {"stepwise": {"stall_growth": 0.5}}},
     "<job>: tuning.stepwise.stall_growth: must be a number >= 1; got 0.5"),
    ({**BASE, "tuning": {"stepwise": {"stall_growth": True}}},
     "<job>: tuning.stepwise.stall_growth: must be a number >= 1; got true"),
    ({**BASE, "tuning": {"stepwise": {"random_starts": -2}}},
     "<job>: tuning.stepwise.random_starts: must be an integer >= 0; got -2"),
    ({**BASE, "tuning": {"stepwise": {"score_floor_quantile": 1}}},
     "<job>: tuning.stepwise.score_floor_quantile: must be a number in [0, 1); got 1"),
]


@pytest.mark.parametrize(("job", "message"), BAD)
def test_bad_tuning_jobs_are_rejected_naming_the_field(job: dict, message: str) -> None:
    with pytest.raises(JobError) as info:
        load_tuning_job(job)
    assert str(info.value) == message


def test_categorical_initial_must_be_a_listed_value() -> None:
    job = copy.deepcopy(BASE)
    job["classifiers"][0]["kernel"]["initial"] = "poly"
    with pytest.raises(JobError) as info:
        load_tuning_job(job)
    assert str(info.value) == (
        '<job>: classifiers[0].kernel.initial: "poly" is not one of the values '
        '["linear", "rbf"]\n  hint: use one of the listed values (or leave initial out to '
        "start with the first)")


def test_every_problem_is_reported_at_once_with_batch_job_problems() -> None:
    job = with_c(min=20, sigma=0)
    job["data"]["test_size"] = 3
    with pytest.raises(JobError) as info:
        load_tuning_job(job)
    lines = [line for line in str(info.value).splitlines() if not line.startswith("  hint")]
    assert lines == [
        "<job>: data.test_size: must be a number in [0, 1); got 3",
        "<job>: classifiers[0].C.min: min 20 is greater than max 10",
        "<job>: classifiers[0].C.sigma: must be a number > 0 (the spread of the normal step "
        "around the current value); got 0",
    ]


@pytest.mark.parametrize(("option", "value", "message"), [
    ("strategy", "genetic", '--strategy: must be one of evolutionary, stepwise, tpe, random, '
     'halving, hyperband; '
     'got "genetic"'),
    ("budget", 0, "--budget: must be an integer >= 1; got 0"),
    ("time_budget", -1, "--time-budget: must be a number > 0; got -1"),
    ("batch_size", 0, "--batch-size: must be an integer >= 1; got 0"),
])
def test_command_line_overrides_are_checked(option: str, value: object, message: str) -> None:
    with pytest.raises(JobError) as info:
        Settings().override(**{option: value})
    assert str(info.value) == message


def test_cli_prints_the_problem_without_a_traceback(toy_ws, monkeypatch) -> None:
    from typer.testing import CliRunner

    from modelmap.cli import app

    path = write(toy_ws, "bad", with_c(min=20))
    monkeypatch.chdir(toy_ws)
    runner = CliRunner()
    result = runner.invoke(app, ["tune", str(path), "--budget", "0"])
    assert result.exit_code == 2
    assert "error: --budget: must be an integer >= 1; got 0" in result.stderr
    result = runner.invoke(app, ["tune", "bad"])
    assert result.exit_code == 2 and result.exception is None or isinstance(
        result.exception, SystemExit)
    assert f"error: {path}: classifiers[0].C.min: min 20 is greater than max 10" in " ".join(
        result.stderr.split())
