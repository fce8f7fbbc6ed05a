"""Capture a plugin's printed output, warnings and log records per configuration."""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from collections.abc import Iterator


class _Tee(io.StringIO):
    pass


@contextlib.contextmanager
def capture() -> Iterator[io.StringIO]:
    """Collect stdout, stderr, warnings and log records into one text buffer."""
    buffer = _Tee()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught, \
                contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            warnings.simplefilter("always")
            try:
                yield buffer
            finally:
                for w in caught:
                    buffer.write(f"{w.category.__name__}: {w.message}\n")
    finally:
        root.removeHandler(handler)
