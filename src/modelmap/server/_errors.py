"""Every error becomes ``{"error", "detail"}`` with the right status, mapped in one place."""

from __future__ import annotations

import copy
import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from modelmap.errors import ArgumentError, DataError, ModelmapError, PluginError, StoreError
from modelmap.server import _public
from modelmap.server._responses import error_response
from modelmap.queries import QueryError

log = logging.getLogger("modelmap.server")


def _location(loc: Any) -> str:
    return ".".join(str(part) for part in loc) or "request"


def _validation(request: Request, exc: Exception) -> Any:
    problems = [{"location": _location(e.get("loc", ())), "message": str(e.get("msg", ""))}
                for e in getattr(exc, "errors", lambda: [])()]
    detail = "; ".join(f"{p['location']}: {p['message']}" for p in problems[:10])
    return error_response(422, "invalid_request", detail or "the request is invalid",
                          problems=problems[:50])


def _http(request: Request, exc: Exception) -> Any:
    status = getattr(exc, "status_code", 500)
    try:
        code = HTTPStatus(status).phrase.lower().replace(" ", "_")
    except ValueError:
        code = "error"
    response = error_response(status, code, str(getattr(exc, "detail", "")) or code)
    for name, value in (getattr(exc, "headers", None) or {}).items():
        response.headers[name] = value
    if status == 405:
        from modelmap.server._contract import allowed_methods

        methods = allowed_methods(request)
        if methods:
            response.headers["Allow"] = ", ".join(methods)
    return response


def _modelmap(request: Request, exc: Exception) -> Any:
    assert isinstance(exc, ModelmapError)
    if not _public.debug(request):  # no folders or host names of the server in answers
        exc = copy.copy(exc)
        exc.message, exc.hint = _public.scrub(exc.message), _public.scrub(exc.hint)
    if isinstance(exc, QueryError):
        return error_response(exc.status, exc.code, exc.message, hint=exc.hint)
    if isinstance(exc, (DataError, PluginError, ArgumentError)):
        return error_response(422, "unprocessable", exc.message, hint=exc.hint)
    if isinstance(exc, StoreError):
        if exc.message.startswith("no "):  # deleted by another request in between
            return error_response(404, "not_found", exc.message, hint=exc.hint)
        if exc.message.endswith("the store is open read-only"):
            return error_response(403, "read_only_store", exc.message,
                                  hint="the server's store cannot be written")
        log.warning("store error: %s", exc)
        return error_response(503, "store_unavailable", exc.message, hint=exc.hint)
    return error_response(400, "bad_request", exc.message, hint=exc.hint)


def _internal(request: Request, exc: Exception) -> Any:
    log.exception("unexpected error answering %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "the server failed to answer; its log has "
                          "the details")


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(ModelmapError, _modelmap)
    app.add_exception_handler(Exception, _internal)
