"""``SystemExit`` and ``KeyboardInterrupt`` raised by plugin code are the plugin's failure.

A plugin that calls ``sys.exit(0)`` in ``get_data`` or ``fit`` must not end the run with
status 0 and nothing trained, nor kill a worker that is then retried: it is recorded as
that plugin's error, with its traceback, like any exception it raises.
"""

from __future__ import annotations

import traceback

#: What a plugin may raise that is not an ``Exception`` but is still its own failure.
PLUGIN_EXITS = (SystemExit, KeyboardInterrupt)


def describe_exit(exc: BaseException) -> str:
    """One line for a ``SystemExit``/``KeyboardInterrupt`` raised by plugin code, e.g.
    ``SystemExit: the plugin called sys.exit(0) at plugins/datasets/x/__init__.py:7``."""
    if isinstance(exc, SystemExit):
        what = f"the plugin called sys.exit({exc.code!r})"
    else:
        what = "the plugin raised KeyboardInterrupt"
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}: {what}{where} (plugins must return or raise an " \
        "exception, not end the process)"
