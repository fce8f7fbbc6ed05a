"""Read-only routes under ``/api``: they validate, call the query layer and serialize."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

import modelmap
from modelmap import queries
from modelmap.server import _public
from modelmap.server._response_cache import ResponseCache
from modelmap.server._deps import (Canonical, DatasetName, Encoding, JobId, Listing, MapKey,
                                   ResultId, ResultKey, registry_of, store_of)
from modelmap.server._models import ArraysRequest, MapRequest
from modelmap.server._responses import StrictJSONResponse
from modelmap.server._responses import StrictJSONResponse as reply
from modelmap.store import Store

router = APIRouter(prefix="/api")
StoreDep = Annotated[Store, Depends(store_of)]


@router.get("/health", tags=["server"])
def health(store: StoreDep) -> StrictJSONResponse:
    """Whether the server runs and can read its store."""
    queries.listing_version(store)
    return reply({"status": "ok", "version": modelmap.__version__})


@router.get("/info", tags=["server"])
def info(registry: Annotated[Any, Depends(registry_of)], request: Request) -> StrictJSONResponse:
    """Dataset and classifier plugins, data projections and classifier-map options, each
    with its parameters (type, range, default)."""
    return reply(_public.info(queries.server_info(registry), request))


@router.get("/datasets", tags=["datasets"])
def datasets(store: StoreDep) -> StrictJSONResponse:
    """Datasets in the store with classes, sample counts, job and result counts."""
    return reply(queries.list_datasets(store))


@router.get("/datasets/{name}/jobs", tags=["datasets"])
def dataset_jobs(name: DatasetName, store: StoreDep) -> StrictJSONResponse:
    """The jobs of one dataset."""
    return reply(queries.list_jobs(store, dataset=name))


@router.get("/datasets/{name}/results", tags=["datasets"])
def dataset_results(name: DatasetName, store: StoreDep, request: Request,
                    listing: Annotated[Listing, Depends()]) -> Response:
    """Results of every job of a dataset: paged, sortable, filterable."""
    version = queries.listing_version(store, dataset=name)
    return _cache(request).answer((version, listing.key()), lambda: _public.listing(
        queries.list_results(store, dataset=name, **listing.kwargs), request))


@router.get("/datasets/{name}/projections", tags=["datasets"])
def dataset_projections(name: DatasetName, store: StoreDep,
                        encoding: Encoding = "json") -> StrictJSONResponse:
    """Data projections of every job of a dataset, with the label of every point."""
    return reply(queries.dataset_projections(store, name, encoding))


@router.get("/jobs", tags=["jobs"])
def jobs(store: StoreDep, dataset: Annotated[str | None, Query(
        pattern=r"^[A-Za-z0-9_]{1,100}$")] = None) -> StrictJSONResponse:
    """Jobs with classes, sample counts and result counts by status."""
    return reply(queries.list_jobs(store, dataset=dataset))


@router.get("/jobs/{job_id:digits}", tags=["jobs"])
def job(job_id: JobId, store: StoreDep, request: Request) -> StrictJSONResponse:
    """One job with its expanded configuration."""
    return reply(_public.job(queries.get_job(store, job_id), request))


@router.get("/jobs/{job_id:digits}/results", tags=["results"])
def job_results(job_id: JobId, store: StoreDep, request: Request,
                listing: Annotated[Listing, Depends()]) -> Response:
    """The classifiers (results) of a job: args, method, title, scores, times, status, fold,
    machine; paged (offset, limit), sorted (sort) and filtered (method, status, filter, q)."""
    version = queries.listing_version(store, job=job_id)
    return _cache(request).answer((version, listing.key()), lambda: _public.listing(
        queries.list_results(store, job=job_id, **listing.kwargs), request))


@router.get("/jobs/{job_id:digits}/projections", tags=["jobs"])
def job_projections(job_id: JobId, store: StoreDep,
                    encoding: Encoding = "json") -> StrictJSONResponse:
    """The job's data projections: points (train samples first) and their labels."""
    return reply(queries.data_projections(store, job_id, encoding))


@router.get("/results/by-key/{key}", tags=["results"])
def result_by_key(key: ResultKey, store: StoreDep, request: Request) -> StrictJSONResponse:
    """One result in full, by its key or a unique prefix of it."""
    return reply(_public.result(queries.find_result(store, key, log_limit=queries.LOG_PREVIEW),
                                request))


@router.get("/results/{result_id:digits}", tags=["results"])
def result(result_id: ResultId, store: StoreDep, request: Request) -> StrictJSONResponse:
    """One result in full: confusion matrices, history, error, traceback, captured log
    (its first and last 32 KB; ``log_cut`` bytes left out, see ``/log`` for all of it)."""
    return reply(_public.result(queries.get_result(store, result_id,
                                                   log_limit=queries.LOG_PREVIEW), request))


@router.get("/results/{result_id:digits}/log", tags=["results"])
def result_log(result_id: ResultId, store: StoreDep, request: Request,
               offset: Annotated[int, Query(ge=0, le=10**12), Canonical] = 0,
               limit: Annotated[int, Query(ge=1, le=queries.MAX_LOG_PAGE),
                                Canonical] = queries.MAX_LOG_PAGE,
               ) -> StrictJSONResponse:
    """One page of a result's captured log (characters ``offset`` to ``offset + limit``;
    ``next`` is where the next page starts, ``null`` at the end)."""
    return reply(_public.log_page(queries.result_log(store, result_id, offset, limit), request))


@router.post("/results/arrays", tags=["results"])
def result_arrays(body: ArraysRequest, store: StoreDep) -> StrictJSONResponse:
    """Predictions, probabilities or confusion matrices of many results, one stacked array
    per name (base64 encoding for the compact form)."""
    return reply(queries.result_arrays(store, body.ids, body.names, body.encoding))


@router.post("/maps", tags=["maps"])
def classifier_map(body: MapRequest, store: StoreDep, request: Request) -> Response:
    """A classifier map: 2-D points and the distance matrix.  Computed once per set of
    inputs and cached in the store (``cached`` says whether it came from there)."""
    options = {"values": body.values, "metric": body.metric, "projection": body.projection,
               "params": body.params}
    key = queries.map_key(store, body.results, **options)
    return _cache(request).answer(
        ("map", key, body.distances, body.encoding),
        lambda: queries.classifier_map(store, body.results, distances=body.distances,
                                       encoding=body.encoding, **options),
        keep=lambda data: data["cached"])


@router.get("/maps/{key}", tags=["maps"])
def cached_map(key: MapKey, store: StoreDep, request: Request, distances: bool = True,
               encoding: Encoding = "json") -> Response:
    """A cached map by its key."""
    return _cache(request).answer(("map", key, distances, encoding), lambda: queries.cached_map(
        store, key, distances=distances, encoding=encoding))


def _cache(request: Request) -> ResponseCache:
    return request.app.state.responses
