"""Garbage collection for the command line: paused while the heavy modules load.

Importing scikit-learn, SciPy and pandas creates several hundred thousand objects that
live as long as the process.  Python's collector would walk them again and again while
they load (about 0.2-0.3 s of a command's start) and once more at exit (about 0.4 s).
The ``modelmap`` command therefore pauses collection when it starts; :func:`settle` —
called once the data is prepared, or before a server starts serving — moves everything
loaded so far to the permanent generation (``gc.freeze``), where collections never look,
and switches collection back on.  Library use (``import modelmap``) is not affected:
without :func:`pause`, :func:`settle` does nothing.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop collecting until :func:`settle` (the command line's first call)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def settle() -> None:
    """Freeze what is loaded and collect as usual from here on (after :func:`pause`)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def finish() -> None:
    """At exit: freeze everything, so the interpreter's last collection has nothing to walk."""
    gc.freeze()
