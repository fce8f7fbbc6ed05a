"""check_argument, validate_args and validate_info: every type, pinned messages."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from modelmap.errors import ArgumentWarning, PluginError
from modelmap.plugins import RESERVED, check_argument, validate_args, validate_info

INFO = {
    "name": "kneighbors",
    "description": "k Nearest Neighbors Classifier",
    "parameters": [
        {"name": "n_neighbors", "description": "n", "type": "integer", "range": [1, 1000],
         "default_value": 5},
        {"name": "dropout", "description": "d", "type": "float", "range": [0, 1],
         "default_value": 0.5},
        {"name": "activation", "description": "a", "type": "string",
         "range": ["relu", "tanh"], "default_value": "relu"},
        {"name": "name", "description": "free text", "type": "string", "default_value": "x"},
        {"name": "early_stopping", "description": "e", "type": "boolean", "default_value": False},
        {"name": "layers", "description": "l", "type": "array", "range": [1, 1000],
         "default_value": [100]},
        {"name": "anything", "description": "o", "type": "array", "default_value": []},
        {"name": "extra", "description": "o", "type": "other", "default_value": None},
        {"name": "lr", "description": "open range", "type": "float", "range": [0, None],
         "default_value": 0.1},
    ],
}


def checked(name: str, value: object) -> tuple[object, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = check_argument(name, {name: value, "title": "t"}, INFO)
    assert all(w.category is ArgumentWarning for w in caught)
    return result, [str(w.message) for w in caught]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("n_neighbors", 7, 7),
        ("n_neighbors", np.int64(3), 3),
        ("n_neighbors", 1000, 1000),
        ("dropout", 0, 0.0),
        ("dropout", 1, 1.0),
        ("dropout", 0.25, 0.25),
        ("dropout", np.float32(0.5), 0.5),
        ("activation", "tanh", "tanh"),
        ("name", "anything goes", "anything goes"),
        ("early_stopping", True, True),
        ("early_stopping", np.bool_(False), False),
        ("layers", (10, 20), [10, 20]),
        ("layers", [], []),
        ("anything", ["a", 1], ["a", 1]),
        ("extra", {"x": 1}, {"x": 1}),
        ("lr", 1e9, 1e9),
    ],
)
def test_valid_values_are_returned_normalised(name: str, value: object, expected: object) -> None:
    result, messages = checked(name, value)
    assert result == expected
    assert type(result) is type(expected)
    assert messages == []


def test_missing_parameter_gives_the_default_without_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_argument("n_neighbors", {"title": "KNN"}, INFO) == 5
        assert check_argument("layers", {}, INFO) == [100]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("n_neighbors", "abc", "The 'n_neighbors' parameter of kneighbors must be an integer in "
         "[1, 1000]; got 'abc'. Using the default 5."),
        ("n_neighbors", 3.0, "The 'n_neighbors' parameter of kneighbors must be an integer in "
         "[1, 1000]; got 3.0. Using the default 5."),
        ("n_neighbors", 0, "The 'n_neighbors' parameter of kneighbors must be an integer in "
         "[1, 1000]; got 0. Using the default 5."),
        ("dropout", 1.5, "The 'dropout' parameter of kneighbors must be a float in [0, 1]; "
         "got 1.5. Using the default 0.5."),
        ("dropout", False, "The 'dropout' parameter of kneighbors must be a float in [0, 1]; "
         "got False. Using the default 0.5."),
        ("dropout", float("nan"), "The 'dropout' parameter of kneighbors must be a float in "
         "[0, 1]; got nan. Using the default 0.5."),
        ("lr", -1, "The 'lr' parameter of kneighbors must be a float in [0, inf]; got -1. "
         "Using the default 0.1."),
        ("activation", "sigmoid", "The 'activation' parameter of kneighbors must be one of "
         "'relu', 'tanh'; got 'sigmoid'. Using the default 'relu'."),
        ("name", 3, "The 'name' parameter of kneighbors must be a string; got 3. "
         "Using the default 'x'."),
        ("early_stopping", 1, "The 'early_stopping' parameter of kneighbors must be a boolean; "
         "got 1. Using the default False."),
        ("early_stopping", "true", "The 'early_stopping' parameter of kneighbors must be a "
         "boolean; got 'true'. Using the default False."),
        ("layers", 100, "The 'layers' parameter of kneighbors must be a list of numbers in "
         "[1, 1000]; got 100. Using the default [100]."),
        ("layers", [10, 0], "The 'layers' parameter of kneighbors must be a list of numbers in "
         "[1, 1000]; got [10, 0]. Using the default [100]."),
        ("layers", [10, "a"], "The 'layers' parameter of kneighbors must be a list of numbers "
         "in [1, 1000]; got [10, 'a']. Using the default [100]."),
        ("anything", "abc", "The 'anything' parameter of kneighbors must be a list; got 'abc'. "
         "Using the default []."),
    ],
)
def test_invalid_values_warn_and_give_the_default(name: str, value: object, message: str) -> None:
    result, messages = checked(name, value)
    assert result == next(p["default_value"] for p in INFO["parameters"] if p["name"] == name)
    assert messages == [message]


def test_check_argument_of_an_undeclared_parameter_is_a_plugin_bug() -> None:
    with pytest.raises(PluginError) as info:
        check_argument("n_estimators", {}, INFO)
    assert str(info.value) == (
        "kneighbors.get_info()['parameters']: The plugin kneighbors checks a parameter "
        "'n_estimators' that its info does not declare.\n"
        "  hint: add a parameter entry named 'n_estimators' to the plugin's info "
        "(this is a plugin bug)."
    )


def test_validate_args_reports_every_invalid_declared_parameter_and_nothing_else() -> None:
    args = {"title": "x", "method": "kneighbors", "n_neighbors": "abc", "dropout": 0.3,
            "activation": "elu", "undeclared": object()}
    assert validate_args(args, INFO) == [
        "The 'n_neighbors' parameter of kneighbors must be an integer in [1, 1000]; "
        "got 'abc'. Using the default 5.",
        "The 'activation' parameter of kneighbors must be one of 'relu', 'tanh'; "
        "got 'elu'. Using the default 'relu'.",
    ]
    assert validate_args({"n_neighbors": 3}, INFO) == []


def test_validate_info_accepts_a_good_info() -> None:
    assert RESERVED == ("method", "title", "fold")
    assert validate_info(INFO) == []
    assert validate_info({"name": "d", "description": "dataset", "class_names": ["a"]}) == []


def test_validate_info_lists_every_problem() -> None:
    info = {
        "name": "bad-name",
        "parameters": [
            {"name": "title", "type": "string", "default_value": "x"},
            {"name": "k", "type": "number", "default_value": 1},
            {"name": "n", "type": "integer", "range": [1, 10], "default_value": 0},
            {"name": "m", "type": "integer"},
            {"name": "s", "type": "string", "range": ["a", "b"], "default_value": "c"},
            {"name": "r", "type": "float", "range": 5, "default_value": 1.0},
            "oops",
            {"name": "n", "type": "integer", "default_value": 3},
        ],
    }
    assert validate_info(info) == [
        "the name 'bad-name' may only contain A-Z, a-z, 0-9 and _.",
        "the info has no 'description'; add a short text for menus and help.",
        "parameters[0] ('title'): the names method, title, fold are reserved; "
        "rename the parameter.",
        "parameters[1] ('k'): type must be one of integer, float, string, boolean, array, "
        "other (or int, bool, str); got 'number'.",
        "parameters[2] ('n'): the default 0 is not an integer in [1, 10]; "
        "fix the default or the range.",
        "parameters[3] ('m'): no 'default_value'; add the value used when a job omits it.",
        "parameters[4] ('s'): the default 'c' is not one of 'a', 'b'; "
        "fix the default or the range.",
        "parameters[5] ('r'): range must be [min, max]; got 5.",
        "parameters[6] must be a dict with name, description, type and default_value.",
        "parameters[7] ('n') is declared twice.",
    ]
    assert validate_info([1]) == ["get_info() must return a dict; got list."]
    assert validate_info({"description": "x"}) == [
        "the info has no 'name'; add 'name': 'my_plugin'."]


def test_true_and_false_for_an_integer_are_1_and_0_with_a_warning_as_in_the_seed() -> None:
    message = ("The 'n_neighbors' parameter of kneighbors must be an integer in [1, 1000]; got "
               "True, used as 1 as the seed does (--strict refuses it).")
    result, messages = checked("n_neighbors", True)
    assert (result, type(result), messages) == (1, int, [message])
    assert validate_args({"n_neighbors": True}, INFO) == [message]
    # False is 0, outside [1, 1000]: the default, as for any value out of range
    assert checked("n_neighbors", False) == (5, [
        "The 'n_neighbors' parameter of kneighbors must be an integer in [1, 1000]; got False. "
        "Using the default 5."])
    assert checked("dropout", True)[0] == 0.5  # a boolean is no float


def test_the_seeds_type_abbreviations_work() -> None:
    info = {"name": "p", "description": "d", "parameters": [
        {"name": "k", "description": "k", "type": "int", "range": [1, 9], "default_value": 3},
        {"name": "f", "description": "f", "type": "float", "range": [0, 1], "default_value": 0.5},
        {"name": "b", "description": "b", "type": "bool", "default_value": False},
        {"name": "s", "description": "s", "type": "str", "range": ["x", "y"],
         "default_value": "x"},
    ]}
    assert validate_info(info) == []
    args = {"k": 4, "f": 1, "b": True, "s": "y"}
    assert [check_argument(n, args, info) for n in "kfbs"] == [4, 1.0, True, "y"]
    assert validate_args({"k": 2.5, "s": "z"}, info) == [
        "The 'k' parameter of p must be an integer in [1, 9]; got 2.5. Using the default 3.",
        "The 's' parameter of p must be one of 'x', 'y'; got 'z'. Using the default 'x'."]
