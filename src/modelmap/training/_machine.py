"""Where a result was computed: host, CPU, Python and library versions."""

from __future__ import annotations

import os
import platform
import socket
import sys
from functools import lru_cache
from importlib import metadata
from typing import Any


def machine_info() -> dict[str, Any]:
    """Host, versions, the process id, and ``data_loads``: how many times this process
    has read a job's prepared data from disk (``load_bundle``: once per worker process and
    job; more would mean the data is loaded per config)."""
    from modelmap.data import load_bundle

    return {**_static_info(), "pid": os.getpid(), "data_loads": load_bundle.cache_info().misses}


@lru_cache(maxsize=1)
def _static_info() -> dict[str, Any]:
    """What is the same in every worker forked from one server (looked up once there)."""

    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    return {
        "host": socket.gethostname(),
        "platform": platform.platform(),
        "cpu": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "numpy": version("numpy"),
        "scikit-learn": version("scikit-learn"),
        "modelmap": version("modelmap"),
    }
