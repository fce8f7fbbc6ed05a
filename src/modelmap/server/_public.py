"""What the API may show of the server's machine: without ``--debug`` no answer carries an
absolute path, a host name or a process id.

Stored tracebacks, logs and error texts keep their content with every absolute path cut to
its file name (``File "/home/me/plugins/svm.py"`` becomes ``File "svm.py"``); the
``machine`` of a result keeps platform and library versions but not ``host`` and ``pid``;
a job's ``file`` is its file name.  With ``--debug`` (``create_app(debug=True)``) answers
are left whole.
"""

from __future__ import annotations

import re
import socket
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from starlette.requests import Request

# A POSIX or Windows absolute path's folders (the file name after them is kept).
_FOLDERS = re.compile(r"(?<![\w.~/\\-])(?:/|[A-Za-z]:\\)(?:[^\s\"'<>|/\\:]+[/\\])+")
_MACHINE_PRIVATE = ("host", "pid", "hostname", "node")


@lru_cache(maxsize=1)
def _host_names() -> tuple[str, ...]:
    names = {socket.gethostname(), socket.getfqdn()}
    return tuple(sorted((n for n in names if n and n not in ("localhost",)), key=len,
                        reverse=True))


def scrub(text: Any) -> Any:
    """``text`` with absolute folders and this machine's host names taken out."""
    if not isinstance(text, str) or not text:
        return text
    text = _FOLDERS.sub("", text)
    for name in _host_names():
        if len(name) >= 3:
            text = re.sub(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", "<host>", text)
    return text


def debug(request: Request) -> bool:
    return bool(getattr(request.app.state, "debug", False))


def machine(value: Any) -> Any:
    if not isinstance(value, dict):
        return None if isinstance(value, str) else value  # listings carry the host name
    return {k: v for k, v in value.items() if k not in _MACHINE_PRIVATE}


def result(data: dict[str, Any], request: Request) -> dict[str, Any]:
    """A full result (``queries.get_result``) as the API shows it."""
    if debug(request):
        return data
    out = dict(data)
    out["machine"] = machine(data.get("machine"))
    for name in ("traceback", "log", "error"):
        out[name] = scrub(data.get(name))
    return out


def log_page(data: dict[str, Any], request: Request) -> dict[str, Any]:
    return data if debug(request) else {**data, "text": scrub(data.get("text"))}


def job(data: dict[str, Any], request: Request) -> dict[str, Any]:
    """A job (``queries.get_job``): its ``file`` is only a file name."""
    if debug(request) or not data.get("file"):
        return data
    return {**data, "file": PurePath(str(data["file"])).name}


def listing(data: dict[str, Any], request: Request) -> dict[str, Any]:
    """A page of results: no host name, error lines without folders."""
    if debug(request):
        return data
    items = [{**item, "machine": None, "error": scrub(item.get("error"))}
             for item in data.get("items", [])]
    return {**data, "items": items}


def info(data: dict[str, Any], request: Request) -> dict[str, Any]:
    if debug(request):
        return data
    problems = [{**p, "error": scrub(p.get("error"))} for p in data.get("problems", [])]
    return {**data, "problems": problems}
