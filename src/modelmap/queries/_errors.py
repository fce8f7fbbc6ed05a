"""Errors of the query layer; each carries the HTTP status the API answers with."""

from __future__ import annotations

from modelmap.errors import ModelmapError


class QueryError(ModelmapError):
    """A request the query layer cannot answer; ``status`` is the HTTP status to use."""

    status = 400
    code = "bad_request"


class NotFoundError(QueryError):
    """The named dataset, job, result or map is not in the store."""

    status = 404
    code = "not_found"


class InvalidQueryError(QueryError):
    """A filter, sort field or option that is malformed or names nothing."""

    status = 400
    code = "invalid_query"
