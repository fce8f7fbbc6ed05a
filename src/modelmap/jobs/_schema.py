"""The ``data`` section of a job: a pydantic model and its errors as job problems."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from ._problems import Problems, join_path, listing, show, suggest

_FRACTION_OR_COUNT = "a fraction in (0, 1] or a whole sample count > 1"
_OPTIONAL_COUNT = "an integer >= 1 or null"
_FLAG = "true or false"
DESCRIPTIONS: dict[str, str] = {
    "title": "a non-empty string (the job's name)",
    "dataset": "a non-empty string (the name of a dataset plugin)",
    "subset_train": _FRACTION_OR_COUNT,
    "subset_test": _FRACTION_OR_COUNT,
    "test_size": "a number in [0, 1)",
    "scale": _FLAG,
    "random_state": "an integer in [0, 4294967295]",
    "disable_cross_validation": _FLAG,
    "save_clfs_for_folds": _FLAG,
    "cv": "an integer >= 2 (the number of stratified folds) or null",
    "timeout": "a number of seconds > 0 or null",
    "path": "a string (a file path) or null",
    "label": "a string or integer (the label column) or null",
    "features": "a list of column names or numbers, or null",
    "categorical": "a list of column names, or null",
    "missing": '"impute", "keep", "drop" or null (impute)',
    "text": '"refuse", "hash" or null (refuse)',
    "sheet": "a sheet name or 0-based number, or null",
    "delimiter": "a string (the CSV delimiter) or null (detected)",
    "encoding": "a string (the text encoding, e.g. \"latin-1\") or null (detected)",
    "save_train_predictions": "true, false or null (on below 20,000 training rows)",
    "tuning_rounds": _OPTIONAL_COUNT,
    "tuning_population": _OPTIONAL_COUNT,
    "tuning_offspring": _OPTIONAL_COUNT,
}
_LEFT_OUT_WHEN_NONE = frozenset({"categorical", "missing", "text", "sheet", "delimiter",
                                  "encoding", "save_train_predictions"})
_ITEM_DESCRIPTIONS = {"features": "a string or an integer", "categorical": "a string"}
_EXAMPLES = {"title": '"title": "My experiment"', "dataset": '"dataset": "iris"'}
_OptionalCount = Annotated[int, Field(ge=1)] | None


class DataSection(BaseModel):
    """The validated ``data`` section; unknown keys are rejected."""

    model_config = ConfigDict(strict=True, extra="forbid")

    title: str
    dataset: str
    subset_train: int | float = 1
    subset_test: int | float = 1
    test_size: Annotated[float, Field(ge=0, lt=1)] = 0.2
    scale: bool = False
    random_state: Annotated[int, Field(ge=0, le=2**32 - 1)] = 42
    disable_cross_validation: bool = False
    save_clfs_for_folds: bool = False
    cv: Annotated[int, Field(ge=2)] | None = None
    timeout: Annotated[float, Field(gt=0)] | None = None
    path: str | None = None
    label: str | int | None = None
    features: list[str | int] | None = None
    categorical: list[str] | None = None
    missing: Literal["impute", "keep", "drop"] | None = None
    text: Literal["refuse", "hash"] | None = None
    sheet: str | Annotated[int, Field(ge=0)] | None = None
    delimiter: Annotated[str, Field(min_length=1)] | None = None
    encoding: Annotated[str, Field(min_length=1)] | None = None
    save_train_predictions: bool | None = None
    tuning_rounds: _OptionalCount = None
    tuning_population: _OptionalCount = None
    tuning_offspring: _OptionalCount = None

    @field_validator("title")
    @classmethod
    def _usable_as_name(cls, value: str) -> str:
        problem = title_problem(value)
        if problem:
            raise PydanticCustomError("modelmap", problem)
        return value

    @field_validator("dataset")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("modelmap", "must not be empty")
        return value

    @field_validator("subset_train", "subset_test")
    @classmethod
    def _fraction_or_count(cls, value: int | float) -> int | float:
        if isinstance(value, int) and value < 1 or isinstance(value, float) and not 0 < value <= 1:
            raise ValueError("out of range")
        return value


def title_problem(title: str) -> str | None:
    """Why ``title`` cannot be used as a file or folder name, or None when it can."""
    if not title.strip():
        return "must not be empty"
    for char, name in (("/", '"/"'), ("\\", '"\\"'), ("\0", "a NUL character")):
        if char in title:
            return f"must not contain {name} (the title is used to name files); got {show(title)}"
    if any(ord(char) < 32 or ord(char) == 127 for char in title):
        return f"must not contain control characters such as line breaks or tabs; got {show(title)}"
    if title != title.strip():
        return f"must not start or end with a space; got {show(title)}"
    return None


def validate_data(data: Any, problems: Problems) -> dict | None:
    """The data section with defaults filled in, or None after adding its problems."""
    if not isinstance(data, Mapping):
        problems.add("data", f"must be an object; got {show(data)}", _example_hint())
        return None
    try:
        dumped = DataSection.model_validate(dict(data)).model_dump()
    except ValidationError as exc:
        for error in exc.errors():
            _add_error(error, data, problems)
        return None
    # table options added later are left out when not given, so that older jobs keep their
    # data section and content keys unchanged
    return {k: v for k, v in dumped.items() if not (k in _LEFT_OUT_WHEN_NONE and v is None)}


def _add_error(error: Any, data: Mapping, problems: Problems) -> None:
    field = str(error["loc"][0])
    indices = [part for part in error["loc"][1:] if isinstance(part, int)]
    path = join_path("data", field)
    for index in indices:
        path = join_path(path, index)
    if error["type"] == "extra_forbidden":
        problems.add(
            path,
            f"unknown key{suggest(field, DESCRIPTIONS)}",
            f"valid keys are: {listing(DESCRIPTIONS)}",
        )
    elif error["type"] == "missing":
        problems.add(path, f"missing; add e.g. {_EXAMPLES.get(field, field)}")
    elif error["type"] == "modelmap":
        problems.add(path, error["msg"])
    else:
        description = _ITEM_DESCRIPTIONS[field] if indices else DESCRIPTIONS[field]
        problems.add(path, f"must be {description}; got {show(error['input'])}")


def _example_hint() -> str:
    return 'e.g. "data": {"title": "My experiment", "dataset": "iris"}'
