"""The documented error contract: every ``/api`` operation lists the 4xx/5xx statuses it
can answer, each with the one error schema (``{"error", "detail", "hint"?,
"problems"?}``), and a 405 names in ``Allow`` every method the path supports.

Added to the OpenAPI document when it is first built, so routes included later (by other
modules) are covered as well.
"""

from __future__ import annotations

from typing import Any

import re

from fastapi import FastAPI, Request

from modelmap.server._security import writes

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error", "detail"],
    "properties": {
        "error": {"type": "string", "description": "A stable code: not_found, "
                  "invalid_request, invalid_query, unauthorized, ..."},
        "detail": {"type": "string", "description": "What is wrong."},
        "hint": {"type": "string", "description": "How to fix it."},
        "problems": {"type": "array", "description": "Each invalid field (422).",
                     "items": {"type": "object", "required": ["location", "message"],
                               "properties": {"location": {"type": "string"},
                                              "message": {"type": "string"}}}},
    },
}
_REF = {"$ref": "#/components/schemas/Error"}
_EVERY = {
    "400": "Bad request: a filter, sort field or option the query cannot use, or a Host "
           "header this server does not answer for.",
    "404": "No such dataset, job, result, map or path.",
    "405": "The path does not support the method (Allow lists those it does).",
    "422": "The request does not match the schema (problems lists each field).",
    "503": "The store cannot be read or written (locked, unreachable).",
}
_WRITES = {
    "401": "This request changes the store and needs the server's token.",
    "403": "Wrong token, changing the store is disabled on this bind, or the store is "
           "read-only.",
}
_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
_BODY = {"413": "The request body is larger than the server accepts."}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _REF}}}


def _document(schema: dict[str, Any]) -> dict[str, Any]:
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith("/api"):
            continue
        for method, operation in operations.items():
            statuses = dict(_EVERY)
            if writes(method.upper(), path):
                statuses |= _WRITES
            if "requestBody" in operation:
                statuses |= _BODY
            responses = operation.setdefault("responses", {})
            for status, description in statuses.items():
                responses[status] = _error(description)  # 422 replaces FastAPI's own
    return schema


def install(app: FastAPI) -> None:
    """Document the error contract in ``app``'s OpenAPI schema."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _document(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def allowed_methods(request: Request) -> list[str]:
    """The methods the OpenAPI document lists for the request's path (for ``Allow``).

    A literal path (``/api/results/failed``) wins over a template that also matches it
    (``/api/results/{result_id}``), as the router prefers it.
    """
    app = request.app
    table = getattr(app.state, "allow_table", None)
    if table is None:
        table = []
        for template, operations in app.openapi().get("paths", {}).items():
            pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+",
                                              re.escape(template)) + "$")
            methods = {m.upper() for m in operations if m.upper() in _METHODS}
            table.append((pattern, "{" not in template, methods))
        app.state.allow_table = table
    path = request.scope.get("path", "")
    found = [(literal, methods) for pattern, literal, methods in table if pattern.match(path)]
    chosen = [methods for literal, methods in found if literal] or [m for _, m in found]
    return sorted(set().union(*chosen)) if chosen else []
