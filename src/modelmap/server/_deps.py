"""Shared route pieces: the store and registry of the app, and path/query parameters."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import Path, Query, Request
from pydantic import BeforeValidator
from starlette.convertors import Convertor, register_url_convertor

from modelmap.queries import MAX_LIMIT
from modelmap.queries import DATASET_PATTERN, KEY_PATTERN, MAP_KEY_PATTERN, MAX_ID
from modelmap.store import Store

_CANONICAL = re.compile(r"0|[1-9][0-9]{0,17}")


def canonical(value: Any) -> Any:
    """Refuse integers a request spells other than canonically (``+1``, ``1.0``, ``01``,
    `` 1``, ``1_0``, ``1\\n``): ``int()`` would accept them all and name another row."""
    if isinstance(value, str) and not _CANONICAL.fullmatch(value):
        raise ValueError(f"{value[:40]!r} is not a number written canonically; write it "
                         "with digits only (no sign, spaces, leading zeros or decimals)")
    return value


Canonical = BeforeValidator(canonical)


class _Digits(Convertor[str]):
    """``{name:digits}`` in a route path: only digits match (so ``/api/results/failed``
    is never taken for a result id); the text is kept for :func:`canonical`."""

    regex = "[0-9]+(?!\n)"  # the router's "$" would also match before a final newline

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: Any) -> str:
        return str(value)


register_url_convertor("digits", _Digits())
JobId = Annotated[int, Path(ge=1, le=MAX_ID, description="Job id (see GET /api/jobs)."),
                  Canonical]
ResultId = Annotated[int, Path(ge=1, le=MAX_ID, description="Result id."), Canonical]
DatasetName = Annotated[str, Path(pattern=DATASET_PATTERN, description="Dataset name.")]
ResultKey = Annotated[str, Path(pattern=KEY_PATTERN, description="Result key or its first "
                                "4+ hex digits.")]
MapKey = Annotated[str, Path(pattern=MAP_KEY_PATTERN, description="Map key.")]
Encoding = Annotated[Literal["json", "base64"], Query(description="json: nested lists; "
                                                       "base64: raw float32/int32 bytes.")]


def store_of(request: Request) -> Store:
    return request.app.state.store


def registry_of(request: Request) -> Any:
    from modelmap.plugins import Registry

    return Registry.discover(request.app.state.workspace)


class Listing:
    """Query parameters of a results listing."""

    def __init__(
        self,
        method: Annotated[list[Annotated[str, Query(max_length=100)]] | None,
                          Query(max_length=100, description="Only these methods.")] = None,
        status: Annotated[list[Literal["ok", "failed", "timeout"]] | None,
                          Query(max_length=3, description="Only these statuses.")] = None,
        filter: Annotated[list[Annotated[str, Query(max_length=1000)]] | None, Query(
            max_length=20, description="FIELD OP VALUE, OP one of = != < <= > >= ~ "
            "(e.g. test_accuracy>=0.9, param_kernel=rbf).")] = None,
        q: Annotated[str | None, Query(max_length=200, description="Title contains.")] = None,
        sort: Annotated[str | None, Query(max_length=500, description="Comma-separated "
                                          "fields, '-' for descending: -test_accuracy,title"
                                          )] = None,
        offset: Annotated[int, Query(ge=0, le=10**9), Canonical] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT), Canonical] = 100,
        include_folds: Annotated[bool, Query(description="Also per-fold results.")] = False,
    ) -> None:
        self.kwargs: dict[str, Any] = {
            "method": method, "status": status, "filters": filter or (), "q": q,
            "sort": sort, "offset": offset, "limit": limit, "include_folds": include_folds}

    def key(self) -> tuple:
        """The parameters as a hashable value (for the response cache)."""
        return tuple((k, tuple(v) if isinstance(v, (list, tuple)) else v)
                     for k, v in self.kwargs.items())
