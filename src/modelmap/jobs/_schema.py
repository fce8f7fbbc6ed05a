"""The ``data`` section of a job: a pydantic model and its errors as job problems.

:class:`DataSection` is what a loaded :class:`~modelmap.jobs.Job` carries as ``job.data``:
typed fields with the defaults (``job.data.random_state``), and a read-only mapping of the
keys the job gives or that have a value (``job.data["dataset"]``, ``dict(job.data)``), which
is what content keys are made of.  :data:`NOT_IN_KEY` lists the keys that do not change
what is trained; :data:`DATA_DEFAULTS` the defaults, for code that gets a plain dict.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from ._canonical import canonical_json
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


#: Data keys that do not change what is trained: left out of the data key.
NOT_IN_KEY = ("timeout", "tuning_rounds", "tuning_population", "tuning_offspring")


class DataSection(BaseModel):
    """The validated ``data`` section; unknown keys are rejected.

    As a mapping it holds every field except the table options added later
    (``categorical``, ``missing``, ...) when they are ``None``, so that older jobs keep
    their data section and content keys unchanged.
    """

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

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


    # -- the read-only mapping ---------------------------------------------------------
    def _content(self) -> dict[str, Any]:
        dumped = self.model_dump()
        return {k: v for k, v in dumped.items() if not (k in _LEFT_OUT_WHEN_NONE and v is None)}

    def __getitem__(self, key: str) -> Any:
        return self._content()[key]

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]  # keys, as a mapping's
        return iter(self._content())

    def __len__(self) -> int:
        return len(self._content())

    def __contains__(self, key: object) -> bool:
        return key in self._content()

    def keys(self) -> Any:
        return self._content().keys()

    def items(self) -> Any:
        return self._content().items()

    def values(self) -> Any:
        return self._content().values()

    def get(self, key: str, default: Any = None) -> Any:
        return self._content().get(key, default)

    def __eq__(self, other: object) -> bool:  # equal to the dict of the same keys and values
        if isinstance(other, Mapping):
            return self._content() == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        return hash(canonical_json(self._content()))

    def key_args(self) -> dict[str, Any]:
        """The section without the keys that do not change what is trained (:data:`NOT_IN_KEY`):
        what the data key is made of."""
        return {k: v for k, v in self._content().items() if k not in NOT_IN_KEY}


Mapping.register(DataSection)
#: Defaults of the optional keys (``random_state`` 42, ``test_size`` 0.2, ...).
DATA_DEFAULTS: dict[str, Any] = {name: info.default for name, info in
                                 DataSection.model_fields.items() if not info.is_required()}


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


def validate_data(data: Any, problems: Problems) -> DataSection | None:
    """The data section with defaults filled in, or None after adding its problems."""
    if not isinstance(data, Mapping):
        problems.add("data", f"must be an object; got {show(data)}", _example_hint())
        return None
    try:
        return DataSection.model_validate(dict(data))
    except ValidationError as exc:
        for error in exc.errors():
            _add_error(error, data, problems)
        return None


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
