"""Routes that delete or export (deleting needs the token when the server has one)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from modelmap import queries
from modelmap.server._deps import Canonical, DatasetName, JobId, ResultId, store_of
from modelmap.queries import MAX_ID
from modelmap.server._responses import StrictJSONResponse
from modelmap.server._responses import StrictJSONResponse as reply
from modelmap.store import Store

router = APIRouter(prefix="/api")
StoreDep = Annotated[Store, Depends(store_of)]
_MEDIA = {"csv": "text/csv; charset=utf-8",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/jobs/{job_id:digits}/export", tags=["jobs"],
            responses={200: {"content": {m: {} for m in _MEDIA.values()}}})
def export(job_id: JobId, store: StoreDep,
           format: Literal["csv", "xlsx"] = "csv") -> Response:  # noqa: A002
    """A job's results as a CSV or Excel file."""
    data = queries.export_results(store, job_id, format)
    return Response(data, media_type=_MEDIA[format], headers={
        "Content-Disposition": f'attachment; filename="job-{job_id}-results.{format}"'})


@router.delete("/results/failed", tags=["delete"])
def delete_failed(request: Request, store: StoreDep,
                  job: Annotated[int | None, Query(ge=1, le=MAX_ID), Canonical] = None
                  ) -> StrictJSONResponse:
    """Delete failed and timed-out results (of one job, or of all jobs)."""
    deleted = queries.delete_failed(store, job)
    request.app.state.responses.clear()
    return reply({"deleted": deleted})


@router.delete("/results/{result_id:digits}", tags=["delete"])
def delete_result(result_id: ResultId, store: StoreDep, request: Request) -> StrictJSONResponse:
    """Delete a result with its per-fold results and arrays."""
    deleted = queries.delete_result(store, result_id)
    request.app.state.responses.clear()
    return reply({"deleted": deleted})


@router.delete("/jobs/{job_id:digits}", tags=["delete"])
def delete_job(job_id: JobId, store: StoreDep, request: Request) -> StrictJSONResponse:
    """Delete a job with its results, projections and arrays."""
    deleted = queries.delete_job(store, job_id)
    request.app.state.responses.clear()
    return reply({"deleted": deleted})


@router.delete("/datasets/{name}", tags=["delete"])
def delete_dataset(name: DatasetName, store: StoreDep, request: Request) -> StrictJSONResponse:
    """Delete a dataset with all its jobs and everything under them."""
    deleted = queries.delete_dataset(store, name)
    request.app.state.responses.clear()
    return reply({"deleted": deleted})


@router.delete("/maps", tags=["delete"])
def delete_maps(store: StoreDep, request: Request) -> StrictJSONResponse:
    """Empty the classifier-map cache."""
    deleted = queries.delete_maps(store)
    request.app.state.responses.clear()
    return reply({"deleted": deleted})


@router.get("/sizes", tags=["server"])
def sizes(store: StoreDep) -> StrictJSONResponse:
    """Bytes by dataset, job and kind of item."""
    return reply(queries.sizes(store))
