"""Request bodies, validated before any query runs (unknown fields are refused)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from modelmap.projection import MAP_METRICS, MAP_PROJECTIONS, MAP_VALUES
from modelmap.queries import ENCODINGS, MAX_IDS, MAX_MAP_RESULTS, RESULT_ARRAYS
from modelmap.queries import MAX_ID

RowId = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]  # 1, never "1", 1.0 or true
ParamName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,64}$")]
ParamValue = StrictBool | int | float | Annotated[str, StringConstraints(max_length=200)]
Encoding = Literal[ENCODINGS]  # type: ignore[valid-type]


class MapRequest(BaseModel):
    """A classifier map: which results, what to compare, the distance, the projection."""

    model_config = ConfigDict(extra="forbid")

    results: list[RowId] = Field(min_length=1, max_length=MAX_MAP_RESULTS,
                                 description="Result ids to map (order does not matter).")
    values: Literal[MAP_VALUES] = Field(  # type: ignore[valid-type]
        "pred_test", description="What is compared: predictions, probabilities or "
        "confusion-matrix values (test or train), or the scores.")
    metric: Literal[MAP_METRICS] = "euclidean"  # type: ignore[valid-type]
    projection: Literal[tuple(MAP_PROJECTIONS)] = "pca"  # type: ignore[valid-type]
    params: dict[ParamName, ParamValue] = Field(
        default_factory=dict, max_length=10,
        description="Projection parameters, e.g. {\"perplexity\": 10, \"random_state\": 0}.")
    distances: StrictBool = Field(True, description="Include the distance matrix.")
    encoding: Encoding = Field("json", description="json: nested lists; base64: raw "
                               "little-endian float32/int32 bytes.")


class ArraysRequest(BaseModel):
    """Predictions, probabilities or confusion matrices of many results."""

    model_config = ConfigDict(extra="forbid")

    ids: list[RowId] = Field(min_length=1, max_length=MAX_IDS)
    names: list[Literal[RESULT_ARRAYS]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["pred_test"], min_length=1, max_length=len(RESULT_ARRAYS))
    encoding: Encoding = "json"
