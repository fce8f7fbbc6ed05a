"""The process state a config may change, put back after every config in a worker.

A plugin may ``os.chdir``, edit ``os.environ`` or ``sys.path``, add logging handlers or
change levels, warning filters or NumPy's floating-point error handling; the next config
on the same worker must not see any of it (results must not depend on which worker ran
what).  :class:`CleanState` takes the worker's state once, when it starts, and
:meth:`CleanState.restore` puts it back — cheaply when nothing changed.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings

import numpy as np


def _loggers() -> dict[str, logging.Logger]:
    items = list(logging.Logger.manager.loggerDict.items())
    return {name: lg for name, lg in items if isinstance(lg, logging.Logger)}


def _logger_state(lg: logging.Logger) -> tuple:
    return (list(lg.handlers), lg.level, lg.propagate, lg.disabled, list(lg.filters))


class CleanState:
    """The working directory, environment, ``sys.path``, logging configuration, warning
    filters and NumPy error state of this process when it was made."""

    def __init__(self) -> None:
        self.cwd = os.getcwd()
        self.environ = dict(os.environ)
        self.path = list(sys.path)
        self.filters = list(warnings.filters)
        self.root = _logger_state(logging.root)
        self.loggers = {name: _logger_state(lg) for name, lg in _loggers().items()}
        self.disable = logging.root.manager.disable
        self.numpy = np.geterr()

    def restore(self) -> None:
        try:
            here: str | None = os.getcwd()
        except OSError:  # the config removed the folder it moved to
            here = None
        if here != self.cwd:
            os.chdir(self.cwd)
        if os.environ != self.environ:
            for name in [n for n in os.environ if n not in self.environ]:
                del os.environ[name]
            for name, value in self.environ.items():
                if os.environ.get(name) != value:
                    os.environ[name] = value
        if sys.path != self.path:
            sys.path[:] = self.path
        if warnings.filters != self.filters:
            warnings.filters[:] = self.filters
            mutated = getattr(warnings, "_filters_mutated", None)  # drop cached lookups
            if callable(mutated):
                mutated()
        _set_logger(logging.root, self.root)
        for name, lg in _loggers().items():
            state = self.loggers.get(name)
            if state is None:  # a logger made since (a library imported by a config): keep
                # its level, lose the handlers a config added, but a library's NullHandler
                state = self.loggers[name] = (
                    [h for h in lg.handlers if isinstance(h, logging.NullHandler)],
                    lg.level, lg.propagate, lg.disabled, list(lg.filters))
            _set_logger(lg, state)
        if logging.root.manager.disable != self.disable:
            logging.disable(self.disable)
        if np.geterr() != self.numpy:
            np.seterr(**self.numpy)


def _set_logger(lg: logging.Logger, state: tuple) -> None:
    handlers, level, propagate, disabled, filters = state
    if lg.handlers != handlers:
        lg.handlers[:] = handlers
    if lg.level != level:
        lg.setLevel(level)
    lg.propagate, lg.disabled = propagate, disabled
    if lg.filters != filters:
        lg.filters[:] = filters
