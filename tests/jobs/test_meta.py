"""Meta parameters: listed values, add/multiply ranges, products, and never-ending ranges."""

from __future__ import annotations

from typing import Any

import pytest

from modelmap.jobs import load_job

from ._helpers import add, error_of, job, meta, mul


def values_of(spec: Any, **kwargs: Any) -> list[Any]:
    loaded = load_job(job({"title": "K {k}", "method": "m", "k": spec}), **kwargs)
    return [config.args["k"] for config in loaded.classifiers]


def k_error(spec: Any) -> str:
    return error_of(job({"title": "K {k}", "method": "m", "k": spec}))


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (add(1, 5, 1), [1, 2, 3, 4, 5]),
        (add(1, 10.5, 3), [1, 4, 7, 10]),
        (add(0.1, 0.5, 0.1), [0.1, 0.2, 0.3, 0.4, 0.5]),
        (add(0, 1, 0.25), [0.0, 0.25, 0.5, 0.75, 1.0]),
        (add(1, 2, 0.5), [1.0, 1.5, 2.0]),
        (add(10, 1, -3), [10, 7, 4, 1]),
        (add(0.5, -0.5, -0.5), [0.5, 0.0, -0.5]),
        (add(3, 3, 1), [3]),
        (add(3, 3, -1), [3]),
        (mul(1, 1000, 10), [1, 10, 100, 1000]),
        (mul(0.001, 1, 10), [0.001, 0.01, 0.1, 1.0]),
        (mul(1, 0.001, 0.1), [1.0, 0.1, 0.01, 0.001]),
        (mul(-1, -100, 2), [-1, -2, -4, -8, -16, -32, -64]),
        (mul(2, 100, 1.5), [2.0, 3.0, 4.5, 6.75, 10.125, 15.1875, 22.78125, 34.171875, 51.2578125, 76.88671875]),
        (meta(values=[3, "a", None, [1, 2]]), [3, "a", None, [1, 2]]),
        (meta(values=[1, 2], min=5, max=9, step={"type": "add", "value": 1}), [1, 2]),
        (meta(values=[1], min="junk"), [1]),
    ],
)
def test_values(spec: dict, expected: list) -> None:
    got = values_of(spec)
    assert got == expected
    assert [type(v) for v in got] == [type(v) for v in expected]


def test_rounded_floats_in_titles() -> None:
    loaded = load_job(job({"title": "lr {lr}", "method": "m", "lr": add(0.1, 0.7, 0.2)}))
    assert [c.title for c in loaded.classifiers] == ["lr 0.1", "lr 0.3", "lr 0.5", "lr 0.7"]


def test_cartesian_product_in_file_order() -> None:
    entry = {
        "title": "{b}-{a}", "method": "m", "a": meta(values=[1, 2]), "fixed": "x",
        "b": meta(values=["p", "q", "r"]),
    }
    loaded = load_job(job(entry))
    assert [c.args for c in loaded.classifiers] == [
        {"a": a, "fixed": "x", "b": b} for a in (1, 2) for b in ("p", "q", "r")
    ]
    assert [c.title for c in loaded.classifiers] == ["p-1", "q-1", "r-1", "p-2", "q-2", "r-2"]


def test_objects_that_are_not_meta_pass_through() -> None:
    entry = {
        "title": "{layers}", "method": "m", "layers": {"sizes": [10, 10]},
        "other": {"is_meta": False, "values": [1, 2]},
    }
    (config,) = load_job(job(entry)).classifiers
    assert config.args == {"layers": {"sizes": [10, 10]}, "other": {"is_meta": False, "values": [1, 2]}}
    assert config.title == '{"sizes": [10, 10]}'


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (add(1, 30, 0), "classifiers[0].k.step.value: an add step of 0 never reaches max 30, so the range never ends; use a non-zero step"),
        (add(1, 30, -1), "classifiers[0].k.step.value: an add step of -1 moves away from max 30 (min is 1), so the range never ends; use a positive step"),
        (add(30, 1, 2), "classifiers[0].k.step.value: an add step of 2 moves away from max 1 (min is 30), so the range never ends; use a negative step"),
        (mul(1, 30, 1), "classifiers[0].k.step.value: a multiply step must be a factor > 0 and other than 1, or the range never ends; got 1"),
        (mul(1, 30, 0), "classifiers[0].k.step.value: a multiply step must be a factor > 0 and other than 1, or the range never ends; got 0"),
        (mul(1, 30, -2), "classifiers[0].k.step.value: a multiply step must be a factor > 0 and other than 1, or the range never ends; got -2"),
        (mul(0, 30, 2), "classifiers[0].k.min: a multiply range cannot start at 0 (0 times anything stays 0), so it never ends; start at a non-zero value"),
        (mul(-1, 30, 2), "classifiers[0].k.max: a multiply range from min -1 never reaches max 30 (multiplying keeps the sign and never reaches 0); use min and max of the same sign"),
        (mul(5, 0, 0.5), "classifiers[0].k.max: a multiply range from min 5 never reaches max 0 (multiplying keeps the sign and never reaches 0); use min and max of the same sign"),
        (mul(1, 30, 0.5), "classifiers[0].k.step.value: a multiply step of 0.5 shrinks the value but max 30 is farther from 0 than min 1, so the range never ends; use a factor > 1"),
        (mul(30, 1, 2), "classifiers[0].k.step.value: a multiply step of 2 grows the value but max 1 is closer to 0 than min 30, so the range never ends; use a factor between 0 and 1"),
        (meta(values=[]), "classifiers[0].k.values: must be a non-empty list of values; got []"),
        (meta(values=5), "classifiers[0].k.values: must be a non-empty list of values; got 5"),
        (meta(values=[1, meta(values=[2])]), "classifiers[0].k.values[1]: meta and tuning parameters cannot be nested in values"),
        ({"is_meta": "yes", "values": [1]}, 'classifiers[0].k.is_meta: must be true or false; got "yes"'),
        ({"is_meta": True, "tune": True}, 'classifiers[0].k: has both "is_meta" and "tune"; a parameter is either a meta parameter or tuned'),
        (meta(min=1, max="9", step=1), 'classifiers[0].k.max: must be a number; got "9"\n<job>: classifiers[0].k.step: must be an object like {"type": "add", "value": 1}; got 1'),
        (meta(min=True, max=9, step={"type": "mul", "value": "2"}), 'classifiers[0].k.min: must be a number; got true\n<job>: classifiers[0].k.step.type: must be "add" or "multiply"; got "mul"\n<job>: classifiers[0].k.step.value: must be a number; got "2"'),
    ],
)
def test_errors(spec: dict, message: str) -> None:
    assert k_error(spec) == f"<job>: {message}"


def test_incomplete_range() -> None:
    assert k_error(meta(min=1)) == (
        '<job>: classifiers[0].k: meta parameter without "values" is missing "max" and "step"\n'
        '  hint: give "values": [...] or "min", "max" and "step": '
        '{"type": "add" or "multiply", "value": number}'
    )


def test_unknown_keys_in_meta_and_step() -> None:
    spec = meta(min=1, max=3, steps=1, step={"type": "add", "valeu": 1})
    assert k_error(spec) == (
        "<job>: classifiers[0].k.steps: unknown key in a meta parameter (did you mean 'step'?)\n"
        "  hint: valid keys are: is_meta, values, min, max, step\n"
        "<job>: classifiers[0].k.step.valeu: unknown key in a step (did you mean 'value'?)\n"
        '  hint: a step has "type" and "value"\n'
        "<job>: classifiers[0].k.step.value: must be a number; got null"
    )


def test_too_many_configurations_names_the_biggest_entries() -> None:
    entries = [
        {"title": "A {x} {y}", "method": "m", "x": add(1, 1000, 1), "y": add(1, 100, 1)},
        {"title": "B {x}", "method": "m", "x": mul(1, 2**40, 2)},
        {"title": "C", "method": "m"},
        {"title": "D {x}", "method": "m", "x": add(0, 1e15, 1e-3)},
    ]
    assert error_of(job(*entries)) == (
        "<job>: the job expands to 1,000,000,000,000,100,043 configurations, more than the "
        "limit of 10,000; most come from classifiers[3] (1,000,000,000,000,000,001 = "
        "x: 1,000,000,000,000,000,001), classifiers[0] (100,000 = x: 1,000 × y: 100), "
        "classifiers[1] (41 = x: 41)\n"
        "  hint: use fewer meta-parameter values or narrower ranges, or raise the limit with "
        "--max-configs 1000000000000100043 (load_job(..., max_configs=1000000000000100043))"
    )


def test_the_limit_counts_before_merging() -> None:
    entries = [{"title": "K", "method": "m", "k": meta(values=[1, 1, 1])}]
    assert len(load_job(job(*entries), max_configs=3).classifiers) == 1
    assert error_of(job(*entries), max_configs=2).startswith(
        "<job>: the job expands to 3 configurations, more than the limit of 2;"
    )


def test_add_ranges_through_zero_give_zero() -> None:
    assert values_of(add(0.3, -0.3, -0.1)) == [0.3, 0.2, 0.1, 0.0, -0.1, -0.2, -0.3]
    assert values_of(add(-1e-5, 1e-5, 5e-6)) == [-1e-05, -5e-06, 0.0, 5e-06, 1e-05]
    assert values_of(add(1e6, 1e6 + 0.5, 0.25)) == [1000000.0, 1000000.25, 1000000.5]
