"""Responses: strict JSON, and the one error shape ``{"error": ..., "detail": ...}``."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse

from modelmap.queries import clean


class StrictJSONResponse(JSONResponse):
    """Compact UTF-8 JSON; NaN and infinities become ``null`` instead of invalid JSON."""

    def render(self, content: Any) -> bytes:
        try:
            text = json.dumps(content, ensure_ascii=False, allow_nan=False,
                              separators=(",", ":"))
        except ValueError:
            text = json.dumps(clean(content), ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8")


def error_response(status: int, error: str, detail: str, **extra: Any) -> StrictJSONResponse:
    """The JSON error every failing request gets (never a traceback)."""
    body = {"error": error, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    return StrictJSONResponse(body, status_code=status)
